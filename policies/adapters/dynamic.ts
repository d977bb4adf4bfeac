/**
 * Adapters for the project's dynamic resources (providers/types.ts): settings and schedules of directory roles and of
 * PIM-for-Groups groups. Settings go through the one settings mapping (`settingsToRules`), for both families.
 */
import { approverKey } from "../../model/keys";
import type { Approver, ResolvedSettings } from "../../model/types";
import type {
  DirectoryRoleScheduleInputs,
  DirectoryRoleSettingsInputs,
  GroupPolicyInputs,
  GroupScheduleInputs,
  PolicySettingsInputs,
} from "../../providers/types";
import type { Membership } from "../rules/input";
import { settingsToRules } from "../rules/fromSettings";
import type { PolicyRules } from "../rules/input";
import { policyKey } from "../rules/rule";
import {
  COMPONENT_TYPES,
  ensureGroup,
  ensurePrincipal,
  idFrom,
  instant,
  known,
  lower,
  noteBreakGlass,
  parentType,
  pendingId,
  roleFrom,
  str,
  type Adapter,
} from "./context";

/** The rules a settings resource declares, read through the one settings mapping. */
function declaredRules(p: Partial<PolicySettingsInputs>): PolicyRules {
  // Approvers carry object ids resolved by the component; an unresolved (or not yet known) one keeps its name.
  const approverId = (a: Approver) =>
    lower(known(() => p.approverIds?.[approverKey(a)], undefined)) || lower(a.ref);
  // Settings that are missing, unknown or lack a block configure nothing the rules can count on: each rule then
  // reads as not configured (a missing approval rule is no approval), rather than the run failing on a TypeError.
  try {
    if (typeof p.settings === "object" && p.settings !== null)
      return settingsToRules(p.settings as ResolvedSettings, approverId);
  } catch {
    return {};
  }
  return {};
}

export const directoryRoleSettings: Adapter = (r, input, ctx, urns, unreadable) => {
  const p = r.props as Partial<DirectoryRoleSettingsInputs>;
  const roleId = roleFrom(r, p.roleDefinitionId, "roleDefinitionId", input, ctx, unreadable);
  if (!roleId) return;
  const policy = {
    target: { kind: "directoryRole" as const, roleId },
    label: str(p.roleName) ?? input.roles[roleId]!.displayName,
    rules: declaredRules(p),
  };
  input.directoryRolePolicies[roleId] = policy;
  urns.set(policyKey(policy), r.urn);
};

export const groupPolicy: Adapter = (r, input, _ctx, urns, unreadable) => {
  const p = r.props as Partial<GroupPolicyInputs>;
  const groupId = idFrom(p.groupId, "groupId", pendingId(r), unreadable);
  if (!groupId) return;
  ensureGroup(input, groupId, true);
  // Only an explicit "owner" is the owner policy; the member policy, which governs activation, is the stricter read.
  const access: "member" | "owner" = p.access === "owner" ? "owner" : "member";
  const policy = {
    target: { kind: "group" as const, groupId, access },
    label: `${str(p.groupName) ?? r.name} (${access})`,
    rules: declaredRules(p),
  };
  input.groupPolicies.push(policy);
  urns.set(policyKey(policy), r.urn);
};

export const groupSchedule: Adapter = (r, input, ctx, urns, unreadable) => {
  const p = r.props as Partial<Record<keyof GroupScheduleInputs, unknown>>;
  const groupId = idFrom(p.groupId, "groupId", pendingId(r), unreadable);
  const principalId = idFrom(p.principalId, "principalId", `pending:${r.urn}`, unreadable);
  if (!groupId || !principalId) return;
  ensureGroup(input, groupId, true);
  ensurePrincipal(input, principalId, ctx, "unknown", str(p.principalName));
  const m: Membership = {
    principalId,
    // Only an explicit "eligible" is eligible: an active membership is the stricter reading of anything else.
    kind: p.kind === "eligible" ? "eligible" : "active",
    // A PIM schedule starts when it is created if it names no start.
    startDateTime: instant(p.start) ?? input.now,
    endDateTime: instant(p.end),
  };
  const g = input.groups[groupId]!;
  (p.access === "owner" ? g.owners : g.members).push(m);
  urns.set(`group:${groupId}`, r.urn);
};

export const directoryRoleSchedule: Adapter = (r, input, ctx, urns, unreadable) => {
  const p = r.props as Partial<Record<keyof DirectoryRoleScheduleInputs, unknown>>;
  const roleId = roleFrom(r, p.roleDefinitionId, "roleDefinitionId", input, ctx, unreadable);
  const principalId = idFrom(p.principalId, "principalId", pendingId(r), unreadable);
  if (!roleId || !principalId) return;
  // A schedule under our PimGroup is the role the group holds; under BreakGlass, the account's standing role.
  if (parentType(r.urn) === COMPONENT_TYPES.PimGroup) ensureGroup(input, principalId, true);
  noteBreakGlass(r, input, ctx, principalId);
  ensurePrincipal(input, principalId, ctx, "unknown", str(p.principalName));
  const label = str(p.label) ?? r.name;
  input.assignments.push({
    // Only an explicit "eligible" is eligible: an active assignment is the stricter reading of anything else.
    kind: p.kind === "eligible" ? "eligible" : "active",
    roleId,
    principalId,
    scope: str(p.directoryScopeId) ?? "/",
    // A PIM schedule starts when it is created if it names no start.
    startDateTime: instant(p.start) ?? input.now,
    endDateTime: instant(p.end),
    label,
  });
  urns.set(`assignment:${label}`, r.urn);
};
