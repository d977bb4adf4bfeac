/**
 * Adapters for the @pulumi/azuread PIM resources, whether our components created them or someone wrote them by
 * hand: PIM-for-Groups policies and schedules, plain directory role assignments, and eligibility requests.
 */
import type { ApproverRef, Membership, NotificationRule, PolicyRules, RolePolicy } from "../rules/input";
import { policyKey } from "../rules/rule";
import {
  COMPONENT_TYPES,
  addDirectoryRole,
  endFrom,
  ensureGroup,
  ensurePrincipal,
  known,
  lower,
  pendingId,
  parentType,
  str,
  type Adapter,
} from "./context";

const level = (v: unknown): NotificationRule["notificationLevel"] =>
  /^all$/i.test(String(v)) ? "All" : /^critical$/i.test(String(v)) ? "Critical" : "None";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
function notification(n: any): NotificationRule | undefined {
  if (!n || typeof n !== "object") return undefined;
  return {
    notificationLevel: level(n.notificationLevel),
    isDefaultRecipientsEnabled: n.defaultRecipients === true,
    notificationRecipients: Array.isArray(n.additionalRecipients) ? n.additionalRecipients.map(String) : [],
  };
}

/** A block the resource omits is left as the tenant holds it, so its rules are absent here (not configured). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
export function groupPolicyRules(p: Record<string, any>): PolicyRules {
  const rules: PolicyRules = {};
  const act = p.activationRules;
  if (act) {
    if (str(act.maximumDuration))
      rules.Expiration_EndUser_Assignment = { maximumDuration: act.maximumDuration };
    rules.Enablement_EndUser_Assignment = {
      enabledRules: [
        ...(act.requireMultifactorAuthentication ? (["MultiFactorAuthentication"] as const) : []),
        ...(act.requireJustification ? (["Justification"] as const) : []),
        ...(act.requireTicketInfo ? (["Ticketing"] as const) : []),
      ],
    };
    const ctx = str(act.requiredConditionalAccessAuthenticationContext);
    rules.AuthenticationContext_EndUser_Assignment = { isEnabled: ctx !== null, claimValue: ctx };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
    const approvers: ApproverRef[] = (act.approvalStage?.primaryApprovers ?? []).map((a: any) => ({
      type: /group/i.test(String(a.type)) ? "group" : "user",
      id: lower(a.objectId),
    }));
    rules.Approval_EndUser_Assignment = {
      isApprovalRequired: act.requireApproval === true,
      approvalStages: approvers.length ? [{ primaryApprovers: approvers }] : [],
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
  const expiry = (r: any) =>
    r
      ? {
          isExpirationRequired: r.expirationRequired === true,
          maximumDuration: str(r.expireAfter) ?? "P365D",
        }
      : undefined;
  const el = expiry(p.eligibleAssignmentRules);
  if (el) rules.Expiration_Admin_Eligibility = el;
  const ac = expiry(p.activeAssignmentRules);
  if (ac) rules.Expiration_Admin_Assignment = ac;
  if (p.activeAssignmentRules) {
    rules.Enablement_Admin_Assignment = {
      enabledRules: [
        ...(p.activeAssignmentRules.requireMultifactorAuthentication
          ? (["MultiFactorAuthentication"] as const)
          : []),
        ...(p.activeAssignmentRules.requireJustification ? (["Justification"] as const) : []),
      ],
    };
  }
  const n = p.notificationRules ?? {};
  const set = (id: keyof PolicyRules, v: NotificationRule | undefined) => {
    if (v) (rules as Record<string, unknown>)[id] = v;
  };
  set("Notification_Admin_Admin_Eligibility", notification(n.eligibleAssignments?.adminNotifications));
  set("Notification_Approver_Admin_Eligibility", notification(n.eligibleAssignments?.approverNotifications));
  set("Notification_Requestor_Admin_Eligibility", notification(n.eligibleAssignments?.assigneeNotifications));
  set("Notification_Admin_Admin_Assignment", notification(n.activeAssignments?.adminNotifications));
  set("Notification_Approver_Admin_Assignment", notification(n.activeAssignments?.approverNotifications));
  set("Notification_Requestor_Admin_Assignment", notification(n.activeAssignments?.assigneeNotifications));
  set("Notification_Admin_EndUser_Assignment", notification(n.eligibleActivations?.adminNotifications));
  set("Notification_Approver_EndUser_Assignment", notification(n.eligibleActivations?.approverNotifications));
  set(
    "Notification_Requestor_EndUser_Assignment",
    notification(n.eligibleActivations?.assigneeNotifications),
  );
  return rules;
}

export const groupRoleManagementPolicy: Adapter = (r, input, _ctx, urns) => {
  const groupId = lower(known(() => r.props.groupId, pendingId(r)));
  if (!groupId) return;
  ensureGroup(input, groupId);
  const access = r.props.roleId === "owner" ? "owner" : "member";
  const policy: RolePolicy = {
    target: { kind: "group", groupId, access },
    label: `${r.name} (${access})`,
    rules: groupPolicyRules(r.props),
  };
  input.groupPolicies.push(policy);
  urns.set(policyKey(policy), r.urn);
};

function groupSchedule(kind: Membership["kind"]): Adapter {
  return (r, input, ctx, urns) => {
    const groupId = lower(known(() => r.props.groupId, pendingId(r)));
    const principalId = lower(known(() => r.props.principalId, `pending:${r.urn}`));
    if (!groupId || !principalId) return;
    ensureGroup(input, groupId);
    ensurePrincipal(input, principalId, ctx);
    const start = str(r.props.startDate);
    // azuread: an end date, or a duration from the start, or neither (permanent when permanentAssignment is set).
    const end = str(r.props.expirationDate) ?? endFrom(start, str(r.props.duration), input.now);
    const m: Membership = { principalId, kind, startDateTime: start, endDateTime: end };
    const g = input.groups[groupId]!;
    (r.props.assignmentType === "owner" ? g.owners : g.members).push(m);
    urns.set(`group:${groupId}`, r.urn);
  };
}

export const groupEligibilitySchedule = groupSchedule("eligible");
export const groupAssignmentSchedule = groupSchedule("active");

export const directoryRoleAssignment: Adapter = (r, input, ctx, urns) => {
  if (!str(r.props.roleId)) return;
  // Under a PimGroup the principal is that component's group, whose id may not exist yet during preview.
  const principalId = lower(known(() => r.props.principalObjectId, pendingId(r)));
  if (!principalId) return;
  // Our components use plain assignments in two places on purpose: break-glass accounts, and the roles a PIM
  // group holds (its members activate membership instead). Anything else is a direct assignment like any other.
  // The URN's parent type is only a name any program can give its own component, so it stands in for the
  // break-glass list only when policy-pack config does not name the accounts; once it does, config decides.
  const parent = parentType(r.urn);
  if (
    parent === COMPONENT_TYPES.BreakGlass &&
    ctx.breakGlass.length === 0 &&
    !input.breakGlass.some((b) => b.principalId === principalId)
  ) {
    input.breakGlass.push({ principalId });
  }
  if (parent === COMPONENT_TYPES.PimGroup) ensureGroup(input, principalId);
  ensurePrincipal(input, principalId, ctx);
  // A plain role assignment: permanent and outside PIM (no schedule, no activation).
  input.assignments.push({
    kind: "active",
    roleId: addDirectoryRole(input, r.props.roleId, ctx),
    principalId,
    scope: str(r.props.directoryScopeId) ?? "/",
    startDateTime: null,
    endDateTime: null,
    mechanism: "direct",
    label: r.name,
  });
  urns.set(`assignment:${r.name}`, r.urn);
};

export const directoryRoleEligibilityScheduleRequest: Adapter = (r, input, ctx, urns) => {
  if (!str(r.props.roleDefinitionId)) return;
  const principalId = lower(known(() => r.props.principalId, `pending:${r.urn}`));
  if (!principalId) return;
  ensurePrincipal(input, principalId, ctx);
  // azuread hard-codes "noExpiration" on this request (docs/architecture.md decision 3), so the eligibility is permanent.
  input.assignments.push({
    kind: "eligible",
    roleId: addDirectoryRole(input, r.props.roleDefinitionId, ctx),
    principalId,
    scope: str(r.props.directoryScopeId) ?? "/",
    startDateTime: null,
    endDateTime: null,
    mechanism: "pim",
    label: r.name,
  });
  urns.set(`assignment:${r.name}`, r.urn);
};
