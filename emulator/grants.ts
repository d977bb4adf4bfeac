// Shared helpers of the schedule engine: what a grant is keyed on (principal + role/scope or
// group/access), how its schedule is built and named, and how an event about it is audited.
import type { Caller } from "./auth";
import { recordAudit } from "./audit";
import { iso } from "./clock";
import type { Env } from "./http";
import { roleAssignmentKey } from "./ids";
import type { Policy } from "./policyEngine";
import {
  type EmulatorState,
  type Schedule,
  type ScheduleKind,
  type ScheduleRequest,
  type ScheduleScope,
} from "./state";

/** Everything the engine needs to know about the target of a request. */
export interface Target {
  scope: ScheduleScope;
  kind: ScheduleKind;
  principalId: string;
  /** role definition id | group id */
  target: string;
  accessId: string | null;
  directoryScopeId: string | null;
  appScopeId: string | null;
  displayName: string | null;
  policy: Policy;
}

/** What an audit event and the expired-key set need to know about a grant (no policy). */
export type GrantRef = Omit<Target, "policy">;

export function schedulesFor(state: EmulatorState, t: Target, kind: ScheduleKind = t.kind): Schedule[] {
  return state.findSchedules({
    scope: t.scope,
    kind,
    principalId: t.principalId,
    target: t.target,
    directoryScopeId: t.directoryScopeId,
    accessId: t.accessId,
  });
}

export function expiredKey(t: GrantRef, kind: ScheduleKind): string {
  return [t.scope, kind, t.principalId, t.target, t.directoryScopeId ?? t.accessId ?? ""]
    .join("|")
    .toLowerCase();
}

export function scheduleId(t: Target, requestId: string): string {
  // Group schedule ids are `{groupId}_{accessId}_{requestId}` (§4); directory schedule id = request id (§3.4).
  return t.scope === "group" ? `${t.target}_${t.accessId}_${requestId}` : requestId;
}

export function newSchedule(
  env: Env,
  t: Target,
  id: string,
  createdUsing: string,
  sched: {
    start: number;
    end: number | null;
    expirationType: Schedule["_expirationType"];
    duration: string | null;
  },
  assignmentType: Schedule["_assignmentType"],
  activatedUsing: string | null,
): Schedule {
  const now = iso(env.clock.now());
  return {
    id,
    _scope: t.scope,
    _kind: t.kind,
    principalId: t.principalId,
    _target: t.target,
    _accessId: t.accessId,
    directoryScopeId: t.directoryScopeId,
    appScopeId: t.appScopeId,
    createdUsing,
    createdDateTime: now,
    // The docs' schedule examples print this sentinel for never-modified schedules (§3.5, §12.5).
    modifiedDateTime: "0001-01-01T08:00:00Z",
    _assignmentType: assignmentType,
    _memberType: "Direct",
    startDateTime: iso(sched.start),
    endDateTime: sched.end === null ? null : iso(sched.end),
    _expirationType: sched.end === null ? "noExpiration" : "afterDateTime",
    _duration: null,
    _activatedUsing: activatedUsing,
    _instanceKey: roleAssignmentKey(
      t.principalId,
      `${t.target}:${t.accessId ?? ""}:${t.kind}`,
      t.directoryScopeId ?? "",
    ),
  };
}

export function audit(
  env: Env,
  t: GrantRef,
  caller: Caller | "system",
  activity: string,
  op: string,
  extra: {
    result?: "success" | "failure";
    reason?: string;
    justification?: string | null;
    requestId?: string;
  },
): void {
  recordAudit(env.state, {
    activity,
    category: t.scope === "directory" ? "RoleManagement" : "GroupManagement",
    operationType: op,
    result: extra.result,
    resultReason: extra.reason,
    caller,
    target: { id: t.target, displayName: t.displayName, type: t.scope === "directory" ? "Role" : "Group" },
    principalId: t.principalId,
    justification: extra.justification,
    requestId: extra.requestId,
    at: env.clock.now(),
  });
}

export function targetOfRequest(state: EmulatorState, r: ScheduleRequest): Target {
  const scope = r._scope;
  if (scope === "directory") {
    const role = state.roleDefinitions.get(String(r.roleDefinitionId));
    return {
      scope,
      kind: r._kind,
      principalId: String(r.principalId),
      target: String(r.roleDefinitionId),
      accessId: null,
      directoryScopeId: (r.directoryScopeId as string | null) ?? null,
      appScopeId: (r.appScopeId as string | null) ?? null,
      displayName: role?.displayName ?? null,
      policy: state.policyForRole(String(r.roleDefinitionId))!,
    };
  }
  const g = state.groups.get(String(r.groupId));
  return {
    scope,
    kind: r._kind,
    principalId: String(r.principalId),
    target: String(r.groupId),
    accessId: String(r.accessId),
    directoryScopeId: null,
    appScopeId: null,
    displayName: g?.displayName ?? null,
    policy: state.policyForGroup(String(r.groupId), String(r.accessId))!,
  };
}
