/** PIM-038: nobody approves activation of a role they hold or are eligible for. */
import { z } from "zod";
import type { RuleInput, SourceRef } from "./input";
import {
  approverPool,
  defineRule,
  holdersOf,
  peopleBehind,
  policiesInScope,
  policyKey,
  principalName,
  type RuleFinding,
  type ScopedPolicy,
} from "./rule";

/** The people who can activate what the policy governs: the role's holders, or the group's members. */
export function governedPeople(input: RuleInput, sp: ScopedPolicy): Set<string> {
  const t = sp.policy.target;
  if (t.kind === "group") return peopleBehind(input, t.groupId);
  return holdersOf(input, t.roleId);
}

/**
 * Where a person's ability to activate comes from: the grant (or the group holding the role) that makes them a
 * holder. A pull request that adds that grant is what creates the self-approval, so the finding points at it.
 */
function causeOf(input: RuleInput, sp: ScopedPolicy, person: string): SourceRef | undefined {
  const t = sp.policy.target;
  if (t.kind === "group") return input.groups[t.groupId]?.source;
  return input.assignments.find(
    (a) =>
      a.roleId === t.roleId && a.source && peopleBehind(input, a.principalId, new Set(), true).has(person),
  )?.source;
}

export const pim038 = defineRule({
  id: "PIM-038",
  title: "No self-approval: approvers are not eligible for the role they approve",
  source:
    "Project invariant (docs/architecture.md decision 7); Microsoft Learn: Plan a PIM deployment (approver: other Global Administrator)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "Approval is a second person's check. If an approver (primary, or escalation once a stage " +
    "escalates) can also activate the role (eligible or active, directly or through a group), the check collapses to one person: approvers and eligible people must be disjoint pools. " +
    "Each such person is one finding, located on the grant that lets them activate.",
  evaluate(input) {
    return policiesInScope(input, () => true)
      .filter(({ policy }) => policy.rules.Approval_EndUser_Assignment?.isApprovalRequired === true)
      .flatMap((sp) => {
        const approvers = approverPool(input, sp.policy, { escalation: true }).people;
        const what = `${sp.policy.target.kind === "group" ? "membership of " : ""}${sp.policy.label}`;
        return [...governedPeople(input, sp)]
          .filter((id) => approvers.has(id))
          .sort((a, b) => principalName(input, a).localeCompare(principalName(input, b)))
          .map((id): RuleFinding => {
            const source = causeOf(input, sp, id) ?? sp.policy.source;
            return {
              object: sp.policy.label,
              message: `${principalName(input, id)} can approve activation of ${what} and can activate it themselves, so approval is no second person's check`,
              fix: "keep approvers and eligible people apart: remove them from the approvers (or the approver group), or delete their grant for the role",
              ...(source ? { source } : {}),
              subject: policyKey(sp.policy),
            };
          });
      });
  },
});
