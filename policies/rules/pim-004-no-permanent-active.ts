/** PIM-004: no permanent active assignment to a privileged role, except declared break-glass accounts. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "../../model/catalog";
import { roleSelectors, matchesRole } from "./tiers";
import { assignmentSubject, defineRule, principalName, roleOf, standingByDesign } from "./rule";

export const pim004 = defineRule({
  id: "PIM-004",
  title: "No permanent active assignment to privileged roles",
  source:
    "CISA SCuBA MS.AAD.7.4v1; Microsoft Learn: Plan a PIM deployment (zero permanently active assignments)",
  severity: "high",
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["privileged", "cisa"]),
    /** A PIM-for-Groups group holds its roles permanently by design; its members activate membership. */
    allowPimGroups: z.boolean().default(true),
  }),
  docs:
    "An active assignment without an end date to a role in scope is standing privilege. Only declared break-glass " +
    "accounts may hold a role permanently (and PIM-enrolled groups, whose members activate just in time, unless " +
    "`allowPimGroups` is false). Critical for Global Administrator and Privileged Role Administrator.",
  evaluate(input, p) {
    return input.assignments
      .filter(
        (a) => a.kind === "active" && a.endDateTime === null && matchesRole(roleOf(input, a.roleId), p.roles),
      )
      .filter((a) => !standingByDesign(input, a, p.allowPimGroups))
      .map((a) => {
        const role = roleOf(input, a.roleId).displayName;
        const who = principalName(input, a.principalId);
        const critical = a.roleId === GLOBAL_ADMINISTRATOR || a.roleId === PRIVILEGED_ROLE_ADMINISTRATOR;
        return {
          object: a.label,
          message: `${who} holds ${role} permanently (active, no end date); only declared break-glass accounts may hold a privileged role permanently`,
          fix: `make it kind: eligible so ${role} is activated just in time, or give it an end date; if ${who} is an emergency access account, declare it under breakGlass`,
          ...(critical ? { severity: "critical" as const } : {}),
          ...(a.source ? { source: a.source } : {}),
          subject: assignmentSubject(a),
        };
      });
  },
});
