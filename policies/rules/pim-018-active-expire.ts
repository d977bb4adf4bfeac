/** PIM-018: role policies require active assignments to expire (policy level). */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import type { RoleInfo } from "./input";
import { defineRule, durationParam, expiryPolicyFindings } from "./rule";

export const pim018 = defineRule({
  id: "PIM-018",
  title: "Active assignments must expire (policy level)",
  source: "Microsoft Learn: Configure Microsoft Entra role settings in PIM; supports CISA SCuBA MS.AAD.7.4v1",
  severity: "medium",
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["privileged", "cisa"]),
    /** Global Administrator is left out by default: its permanent holders are the break-glass accounts (PIM-004). */
    exceptRoles: roleSelectors.default(["Global Administrator"]),
    maxActive: durationParam.default("P180D"),
  }),
  profiles: { strict: { maxActive: "P30D" } },
  docs:
    "The role policy itself must refuse permanent active assignments and bound them to `maxActive`, so that an " +
    "assignment made by hand in the portal cannot become standing privilege either. Global Administrator is " +
    "excepted by default (baselines.md §7.2); its assignments are checked one by one by PIM-004.",
  evaluate(input, p) {
    const match = (r: RoleInfo) => matchesRole(r, p.roles) && !matchesRole(r, p.exceptRoles);
    return expiryPolicyFindings(input, match, "active", p.maxActive);
  },
});
