/**
 * PIM-036: break-glass accounts stay out of day-to-day PIM: never eligible, never approvers, never in role-holding
 * groups, and holding nothing but their one permanent Global Administrator assignment.
 */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import type { Assignment } from "./input";
import {
  allPolicies,
  approverPool,
  defineRule,
  principalName,
  roleOf,
  rolesHeldByGroup,
  type RuleFinding,
} from "./rule";

export const pim036 = defineRule({
  id: "PIM-036",
  title: "Break-glass accounts are kept outside PIM",
  source:
    "Project invariant (docs/architecture.md decision 7); Microsoft Learn: Manage emergency access accounts",
  severity: "high",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "An emergency account is used only when everything else is broken. If it is also eligible for a role, an " +
    "approver, or a member of a group that holds a role, it gets used day to day, its credentials leave the safe, " +
    "and its sign-ins stop being an alarm. It holds one permanent active Global Administrator assignment (through " +
    "a plain role assignment or a PIM schedule request: the mechanism does not matter) and nothing else: a second " +
    "grant, a time-bound one, or another role is a grant a later run can remove or that widens what the account is " +
    "for.",
  evaluate(input) {
    const out: RuleFinding[] = [];
    for (const b of input.breakGlass) {
      const who = principalName(input, b.principalId);
      const finding = (message: string, fix: string, a?: Assignment): RuleFinding => {
        // A grant that causes the finding is the line to change; otherwise the break-glass declaration.
        const source = a?.source ?? b.source;
        return {
          object: who,
          message,
          fix,
          ...(source ? { source } : {}),
          subject: `principal:${b.principalId}`,
        };
      };
      const own = input.assignments.filter((x) => x.principalId === b.principalId);
      const standing = own.filter(
        (x) => x.kind === "active" && x.roleId === GLOBAL_ADMINISTRATOR && x.endDateTime === null,
      );
      // The one the break-glass declaration creates, when the input knows it; else the first.
      const kept = standing.find((x) => x.source !== undefined && x.source === b.source) ?? standing[0];
      for (const a of own) {
        if (a === kept) continue;
        const role = roleOf(input, a.roleId).displayName;
        const remove = `delete ${a.label}: break-glass accounts hold Global Administrator permanently through breakGlass, and nothing else`;
        if (a.kind === "eligible") {
          out.push(finding(`break-glass account ${who} is eligible for ${role} (${a.label})`, remove, a));
        } else if (standing.includes(a)) {
          out.push(
            finding(
              `break-glass account ${who} is granted Global Administrator a second time (${a.label}), which a later run can remove`,
              remove,
              a,
            ),
          );
        } else if (a.roleId === GLOBAL_ADMINISTRATOR) {
          out.push(
            finding(
              `break-glass account ${who} is granted Global Administrator until ${a.endDateTime!.slice(0, 10)} (${a.label}); an emergency account holds it permanently`,
              remove,
              a,
            ),
          );
        } else {
          out.push(
            finding(
              `break-glass account ${who} is granted ${role} (${a.label}); an emergency account holds Global Administrator and nothing else`,
              remove,
              a,
            ),
          );
        }
      }
      const policies = allPolicies(input);
      for (const policy of policies) {
        if (approverPool(input, policy, { escalation: true }).people.has(b.principalId)) {
          out.push(
            finding(
              `break-glass account ${who} approves activation of ${policy.label}`,
              "remove it from the approvers and from approver groups; approving is day-to-day work for named people",
            ),
          );
        }
      }
      for (const g of Object.values(input.groups)) {
        const roles = rolesHeldByGroup(input, g.id);
        if (!roles.length) continue;
        if ([...g.members, ...g.owners].some((m) => m.principalId === b.principalId)) {
          out.push(
            finding(
              `break-glass account ${who} is a member or owner of ${g.displayName}, which holds ${roles.map((r) => r.displayName).join(", ")}`,
              `remove it from ${g.displayName}`,
            ),
          );
        }
      }
    }
    return out;
  },
});
