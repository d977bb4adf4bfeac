/**
 * How the safe-default rules (policies/rules) apply to a stack: a profile, per-rule overrides, exemptions that
 * expire, and the service accounts the baselines allow to hold a role permanently. Lives in tenant.yaml under
 * `safeDefaults`.
 */
import { z } from "zod";
import { dateText, nonEmpty, prose, recordKey } from "./common";

export const ruleOverride = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(["critical", "high", "medium", "low"]).optional(),
  params: z.record(recordKey, z.unknown()).optional().describe("Rule parameters, see policies/README.md"),
});

export const exemption = z.strictObject({
  rule: nonEmpty.describe("Rule id, e.g. PIM-004"),
  object: nonEmpty.describe("What is exempt: a role name, principal UPN, group name or grant file name"),
  justification: prose.describe("Why this exemption is acceptable"),
  expires: dateText("end")
    .optional()
    .describe("Last day of the exemption, at most 90 days ahead; an exemption without one is a finding"),
  approvedBy: nonEmpty.optional(),
});

/**
 * CISA MS.AAD.7.4 allows "service accounts that cannot activate" a permanent active assignment (ScubaGear's
 * `RoleExclusions`). Declared here, per role, with the reason; PIM-004 accepts them and PIM-011 checks them.
 */
export const serviceAccount = z.strictObject({
  principal: nonEmpty.describe("UPN, service principal display name or object id of the account"),
  roles: z
    .array(nonEmpty)
    .min(1)
    .describe("Roles it may hold permanently (display names or ids); nothing else is excluded"),
  justification: prose.describe("Why the account cannot activate a role just in time"),
});

export const safeDefaults = z.strictObject({
  profile: z
    .enum(["cisa", "strict", "cis"])
    .optional()
    .describe(
      "cisa: MS.AAD.7 as written; strict: Microsoft's guidance; cis: CIS Microsoft 365 (2 to 4 Global Administrators)",
    ),
  rules: z.record(recordKey, ruleOverride).optional().describe("Per-rule overrides keyed by rule id"),
  exemptions: z.array(exemption).optional(),
  serviceAccounts: z
    .array(serviceAccount)
    .optional()
    .describe("Accounts that cannot activate and may hold the listed roles permanently (PIM-004, PIM-011)"),
});
export type SafeDefaultsInput = z.infer<typeof safeDefaults>;
