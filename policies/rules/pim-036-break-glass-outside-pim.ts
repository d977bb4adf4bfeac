/**
 * PIM-036: break-glass accounts stay outside PIM: no PIM schedule (eligible or active), never approvers, never in
 * role-holding groups.
 */
import { z } from "zod";
import { approverPool, defineRule, principalName, roleOf, rolesHeldByGroup, type RuleFinding } from "./rule";

export const pim036 = defineRule({
  id: "PIM-036",
  title: "Break-glass accounts are kept outside PIM",
  source:
    "Project invariant (docs/architecture.md decision 7); Microsoft Learn: Manage emergency access accounts",
  severity: "high",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "An emergency account is used only when everything else is broken. If it is also eligible for a role (or " +
    "granted one through a PIM schedule, which a later run can remove), an approver, or a member of a group that holds a role, it gets used day to day, its credentials leave the safe, " +
    "and its sign-ins stop being an alarm.",
  evaluate(input) {
    const out: RuleFinding[] = [];
    for (const b of input.breakGlass) {
      const who = principalName(input, b.principalId);
      const at = {
        object: who,
        ...(b.source ? { source: b.source } : {}),
        subject: `principal:${b.principalId}`,
      };
      // Any PIM schedule, eligible or active: an active one is a grant a later run can remove (decision 7), and
      // the Tenant component refuses every grant to a break-glass account, so `pim check` must refuse it too.
      for (const a of input.assignments.filter(
        (x) => x.principalId === b.principalId && (x.kind === "eligible" || x.mechanism === "pim"),
      )) {
        const role = roleOf(input, a.roleId).displayName;
        out.push({
          ...at,
          message:
            a.kind === "eligible"
              ? `break-glass account ${who} is eligible for ${role} (${a.label})`
              : `break-glass account ${who} is granted ${role} through a PIM schedule (${a.label}), which a later run can remove`,
          fix: `delete ${a.label}: break-glass accounts hold Global Administrator permanently through breakGlass, outside PIM, and nothing else`,
        });
      }
      const policies = [
        ...Object.values(input.directoryRolePolicies),
        ...input.groupPolicies,
        ...input.azureRolePolicies,
      ];
      for (const policy of policies) {
        if (approverPool(input, policy, { escalation: true }).people.has(b.principalId)) {
          out.push({
            ...at,
            message: `break-glass account ${who} approves activation of ${policy.label}`,
            fix: "remove it from the approvers and from approver groups; approving is day-to-day work for named people",
          });
        }
      }
      for (const g of Object.values(input.groups)) {
        const roles = rolesHeldByGroup(input, g.id);
        if (!roles.length) continue;
        if ([...g.members, ...g.owners].some((m) => m.principalId === b.principalId)) {
          out.push({
            ...at,
            message: `break-glass account ${who} is a member or owner of ${g.displayName}, which holds ${roles.map((r) => r.displayName).join(", ")}`,
            fix: `remove it from ${g.displayName}`,
          });
        }
      }
    }
    return out;
  },
});
