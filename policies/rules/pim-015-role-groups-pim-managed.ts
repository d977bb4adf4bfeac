/** PIM-015: groups that hold privileged roles are role-assignable, PIM-managed and free of standing members. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { defineRule, list, principalName, rolesFloor, rolesHeldByGroup, type RuleFinding } from "./rule";

export const pim015 = defineRule({
  id: "PIM-015",
  title: "Groups holding privileged roles are role-assignable and PIM-managed",
  source:
    "Microsoft Learn: Best practices for Microsoft Entra roles (#7, #8); Plan a PIM deployment (no nesting)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["privileged", "cisa"], ctx),
  docs:
    "A group that holds a privileged role is as powerful as the role. It must be role-assignable (so only " +
    "privileged admins can change it), enrolled in PIM for Groups with a declared member policy (so membership " +
    "is activated just in time under the same controls), hold no permanent active member or owner (an owner " +
    "can add members), and contain no nested group.",
  evaluate(input, p) {
    const out: RuleFinding[] = [];
    for (const g of Object.values(input.groups)) {
      const roles = rolesHeldByGroup(input, g.id).filter((r) => matchesRole(r, p.roles));
      if (!roles.length) continue;
      const holds = `holds ${list(roles.map((r) => r.displayName))}`;
      const at = {
        object: g.displayName,
        ...(g.source ? { source: g.source } : {}),
        subject: `group:${g.id}`,
      };
      if (g.isAssignableToRole === false) {
        out.push({
          ...at,
          message: `${g.displayName} ${holds} but is not role-assignable, so group administrators can change who holds the role`,
          fix: "recreate it with roleAssignable: true (it can only be set when the group is created)",
        });
      }
      if (!g.pimEnrolled) {
        out.push({
          ...at,
          message: `${g.displayName} ${holds} but its membership is not managed by PIM for Groups`,
          fix: "declare it under pimGroups with eligible members, so membership is activated just in time",
        });
      }
      if (
        !input.groupPolicies.some(
          (gp) => gp.target.kind === "group" && gp.target.groupId === g.id && gp.target.access === "member",
        )
      ) {
        out.push({
          ...at,
          message: `${g.displayName} ${holds} but declares no member policy, so activating membership is not held to MFA, approval or alerts`,
          fix: `add "- group: ${g.displayName}" with access: member and a profile under roleSettings.groups`,
        });
      }
      // An owner manages membership, so a standing owner can make themselves a member at any time.
      for (const m of g.owners) {
        if (m.kind === "active" && m.endDateTime === null) {
          out.push({
            ...at,
            message: `${principalName(input, m.principalId)} is a permanent active owner of ${g.displayName}, which ${holds}, and can add members at will`,
            fix: "make the ownership eligible, or give it an end date",
          });
        }
      }
      for (const m of g.members) {
        if (m.kind === "active" && m.endDateTime === null) {
          out.push({
            ...at,
            message: `${principalName(input, m.principalId)} is a permanent active member of ${g.displayName}, which ${holds}`,
            fix: "make the membership eligible, or give it an end date",
          });
        }
        if (input.groups[m.principalId] || input.principals[m.principalId]?.type === "group") {
          out.push({
            ...at,
            message: `${g.displayName} ${holds} and contains the nested group ${principalName(input, m.principalId)}, whose members then hold the role unseen`,
            fix: "add the people as eligible members directly instead of nesting a group",
          });
        }
      }
    }
    return out;
  },
});
