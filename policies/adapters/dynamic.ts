/** Adapters for the project's dynamic resources (providers/types.ts): directory role settings and schedules. */
import { approverKey } from "../../model/keys";
import type { Approver, ResolvedSettings } from "../../model/types";
import type { DirectoryRoleScheduleInputs, DirectoryRoleSettingsInputs } from "../../providers/types";
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

export const directoryRoleSettings: Adapter = (r, input, ctx, urns, unreadable) => {
  const p = r.props as Partial<DirectoryRoleSettingsInputs>;
  const roleId = roleFrom(r, p.roleDefinitionId, "roleDefinitionId", input, ctx, unreadable);
  if (!roleId) return;
  // Approvers carry object ids resolved by the component; an unresolved (or not yet known) one keeps its name.
  const approverId = (a: Approver) =>
    lower(known(() => p.approverIds?.[approverKey(a)], undefined)) || lower(a.ref);
  // Settings that are missing, unknown or lack a block configure nothing the rules can count on: each rule then
  // reads as not configured (a missing approval rule is no approval), rather than the run failing on a TypeError.
  let rules: PolicyRules = {};
  try {
    if (typeof p.settings === "object" && p.settings !== null)
      rules = settingsToRules(p.settings as ResolvedSettings, approverId);
  } catch {
    rules = {};
  }
  const policy = {
    target: { kind: "directoryRole" as const, roleId },
    label: str(p.roleName) ?? input.roles[roleId]!.displayName,
    rules,
  };
  input.directoryRolePolicies[roleId] = policy;
  urns.set(policyKey(policy), r.urn);
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
