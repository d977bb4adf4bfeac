/**
 * The model's resolved settings as the 17 Graph policy rules (only the fields rules read). Shared by `fromModel`
 * and the pack adapter for DirectoryRoleSettings, whose input carries the same `ResolvedSettings`.
 */
import type { Approver, NotificationTriple, ResolvedNotification, ResolvedSettings } from "../../model/types";
import type { ApproverRef, EnablementRule, NotificationRule, PolicyRules } from "./input";

const LEVEL = { all: "All", critical: "Critical", none: "None" } as const;

function notification(n: ResolvedNotification): NotificationRule {
  return {
    notificationLevel: LEVEL[n.level],
    isDefaultRecipientsEnabled: n.defaultRecipients,
    notificationRecipients: [...n.additionalRecipients],
  };
}

function enabled(flags: Array<[boolean, EnablementRule]>): EnablementRule[] {
  return flags.filter(([on]) => on).map(([, rule]) => rule);
}

function triple(
  t: NotificationTriple,
  event: "Admin_Eligibility" | "Admin_Assignment" | "EndUser_Assignment",
) {
  return {
    [`Notification_Admin_${event}`]: notification(t.admin),
    [`Notification_Requestor_${event}`]: notification(t.requestor),
    [`Notification_Approver_${event}`]: notification(t.approver),
  } as Partial<PolicyRules>;
}

/** `approverId` maps a declared approver to the id the input uses for it (lower-cased ref, or an object id). */
export function settingsToRules(s: ResolvedSettings, approverId: (a: Approver) => string): PolicyRules {
  const a = s.activation;
  return {
    Expiration_EndUser_Assignment: { maximumDuration: a.maximumDuration },
    Enablement_EndUser_Assignment: {
      enabledRules: enabled([
        [a.requireMfa, "MultiFactorAuthentication"],
        [a.requireJustification, "Justification"],
        [a.requireTicket, "Ticketing"],
      ]),
    },
    AuthenticationContext_EndUser_Assignment: {
      isEnabled: a.authenticationContext !== null,
      claimValue: a.authenticationContext,
    },
    Approval_EndUser_Assignment: {
      isApprovalRequired: a.approval.required,
      approvalStages: a.approval.stages.map((st) => {
        const refs = (list: Approver[]) =>
          list.map((ap): ApproverRef => ({ type: ap.type, id: approverId(ap) }));
        return {
          primaryApprovers: refs(st.approvers),
          ...(st.escalation ? { escalationApprovers: refs(st.escalation.approvers) } : {}),
        };
      }),
    },
    Expiration_Admin_Eligibility: {
      isExpirationRequired: !s.eligibleAssignment.allowPermanent,
      maximumDuration: s.eligibleAssignment.maximumDuration,
    },
    Expiration_Admin_Assignment: {
      isExpirationRequired: !s.activeAssignment.allowPermanent,
      maximumDuration: s.activeAssignment.maximumDuration,
    },
    Enablement_Admin_Assignment: {
      enabledRules: enabled([
        [s.activeAssignment.requireMfa, "MultiFactorAuthentication"],
        [s.activeAssignment.requireJustification, "Justification"],
      ]),
    },
    ...triple(s.notifications.eligibleAssignment, "Admin_Eligibility"),
    ...triple(s.notifications.activeAssignment, "Admin_Assignment"),
    ...triple(s.notifications.activation, "EndUser_Assignment"),
  };
}
