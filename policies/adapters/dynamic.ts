/** Adapters for the project's dynamic resources (providers/types.ts): directory role settings and schedules. */
import { approverKey } from "../../model/keys";
import type { Approver, ResolvedSettings } from "../../model/types";
import type { DirectoryRoleScheduleInputs, DirectoryRoleSettingsInputs } from "../../providers/types";
import { settingsToRules } from "../rules/fromSettings";
import { policyKey } from "../rules/rule";
import { addDirectoryRole, ensurePrincipal, known, lower, pendingId, str, type Adapter } from "./context";

export const directoryRoleSettings: Adapter = (r, input, ctx, urns) => {
  const p = r.props as Partial<DirectoryRoleSettingsInputs>;
  if (!str(p.roleDefinitionId) || typeof p.settings !== "object" || p.settings === null) return;
  const roleId = addDirectoryRole(input, p.roleDefinitionId!, ctx);
  // Approvers carry object ids resolved by the component; an unresolved (or not yet known) one keeps its name.
  const approverId = (a: Approver) =>
    lower(known(() => p.approverIds?.[approverKey(a)], undefined)) || lower(a.ref);
  const policy = {
    target: { kind: "directoryRole" as const, roleId },
    label: str(p.roleName) ?? input.roles[roleId]!.displayName,
    rules: settingsToRules(p.settings as ResolvedSettings, approverId),
  };
  input.directoryRolePolicies[roleId] = policy;
  urns.set(policyKey(policy), r.urn);
};

export const directoryRoleSchedule: Adapter = (r, input, ctx, urns) => {
  const p = r.props as Partial<DirectoryRoleScheduleInputs>;
  if (!str(p.roleDefinitionId)) return;
  const principalId = lower(known(() => p.principalId, pendingId(r)));
  if (!principalId) return;
  ensurePrincipal(input, principalId, ctx);
  const label = str(p.label) ?? r.name;
  input.assignments.push({
    kind: p.kind === "active" ? "active" : "eligible",
    roleId: addDirectoryRole(input, p.roleDefinitionId!, ctx),
    principalId,
    scope: str(p.directoryScopeId) ?? "/",
    startDateTime: str(p.start),
    endDateTime: str(p.end),
    mechanism: "pim",
    label,
  });
  urns.set(`assignment:${label}`, r.urn);
};
