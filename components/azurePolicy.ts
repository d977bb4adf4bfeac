/**
 * The rules of an ARM role management policy (Azure resource roles) for resolved settings: the one settings mapping
 * (`model/settings/graphRules.ts`) in ARM's spelling (`model/settings/armRules.ts`). ARM uses the same 17 rule ids
 * as Graph (graph-pim.md §1.6); every rule is sent, so the policy holds exactly what was declared. Pure, so it is
 * tested without mocks.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as input from "@pulumi/azure-native/types/input";
import type { ResolvedSettings } from "../model";
import { toGraphRules } from "../model/settings/graphRules";
import { toArmRules } from "../model/settings/armRules";

type Rule =
  | input.authorization.RoleManagementPolicyApprovalRuleArgs
  | input.authorization.RoleManagementPolicyAuthenticationContextRuleArgs
  | input.authorization.RoleManagementPolicyEnablementRuleArgs
  | input.authorization.RoleManagementPolicyExpirationRuleArgs
  | input.authorization.RoleManagementPolicyNotificationRuleArgs;

/** `approverIds` is keyed by `approverKey`; the component refuses settings naming an approver it lacks. */
export function armPolicyRules(
  s: ResolvedSettings,
  approverIds: Record<string, pulumi.Input<string>>,
): Rule[] {
  // ARM shows an approver's description; the declared reference is what a reviewer recognises.
  return toArmRules(toGraphRules(s, approverIds, { describeApprovers: true }));
}
