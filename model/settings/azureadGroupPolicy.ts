/**
 * azuread's spelling of a PIM-for-Groups policy (`GroupRoleManagementPolicy` arguments), converted from and to the
 * Graph rules of the one settings mapping (`graphRules.ts`). The program writes group policies through the
 * project's own `GroupPolicy` provider (all 17 rules); a stack may still hold azuread's resource, which the policy
 * pack reads back with `fromAzureadGroupPolicy` into the same rule input as `pim check`. `toAzureadGroupPolicy` is
 * its inverse, the one statement of what azuread would be sent, through which the tests drive the pack's path. Pure.
 *
 * azuread exposes a subset of the 17 rules (no second approval stage, no escalation, no eligibility enablement, no
 * `none` notification level, fixed duration steps). The program no longer sends it anything, so the loader holds
 * group settings only to Graph's own limits; what azuread cannot spell is passed through as found (the durations
 * below) or written as its nearest spelling (`None` as `Critical`).
 *
 * | Graph rule | azuread argument |
 * |---|---|
 * | Expiration_EndUser_Assignment | activationRules.maximumDuration (in azuread's steps, `azureadActivationDuration`) |
 * | Enablement_EndUser_Assignment | activationRules.requireMultifactorAuthentication, requireJustification, requireTicketInfo |
 * | AuthenticationContext_EndUser_Assignment | activationRules.requiredConditionalAccessAuthenticationContext (replaces MFA) |
 * | Approval_EndUser_Assignment | activationRules.requireApproval, approvalStage.primaryApprovers (first stage) |
 * | Expiration_Admin_Eligibility / _Assignment | eligibleAssignmentRules / activeAssignmentRules: expirationRequired, expireAfter |
 * | Enablement_Admin_Assignment | activeAssignmentRules.requireMultifactorAuthentication, requireJustification |
 * | Notification_{Admin,Requestor,Approver}_Admin_Eligibility | notificationRules.eligibleAssignments.{admin,assignee,approver}Notifications |
 * | Notification_…_Admin_Assignment | notificationRules.activeAssignments.… |
 * | Notification_…_EndUser_Assignment | notificationRules.eligibleActivations.… |
 */
import { durationMs } from "../duration";
import { fields, list, str, type Fields } from "../untypedJson";
import {
  RULE_TYPES,
  SUBJECT_TYPES,
  graphRuleTarget,
  type GraphRule,
  type GraphRuleId,
  type GraphSubjectSet,
} from "./graphRules";

export interface AzureadNotification {
  notificationLevel: string;
  defaultRecipients: boolean;
  additionalRecipients: string[];
}

export interface AzureadNotifications {
  adminNotifications: AzureadNotification;
  /** Graph's "Requestor": the assignee of an admin assignment, the activating user of an activation. */
  assigneeNotifications: AzureadNotification;
  approverNotifications: AzureadNotification;
}

export interface AzureadExpiry {
  expirationRequired: boolean;
  expireAfter?: string;
}

export interface AzureadGroupPolicy<Id = string> {
  activationRules: {
    maximumDuration: string;
    requireApproval: boolean;
    approvalStage?: { primaryApprovers: Array<{ objectId: Id; type: string }> };
    requireJustification: boolean;
    requireTicketInfo: boolean;
    requireMultifactorAuthentication?: boolean;
    requiredConditionalAccessAuthenticationContext?: string;
  };
  eligibleAssignmentRules: AzureadExpiry;
  activeAssignmentRules: AzureadExpiry & {
    requireMultifactorAuthentication: boolean;
    requireJustification: boolean;
  };
  notificationRules: {
    eligibleAssignments: AzureadNotifications;
    activeAssignments: AzureadNotifications;
    eligibleActivations: AzureadNotifications;
  };
}

type Event = "Admin_Eligibility" | "Admin_Assignment" | "EndUser_Assignment";
/** azuread's notification blocks per Graph event, and its recipient names per Graph recipient type. */
const EVENTS = {
  Admin_Eligibility: "eligibleAssignments",
  Admin_Assignment: "activeAssignments",
  EndUser_Assignment: "eligibleActivations",
} as const satisfies Record<Event, keyof AzureadGroupPolicy["notificationRules"]>;
const RECIPIENTS = {
  Admin: "adminNotifications",
  Requestor: "assigneeNotifications",
  Approver: "approverNotifications",
} as const satisfies Record<string, keyof AzureadNotifications>;
type Recipient = keyof typeof RECIPIENTS;
const NOTIFIED_EVENTS = Object.keys(EVENTS) as Event[];
const RECIPIENT_TYPES = Object.keys(RECIPIENTS) as Recipient[];

// ------------------------------------------------------------------------------------------ azuread's steps

const HALF_HOUR = 30 * 60_000;
/** The assignment expiries azuread's `expireAfter` accepts. */
export const AZUREAD_EXPIRE_AFTER = ["P15D", "P30D", "P90D", "P180D", "P365D"];

/** azuread's spelling of an activation maximum (PT30M..PT23H30M in half hours, or P1D); null when it has none. */
export function azureadActivationDuration(iso: string): string | null {
  const ms = durationMs(iso);
  if (ms < HALF_HOUR || ms > 48 * HALF_HOUR || ms % HALF_HOUR !== 0) return null;
  if (ms === 48 * HALF_HOUR) return "P1D";
  const h = Math.floor(ms / (2 * HALF_HOUR));
  return `PT${h ? `${h}H` : ""}${ms % (2 * HALF_HOUR) ? "30M" : ""}`;
}

/** azuread's spelling of an assignment expiry (one of `AZUREAD_EXPIRE_AFTER`); null when it has none. */
export function azureadExpireAfter(iso: string): string | null {
  const text = `P${durationMs(iso) / 86_400_000}D`;
  return AZUREAD_EXPIRE_AFTER.includes(text) ? text : null;
}

// ------------------------------------------------------------------------------------------ Graph → azuread

/**
 * The azuread arguments that express `rules` (all 17, as `toGraphRules` returns them). Values azuread spells in
 * fixed steps are converted when they fit and passed through when they do not; the `None` level, which azuread
 * rejects, is written as `Critical`.
 */
export function toAzureadGroupPolicy<Id>(rules: readonly GraphRule<Id>[]): AzureadGroupPolicy<Id> {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const rule = (id: GraphRuleId | `Notification_${Recipient}_${Event}`): GraphRule<Id> => {
    const r = byId.get(id);
    if (!r) throw new Error(`policy has no rule ${id}`);
    return r;
  };
  const enabled = (id: GraphRuleId) => new Set(rule(id).enabledRules ?? []);

  const activation = enabled("Enablement_EndUser_Assignment");
  const approval = rule("Approval_EndUser_Assignment").setting!;
  const context = rule("AuthenticationContext_EndUser_Assignment");
  const maximumDuration = rule("Expiration_EndUser_Assignment").maximumDuration!;
  const first = approval.approvalStages[0];

  const expiry = (id: GraphRuleId): AzureadExpiry => {
    const r = rule(id);
    if (r.isExpirationRequired === false) return { expirationRequired: false };
    return {
      expirationRequired: true,
      expireAfter: azureadExpireAfter(r.maximumDuration!) ?? r.maximumDuration!,
    };
  };
  const notify = (event: Event) => {
    const one = (recipient: Recipient): AzureadNotification => {
      const r = rule(`Notification_${recipient}_${event}`);
      return {
        notificationLevel: r.notificationLevel === "None" ? "Critical" : r.notificationLevel!,
        defaultRecipients: r.isDefaultRecipientsEnabled!,
        additionalRecipients: [...(r.notificationRecipients ?? [])],
      };
    };
    return Object.fromEntries(
      RECIPIENT_TYPES.map((recipient) => [RECIPIENTS[recipient], one(recipient)]),
    ) as unknown as AzureadNotifications;
  };
  const activeEnablement = enabled("Enablement_Admin_Assignment");

  return {
    activationRules: {
      maximumDuration: azureadActivationDuration(maximumDuration) ?? maximumDuration,
      requireApproval: approval.isApprovalRequired,
      ...(approval.isApprovalRequired && first
        ? {
            approvalStage: {
              primaryApprovers: first.primaryApprovers.map((s) => ({
                objectId: (s.userId ?? s.groupId)!,
                type: s["@odata.type"] === SUBJECT_TYPES.group ? "groupMembers" : "singleUser",
              })),
            },
          }
        : {}),
      requireJustification: activation.has("Justification"),
      requireTicketInfo: activation.has("Ticketing"),
      // Graph refuses MFA together with an authentication context (the model refuses it first).
      ...(context.isEnabled && context.claimValue
        ? { requiredConditionalAccessAuthenticationContext: context.claimValue }
        : { requireMultifactorAuthentication: activation.has("MultiFactorAuthentication") }),
    },
    eligibleAssignmentRules: expiry("Expiration_Admin_Eligibility"),
    activeAssignmentRules: {
      ...expiry("Expiration_Admin_Assignment"),
      requireMultifactorAuthentication: activeEnablement.has("MultiFactorAuthentication"),
      requireJustification: activeEnablement.has("Justification"),
    },
    notificationRules: Object.fromEntries(
      NOTIFIED_EVENTS.map((event) => [EVENTS[event], notify(event)]),
    ) as unknown as AzureadGroupPolicy<Id>["notificationRules"],
  };
}

// ------------------------------------------------------------------------------------------ azuread → Graph

// azuread arguments read back arrive as untyped resource inputs (the policy pack): each object is narrowed with
// `fields`, and a value is carried over as found (`as` below claims only the spelling, the readers judge it).

function subject(v: unknown): GraphSubjectSet {
  const a = fields(v);
  const id = a.objectId as string | undefined;
  return /group/i.test(String(a.type))
    ? { "@odata.type": SUBJECT_TYPES.group, groupId: id }
    : { "@odata.type": SUBJECT_TYPES.user, userId: id };
}

function enablement(id: GraphRuleId, flags: Array<[unknown, string]>): GraphRule {
  return {
    "@odata.type": RULE_TYPES.Enablement,
    id,
    enabledRules: flags.filter(([on]) => on === true).map(([, name]) => name),
    target: graphRuleTarget(id),
  };
}

function expiration(id: GraphRuleId, e: Fields): GraphRule {
  const after = str(e.expireAfter);
  return {
    "@odata.type": RULE_TYPES.Expiration,
    id,
    isExpirationRequired: e.expirationRequired === true,
    ...(after ? { maximumDuration: after } : {}),
    target: graphRuleTarget(id),
  };
}

/**
 * The Graph rules an azuread `GroupRoleManagementPolicy`'s arguments hold. A block the resource leaves out is left
 * as the tenant holds it, so its rules are absent here (not configured), not defaulted.
 */
export function fromAzureadGroupPolicy(args: unknown): GraphRule[] {
  const out: GraphRule[] = [];
  const p = fields(args);
  if (p.activationRules) {
    const act = fields(p.activationRules);
    const maximum = str(act.maximumDuration);
    if (maximum) {
      out.push({
        "@odata.type": RULE_TYPES.Expiration,
        id: "Expiration_EndUser_Assignment",
        isExpirationRequired: true,
        maximumDuration: maximum,
        target: graphRuleTarget("Expiration_EndUser_Assignment"),
      });
    }
    out.push(
      enablement("Enablement_EndUser_Assignment", [
        [act.requireMultifactorAuthentication, "MultiFactorAuthentication"],
        [act.requireJustification, "Justification"],
        [act.requireTicketInfo, "Ticketing"],
      ]),
    );
    const approvers: GraphSubjectSet[] = list(fields(act.approvalStage).primaryApprovers).map(subject);
    out.push({
      "@odata.type": RULE_TYPES.Approval,
      id: "Approval_EndUser_Assignment",
      setting: {
        isApprovalRequired: act.requireApproval === true,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: "SingleStage",
        approvalStages: approvers.length
          ? [
              {
                approvalStageTimeOutInDays: 1,
                isApproverJustificationRequired: true,
                escalationTimeInMinutes: 0,
                isEscalationEnabled: false,
                primaryApprovers: approvers,
                escalationApprovers: [],
              },
            ]
          : [],
      },
      target: graphRuleTarget("Approval_EndUser_Assignment"),
    });
    const context = str(act.requiredConditionalAccessAuthenticationContext);
    out.push({
      "@odata.type": RULE_TYPES.AuthenticationContext,
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: context !== null,
      claimValue: context,
      target: graphRuleTarget("AuthenticationContext_EndUser_Assignment"),
    });
  }
  if (p.eligibleAssignmentRules)
    out.push(expiration("Expiration_Admin_Eligibility", fields(p.eligibleAssignmentRules)));
  if (p.activeAssignmentRules) {
    const active = fields(p.activeAssignmentRules);
    out.push(expiration("Expiration_Admin_Assignment", active));
    out.push(
      enablement("Enablement_Admin_Assignment", [
        [active.requireMultifactorAuthentication, "MultiFactorAuthentication"],
        [active.requireJustification, "Justification"],
      ]),
    );
  }
  const notifications = fields(p.notificationRules);
  for (const event of NOTIFIED_EVENTS) {
    for (const recipient of RECIPIENT_TYPES) {
      const found = fields(notifications[EVENTS[event]])[RECIPIENTS[recipient]];
      if (!found || typeof found !== "object") continue;
      const n = fields(found);
      const id: GraphRuleId = `Notification_${recipient}_${event}`;
      out.push({
        "@odata.type": RULE_TYPES.Notification,
        id,
        notificationType: "Email",
        recipientType: recipient,
        notificationLevel: n.notificationLevel as string,
        isDefaultRecipientsEnabled: n.defaultRecipients as boolean,
        notificationRecipients: Array.isArray(n.additionalRecipients) ? n.additionalRecipients : [],
        target: graphRuleTarget(id),
      });
    }
  }
  return out;
}
