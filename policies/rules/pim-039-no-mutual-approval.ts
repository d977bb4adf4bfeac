/** PIM-039: two roles do not approve each other's activation. */
import { z } from "zod";
import {
  approverPool,
  defineRule,
  list,
  policiesInScope,
  policyKey,
  principalName,
  type RuleFinding,
} from "./rule";
import { governedPeople } from "./pim-038-no-self-approval";

export const pim039 = defineRule({
  id: "PIM-039",
  title: "No mutual approval between roles",
  source: "Project guidance (separation of duties)",
  severity: "medium",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "When people eligible for role A approve role B and people eligible for role B approve role A, two people can " +
    "let each other in without anyone else. Each approval pool must come from outside the other role's holders.",
  evaluate(input) {
    const withApproval = policiesInScope(input, () => true).filter(
      ({ policy }) => policy.rules.Approval_EndUser_Assignment?.isApprovalRequired === true,
    );
    const out: RuleFinding[] = [];
    for (let i = 0; i < withApproval.length; i++) {
      for (let j = i + 1; j < withApproval.length; j++) {
        const a = withApproval[i]!;
        const b = withApproval[j]!;
        const aApprovesB = [...governedPeople(input, a)].filter((id) =>
          approverPool(input, b.policy).people.has(id),
        );
        const bApprovesA = [...governedPeople(input, b)].filter((id) =>
          approverPool(input, a.policy).people.has(id),
        );
        if (!aApprovesB.length || !bApprovesA.length) continue;
        // One person on both sides holds both roles and approves both: that is self-approval (PIM-038 reports it
        // on each role), not two people letting each other in.
        if (new Set([...aApprovesB, ...bApprovesA]).size === 1) continue;
        const names = (ids: string[]) => list(ids.map((id) => principalName(input, id)).sort());
        out.push({
          object: `${a.policy.label} / ${b.policy.label}`,
          message: `${a.policy.label} and ${b.policy.label} approve each other: ${names(aApprovesB)} (${a.policy.label}) approve${aApprovesB.length === 1 ? "s" : ""} ${b.policy.label}, and ${names(bApprovesA)} (${b.policy.label}) approve${bApprovesA.length === 1 ? "s" : ""} ${a.policy.label}`,
          fix: "give each role an approver pool drawn from people who hold neither role, such as a dedicated approver group",
          ...(a.policy.source ? { source: a.policy.source } : {}),
          subject: policyKey(a.policy),
        });
      }
    }
    return out;
  },
});
