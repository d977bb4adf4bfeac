/**
 * The one settings mapping: both directions between the model's `ResolvedSettings` and the 17 rules of a Graph
 * role management policy (graph-pim.md §1.6-§1.8), for directory roles and PIM-for-Groups policies alike. Pure: no
 * I/O, no clock, so the dynamic providers can load it at call time and drift/import can read a live tenant into
 * the model with it.
 *
 * Everything else derives from these rules: the ARM rules of Azure roles are a spelling conversion
 * (`armRules.ts`), the azuread group policy another (`azureadGroupPolicy.ts`), and the rule input of `pim check`
 * and the policy pack is read off them (`policies/rules/policyRules.ts`). Which rule carries which settings field
 * is written once, as data, in `fields.ts` (`SETTINGS_FIELDS`), and tested against this module.
 *
 * Two Graph values have no model field and are always written as Graph's documented defaults (§1.8):
 * `isRequestorJustificationRequired: true` on the approval rule and `isExpirationRequired: true` on activation.
 * Approval mode follows the stage count (one stage → SingleStage, two → Serial).
 */
import type {
  Approver,
  AssignmentExpiry,
  NotificationLevel,
  NotificationTriple,
  ResolvedApprovalStage,
  ResolvedNotification,
  ResolvedSettings,
} from "../types";
import { parseDuration } from "../duration";
import { approverKey } from "../keys";

const NS = "#microsoft.graph.";

export const RULE_TYPES = {
  Expiration: `${NS}unifiedRoleManagementPolicyExpirationRule`,
  Enablement: `${NS}unifiedRoleManagementPolicyEnablementRule`,
  Notification: `${NS}unifiedRoleManagementPolicyNotificationRule`,
  Approval: `${NS}unifiedRoleManagementPolicyApprovalRule`,
  AuthenticationContext: `${NS}unifiedRoleManagementPolicyAuthenticationContextRule`,
} as const;
export type RuleKind = keyof typeof RULE_TYPES;

/** The two subject sets PIM uses as approvers (graph-pim.md §1.7). */
export const SUBJECT_TYPES = {
  user: `${NS}singleUser`,
  group: `${NS}groupMembers`,
} as const;

/** The 17 rule ids, in the order Graph returns them for directory roles (§1.3). */
export const GRAPH_RULE_IDS = [
  "Expiration_Admin_Eligibility",
  "Enablement_Admin_Eligibility",
  "Notification_Admin_Admin_Eligibility",
  "Notification_Requestor_Admin_Eligibility",
  "Notification_Approver_Admin_Eligibility",
  "Expiration_Admin_Assignment",
  "Enablement_Admin_Assignment",
  "Notification_Admin_Admin_Assignment",
  "Notification_Requestor_Admin_Assignment",
  "Notification_Approver_Admin_Assignment",
  "Expiration_EndUser_Assignment",
  "Enablement_EndUser_Assignment",
  "Approval_EndUser_Assignment",
  "AuthenticationContext_EndUser_Assignment",
  "Notification_Admin_EndUser_Assignment",
  "Notification_Requestor_EndUser_Assignment",
  "Notification_Approver_EndUser_Assignment",
] as const;
export type GraphRuleId = (typeof GRAPH_RULE_IDS)[number];

/** The kind of rule an id names (`Notification_Admin_Admin_Eligibility` → `Notification`). */
export const ruleKindOf = (id: string): RuleKind | null => {
  const kind = id.split("_")[0];
  return kind && kind in RULE_TYPES ? (kind as RuleKind) : null;
};

export interface GraphRuleTarget {
  "@odata.type"?: string;
  caller: string;
  operations: string[];
  level: string;
  inheritableSettings: string[];
  enforcedSettings: string[];
}

/**
 * An approver as Graph writes it. `Id` is a string everywhere except in components, where an approver group's
 * object id is a Pulumi output until the group exists.
 */
export interface GraphSubjectSet<Id = string> {
  "@odata.type": string;
  userId?: Id;
  groupId?: Id;
  id?: Id;
  description?: string | null;
}

export interface GraphApprovalStage<Id = string> {
  approvalStageTimeOutInDays: number;
  isApproverJustificationRequired: boolean;
  escalationTimeInMinutes: number;
  isEscalationEnabled: boolean;
  primaryApprovers: GraphSubjectSet<Id>[];
  escalationApprovers: GraphSubjectSet<Id>[];
}

export interface GraphApprovalSettings<Id = string> {
  isApprovalRequired: boolean;
  isApprovalRequiredForExtension: boolean;
  isRequestorJustificationRequired: boolean;
  approvalMode: string;
  approvalStages: GraphApprovalStage<Id>[];
}

/** One rule as Graph reads and writes it; the members present depend on `@odata.type`. */
export interface GraphRule<Id = string> {
  "@odata.type": string;
  id: string;
  target: GraphRuleTarget;
  isExpirationRequired?: boolean;
  maximumDuration?: string;
  enabledRules?: string[];
  notificationType?: string;
  recipientType?: string;
  notificationLevel?: string;
  isDefaultRecipientsEnabled?: boolean;
  notificationRecipients?: string[];
  setting?: GraphApprovalSettings<Id>;
  isEnabled?: boolean;
  claimValue?: string | null;
}

/** The complete target Graph expects with a rule (graph-pim.md §1.9: an incomplete one corrupts the policy). */
export function graphRuleTarget(id: GraphRuleId): GraphRuleTarget {
  return {
    "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
    caller: id.includes("_EndUser_") ? "EndUser" : "Admin",
    operations: ["All"],
    level: id.endsWith("_Eligibility") ? "Eligibility" : "Assignment",
    inheritableSettings: [],
    enforcedSettings: [],
  };
}

export const LEVEL_TO_GRAPH: Record<NotificationLevel, "All" | "Critical" | "None"> = {
  all: "All",
  critical: "Critical",
  none: "None",
};

function expiration(id: GraphRuleId, required: boolean, maximumDuration: string): GraphRule<never> {
  return {
    "@odata.type": RULE_TYPES.Expiration,
    id,
    isExpirationRequired: required,
    maximumDuration,
    target: graphRuleTarget(id),
  };
}

function enablement(id: GraphRuleId, mfa: boolean, justification: boolean, ticket = false): GraphRule<never> {
  const enabledRules = [
    ...(mfa ? ["MultiFactorAuthentication"] : []),
    ...(justification ? ["Justification"] : []),
    ...(ticket ? ["Ticketing"] : []),
  ];
  return { "@odata.type": RULE_TYPES.Enablement, id, enabledRules, target: graphRuleTarget(id) };
}

function notification(id: GraphRuleId, n: ResolvedNotification): GraphRule<never> {
  return {
    "@odata.type": RULE_TYPES.Notification,
    id,
    notificationType: "Email",
    recipientType: id.split("_")[1]!,
    notificationLevel: LEVEL_TO_GRAPH[n.level],
    isDefaultRecipientsEnabled: n.defaultRecipients,
    notificationRecipients: [...n.additionalRecipients],
    target: graphRuleTarget(id),
  };
}

/**
 * Where an approver's object id comes from: a map keyed by `approverKey(approver)` (what the components and the
 * DirectoryRoleSettings inputs carry), or a function (the rule input names approvers by their declared reference).
 */
export type ApproverIds<Id> = Readonly<Record<string, Id>> | ((a: Approver) => Id | undefined);

export interface GraphRulesOptions {
  /**
   * Write each approver's declared reference as the subject set's `description`. Graph fills the description in
   * itself, so requests to Graph leave it out; ARM shows it, so the Azure-role policies carry it.
   */
  describeApprovers?: boolean;
}

function subjectSets<Id>(
  approvers: Approver[],
  idOf: (a: Approver) => Id | undefined,
  opts: GraphRulesOptions,
  where: string,
): GraphSubjectSet<Id>[] {
  return approvers.map((a) => {
    const id = idOf(a);
    if (id === undefined || id === null || id === "") {
      throw new Error(
        `${where}: no object id for ${a.type} approver "${a.ref}" (expected approverIds["${approverKey(a)}"])`,
      );
    }
    const set: GraphSubjectSet<Id> =
      a.type === "user"
        ? { "@odata.type": SUBJECT_TYPES.user, userId: id }
        : { "@odata.type": SUBJECT_TYPES.group, groupId: id };
    return opts.describeApprovers ? { ...set, description: a.ref } : set;
  });
}

function approvalStage<Id>(
  st: ResolvedApprovalStage,
  i: number,
  idOf: (a: Approver) => Id | undefined,
  opts: GraphRulesOptions,
): GraphApprovalStage<Id> {
  return {
    approvalStageTimeOutInDays: st.timeoutDays,
    isApproverJustificationRequired: st.approverJustification,
    escalationTimeInMinutes: st.escalation ? st.escalation.afterMinutes : 0,
    isEscalationEnabled: st.escalation !== null,
    primaryApprovers: subjectSets(st.approvers, idOf, opts, `approval stage ${i + 1}`),
    escalationApprovers: st.escalation
      ? subjectSets(st.escalation.approvers, idOf, opts, `approval stage ${i + 1} escalation`)
      : [],
  };
}

/**
 * The 17 complete rule objects (with `@odata.type`, `id` and a complete `target`) that express `settings`, in
 * Graph's order. An approver whose object id `approverIds` does not give throws, naming the approver and the key.
 */
export function toGraphRules<Id = string>(
  settings: ResolvedSettings,
  approverIds: ApproverIds<Id>,
  opts: GraphRulesOptions = {},
): GraphRule<Id>[] {
  const idOf = typeof approverIds === "function" ? approverIds : (a: Approver) => approverIds[approverKey(a)];
  const s = settings;
  const n = s.notifications;
  const byId: Record<GraphRuleId, GraphRule<Id>> = {
    Expiration_Admin_Eligibility: expiration(
      "Expiration_Admin_Eligibility",
      !s.eligibleAssignment.allowPermanent,
      s.eligibleAssignment.maximumDuration,
    ),
    Enablement_Admin_Eligibility: enablement(
      "Enablement_Admin_Eligibility",
      s.eligibleAssignment.requireMfa,
      s.eligibleAssignment.requireJustification,
    ),
    Notification_Admin_Admin_Eligibility: notification(
      "Notification_Admin_Admin_Eligibility",
      n.eligibleAssignment.admin,
    ),
    Notification_Requestor_Admin_Eligibility: notification(
      "Notification_Requestor_Admin_Eligibility",
      n.eligibleAssignment.requestor,
    ),
    Notification_Approver_Admin_Eligibility: notification(
      "Notification_Approver_Admin_Eligibility",
      n.eligibleAssignment.approver,
    ),
    Expiration_Admin_Assignment: expiration(
      "Expiration_Admin_Assignment",
      !s.activeAssignment.allowPermanent,
      s.activeAssignment.maximumDuration,
    ),
    Enablement_Admin_Assignment: enablement(
      "Enablement_Admin_Assignment",
      s.activeAssignment.requireMfa,
      s.activeAssignment.requireJustification,
    ),
    Notification_Admin_Admin_Assignment: notification(
      "Notification_Admin_Admin_Assignment",
      n.activeAssignment.admin,
    ),
    Notification_Requestor_Admin_Assignment: notification(
      "Notification_Requestor_Admin_Assignment",
      n.activeAssignment.requestor,
    ),
    Notification_Approver_Admin_Assignment: notification(
      "Notification_Approver_Admin_Assignment",
      n.activeAssignment.approver,
    ),
    Expiration_EndUser_Assignment: expiration(
      "Expiration_EndUser_Assignment",
      true,
      s.activation.maximumDuration,
    ),
    Enablement_EndUser_Assignment: enablement(
      "Enablement_EndUser_Assignment",
      s.activation.requireMfa,
      s.activation.requireJustification,
      s.activation.requireTicket,
    ),
    Approval_EndUser_Assignment: {
      "@odata.type": RULE_TYPES.Approval,
      id: "Approval_EndUser_Assignment",
      setting: {
        isApprovalRequired: s.activation.approval.required,
        isApprovalRequiredForExtension: s.activation.approval.requiredForExtension,
        isRequestorJustificationRequired: true,
        approvalMode: s.activation.approval.stages.length > 1 ? "Serial" : "SingleStage",
        approvalStages: s.activation.approval.stages.map((st, i) => approvalStage(st, i, idOf, opts)),
      },
      target: graphRuleTarget("Approval_EndUser_Assignment"),
    },
    AuthenticationContext_EndUser_Assignment: {
      "@odata.type": RULE_TYPES.AuthenticationContext,
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: s.activation.authenticationContext !== null,
      claimValue: s.activation.authenticationContext,
      target: graphRuleTarget("AuthenticationContext_EndUser_Assignment"),
    },
    Notification_Admin_EndUser_Assignment: notification(
      "Notification_Admin_EndUser_Assignment",
      n.activation.admin,
    ),
    Notification_Requestor_EndUser_Assignment: notification(
      "Notification_Requestor_EndUser_Assignment",
      n.activation.requestor,
    ),
    Notification_Approver_EndUser_Assignment: notification(
      "Notification_Approver_EndUser_Assignment",
      n.activation.approver,
    ),
  };
  return GRAPH_RULE_IDS.map((id) => byId[id]);
}

// ------------------------------------------------------------------------------------------ Graph → model

function need(rules: Map<string, GraphRule>, id: GraphRuleId): GraphRule {
  const r = rules.get(id);
  if (!r) throw new Error(`policy has no rule ${id}`);
  return r;
}

function assignmentExpiry(exp: GraphRule, en: GraphRule): AssignmentExpiry {
  const enabled = en.enabledRules ?? [];
  return {
    allowPermanent: exp.isExpirationRequired === false,
    maximumDuration: exp.maximumDuration ?? "",
    requireMfa: enabled.includes("MultiFactorAuthentication"),
    requireJustification: enabled.includes("Justification"),
  };
}

const LEVEL_FROM_GRAPH: Record<string, NotificationLevel> = {
  all: "all",
  critical: "critical",
  none: "none",
};

function readNotification(r: GraphRule): ResolvedNotification {
  const level = LEVEL_FROM_GRAPH[(r.notificationLevel ?? "All").toLowerCase()];
  if (!level) throw new Error(`${r.id}: unknown notificationLevel "${r.notificationLevel}"`);
  return {
    level,
    defaultRecipients: r.isDefaultRecipientsEnabled !== false,
    additionalRecipients: [...(r.notificationRecipients ?? [])],
  };
}

function readTriple(
  rules: Map<string, GraphRule>,
  suffix: "Admin_Eligibility" | "Admin_Assignment" | "EndUser_Assignment",
): NotificationTriple {
  return {
    admin: readNotification(need(rules, `Notification_Admin_${suffix}` as GraphRuleId)),
    requestor: readNotification(need(rules, `Notification_Requestor_${suffix}` as GraphRuleId)),
    approver: readNotification(need(rules, `Notification_Approver_${suffix}` as GraphRuleId)),
  };
}

function readApprovers(sets: GraphSubjectSet[] | undefined, names: Record<string, string>): Approver[] {
  return (sets ?? []).map((s): Approver => {
    const type = s["@odata.type"].replace(/^#?microsoft\.graph\./, "");
    if (type === "singleUser") {
      const id = s.userId ?? s.id ?? "";
      return { type: "user", ref: names[id] ?? names[id.toLowerCase()] ?? id };
    }
    if (type === "groupMembers") {
      const id = s.groupId ?? s.id ?? "";
      return { type: "group", ref: names[id] ?? names[id.toLowerCase()] ?? id };
    }
    throw new Error(
      `approvers of type ${type} are not supported by the model (only singleUser and groupMembers)`,
    );
  });
}

/**
 * Reads a live policy's rules into the model. Approvers come back as object ids, or as the names given in
 * `approverNames` (object id → UPN or group name). Rule order does not matter; a missing rule throws, naming it.
 */
export function fromGraphRules(
  rules: readonly GraphRule[],
  approverNames: Record<string, string> = {},
): ResolvedSettings {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const approval = need(byId, "Approval_EndUser_Assignment").setting;
  if (!approval) throw new Error("Approval_EndUser_Assignment has no setting");
  const activationEnablement = need(byId, "Enablement_EndUser_Assignment").enabledRules ?? [];
  const authContext = need(byId, "AuthenticationContext_EndUser_Assignment");
  const stages = approval.approvalStages.map((st): ResolvedApprovalStage => ({
    approvers: readApprovers(st.primaryApprovers, approverNames),
    timeoutDays: st.approvalStageTimeOutInDays,
    approverJustification: st.isApproverJustificationRequired,
    escalation: st.isEscalationEnabled
      ? {
          afterMinutes: st.escalationTimeInMinutes,
          approvers: readApprovers(st.escalationApprovers, approverNames),
        }
      : null,
  }));
  return {
    activation: {
      maximumDuration: need(byId, "Expiration_EndUser_Assignment").maximumDuration ?? "",
      requireMfa: activationEnablement.includes("MultiFactorAuthentication"),
      // Graph's doc examples write "" for "no context"; the model says null.
      authenticationContext: authContext.isEnabled && authContext.claimValue ? authContext.claimValue : null,
      requireJustification: activationEnablement.includes("Justification"),
      requireTicket: activationEnablement.includes("Ticketing"),
      approval: {
        required: approval.isApprovalRequired,
        requiredForExtension: approval.isApprovalRequiredForExtension,
        stages,
      },
    },
    eligibleAssignment: assignmentExpiry(
      need(byId, "Expiration_Admin_Eligibility"),
      need(byId, "Enablement_Admin_Eligibility"),
    ),
    activeAssignment: assignmentExpiry(
      need(byId, "Expiration_Admin_Assignment"),
      need(byId, "Enablement_Admin_Assignment"),
    ),
    notifications: {
      eligibleAssignment: readTriple(byId, "Admin_Eligibility"),
      activeAssignment: readTriple(byId, "Admin_Assignment"),
      activation: readTriple(byId, "EndUser_Assignment"),
    },
  };
}

// ------------------------------------------------------------------------------------------ comparison

/** Milliseconds of a duration (`P180D`, `PT8H`), or null when it is not one Graph would write. */
function durationMs(text: string | undefined): number | null {
  const r = text ? parseDuration(text) : null;
  return r?.ok ? r.ms : null;
}

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].map((x) => x.toLowerCase()).sort();

function subjectKey(s: GraphSubjectSet): string {
  const type = s["@odata.type"].replace(/^#?microsoft\.graph\./, "");
  return `${type}:${(s.userId ?? s.groupId ?? s.id ?? "").toLowerCase()}`;
}

/**
 * The values of a rule that matter, in a canonical form: the read shape and the write shape of the same rule give
 * the same result (operations case, `"" `vs `null` claim, approver `id` vs `userId` and its display-name
 * description, `P1D` vs `PT24H`, list order of enabled rules and recipients).
 */
export function canonicalRule(r: GraphRule): unknown {
  const kind = r["@odata.type"]
    .replace(/^#?microsoft\.graph\.unifiedRoleManagementPolicy/, "")
    .replace(/Rule$/, "");
  const t = r.target;
  const base = {
    id: r.id,
    kind,
    target: t
      ? {
          caller: t.caller?.toLowerCase(),
          level: t.level?.toLowerCase(),
          operations: sorted(t.operations),
          inheritableSettings: sorted(t.inheritableSettings),
          enforcedSettings: sorted(t.enforcedSettings),
        }
      : null,
  };
  switch (kind) {
    case "Expiration":
      return {
        ...base,
        isExpirationRequired: r.isExpirationRequired,
        maximumDuration: durationMs(r.maximumDuration) ?? r.maximumDuration,
      };
    case "Enablement":
      return { ...base, enabledRules: sorted(r.enabledRules) };
    case "Notification":
      return {
        ...base,
        notificationType: r.notificationType,
        recipientType: r.recipientType,
        notificationLevel: r.notificationLevel?.toLowerCase(),
        isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled,
        notificationRecipients: sorted(r.notificationRecipients),
      };
    case "AuthenticationContext":
      return {
        ...base,
        isEnabled: r.isEnabled === true,
        claimValue: r.isEnabled ? r.claimValue || null : null,
      };
    case "Approval": {
      const s = r.setting;
      return {
        ...base,
        setting: s
          ? {
              isApprovalRequired: s.isApprovalRequired,
              isApprovalRequiredForExtension: s.isApprovalRequiredForExtension,
              isRequestorJustificationRequired: s.isRequestorJustificationRequired,
              approvalMode: s.approvalMode,
              approvalStages: s.approvalStages.map((st) => ({
                approvalStageTimeOutInDays: st.approvalStageTimeOutInDays,
                isApproverJustificationRequired: st.isApproverJustificationRequired,
                isEscalationEnabled: st.isEscalationEnabled,
                escalationTimeInMinutes: st.isEscalationEnabled ? st.escalationTimeInMinutes : 0,
                primaryApprovers: st.primaryApprovers.map(subjectKey).sort(),
                escalationApprovers: st.isEscalationEnabled
                  ? st.escalationApprovers.map(subjectKey).sort()
                  : [],
              })),
            }
          : null,
      };
    }
    default:
      return { ...base, raw: r };
  }
}

/** True when two rules (either shape) hold the same values. */
export function sameRule(a: GraphRule, b: GraphRule): boolean {
  return JSON.stringify(canonicalRule(a)) === JSON.stringify(canonicalRule(b));
}

/** The rules of `desired` that `current` does not hold (missing from `current`, or with other values). */
export function changedRules(desired: readonly GraphRule[], current: readonly GraphRule[]): GraphRule[] {
  const cur = new Map(current.map((r) => [r.id, r]));
  return desired.filter((d) => {
    const c = cur.get(d.id);
    return !c || !sameRule(d, c);
  });
}

/**
 * A short, human description of how `live` differs from `desired` for one rule, for "the tenant did not take it"
 * errors: `maximumDuration: asked PT1H, tenant holds PT8H`.
 */
export function describeRuleDifference(desired: GraphRule, live: GraphRule | undefined): string {
  if (!live) return "the tenant has no such rule";
  const a = canonicalRule(desired) as Record<string, unknown>;
  const b = canonicalRule(live) as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(a)) {
    if (JSON.stringify(a[k]) === JSON.stringify(b[k])) continue;
    // Durations are compared in milliseconds but shown as written.
    const show = (x: GraphRule, canon: unknown) =>
      JSON.stringify(k === "maximumDuration" ? x.maximumDuration : canon);
    parts.push(`${k}: asked ${show(desired, a[k])}, tenant holds ${show(live, b[k])}`);
  }
  return parts.join("; ") || "values differ";
}
