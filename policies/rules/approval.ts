/** Shared by PIM-019 and PIM-020: every policy that governs activation of the roles must require approval. */
import type { RuleInput, RoleInfo } from "./input";
import { activationOf, policiesInScope, policyKey, sourceOf, type RuleFinding } from "./rule";

export function approvalFindings(input: RuleInput, match: (r: RoleInfo) => boolean): RuleFinding[] {
  return policiesInScope(input, match)
    .filter(({ policy }) => policy.rules.Approval_EndUser_Assignment?.isApprovalRequired !== true)
    .map((sp) => {
      const source = sourceOf(sp.policy, "activation.approval");
      return {
        object: sp.policy.label,
        // A missing approval rule counts as no approval (Maester's reading, stricter than ScubaGear's).
        message: `${activationOf(sp)} does not require approval`,
        fix: "set activation.approval.required: true and name at least two approvers, or list the role under an approver group's approves",
        ...(source ? { source } : {}),
        subject: policyKey(sp.policy),
      };
    });
}
