/**
 * The rule input's `PolicyRules`, read off Graph rules: the one reader every producer shares.
 *
 *   declarations (`fromSettings`, `pim check`)           settings → Graph rules (model/settings/graphRules) ─┐
 *   DirectoryRoleSettings inputs (pack, dynamic adapter)  settings → Graph rules ─────────────────────────────┤
 *   azure-native RoleManagementPolicy (pack)              ARM rules → Graph spelling (model/settings/armRules) ┼─► here
 *   azuread GroupRoleManagementPolicy (pack)              azuread args → Graph rules (azureadGroupPolicy) ────┤
 *   a live tenant (later)                                 Graph rules as read ─────────────────────────────────┘
 *
 * So a field the mapping carries reaches every rule the same way, whichever path it took. The input can be a
 * hand-written resource or a live tenant, so nothing is assumed: a value that is missing or malformed reads as the
 * weaker setting (not required, not enabled), and a rule that is absent stays absent ("not configured").
 */
import { RULE_TYPES, ruleKindOf, SUBJECT_TYPES, type GraphRuleId } from "../../model/settings/graphRules";
import { fields, list, lower, str, type Fields } from "../../model/untypedJson";
import type { ApproverRef, EnablementRule, ExpirationRule, NotificationRule, PolicyRules } from "./input";

/* Graph rules of an untrusted source: every object is narrowed with `fields` before a field is read. */

const ENABLEMENT: Record<string, EnablementRule> = {
  multifactorauthentication: "MultiFactorAuthentication",
  justification: "Justification",
  ticketing: "Ticketing",
};

const LEVEL: Record<string, NotificationRule["notificationLevel"]> = {
  all: "All",
  critical: "Critical",
  none: "None",
};

function approverRef(v: unknown): ApproverRef {
  const s = fields(v);
  const group = `#${String(s["@odata.type"]).replace(/^#/, "")}` === SUBJECT_TYPES.group;
  return { type: group ? "group" : "user", id: lower(group ? s.groupId : (s.userId ?? s.id)) };
}

const expiration = (r: Fields, fallback: string): ExpirationRule => ({
  isExpirationRequired: r.isExpirationRequired === true,
  maximumDuration: str(r.maximumDuration) ?? fallback,
});

const enablement = (r: Fields): { enabledRules: EnablementRule[] } => ({
  enabledRules: list(r.enabledRules)
    .map((e) => ENABLEMENT[String(e).toLowerCase()])
    .filter((e): e is EnablementRule => e !== undefined),
});

const notification = (r: Fields): NotificationRule => ({
  notificationLevel: LEVEL[String(r.notificationLevel).toLowerCase()] ?? "None",
  isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled === true,
  notificationRecipients: list(r.notificationRecipients).map(String),
});

function approval(r: Fields): NonNullable<PolicyRules["Approval_EndUser_Assignment"]> {
  const s = fields(r.setting);
  return {
    isApprovalRequired: s.isApprovalRequired === true,
    approvalStages: list(s.approvalStages).map((v) => {
      const st = fields(v);
      return {
        primaryApprovers: list(st.primaryApprovers).map(approverRef),
        // Escalation approvers can approve once the stage escalates; Graph keeps the list when escalation is off,
        // but then nobody on it is ever asked.
        ...(st.isEscalationEnabled === true
          ? { escalationApprovers: list(st.escalationApprovers).map(approverRef) }
          : {}),
      };
    }),
  };
}

/** How each rule the rule input knows is read; rules it does not know (Enablement_Admin_Eligibility) are skipped. */
const READERS: Partial<Record<GraphRuleId, (r: Fields) => unknown>> = {
  Expiration_EndUser_Assignment: (r) => ({ maximumDuration: str(r.maximumDuration) ?? "PT8H" }),
  Enablement_EndUser_Assignment: enablement,
  AuthenticationContext_EndUser_Assignment: (r) => ({
    isEnabled: r.isEnabled === true,
    claimValue: str(r.claimValue),
  }),
  Approval_EndUser_Assignment: approval,
  Expiration_Admin_Eligibility: (r) => expiration(r, "P365D"),
  Expiration_Admin_Assignment: (r) => expiration(r, "P365D"),
  Enablement_Admin_Assignment: enablement,
  Notification_Admin_Admin_Eligibility: notification,
  Notification_Requestor_Admin_Eligibility: notification,
  Notification_Approver_Admin_Eligibility: notification,
  Notification_Admin_Admin_Assignment: notification,
  Notification_Requestor_Admin_Assignment: notification,
  Notification_Approver_Admin_Assignment: notification,
  Notification_Admin_EndUser_Assignment: notification,
  Notification_Requestor_EndUser_Assignment: notification,
  Notification_Approver_EndUser_Assignment: notification,
};

/** The rules of one policy as the rule input holds them, keyed by Graph rule id; rule order does not matter. */
export function policyRulesFromGraph(rules: readonly unknown[]): PolicyRules {
  const out: Record<string, unknown> = {};
  for (const entry of rules) {
    const r = fields(entry);
    const id = r.id;
    if (typeof id !== "string") continue;
    const read = READERS[id as GraphRuleId];
    if (!read) continue;
    // A rule whose type contradicts its id is not that rule: left out, it reads as not configured.
    if (`#${String(r["@odata.type"]).replace(/^#/, "")}` !== RULE_TYPES[ruleKindOf(id)!]) continue;
    out[id] = read(r);
  }
  return out as PolicyRules;
}
