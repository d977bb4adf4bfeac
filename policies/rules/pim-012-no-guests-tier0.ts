/** PIM-012: no guest (external) users in Tier-0 roles, directly or through groups. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { assignmentSubject, defineRule, peopleBehind, principalName, roleOf, rolesFloor } from "./rule";

export const pim012 = defineRule({
  id: "PIM-012",
  title: "No guests in Tier-0 roles",
  source: "Maester MT.1025; Microsoft Learn: Securing privileged access (categorize external users)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({ roles: roleSelectors.default(["tier0", "cisa"]) }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["tier0", "cisa"], ctx),
  docs:
    "A guest account's authentication is controlled by another organization. Tier-0 roles, eligible or active, " +
    "directly or through a group, go to member accounts of this tenant only. Guests are recognised by `#EXT#` in " +
    "the UPN (or userType Guest on a live tenant).",
  evaluate(input, p) {
    return input.assignments
      .filter((a) => matchesRole(roleOf(input, a.roleId), p.roles))
      .flatMap((a) => {
        const role = roleOf(input, a.roleId).displayName;
        const via = a.principalId in input.groups ? ` through ${principalName(input, a.principalId)}` : "";
        return [...peopleBehind(input, a.principalId, new Set(), true)]
          .filter((id) => input.principals[id]?.userType === "Guest")
          .map((id) => ({
            object: a.label,
            message: `guest ${principalName(input, id)} can ${a.kind === "eligible" ? "activate" : "use"} ${role}${via}; Tier-0 roles go to member accounts of this tenant only`,
            fix: `remove the guest from this grant${via ? " group" : ""} and give the person an internal admin account (e.g. adm-<name>@<tenant>.onmicrosoft.com) instead`,
            ...(a.source ? { source: a.source } : {}),
            subject: assignmentSubject(a),
          }));
      });
  },
});
