/**
 * Layering of settings: defaults ← profile chain ← per-role overrides. A declared field replaces the value below
 * it; lists (approvers, recipients, stages) are replaced whole, never concatenated, so a reviewer can read the
 * effective list off one place.
 */
import type { Settings } from "../schema/settings";
import type { Approver, ResolvedNotification, ResolvedSettings } from "../types";

type NotificationInput = NonNullable<
  NonNullable<NonNullable<Settings["notifications"]>["activation"]>["admin"]
>;
type ApproverInput = { user: string } | { group: string };

export const toApprover = (a: ApproverInput): Approver =>
  "user" in a ? { type: "user", ref: a.user } : { type: "group", ref: a.group };

function mergeNotification(
  base: ResolvedNotification,
  over: NotificationInput | undefined,
): ResolvedNotification {
  if (!over) return base;
  return {
    level: over.level ?? base.level,
    defaultRecipients: over.defaultRecipients ?? base.defaultRecipients,
    additionalRecipients: over.additionalRecipients ?? base.additionalRecipients,
  };
}

export function applySettings(base: ResolvedSettings, s: Settings): ResolvedSettings {
  const a = s.activation;
  const ap = a?.approval;
  const stages = ap?.stages
    ? ap.stages.map((st, i) => {
        const prev = base.activation.approval.stages[i] ?? base.activation.approval.stages[0]!;
        return {
          approvers: st.approvers ? st.approvers.map(toApprover) : prev.approvers,
          timeoutDays: st.timeoutDays ?? prev.timeoutDays,
          approverJustification: st.approverJustification ?? prev.approverJustification,
          escalation: st.escalation
            ? { afterMinutes: st.escalation.afterMinutes, approvers: st.escalation.approvers.map(toApprover) }
            : prev.escalation,
        };
      })
    : base.activation.approval.stages;
  const n = s.notifications;
  const triple = (k: "eligibleAssignment" | "activeAssignment" | "activation") => ({
    admin: mergeNotification(base.notifications[k].admin, n?.[k]?.admin),
    requestor: mergeNotification(base.notifications[k].requestor, n?.[k]?.requestor),
    approver: mergeNotification(base.notifications[k].approver, n?.[k]?.approver),
  });
  const e = s.eligibleAssignment;
  const act = s.activeAssignment;
  return {
    activation: {
      maximumDuration: a?.maximumDuration ?? base.activation.maximumDuration,
      requireMfa: a?.requireMfa ?? base.activation.requireMfa,
      authenticationContext:
        a?.authenticationContext !== undefined
          ? a.authenticationContext
          : base.activation.authenticationContext,
      requireJustification: a?.requireJustification ?? base.activation.requireJustification,
      requireTicket: a?.requireTicket ?? base.activation.requireTicket,
      approval: {
        required: ap?.required ?? base.activation.approval.required,
        requiredForExtension: ap?.requiredForExtension ?? base.activation.approval.requiredForExtension,
        stages,
      },
    },
    eligibleAssignment: {
      allowPermanent: e?.allowPermanent ?? base.eligibleAssignment.allowPermanent,
      maximumDuration: e?.maximumDuration ?? base.eligibleAssignment.maximumDuration,
      requireMfa: e?.requireMfa ?? base.eligibleAssignment.requireMfa,
      requireJustification: e?.requireJustification ?? base.eligibleAssignment.requireJustification,
    },
    activeAssignment: {
      allowPermanent: act?.allowPermanent ?? base.activeAssignment.allowPermanent,
      maximumDuration: act?.maximumDuration ?? base.activeAssignment.maximumDuration,
      requireMfa: act?.requireMfa ?? base.activeAssignment.requireMfa,
      requireJustification: act?.requireJustification ?? base.activeAssignment.requireJustification,
    },
    notifications: {
      eligibleAssignment: triple("eligibleAssignment"),
      activeAssignment: triple("activeAssignment"),
      activation: triple("activation"),
    },
  };
}
