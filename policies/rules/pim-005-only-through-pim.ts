/** PIM-005: privileged roles are assigned through PIM schedules, never as plain role assignments. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { assignmentSubject, defineRule, principalName, roleOf, standingByDesign } from "./rule";

export const pim005 = defineRule({
  id: "PIM-005",
  title: "Privileged roles are assigned only through PIM",
  source: "CISA SCuBA MS.AAD.7.5v1; PIM alert RolesAssignedOutsidePimAlert",
  severity: "high",
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["privileged", "cisa"]),
    /** A PIM-for-Groups group holds its roles through a plain assignment; PIM governs its membership instead. */
    allowPimGroups: z.boolean().default(true),
  }),
  docs:
    "A plain role assignment (for example `azuread.DirectoryRoleAssignment`) bypasses PIM: no activation, no " +
    "approval, no expiry, no PIM audit trail. Only declared break-glass accounts are assigned that way on purpose, " +
    "and PIM-enrolled groups, whose members activate membership just in time (unless `allowPimGroups` is false).",
  evaluate(input, p) {
    return input.assignments
      .filter((a) => a.mechanism === "direct" && matchesRole(roleOf(input, a.roleId), p.roles))
      .filter((a) => !standingByDesign(input, a, p.allowPimGroups))
      .map((a) => {
        const role = roleOf(input, a.roleId).displayName;
        return {
          object: a.label,
          message: `${principalName(input, a.principalId)} is assigned ${role} directly, outside PIM (a plain role assignment)`,
          fix: "declare it as a grant in stacks/<stack>/grants/ (eligible, or active with an end date) so it goes through a PIM schedule; plain assignments are for break-glass accounts only",
          ...(a.source ? { source: a.source } : {}),
          subject: assignmentSubject(a),
        };
      });
  },
});
