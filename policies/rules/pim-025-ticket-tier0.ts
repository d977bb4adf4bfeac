/** PIM-025: activating a Tier-0 role requires ticket information. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { activationOf, defineRule, policiesInScope, policyKey } from "./rule";

export const pim025 = defineRule({
  id: "PIM-025",
  title: "Ticket required on Tier-0 activation",
  source: "Microsoft Learn: Plan a PIM deployment (Global Administrator example: incident ticket)",
  severity: "low",
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["tier0"]) }),
  docs:
    "A ticket number ties each Tier-0 activation to a change or incident a reviewer can look up. Entra does not " +
    "validate the number, so this is advisory.",
  evaluate(input, p) {
    return policiesInScope(input, (r) => matchesRole(r, p.roles))
      .filter(({ policy }) => !policy.rules.Enablement_EndUser_Assignment?.enabledRules.includes("Ticketing"))
      .map((sp) => ({
        object: sp.policy.label,
        message: `${activationOf(sp)} does not require ticket information`,
        fix: "set activation.requireTicket: true",
        ...(sp.policy.source ? { source: sp.policy.source } : {}),
        subject: policyKey(sp.policy),
      }));
  },
});
