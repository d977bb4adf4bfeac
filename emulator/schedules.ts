// The schedule-request engine shared by directory roles (§3) and PIM for Groups (§4): action
// semantics, existence checks, policy enforcement and cancellation (approvals: approvals.ts; time: expiry.ts).
// Directory and group requests differ only in their key (role+scope vs group+access) and wire shape.
import type { Caller } from "./auth";
import { iso } from "./clock";
import { parseDuration } from "./duration";
import { GraphError, badRequest, accessDenied } from "./errors";
import type { Env } from "./http";
import { isGuid } from "./ids";
import { getRule } from "./policyEngine";
import {
  GLOBAL_ADMIN,
  PRIVILEGED_ROLE_ADMIN,
  isCurrent,
  type EmulatorState,
  type Schedule,
  type ScheduleKind,
  type ScheduleRequest,
  type ScheduleScope,
} from "./state";

import { createApproval } from "./approvals";
import { syncGroupMembership } from "./expiry";
import {
  audit,
  expiredKey,
  newSchedule,
  scheduleId,
  schedulesFor,
  targetOfRequest,
  type Target,
} from "./grants";

export const ACTIONS = [
  "adminAssign",
  "adminUpdate",
  "adminRemove",
  "selfActivate",
  "selfDeactivate",
  "adminExtend",
  "adminRenew",
  "selfExtend",
  "selfRenew",
] as const;

export type Action = (typeof ACTIONS)[number];

const MIN_DURATION_MS = 5 * 60_000; // "Can't be assigned for a duration of less than five minutes" (§2)

export interface RequestInput {
  scope: ScheduleScope;
  kind: ScheduleKind;
  body: Record<string, unknown>;
}

const invalidRequest = (detail?: string) =>
  new GraphError(
    400,
    "InvalidRoleAssignmentRequest",
    detail ? `The role assignment request is invalid. ${detail}` : "The role assignment request is invalid.",
  );

export const assignmentExists = () =>
  new GraphError(400, "RoleAssignmentExists", "The Role assignment already exists.");

export const assignmentDoesNotExist = () =>
  new GraphError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");

// Message text verbatim as observed, typo included (graph-pim.md §3.3, §5).
const activeTooShort = () =>
  new GraphError(
    400,
    "ActiveDurationTooShort",
    "The Active duration is too short. Miniumum Required is 5 minutes.",
  );

interface Failure {
  rule: string;
  text: string;
}

/** Both message forms Graph uses (graph-pim.md §5); `settings.policyErrorMessageFormat` picks one. */
export function policyFailure(state: EmulatorState, failures: Failure[]): GraphError {
  const msg =
    state.settings.policyErrorMessageFormat === "list"
      ? `The following policy rules failed: [${failures.map((f) => JSON.stringify(f.rule)).join(",")}]`
      : `The following policy rules failed: ${failures.map((f) => `${f.rule} - ${f.text}`).join("; ")}`;
  return new GraphError(400, "RoleAssignmentRequestPolicyValidationFailed", msg);
}

function normalizeAction(raw: unknown, kind: ScheduleKind): Action {
  if (typeof raw !== "string")
    throw badRequest("The 'action' property is required.", "InvalidRoleAssignmentRequest");
  // Doc examples send PascalCase (`AdminAssign`); responses are camelCase (§3.2).
  const a = ACTIONS.find((x) => x.toLowerCase() === raw.toLowerCase());
  if (!a) throw badRequest(`Requested value '${raw}' was not found.`);
  if (kind === "eligibility" && (a === "selfActivate" || a === "selfDeactivate"))
    throw invalidRequest(`The action '${a}' is not valid for an eligibility request.`);
  return a;
}

/** True when an update would leave the schedule as it is: same end and expiry type, and no new start. */
function changesNothing(current: Schedule, sched: ParsedSchedule, nowMs: number): boolean {
  const end = sched.end === null ? null : iso(sched.end);
  const startKept =
    !sched.startGiven ||
    iso(sched.start) === current.startDateTime ||
    (sched.start <= nowMs && Date.parse(current.startDateTime) <= nowMs);
  return end === current.endDateTime && startKept && sched.expirationType === current._expirationType;
}

interface ParsedSchedule {
  start: number;
  end: number | null;
  expirationType: Schedule["_expirationType"];
  duration: string | null;
  given: boolean;
  startGiven: boolean;
}

function parseSchedule(raw: unknown, nowMs: number): ParsedSchedule {
  if (raw === undefined || raw === null)
    return {
      start: nowMs,
      end: null,
      expirationType: "noExpiration",
      duration: null,
      given: false,
      startGiven: false,
    };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Graph request body as sent by the client; each field is checked where it is read
  const s = raw as Record<string, any>;
  const start = s.startDateTime ? Date.parse(s.startDateTime) : nowMs;
  const exp = s.expiration ?? {};
  const typeRaw = String(exp.type ?? "notSpecified");
  const type = ["notSpecified", "noExpiration", "afterDateTime", "afterDuration"].find(
    (t) => t.toLowerCase() === typeRaw.toLowerCase(),
  );
  if (!type) throw badRequest(`Requested value '${typeRaw}' was not found.`);
  if (s.recurrence) throw invalidRequest("Recurrence is not supported.");
  let end: number | null = null;
  let duration: string | null = null;
  if (type === "afterDateTime") {
    if (!exp.endDateTime)
      throw invalidRequest("'endDateTime' is required when the expiration type is afterDateTime.");
    end = Date.parse(exp.endDateTime);
  } else if (type === "afterDuration") {
    const ms = parseDuration(exp.duration);
    if (ms === null)
      throw invalidRequest("'duration' is required when the expiration type is afterDuration.");
    duration = exp.duration;
    end = start + ms;
  } else if (exp.endDateTime || exp.duration) {
    throw invalidRequest(`The expiration type '${type}' cannot carry an end date or duration.`);
  }
  if (end !== null && end <= start) throw invalidRequest("The end of the schedule must be after its start.");
  return {
    // A start in the past means "now" (§3.4: immediate requests start at server time).
    start: start > nowMs ? start : nowMs,
    end,
    expirationType:
      type === "notSpecified"
        ? end === null
          ? "noExpiration"
          : "afterDateTime"
        : (type as Schedule["_expirationType"]),
    duration,
    given: true,
    startGiven: !!s.startDateTime,
  };
}

function scheduleInfoView(
  start: string,
  end: string | null,
  type: string,
  duration: string | null,
): Record<string, unknown> {
  return {
    startDateTime: start,
    recurrence: null,
    expiration: { type, endDateTime: end, duration },
  };
}

function createdBy(caller: Caller): Record<string, unknown> {
  if (caller.kind === "user" && caller.user)
    return { application: null, device: null, user: { displayName: null, id: caller.user.id } };
  return { application: { displayName: caller.appDisplayName, id: caller.appId }, device: null, user: null };
}

function resolveTarget(env: Env, input: RequestInput, action: Action): Target {
  const { state } = env;
  const b = input.body;
  const principalId = b.principalId;
  if (typeof principalId !== "string" || !principalId) throw invalidRequest("'principalId' is required.");
  if (!isGuid(principalId)) throw invalidRequest(`'${principalId}' is not a valid principal id.`);
  const principal = state.findPrincipal(principalId);
  if (!principal) throw new GraphError(400, "SubjectNotFound", "The subject is not found.");
  if (input.scope === "directory") {
    const roleId = b.roleDefinitionId;
    if (typeof roleId !== "string" || !roleId) throw invalidRequest("'roleDefinitionId' is required.");
    const role =
      state.roleDefinitions.get(roleId.toLowerCase()) ??
      [...state.roleDefinitions.values()].find((r) => r.templateId === roleId.toLowerCase());
    if (!role) throw new GraphError(400, "RoleNotFound", "The role is not found.");
    const dirScope = b.directoryScopeId ?? null;
    const appScope = b.appScopeId ?? null;
    if (dirScope === null && appScope === null)
      throw invalidRequest("Either 'directoryScopeId' or 'appScopeId' is required.");
    if (dirScope !== null) {
      const ds = String(dirScope);
      const au = /^\/administrativeUnits\/([0-9a-f-]{36})$/i.exec(ds);
      if (
        ds !== "/" &&
        !(au && state.administrativeUnits.has(au[1]!.toLowerCase())) &&
        !(ds.startsWith("/") && state.findDirectoryObject(ds.slice(1)))
      )
        throw invalidRequest(`The directory scope '${ds}' is not valid.`);
    }
    // "You can grant only active assignments [to] service principals" (§3.2).
    if (principal.type === "servicePrincipal" && input.kind === "eligibility")
      throw invalidRequest("Service principals can only be given active assignments.");
    if (principal.type === "group" && !principal.obj.isAssignableToRole)
      throw invalidRequest("Only role-assignable groups can be assigned to directory roles.");
    const policy = state.policyForRole(role.id)!;
    return {
      scope: "directory",
      kind: input.kind,
      principalId: principal.obj.id,
      target: role.id,
      accessId: null,
      directoryScopeId: dirScope === null ? null : String(dirScope),
      appScopeId: appScope === null ? null : String(appScope),
      displayName: role.displayName,
      policy,
    };
  }
  const groupId = b.groupId;
  if (typeof groupId !== "string" || !isGuid(groupId)) throw invalidRequest("'groupId' is required.");
  const group = state.groups.get(groupId.toLowerCase());
  if (!group) throw invalidRequest(`The group '${groupId}' does not exist.`);
  const access = typeof b.accessId === "string" ? b.accessId.toLowerCase() : "";
  if (access !== "member" && access !== "owner")
    throw badRequest(`Requested value '${String(b.accessId)}' was not found.`);
  if (principal.type === "servicePrincipal" && input.kind === "eligibility")
    throw invalidRequest("Service principals can only be given active assignments.");
  if (
    action !== "adminRemove" &&
    action !== "selfDeactivate" &&
    (b.scheduleInfo === undefined || b.scheduleInfo === null)
  )
    throw invalidRequest("'scheduleInfo' is required.");
  // First request onboards the group; the policy ids change (§2).
  if (action !== "selfActivate" && action !== "selfDeactivate") state.onboardGroup(group.id);
  const policy = state.policyForGroup(group.id, access)!;
  return {
    scope: "group",
    kind: input.kind,
    principalId: principal.obj.id,
    target: group.id,
    accessId: access,
    directoryScopeId: null,
    appScopeId: null,
    displayName: group.displayName,
    policy,
  };
}

/** Policy checks for a request; returns the failures (empty = passes). */
function evaluatePolicy(
  t: Target,
  action: Action,
  caller: Caller,
  body: Record<string, unknown>,
  sched: ParsedSchedule,
): Failure[] {
  const failures: Failure[] = [];
  const self = action === "selfActivate";
  const level =
    t.kind === "eligibility" ? "Admin_Eligibility" : self ? "EndUser_Assignment" : "Admin_Assignment";
  const expiration = getRule(t.policy, `Expiration_${level}`);
  const enablement = getRule(t.policy, `Enablement_${level}`);
  if (expiration?.isExpirationRequired) {
    const max = parseDuration(expiration.maximumDuration) ?? Infinity;
    if (sched.end === null)
      failures.push({ rule: "ExpirationRule", text: "An expiration is required by the policy" });
    else if (sched.end - sched.start > max)
      failures.push({
        rule: "ExpirationRule",
        text: "The duration in the request is greater than maximum allowed duration",
      });
  }
  if (
    sched.end !== null &&
    sched.end - sched.start < MIN_DURATION_MS &&
    !failures.some((f) => f.rule === "ExpirationRule")
  )
    failures.push({
      rule: "ExpirationRule",
      text: "The duration in the request is less than minimum allowed duration",
    });
  const rules = enablement?.enabledRules ?? [];
  const approval = self ? getRule(t.policy, "Approval_EndUser_Assignment")?.setting : undefined;
  // App-only tokens never carry an MFA claim, so an MFA rule fails every app-only request (§1.9, OBS 2026).
  if (rules.includes("MultiFactorAuthentication") && !caller.unchecked && !caller.amr.includes("mfa"))
    failures.push({ rule: "MfaRule", text: "Multi-factor authentication is required" });
  const justification = typeof body.justification === "string" ? body.justification.trim() : "";
  if ((rules.includes("Justification") || approval?.isRequestorJustificationRequired) && !justification)
    failures.push({ rule: "JustificationRule", text: "Justification is required" });
  const ticket = body.ticketInfo as Record<string, unknown> | null | undefined;
  if (
    rules.includes("Ticketing") &&
    !(ticket && typeof ticket.ticketNumber === "string" && ticket.ticketNumber.trim())
  )
    failures.push({ rule: "TicketingRule", text: "Ticket information is required" });
  return failures;
}

/** Entra refuses to remove the last active Global Administrator / Privileged Role Administrator. */
export function checkLastAdmin(
  env: Env,
  t: Pick<Target, "scope" | "target" | "displayName">,
  removing: Schedule,
): void {
  if (t.scope !== "directory" || (t.target !== GLOBAL_ADMIN && t.target !== PRIVILEGED_ROLE_ADMIN)) return;
  const now = env.clock.nowMs();
  const remaining = env.state.activeRoleAssignments(t.target, now).filter((s) => s.id !== removing.id);
  if (remaining.length === 0)
    // Error code not documented; emulator's choice (README "Known gaps"). PIM documents the behaviour (pim-configure).
    throw new GraphError(
      400,
      "LastActiveRoleAssignment",
      `PIM prevents removal of the last active assignment of the role '${t.displayName ?? t.target}'.`,
    );
}

export function isAdminOf(state: EmulatorState, userId: string, nowMs: number): boolean {
  return [GLOBAL_ADMIN, PRIVILEGED_ROLE_ADMIN].some((r) =>
    state.activeRoleAssignments(r, nowMs).some((s) => s.principalId === userId),
  );
}

function activityNames(
  t: Target,
  action: Action,
  permanent: boolean,
): { requested: string; completed: string; op: string } {
  const span = permanent ? "permanent" : "timebound";
  if (action === "selfActivate")
    return {
      requested: "Add member to role requested (PIM activation)",
      completed: "Add member to role completed (PIM activation)",
      op: "Add",
    };
  if (action === "selfDeactivate")
    return {
      requested: "Remove member from role requested (PIM deactivate)",
      completed: "Remove member from role completed (PIM deactivate)",
      op: "Remove",
    };
  const elig = t.kind === "eligibility";
  switch (action) {
    case "adminRemove":
      return elig
        ? {
            requested: `Remove eligible member from role in PIM requested (${span})`,
            completed: `Remove eligible member from role in PIM completed (${span})`,
            op: "Remove",
          }
        : {
            requested: `Remove member from role in PIM requested (${span})`,
            completed: `Remove member from role in PIM completed (${span})`,
            op: "Remove",
          };
    case "adminRenew":
      return elig
        ? {
            requested: "Add eligible member to role in PIM requested (renew)",
            completed: "Add eligible member to role in PIM completed (renew)",
            op: "Update",
          }
        : {
            requested: "Add member to role in PIM requested (renew)",
            completed: "Add member to role in PIM completed (renew)",
            op: "Update",
          };
    case "adminExtend":
    case "adminUpdate":
    case "selfExtend":
    case "selfRenew":
      return elig
        ? {
            requested: "Update eligible member in PIM requested (extend)",
            completed: "Update member in PIM approved by admin (extend/renew)",
            op: "Update",
          }
        : {
            requested: "Update member in PIM requested (extend)",
            completed: "Update member in PIM approved by admin (extend/renew)",
            op: "Update",
          };
    default:
      return elig
        ? {
            requested: `Add eligible member to role in PIM requested (${span})`,
            completed: `Add eligible member to role in PIM completed (${span})`,
            op: "Add",
          }
        : {
            requested: `Add member to role in PIM requested (${span})`,
            completed: `Add member to role in PIM completed (${span})`,
            op: "Add",
          };
  }
}

/**
 * Create a schedule request (POST …ScheduleRequests). Returns the stored request (201 body) or
 * throws the Graph error. A request that fails validation persists nothing (§3.4 [OBS]).
 */
export function submitRequest(env: Env, caller: Caller, input: RequestInput): ScheduleRequest {
  const { state, clock } = env;
  const nowMs = clock.nowMs();
  const b = input.body;
  const action = normalizeAction(b.action, input.kind);
  const t = resolveTarget(env, input, action);
  const isSelf = action.startsWith("self");
  if (isSelf && !caller.unchecked) {
    if (caller.kind !== "user" || !caller.user)
      throw invalidRequest(`The action '${action}' requires a signed-in user (delegated token).`);
    if (caller.user.id !== t.principalId)
      throw invalidRequest(`The action '${action}' can only be requested for the signed-in user.`);
  }
  // Delegated admin actions need an administrator role (§6: writes need Privileged Role Administrator).
  if (!isSelf && caller.kind === "user" && caller.user && !isAdminOf(state, caller.user.id, nowMs)) {
    const isOwner = t.scope === "group" && state.groups.get(t.target)?._owners.includes(caller.user.id);
    if (!isOwner) throw accessDenied();
  }
  const sched =
    action === "adminRemove" || action === "selfDeactivate"
      ? parseSchedule(null, nowMs)
      : parseSchedule(b.scheduleInfo, nowMs);
  const justification = typeof b.justification === "string" ? b.justification : null;
  const names = activityNames(t, action, sched.end === null);

  const fail = (err: GraphError): never => {
    audit(env, t, caller, names.requested, names.op, {
      result: "failure",
      reason: err.message,
      justification,
    });
    throw err;
  };

  const all = schedulesFor(state, t);
  // What a principal holds through a group (memberType Group or Inherited) is not its own assignment: admin
  // actions see only direct schedules; activations (possibly through a group's eligibility) see all.
  const existing = action.startsWith("admin") ? all.filter((s) => s._memberType === "Direct") : all;
  let target: Schedule | undefined;
  let eligibility: Schedule | undefined;
  let status = "Provisioned";
  let pendingApproval = false;

  switch (action) {
    case "adminAssign":
      if (existing.some((s) => s._assignmentType !== "Activated")) fail(assignmentExists());
      break;
    case "adminUpdate":
    case "adminExtend":
      target = existing.find((s) => s._assignmentType !== "Activated");
      if (!target) fail(assignmentDoesNotExist());
      // An update that changes nothing is refused as a duplicate ([OBS] Microsoft365DSC#6459), so a client that
      // sends one on every run fails loudly here instead of writing for nothing.
      if (changesNothing(target!, sched, nowMs)) fail(assignmentExists());
      break;
    case "adminRenew":
      target = existing.find((s) => s._assignmentType !== "Activated");
      if (!target && !state.expiredKeys.has(expiredKey(t, t.kind))) fail(assignmentDoesNotExist());
      break;
    case "adminRemove":
      target = existing.find((s) => s._assignmentType !== "Activated") ?? existing[0];
      if (!target) fail(assignmentDoesNotExist());
      // A schedule that has not started is no assignment yet: it goes away by cancelling the request that made it
      // (§3.4 cancel). That adminRemove answers "does not exist" is this emulator's choice (README "Known gaps"):
      // it is the answer that would fool a client into calling a pending grant removed.
      if (Date.parse(target!.startDateTime) > nowMs) fail(assignmentDoesNotExist());
      if (t.kind === "assignment") {
        // "Can't be removed within five minutes of it being assigned" (§2; §3.3 for directory roles, [OBS]): a rule
        // of PIM schedules; an assignment made outside PIM has no PIM start to count from.
        if (!target!._direct && nowMs - Date.parse(target!.startDateTime) < MIN_DURATION_MS)
          fail(activeTooShort());
        checkLastAdmin(env, t, target!);
      }
      break;
    case "selfActivate": {
      if (existing.some((s) => isCurrent(s, nowMs))) fail(assignmentExists());
      eligibility = schedulesFor(state, t, "eligibility").find((s) => isCurrent(s, nowMs));
      // Eligibility held by a role-assignable group the user belongs to also allows activation
      // (the activation then has memberType "Group"; §3.3 notes such eligibilities exist) [UNSURE on shape].
      if (!eligibility && t.scope === "directory")
        for (const g of state.groupsOf(t.principalId)) {
          eligibility = schedulesFor(state, { ...t, principalId: g.id }, "eligibility").find((s) =>
            isCurrent(s, nowMs),
          );
          if (eligibility) break;
        }
      if (!eligibility)
        fail(
          policyFailure(state, [
            { rule: "EligibilityRule", text: "The principal is not eligible for the role" },
          ]),
        );
      const pending = [...state.requests.values()].some(
        (r) =>
          r._scope === t.scope &&
          r._kind === "assignment" &&
          r.status === "PendingApproval" &&
          r.principalId === t.principalId &&
          (t.scope === "directory"
            ? r.roleDefinitionId === t.target && r.directoryScopeId === t.directoryScopeId
            : r.groupId === t.target && r.accessId === t.accessId),
      );
      if (pending)
        fail(
          new GraphError(
            400,
            "PendingRoleAssignmentRequest",
            "There is already a pending request for this role assignment.",
          ),
        );
      // An activation without an end gets the policy maximum (the admin center does the same).
      if (sched.end === null) {
        const max =
          parseDuration(getRule(t.policy, "Expiration_EndUser_Assignment")?.maximumDuration) ?? 8 * 3_600_000;
        sched.end = sched.start + max;
        sched.expirationType = "afterDuration";
        sched.duration = getRule(t.policy, "Expiration_EndUser_Assignment")?.maximumDuration ?? "PT8H";
      }
      break;
    }
    case "selfDeactivate": {
      target = existing.find((s) => s._assignmentType === "Activated" && isCurrent(s, nowMs));
      if (!target) fail(assignmentDoesNotExist());
      if (nowMs - Date.parse(target!.startDateTime) < MIN_DURATION_MS) fail(activeTooShort());
      checkLastAdmin(env, t, target!);
      break;
    }
    case "selfExtend":
    case "selfRenew":
      target = existing.find((s) => s._assignmentType !== "Activated");
      if (!target) fail(assignmentDoesNotExist());
      status = "PendingAdminDecision";
      break;
  }

  if (
    action !== "adminRemove" &&
    action !== "selfDeactivate" &&
    action !== "selfExtend" &&
    action !== "selfRenew"
  ) {
    const failures = evaluatePolicy(t, action, caller, b, sched);
    if (failures.length) fail(policyFailure(state, failures));
    if (action === "selfActivate") {
      const ac = getRule(t.policy, "AuthenticationContext_EndUser_Assignment");
      if (ac?.isEnabled && ac.claimValue && !caller.unchecked && !caller.acrs.includes(ac.claimValue))
        fail(
          new GraphError(
            400,
            "RoleAssignmentRequestAcrsValidationFailed",
            `The authentication context '${ac.claimValue}' is required to activate this role.`,
          ),
        );
      // Activation cannot outlive the eligibility it uses.
      if (eligibility?.endDateTime && sched.end !== null && sched.end > Date.parse(eligibility.endDateTime))
        sched.end = Date.parse(eligibility.endDateTime);
      pendingApproval = !!getRule(t.policy, "Approval_EndUser_Assignment")?.setting?.isApprovalRequired;
    }
  }

  const requestId = state.newId();
  const willStart = sched.start > nowMs ? "Granted" : "Provisioned";
  if (action === "adminRemove" || action === "selfDeactivate") status = "Revoked";
  else if (pendingApproval) status = "PendingApproval";
  else if (status !== "PendingAdminDecision") status = willStart;

  const request = buildRequest(env, caller, t, action, requestId, status, b, sched, justification);
  if (b.isValidationOnly === true) {
    request.targetScheduleId = null;
    request.completedDateTime = null;
    return request; // validated, not persisted
  }

  // ---- apply
  if (action === "adminAssign" || (action === "adminRenew" && !target)) {
    const id = scheduleId(t, requestId);
    state.schedules.set(
      id,
      newSchedule(env, t, id, requestId, sched, t.kind === "assignment" ? "Assigned" : null, null),
    );
    request.targetScheduleId = id;
    state.expiredKeys.delete(expiredKey(t, t.kind));
  } else if (action === "adminUpdate" || action === "adminExtend" || action === "adminRenew") {
    // Schedule ids are stable across updates: the product keys its state on them (ARCHITECTURE decision 4).
    target!.startDateTime = sched.startGiven ? iso(sched.start) : target!.startDateTime;
    target!.endDateTime = sched.end === null ? null : iso(sched.end);
    target!._expirationType = sched.end === null ? "noExpiration" : "afterDateTime";
    target!.modifiedDateTime = iso(clock.now());
    request.targetScheduleId = target!.id;
  } else if (action === "adminRemove" || action === "selfDeactivate") {
    state.schedules.delete(target!.id);
    // Removing an eligibility also ends activations made with it.
    if (t.kind === "eligibility")
      for (const s of schedulesFor(state, t, "assignment"))
        if (s._activatedUsing === target!.id) state.schedules.delete(s.id);
    request.targetScheduleId = null;
  } else if (action === "selfActivate" && !pendingApproval) {
    const id = scheduleId(t, requestId);
    const activation = newSchedule(env, t, id, requestId, sched, "Activated", eligibility!.id);
    if (eligibility!.principalId !== t.principalId) activation._memberType = "Group";
    state.schedules.set(id, activation);
    request.targetScheduleId = id;
  } else if (action === "selfActivate" && pendingApproval) {
    request._pending = {
      start: iso(sched.start),
      end: sched.end === null ? null : iso(sched.end),
      expirationType: sched.expirationType,
      duration: sched.duration,
    };
    request._activatedUsing = eligibility!.id;
    request.approvalId = createApproval(env, t, requestId);
    request.completedDateTime = null;
  } else if (action === "selfExtend" || action === "selfRenew") {
    request.targetScheduleId = target!.id;
    request.completedDateTime = null;
  }
  state.requests.set(requestId, request);
  if (t.scope === "group") syncGroupMembership(env);

  audit(env, t, caller, names.requested, names.op, { justification, requestId });
  if (pendingApproval)
    audit(env, t, caller, "Add member to role approval requested (PIM activation)", "Add", {
      justification,
      requestId,
    });
  else if (status === "Provisioned" || status === "Revoked")
    audit(env, t, caller, names.completed, names.op, { justification, requestId });
  env.onWrite();
  return request;
}

function buildRequest(
  env: Env,
  caller: Caller,
  t: Target,
  action: Action,
  id: string,
  status: string,
  b: Record<string, unknown>,
  sched: ParsedSchedule,
  justification: string | null,
): ScheduleRequest {
  const nowIso = iso(env.clock.now());
  const removal = action === "adminRemove" || action === "selfDeactivate";
  const ticket = (b.ticketInfo ?? {}) as Record<string, unknown>;
  const scheduleInfo =
    removal && !sched.given
      ? null
      : scheduleInfoView(
          iso(sched.start),
          sched.end === null ? null : iso(sched.end),
          sched.expirationType,
          sched.expirationType === "afterDuration" ? sched.duration : null,
        );
  if (scheduleInfo && sched.expirationType === "afterDuration")
    (scheduleInfo.expiration as Record<string, unknown>).endDateTime = null;
  const common = {
    id,
    status,
    createdDateTime: nowIso,
    // Provisioned now → completed now; a future start → completed at the requested start (§3.4).
    completedDateTime: removal ? null : status === "Granted" ? iso(sched.start) : nowIso,
    approvalId: null as string | null,
    customData: typeof b.customData === "string" ? b.customData : null,
    action,
    createdBy: createdBy(caller),
    isValidationOnly: b.isValidationOnly === true,
    justification: removal && !justification ? null : justification,
    scheduleInfo,
    ticketInfo: {
      ticketNumber: (ticket.ticketNumber as string | undefined) ?? null,
      ticketSystem: (ticket.ticketSystem as string | undefined) ?? null,
    },
    targetScheduleId: null as string | null,
  };
  const shaped: Record<string, unknown> =
    t.scope === "directory"
      ? {
          ...common,
          principalId: t.principalId,
          roleDefinitionId: t.target,
          directoryScopeId: t.directoryScopeId,
          appScopeId: t.appScopeId,
        }
      : { ...common, accessId: t.accessId, principalId: t.principalId, groupId: t.target };
  return {
    ...shaped,
    id,
    _scope: t.scope,
    _kind: t.kind,
    _createdMs: env.clock.nowMs(),
    _pending: null,
  } as ScheduleRequest;
}

/** POST …ScheduleRequests/{id}/cancel (§3.4): only Granted (or still pending) requests. */
export function cancelRequest(env: Env, caller: Caller, request: ScheduleRequest): void {
  const { state } = env;
  if (
    request.status !== "Granted" &&
    request.status !== "PendingApproval" &&
    request.status !== "PendingAdminDecision"
  )
    throw badRequest(`The request cannot be canceled in its current state '${String(request.status)}'.`);
  const t = targetOfRequest(state, request);
  if (request.targetScheduleId && request.status === "Granted")
    state.schedules.delete(String(request.targetScheduleId));
  if (request.approvalId) state.approvals.delete(String(request.approvalId));
  request.status = request._kind === "eligibility" ? "Revoked" : "Canceled";
  request._canceledMs = env.clock.nowMs();
  const activity =
    request.action === "selfActivate"
      ? "Add member to role canceled (PIM activation)"
      : t.kind === "eligibility"
        ? "Add eligible member to role in PIM canceled (timebound)"
        : "Add member to role in PIM canceled (timebound)";
  audit(env, t, caller, activity, "Add", { requestId: request.id });
  env.onWrite();
}
