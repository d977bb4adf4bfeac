/**
 * Maps resolved settings onto the rules of an ARM role management policy (Azure resource roles). ARM uses the
 * same 17 rule ids as Graph (graph-pim.md §1.6); every rule is sent, so the policy holds exactly what was declared.
 * Pure, so it is tested without mocks.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as input from "@pulumi/azure-native/types/input";
import type { Approver, NotificationTriple, ResolvedNotification, ResolvedSettings } from "../model";
import { approverKey } from "./principals";

type Rule =
  | input.authorization.RoleManagementPolicyApprovalRuleArgs
  | input.authorization.RoleManagementPolicyAuthenticationContextRuleArgs
  | input.authorization.RoleManagementPolicyEnablementRuleArgs
  | input.authorization.RoleManagementPolicyExpirationRuleArgs
  | input.authorization.RoleManagementPolicyNotificationRuleArgs;

const target = (caller: "Admin" | "EndUser", level: "Eligibility" | "Assignment") => ({
  caller,
  level,
  operations: ["All"],
});
const LEVEL = { all: "All", critical: "Critical", none: "None" } as const;

export function armPolicyRules(
  s: ResolvedSettings,
  approverIds: Record<string, pulumi.Input<string>>,
): Rule[] {
  const a = s.activation;
  const userSet = (ap: Approver) => ({
    id: approverIds[approverKey(ap)]!,
    userType: ap.type === "user" ? "User" : "Group",
    description: ap.ref,
    isBackup: false,
  });
  const enabled = (pairs: Array<[boolean, string]>) => pairs.filter(([on]) => on).map(([, r]) => r);
  const notification = (
    id: string,
    n: ResolvedNotification,
    recipientType: string,
    t: ReturnType<typeof target>,
  ): Rule => ({
    id,
    ruleType: "RoleManagementPolicyNotificationRule",
    notificationType: "Email",
    recipientType,
    notificationLevel: LEVEL[n.level],
    isDefaultRecipientsEnabled: n.defaultRecipients,
    notificationRecipients: n.additionalRecipients,
    target: t,
  });
  const notifications = (suffix: string, tr: NotificationTriple, t: ReturnType<typeof target>): Rule[] => [
    notification(`Notification_Admin_${suffix}`, tr.admin, "Admin", t),
    notification(`Notification_Requestor_${suffix}`, tr.requestor, "Requestor", t),
    notification(`Notification_Approver_${suffix}`, tr.approver, "Approver", t),
  ];
  const eligibility = target("Admin", "Eligibility");
  const assignment = target("Admin", "Assignment");
  const activation = target("EndUser", "Assignment");

  // Eligible and active assignments have the same three kinds of rule, under their own ids and target.
  const adminRules = (
    level: "Eligibility" | "Assignment",
    expiry: ResolvedSettings["eligibleAssignment"],
    tr: ResolvedSettings["notifications"]["eligibleAssignment"],
    t: ReturnType<typeof target>,
  ): Rule[] => [
    {
      id: `Expiration_Admin_${level}`,
      ruleType: "RoleManagementPolicyExpirationRule" as const,
      isExpirationRequired: !expiry.allowPermanent,
      maximumDuration: expiry.maximumDuration,
      target: t,
    },
    {
      id: `Enablement_Admin_${level}`,
      ruleType: "RoleManagementPolicyEnablementRule" as const,
      enabledRules: enabled([
        [expiry.requireMfa, "MultiFactorAuthentication"],
        [expiry.requireJustification, "Justification"],
      ]),
      target: t,
    },
    ...notifications(`Admin_${level}`, tr, t),
  ];

  return [
    ...adminRules("Eligibility", s.eligibleAssignment, s.notifications.eligibleAssignment, eligibility),
    ...adminRules("Assignment", s.activeAssignment, s.notifications.activeAssignment, assignment),
    {
      id: "Expiration_EndUser_Assignment",
      ruleType: "RoleManagementPolicyExpirationRule",
      isExpirationRequired: true,
      maximumDuration: a.maximumDuration,
      target: activation,
    },
    {
      id: "Enablement_EndUser_Assignment",
      ruleType: "RoleManagementPolicyEnablementRule",
      enabledRules: enabled([
        [a.requireMfa, "MultiFactorAuthentication"],
        [a.requireJustification, "Justification"],
        [a.requireTicket, "Ticketing"],
      ]),
      target: activation,
    },
    {
      id: "Approval_EndUser_Assignment",
      ruleType: "RoleManagementPolicyApprovalRule",
      setting: {
        isApprovalRequired: a.approval.required,
        isApprovalRequiredForExtension: a.approval.requiredForExtension,
        isRequestorJustificationRequired: true,
        approvalMode: a.approval.stages.length > 1 ? "Serial" : "SingleStage",
        approvalStages: a.approval.stages.map((st) => ({
          approvalStageTimeOutInDays: st.timeoutDays,
          isApproverJustificationRequired: st.approverJustification,
          isEscalationEnabled: st.escalation !== null,
          escalationTimeInMinutes: st.escalation?.afterMinutes ?? 0,
          primaryApprovers: st.approvers.map(userSet),
          escalationApprovers: (st.escalation?.approvers ?? []).map(userSet),
        })),
      },
      target: activation,
    },
    {
      id: "AuthenticationContext_EndUser_Assignment",
      ruleType: "RoleManagementPolicyAuthenticationContextRule",
      isEnabled: a.authenticationContext !== null,
      ...(a.authenticationContext ? { claimValue: a.authenticationContext } : {}),
      target: activation,
    },
    ...notifications("EndUser_Assignment", s.notifications.activation, activation),
  ];
}
