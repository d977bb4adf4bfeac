/**
 * Maps resolved settings onto azuread's `GroupRoleManagementPolicy` (PIM for Groups, one policy per group and
 * access: member or owner). Pure, so it is tested without mocks.
 *
 * azuread exposes a subset of Graph's 17 rules. What it cannot express is either refused (when dropping it would
 * weaken security: a second approval stage, escalation approvers, the `none` notification level azuread rejects)
 * or reported as a warning (settings that stay at Graph's group defaults).
 */
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import {
  durationMs,
  graphDefaults,
  type NotificationLevel,
  type NotificationTriple,
  type ResolvedSettings,
} from "../model";
import { approverKey } from "./principals";

type PolicyArgs = Omit<azuread.GroupRoleManagementPolicyArgs, "groupId" | "roleId">;

export interface GroupPolicyMapping {
  args: PolicyArgs;
  /** Declared settings azuread cannot apply; they stay at Graph's defaults for groups. */
  warnings: string[];
  /** Declared settings that cannot be applied without weakening them; the component refuses. */
  errors: Array<{ path: string; reason: string }>;
}

const HALF_HOUR = 30 * 60_000;
const EXPIRE_AFTER = ["P15D", "P30D", "P90D", "P180D", "P365D"];

/** azuread accepts PT30M..PT23H30M in half hours, or P1D. */
export function groupActivationDuration(iso: string): string | null {
  const ms = durationMs(iso);
  if (ms < HALF_HOUR || ms > 48 * HALF_HOUR || ms % HALF_HOUR !== 0) return null;
  if (ms === 48 * HALF_HOUR) return "P1D";
  const h = Math.floor(ms / (2 * HALF_HOUR));
  return `PT${h ? `${h}H` : ""}${ms % (2 * HALF_HOUR) ? "30M" : ""}`;
}

/** azuread accepts P15D, P30D, P90D, P180D or P365D for assignment expiry. */
export function groupExpireAfter(iso: string): string | null {
  const days = durationMs(iso) / 86_400_000;
  const text = `P${days}D`;
  return EXPIRE_AFTER.includes(text) ? text : null;
}

const LEVEL: Record<NotificationLevel, string | null> = { all: "All", critical: "Critical", none: null };

export function groupPolicyArgs(
  s: ResolvedSettings,
  approverIds: Record<string, pulumi.Input<string>>,
  label: string,
): GroupPolicyMapping {
  const warnings: string[] = [];
  const errors: GroupPolicyMapping["errors"] = [];
  const a = s.activation;

  const maximumDuration = groupActivationDuration(a.maximumDuration);
  if (!maximumDuration) {
    errors.push({
      path: "activation.maximumDuration",
      reason: `${a.maximumDuration} for ${label} is not accepted by PIM for Groups. Use half hours from PT30M to PT23H30M, or P1D.`,
    });
  }

  const stages = a.approval.stages;
  if (a.approval.required && stages.length > 1) {
    errors.push({
      path: "activation.approval.stages",
      reason: `${label} declares ${stages.length} approval stages; azuread applies one to a group. Declare a single stage.`,
    });
  }
  if (a.approval.required && stages.some((st) => st.escalation)) {
    errors.push({
      path: "activation.approval.stages[0].escalation",
      reason: `${label}: escalation approvers cannot be set on a group policy through azuread. Remove escalation.`,
    });
  }
  const first = stages[0];
  const primaryApprovers = (first?.approvers ?? []).map((ap) => ({
    objectId: approverIds[approverKey(ap)]!,
    type: ap.type === "user" ? "singleUser" : "groupMembers",
  }));
  if (a.approval.required && primaryApprovers.some((p) => p.objectId === undefined)) {
    errors.push({ path: "approverIds", reason: `an approver of ${label} was not resolved to an object id.` });
  }

  // Graph's group defaults for what azuread does not expose: a difference is reported, not silently dropped.
  const d = graphDefaults("group");
  const unsupported: Array<[boolean, string]> = [
    [s.eligibleAssignment.requireMfa !== d.eligibleAssignment.requireMfa, "eligibleAssignment.requireMfa"],
    [
      s.eligibleAssignment.requireJustification !== d.eligibleAssignment.requireJustification,
      "eligibleAssignment.requireJustification",
    ],
    [
      a.approval.requiredForExtension !== d.activation.approval.requiredForExtension,
      "activation.approval.requiredForExtension",
    ],
    [!!first && first.timeoutDays !== 1, "activation.approval.stages[0].timeoutDays"],
    [!!first && !first.approverJustification, "activation.approval.stages[0].approverJustification"],
  ];
  for (const [differs, path] of unsupported) {
    if (differs)
      warnings.push(
        `${label}: \`${path}\` cannot be applied to a PIM-for-Groups policy through azuread; it stays at Graph's default.`,
      );
  }

  const notify = (t: NotificationTriple, path: string) => {
    const one = (n: NotificationTriple["admin"], who: string) => {
      const level = LEVEL[n.level];
      if (!level) {
        errors.push({
          path: `notifications.${path}.${who}.level`,
          reason: `"none" cannot be set on a PIM-for-Groups policy through azuread (it accepts all or critical). Use level: critical with defaultRecipients: false.`,
        });
      }
      return {
        notificationLevel: level ?? "Critical",
        defaultRecipients: n.defaultRecipients,
        additionalRecipients: n.additionalRecipients,
      };
    };
    return {
      adminNotifications: one(t.admin, "admin"),
      // Graph's "Requestor" recipient is the assignee for admin assignments and the activating user.
      assigneeNotifications: one(t.requestor, "requestor"),
      approverNotifications: one(t.approver, "approver"),
    };
  };

  const expiry = (e: ResolvedSettings["eligibleAssignment"], path: string) => {
    if (e.allowPermanent) return { expirationRequired: false };
    const expireAfter = groupExpireAfter(e.maximumDuration);
    if (!expireAfter) {
      errors.push({
        path: `${path}.maximumDuration`,
        reason: `${e.maximumDuration} for ${label} is not accepted by PIM for Groups. Use ${EXPIRE_AFTER.join(", ")}.`,
      });
    }
    return { expirationRequired: true, expireAfter: expireAfter ?? e.maximumDuration };
  };

  const args: PolicyArgs = {
    activationRules: {
      maximumDuration: maximumDuration ?? a.maximumDuration,
      requireApproval: a.approval.required,
      ...(a.approval.required ? { approvalStage: { primaryApprovers } } : {}),
      requireJustification: a.requireJustification,
      requireTicketInfo: a.requireTicket,
      // Graph refuses MFA together with an authentication context (the model refuses it first).
      ...(a.authenticationContext
        ? { requiredConditionalAccessAuthenticationContext: a.authenticationContext }
        : { requireMultifactorAuthentication: a.requireMfa }),
    },
    eligibleAssignmentRules: expiry(s.eligibleAssignment, "eligibleAssignment"),
    activeAssignmentRules: {
      ...expiry(s.activeAssignment, "activeAssignment"),
      requireMultifactorAuthentication: s.activeAssignment.requireMfa,
      requireJustification: s.activeAssignment.requireJustification,
    },
    notificationRules: {
      eligibleAssignments: notify(s.notifications.eligibleAssignment, "eligibleAssignment"),
      activeAssignments: notify(s.notifications.activeAssignment, "activeAssignment"),
      eligibleActivations: notify(s.notifications.activation, "activation"),
    },
  };
  return { args, warnings, errors };
}
