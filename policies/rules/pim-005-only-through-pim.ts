/** PIM-005: privileged roles are assigned through PIM schedules, never as plain role assignments. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { assignmentSubject, defineRule, principalName, roleOf, rolesFloor, standingByDesign } from "./rule";

export const pim005 = defineRule({
  id: "PIM-005",
  title: "Privileged roles are assigned only through PIM",
  source: "CISA SCuBA MS.AAD.7.5v1; PIM alert RolesAssignedOutsidePimAlert",
  severity: "high",
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["privileged", "cisa"]),
    /** A PIM-for-Groups group may hold its roles through a plain assignment; PIM governs its membership instead. */
    allowPimGroups: z.boolean().default(true),
  }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["privileged", "cisa"], ctx),
  docs:
    "An active assignment without a start date was made outside PIM, as a plain role assignment (for example " +
    "`azuread.DirectoryRoleAssignment`): no activation, no approval, no expiry, no PIM audit trail. This is how " +
    'ScubaGear tests MS.AAD.7.5 (the portal shows such a start as "-"); a PIM schedule always has a start. Only ' +
    "declared break-glass accounts may be assigned that way, and PIM-enrolled groups, whose members activate " +
    "membership just in time (unless `allowPimGroups` is false).",
  evaluate(input, p) {
    return input.assignments
      .filter(
        (a) =>
          a.kind === "active" && a.startDateTime === null && matchesRole(roleOf(input, a.roleId), p.roles),
      )
      .filter((a) => !standingByDesign(input, a, p.allowPimGroups))
      .map((a) => {
        const role = roleOf(input, a.roleId).displayName;
        return {
          object: a.label,
          message: `${principalName(input, a.principalId)} is assigned ${role} outside PIM (a plain role assignment, with no start date)`,
          fix: "declare it as a grant in stacks/<stack>/grants/ (eligible, or active with an end date) so it goes through a PIM schedule; plain assignments are for break-glass accounts only",
          ...(a.source ? { source: a.source } : {}),
          subject: assignmentSubject(a),
        };
      });
  },
});
