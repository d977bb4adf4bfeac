/** PIM-024: activation requires a justification. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { activationOf, defineRule, policiesInScope, policyKey } from "./rule";

export const pim024 = defineRule({
  id: "PIM-024",
  title: "Justification required on activation",
  source: "Microsoft Learn: Plan a PIM deployment; NSA/CISA just-in-time guidance",
  severity: "medium",
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  docs: "The reason for each activation is recorded in the audit log; without it an activation cannot be reviewed.",
  evaluate(input, p) {
    return policiesInScope(input, (r) => matchesRole(r, p.roles))
      .filter(
        ({ policy }) => !policy.rules.Enablement_EndUser_Assignment?.enabledRules.includes("Justification"),
      )
      .map((sp) => ({
        object: sp.policy.label,
        message: `${activationOf(sp)} does not require a justification`,
        fix: "set activation.requireJustification: true",
        ...(sp.policy.source ? { source: sp.policy.source } : {}),
        subject: policyKey(sp.policy),
      }));
  },
});
