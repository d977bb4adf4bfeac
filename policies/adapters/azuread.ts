/**
 * Adapters for the @pulumi/azuread resources the rules read, whether our components created them or someone wrote
 * them by hand: PIM-for-Groups policies and schedules, plain directory role assignments, eligibility requests, and
 * (for the stack policies) groups, their members and Conditional Access policies.
 */
import { fromAzureadGroupPolicy } from "../../model/settings/azureadGroupPolicy";
import type { Membership, PolicyRules, RolePolicy } from "../rules/input";
import { policyRulesFromGraph } from "../rules/policyRules";
import { policyKey } from "../rules/rule";
import type { ConditionalAccessPolicyFact } from "../rules/input";
import {
  COMPONENT_TYPES,
  UNKNOWN,
  endFrom,
  ensureGroup,
  ensurePrincipal,
  idFrom,
  idOr,
  instant,
  lower,
  noteBreakGlass,
  pendingId,
  parentType,
  roleFrom,
  str,
  strings,
  type Adapter,
} from "./context";

/**
 * azuread's group policy arguments are Graph's rules in azuread's spelling: converted back, they are read like any
 * other policy. A block the resource omits is left as the tenant holds it, so its rules are absent (not configured).
 */
export function groupPolicyRules(p: unknown): PolicyRules {
  return policyRulesFromGraph(fromAzureadGroupPolicy(p));
}

export const groupRoleManagementPolicy: Adapter = (r, input, _ctx, urns, unreadable) => {
  const groupId = idFrom(r.props.groupId, "groupId", pendingId(r), unreadable);
  if (!groupId) return;
  ensureGroup(input, groupId, true);
  // Only an explicit "owner" is the owner policy; the member policy, which governs activation, is the stricter read.
  const access = r.props.roleId === "owner" ? "owner" : "member";
  let rules: PolicyRules = {};
  try {
    rules = groupPolicyRules(r.props);
  } catch {
    rules = {};
  }
  const policy: RolePolicy = {
    target: { kind: "group", groupId, access },
    label: `${r.name} (${access})`,
    rules,
  };
  input.groupPolicies.push(policy);
  urns.set(policyKey(policy), r.urn);
};

function groupSchedule(kind: Membership["kind"]): Adapter {
  return (r, input, ctx, urns, unreadable) => {
    const groupId = idFrom(r.props.groupId, "groupId", pendingId(r), unreadable);
    const principalId = idFrom(r.props.principalId, "principalId", `pending:${r.urn}`, unreadable);
    if (!groupId || !principalId) return;
    ensureGroup(input, groupId, true);
    ensurePrincipal(input, principalId, ctx);
    const start = instant(r.props.startDate);
    // azuread: an end date, or a duration from the start, or neither (permanent when permanentAssignment is set).
    const end = instant(r.props.expirationDate) ?? endFrom(start, str(r.props.duration), input.now);
    const m: Membership = { principalId, kind, startDateTime: start, endDateTime: end };
    const g = input.groups[groupId]!;
    (r.props.assignmentType === "owner" ? g.owners : g.members).push(m);
    urns.set(`group:${groupId}`, r.urn);
  };
}

export const groupEligibilitySchedule = groupSchedule("eligible");
export const groupAssignmentSchedule = groupSchedule("active");

export const directoryRoleAssignment: Adapter = (r, input, ctx, urns, unreadable) => {
  const roleId = roleFrom(r, r.props.roleId, "roleId", input, ctx, unreadable);
  // Under a PimGroup the principal is that component's group, whose id may not exist yet during preview.
  const principalId = idFrom(r.props.principalObjectId, "principalObjectId", pendingId(r), unreadable);
  if (!roleId || !principalId) return;
  // Our components use plain assignments in two places on purpose: break-glass accounts, and the roles a PIM
  // group holds (its members activate membership instead). Anything else is a direct assignment like any other.
  noteBreakGlass(r, input, ctx, principalId);
  if (parentType(r.urn) === COMPONENT_TYPES.PimGroup) ensureGroup(input, principalId, true);
  ensurePrincipal(input, principalId, ctx);
  // A plain role assignment: permanent and outside PIM (no schedule, so no start date, no activation).
  input.assignments.push({
    kind: "active",
    roleId,
    principalId,
    scope: str(r.props.directoryScopeId) ?? "/",
    startDateTime: null,
    endDateTime: null,
    label: r.name,
  });
  urns.set(`assignment:${r.name}`, r.urn);
};

export const directoryRoleEligibilityScheduleRequest: Adapter = (r, input, ctx, urns, unreadable) => {
  const roleId = roleFrom(r, r.props.roleDefinitionId, "roleDefinitionId", input, ctx, unreadable);
  const principalId = idFrom(r.props.principalId, "principalId", `pending:${r.urn}`, unreadable);
  if (!roleId || !principalId) return;
  ensurePrincipal(input, principalId, ctx);
  // azuread hard-codes "noExpiration" on this request (docs/architecture.md decision 3), so the eligibility is
  // permanent; as a PIM request it starts when it is made.
  input.assignments.push({
    kind: "eligible",
    roleId,
    principalId,
    scope: str(r.props.directoryScopeId) ?? "/",
    startDateTime: input.now,
    endDateTime: null,
    label: r.name,
  });
  urns.set(`assignment:${r.name}`, r.urn);
};

/**
 * A group the stack creates: its name (approvers name groups by display name until the id is known) and whether
 * it is role-assignable. Its object id is an output, known to stack policies after `up` and unknown in preview,
 * when the children of our group components share a stand-in id with the group.
 */
export const group: Adapter = (r, input, _ctx, _urns) => {
  const groupId = idOr(r.props.objectId ?? UNKNOWN, pendingId(r));
  const pim = parentType(r.urn) === COMPONENT_TYPES.PimGroup;
  ensureGroup(input, groupId, pim);
  const g = input.groups[groupId]!;
  const name = str(r.props.displayName);
  if (name) {
    g.displayName = name;
    input.principals[groupId]!.displayName = name;
  }
  if (typeof r.props.assignableToRole === "boolean") g.isAssignableToRole = r.props.assignableToRole;
};

/** A member of a group (approver groups): an active member for as long as the resource exists. */
export const groupMember: Adapter = (r, input, ctx, urns, unreadable) => {
  const groupId = idFrom(r.props.groupObjectId, "groupObjectId", pendingId(r), unreadable);
  const memberId = idFrom(r.props.memberObjectId, "memberObjectId", `pending:${r.urn}`, unreadable);
  if (!groupId || !memberId) return;
  ensureGroup(input, groupId, false);
  ensurePrincipal(input, memberId, ctx);
  input.groups[groupId]!.members.push({
    principalId: memberId,
    kind: "active",
    startDateTime: null,
    endDateTime: null,
  });
  urns.set(`group:${groupId}`, r.urn);
};

const CA_STATES = new Set<string>(["enabled", "disabled", "enabledForReportingButNotEnforced"]);

/**
 * A Conditional Access policy of the stack, for PIM-023. azuread's resource cannot name an authentication context
 * (its applications block has no such field), so which context it backs comes from the pack config's
 * `authenticationContexts`, by the policy's display name or object id.
 */
export const conditionalAccessPolicy: Adapter = (r, input) => {
  const p = r.props;
  const users = p.conditions?.users ?? {};
  const grant = p.grantControls ?? {};
  const state = str(p.state) ?? "";
  const fact: ConditionalAccessPolicyFact = {
    id: lower(str(p.objectId) ?? r.name),
    displayName: str(p.displayName) ?? r.name,
    // An unreadable state enforces nothing: the stricter reading.
    state: (CA_STATES.has(state) ? state : "disabled") as ConditionalAccessPolicyFact["state"],
    authenticationContexts: [],
    includeUsers: strings(users.includedUsers),
    excludeUsers: strings(users.excludedUsers).map(lower),
    excludeGroups: strings(users.excludedGroups).map(lower),
    includeRoles: strings(users.includedRoles),
    requiresMfa: strings(grant.builtInControls).some((c) => c.toLowerCase() === "mfa"),
    authenticationStrength:
      str(grant.authenticationStrengthPolicyId)?.split("/").pop()?.toLowerCase() ?? null,
  };
  input.facts.conditionalAccess.policies.push(fact);
};
