/**
 * PIM-021: a role that requires approval has at least two approvers. High (mandatory): the architecture makes it
 * an invariant, because one approver is both a single point of failure and an unchecked gatekeeper.
 */
import { z } from "zod";
import {
  activationOf,
  approverPool,
  defineRule,
  list,
  policiesInScope,
  policyKey,
  principalName,
} from "./rule";

export const pim021 = defineRule({
  id: "PIM-021",
  title: "At least two approvers",
  source:
    "Microsoft Learn: Configure Microsoft Entra role settings in PIM (we recommend at least two approvers)",
  severity: "high",
  scope: "resource",
  params: z.strictObject({ minApprovers: z.number().int().min(1).default(2) }),
  floor: (p) => (p.minApprovers < 2 ? [`minApprovers ${p.minApprovers} is below the baseline's 2`] : []),
  docs:
    "With a single approver, one absence blocks every activation and nobody checks the approver. Counts the " +
    "people in the primary approval stages, approver groups expanded. A group whose members are not known (policy " +
    "pack, a group the stack does not manage) cannot be counted and is not flagged.",
  evaluate(input, p) {
    return policiesInScope(input, () => true)
      .filter(({ policy }) => policy.rules.Approval_EndUser_Assignment?.isApprovalRequired === true)
      .flatMap((sp) => {
        const { people, unknownGroups } = approverPool(input, sp.policy);
        if (unknownGroups.length || people.size >= p.minApprovers) return [];
        const names = [...people].map((id) => principalName(input, id)).sort();
        return [
          {
            object: sp.policy.label,
            message: `${activationOf(sp)} requires approval, but only ${people.size} ${people.size === 1 ? "person approves" : "people approve"}${names.length ? ` (${list(names)})` : ""}; at least ${p.minApprovers} are needed`,
            fix: `name at least ${p.minApprovers} approvers, for example an approver group with ${p.minApprovers} or more members that lists this role under approves`,
            ...(sp.policy.source ? { source: sp.policy.source } : {}),
            subject: policyKey(sp.policy),
          },
        ];
      });
  },
});
