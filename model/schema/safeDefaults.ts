/**
 * How the safe-default rules (policies/rules) apply to a stack: a profile, per-rule overrides, and exemptions that
 * expire. Lives in tenant.yaml under `safeDefaults`.
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
    .describe("Last day of the exemption; an exemption without one is a finding"),
  approvedBy: nonEmpty.optional(),
});

export const safeDefaults = z.strictObject({
  profile: z
    .enum(["cisa", "strict"])
    .optional()
    .describe("cisa: MS.AAD.7 as written; strict: Microsoft's guidance"),
  rules: z.record(recordKey, ruleOverride).optional().describe("Per-rule overrides keyed by rule id"),
  exemptions: z.array(exemption).optional(),
});
export type SafeDefaultsInput = z.infer<typeof safeDefaults>;
