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
  graphDefaults,
  type NotificationLevel,
  type NotificationTriple,
  type ResolvedSettings,
} from "../model";
import {
  groupActivationDuration,
  groupExpireAfter,
  groupSettingsProblems,
} from "../model/settings/groupLimits";
import { approverKey } from "./principals";

type PolicyArgs = Omit<azuread.GroupRoleManagementPolicyArgs, "groupId" | "roleId">;

export interface GroupPolicyMapping {
  args: PolicyArgs;
  /** Declared settings azuread cannot apply; they stay at Graph's defaults for groups. */
  warnings: string[];
  /** Declared settings that cannot be applied without weakening them; the component refuses. */
  errors: Array<{ path: string; reason: string }>;
}

export { groupActivationDuration, groupExpireAfter };

const LEVEL: Record<NotificationLevel, string | null> = { all: "All", critical: "Critical", none: null };

export function groupPolicyArgs(
  s: ResolvedSettings,
  approverIds: Record<string, pulumi.Input<string>>,
  label: string,
): GroupPolicyMapping {
  const warnings: string[] = [];
  const errors: GroupPolicyMapping["errors"] = [];
  const a = s.activation;

  // What a group policy cannot hold is refused; the loader reports the same problems offline (pim check).
  errors.push(...groupSettingsProblems(s, label).map(({ path, reason }) => ({ path, reason })));
  const maximumDuration = groupActivationDuration(a.maximumDuration);
  const stages = a.approval.stages;
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

  const notify = (t: NotificationTriple) => {
    const one = (n: NotificationTriple["admin"]) => ({
      // "none" is refused by groupSettingsProblems.
      notificationLevel: LEVEL[n.level] ?? "Critical",
      defaultRecipients: n.defaultRecipients,
      additionalRecipients: n.additionalRecipients,
    });
    return {
      adminNotifications: one(t.admin),
      // Graph's "Requestor" recipient is the assignee for admin assignments and the activating user.
      assigneeNotifications: one(t.requestor),
      approverNotifications: one(t.approver),
    };
  };

  const expiry = (e: ResolvedSettings["eligibleAssignment"]) => {
    if (e.allowPermanent) return { expirationRequired: false };
    return {
      expirationRequired: true,
      expireAfter: groupExpireAfter(e.maximumDuration) ?? e.maximumDuration,
    };
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
    eligibleAssignmentRules: expiry(s.eligibleAssignment),
    activeAssignmentRules: {
      ...expiry(s.activeAssignment),
      requireMultifactorAuthentication: s.activeAssignment.requireMfa,
      requireJustification: s.activeAssignment.requireJustification,
    },
    notificationRules: {
      eligibleAssignments: notify(s.notifications.eligibleAssignment),
      activeAssignments: notify(s.notifications.activeAssignment),
      eligibleActivations: notify(s.notifications.activation),
    },
  };
  return { args, warnings, errors };
}
