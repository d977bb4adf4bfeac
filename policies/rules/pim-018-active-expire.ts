/** PIM-018: role policies require active assignments to expire (policy level). */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { defineRule, durationParam, human, ms, policiesInScope, policyKey, type RuleFinding } from "./rule";

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
  strict: { maxActive: "P30D" },
  docs:
    "The role policy itself must refuse permanent active assignments and bound them to `maxActive`, so that an " +
    "assignment made by hand in the portal cannot become standing privilege either. Global Administrator is " +
    "excepted by default (baselines.md §7.2); its assignments are checked one by one by PIM-004.",
  evaluate(input, p) {
    const out: RuleFinding[] = [];
    const match = (r: Parameters<typeof matchesRole>[0]) =>
      matchesRole(r, p.roles) && !matchesRole(r, p.exceptRoles);
    for (const { policy } of policiesInScope(input, match)) {
      const rule = policy.rules.Expiration_Admin_Assignment;
      const at = {
        object: policy.label,
        ...(policy.source ? { source: policy.source } : {}),
        subject: policyKey(policy),
      };
      if (!rule || !rule.isExpirationRequired) {
        out.push({
          ...at,
          message: `${policy.label} allows permanent active assignments`,
          fix: `set activeAssignment.allowPermanent: false with maximumDuration ${p.maxActive} or less`,
        });
      } else if ((ms(rule.maximumDuration) ?? Infinity) > ms(p.maxActive)!) {
        out.push({
          ...at,
          message: `${policy.label} lets active assignments last up to ${human(rule.maximumDuration)}; at most ${human(p.maxActive)} is allowed`,
          fix: `set activeAssignment.maximumDuration to ${p.maxActive} or less`,
        });
      }
    }
    return out;
  },
});
