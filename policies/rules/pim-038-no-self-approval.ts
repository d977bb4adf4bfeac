/** PIM-038: nobody approves activation of a role they hold or are eligible for. */
import { z } from "zod";
import type { RuleInput } from "./input";
import {
  approverPool,
  defineRule,
  holdersOf,
  list,
  peopleBehind,
  policiesInScope,
  policyKey,
  principalName,
  type ScopedPolicy,
} from "./rule";

/** The people who can activate what the policy governs: the role's holders, or the group's members. */
export function governedPeople(input: RuleInput, sp: ScopedPolicy): Set<string> {
  const t = sp.policy.target;
  if (t.kind === "group") return peopleBehind(input, t.groupId);
  return holdersOf(input, t.roleId);
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
    "escalates) can also activate the role (eligible or active, directly or through a group), the check collapses to one person: approvers and eligible people must be disjoint pools.",
  evaluate(input) {
    return policiesInScope(input, () => true)
      .filter(({ policy }) => policy.rules.Approval_EndUser_Assignment?.isApprovalRequired === true)
      .flatMap((sp) => {
        const approvers = approverPool(input, sp.policy, { escalation: true }).people;
        const both = [...governedPeople(input, sp)]
          .filter((id) => approvers.has(id))
          .map((id) => principalName(input, id))
          .sort();
        if (!both.length) return [];
        return [
          {
            object: sp.policy.label,
            message: `${list(both)} can approve activation of ${sp.policy.target.kind === "group" ? "membership of " : ""}${sp.policy.label} and can activate it themselves, so approval is no second person's check`,
            fix: "keep approvers and eligible people apart: remove them from the approvers (or the approver group), or delete their grant for the role",
            ...(sp.policy.source ? { source: sp.policy.source } : {}),
            subject: policyKey(sp.policy),
          },
        ];
      });
  },
});
