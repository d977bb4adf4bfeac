// The six schedule collections (requests, schedules, instances × eligibility, assignment) for both
// directory roles (§3, /roleManagement/directory) and PIM for Groups (§4,
// /identityGovernance/privilegedAccess/group), plus their approval endpoints. One factory, two wire shapes.
import type { PermissionKey } from "../auth";
import { requirePermission } from "../auth";
import { GraphError, badRequest, accessDenied } from "../errors";
import { contextUrl, ctxQuery, entity, list, objectBody, type Ctx, type Reply, type Route } from "../http";
import { DIRECTORY_REQUEST_SCHEMA, GROUP_REQUEST_SCHEMA, validateBody } from "../bodies";
import { andEqClauses, type FilterSpec, type Op } from "../odata";
import { ACTIONS, cancelRequest, submitRequest } from "../schedules";
import { approvalView, reviewStage, stageView } from "../approvals";
import {
  isCurrent,
  publicView,
  type Schedule,
  type ScheduleKind,
  type ScheduleRequest,
  type ScheduleScope,
} from "../state";
import { directoryObjectView } from "./directory";

interface Names {
  requests: string;
  schedules: string;
  instances: string;
  entityRequest: string;
}

const NAMES: Record<ScheduleScope, Record<ScheduleKind, Names>> = {
  directory: {
    eligibility: {
      requests: "roleEligibilityScheduleRequests",
      schedules: "roleEligibilitySchedules",
      instances: "roleEligibilityScheduleInstances",
      entityRequest: "microsoft.graph.unifiedRoleEligibilityScheduleRequest",
    },
    assignment: {
      requests: "roleAssignmentScheduleRequests",
      schedules: "roleAssignmentSchedules",
      instances: "roleAssignmentScheduleInstances",
      entityRequest: "microsoft.graph.unifiedRoleAssignmentScheduleRequest",
    },
  },
  group: {
    eligibility: {
      requests: "eligibilityScheduleRequests",
      schedules: "eligibilitySchedules",
      instances: "eligibilityScheduleInstances",
      entityRequest: "microsoft.graph.privilegedAccessGroupEligibilityScheduleRequest",
    },
    assignment: {
      requests: "assignmentScheduleRequests",
      schedules: "assignmentSchedules",
      instances: "assignmentScheduleInstances",
      entityRequest: "microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest",
    },
  },
};

const BASE: Record<ScheduleScope, string> = {
  directory: "/roleManagement/directory",
  group: "/identityGovernance/privilegedAccess/group",
};

const PERMS: Record<
  ScheduleScope,
  Record<
    ScheduleKind,
    { write: PermissionKey; remove: PermissionKey; readRequests: PermissionKey; read: PermissionKey }
  >
> = {
  directory: {
    eligibility: {
      write: "roleEligibilityRequests.write",
      remove: "roleEligibilityRequests.remove",
      readRequests: "roleEligibilityRequests.read",
      read: "roleEligibilitySchedules.read",
    },
    assignment: {
      write: "roleAssignmentRequests.write",
      remove: "roleAssignmentRequests.remove",
      readRequests: "roleAssignmentRequests.read",
      read: "roleAssignmentSchedules.read",
    },
  },
  group: {
    eligibility: {
      write: "groupEligibility.write",
      remove: "groupEligibility.remove",
      readRequests: "groupEligibility.read",
      read: "groupEligibility.read",
    },
    assignment: {
      write: "groupAssignment.write",
      remove: "groupAssignment.remove",
      readRequests: "groupAssignment.read",
      read: "groupAssignment.read",
    },
  },
};

// Documented $filter support for schedules/instances/requests (§3.5) and group lists (§4).
const ORD = ["ge", "le", "gt", "lt"] as const;
const directoryProps: Record<string, readonly Op[]> = {};
for (const p of [
  "principalId",
  "roleDefinitionId",
  "directoryScopeId",
  "appScopeId",
  "status",
  "memberType",
  "assignmentType",
  "action",
])
  directoryProps[p] = ["eq", "ne"];
for (const p of [
  "createdUsing",
  "targetScheduleId",
  "roleAssignmentScheduleId",
  "roleEligibilityScheduleId",
  "roleAssignmentOriginId",
  "id",
  "approvalId",
])
  directoryProps[p] = ["eq"];
for (const p of ["createdDateTime", "startDateTime"]) directoryProps[p] = ORD;
directoryProps.endDateTime = ["eq", ...ORD];
const DIRECTORY_FILTER: FilterSpec = { entity: "schedule", props: directoryProps, isof: ["principal"] };
const GROUP_FILTER: FilterSpec = {
  entity: "schedule",
  props: Object.fromEntries(
    [
      "groupId",
      "principalId",
      "accessId",
      "status",
      "memberType",
      "assignmentType",
      "action",
      "id",
      "targetScheduleId",
      "createdUsing",
      "eligibilityScheduleId",
      "assignmentScheduleId",
      "approvalId",
    ].map((p): [string, readonly Op[]] => [p, ["eq", "ne"]]),
  ),
};

function scheduleInfo(s: Schedule): Record<string, unknown> {
  return {
    // Assignments made outside PIM have no start (MS.AAD.7.5: "a Start time of '-' means … outside PIM").
    startDateTime: s._direct ? null : s.startDateTime,
    recurrence: null,
    expiration: {
      type: s.endDateTime === null ? "noExpiration" : "afterDateTime",
      endDateTime: s.endDateTime,
      duration: null,
    },
  };
}

export function scheduleView(s: Schedule, nowMs: number): Record<string, unknown> {
  const status = Date.parse(s.startDateTime) > nowMs ? "Granted" : "Provisioned";
  if (s._scope === "directory") {
    const v: Record<string, unknown> = {
      id: s.id,
      principalId: s.principalId,
      roleDefinitionId: s._target,
      directoryScopeId: s.directoryScopeId,
      appScopeId: s.appScopeId,
      createdUsing: s._direct ? null : s.createdUsing,
      createdDateTime: s.createdDateTime,
      modifiedDateTime: s.modifiedDateTime,
      status,
      memberType: s._memberType,
      scheduleInfo: scheduleInfo(s),
    };
    if (s._kind === "assignment") v.assignmentType = s._assignmentType;
    return v;
  }
  // Group types are real enums in CSDL, serialised lowercase (§4; doc example casing is [UNSURE]).
  const v: Record<string, unknown> = {
    id: s.id,
    createdDateTime: s.createdDateTime,
    modifiedDateTime: s.modifiedDateTime,
    createdUsing: s.createdUsing,
    status,
    scheduleInfo: scheduleInfo(s),
    accessId: s._accessId,
    principalId: s.principalId,
    memberType: s._memberType.toLowerCase(),
    groupId: s._target,
  };
  if (s._kind === "assignment") v.assignmentType = (s._assignmentType ?? "Assigned").toLowerCase();
  return v;
}

export function instanceView(s: Schedule): Record<string, unknown> {
  if (s._scope === "directory") {
    // Instance ids are role-assignment style base64url ids, `-1` active / `-1-e` eligible (§3.5).
    const id = s._kind === "eligibility" ? `${s._instanceKey}-1-e` : `${s._instanceKey}-1`;
    const v: Record<string, unknown> = {
      id,
      principalId: s.principalId,
      roleDefinitionId: s._target,
      directoryScopeId: s.directoryScopeId,
      appScopeId: s.appScopeId,
      startDateTime: s._direct ? null : s.startDateTime,
      endDateTime: s.endDateTime,
      memberType: s._memberType,
    };
    if (s._kind === "eligibility") v.roleEligibilityScheduleId = s.id;
    else {
      v.assignmentType = s._assignmentType;
      v.roleAssignmentOriginId = id;
      v.roleAssignmentScheduleId = s.id;
    }
    return v;
  }
  const v: Record<string, unknown> = {
    id: s.id,
    startDateTime: s.startDateTime,
    endDateTime: s.endDateTime,
    accessId: s._accessId,
    principalId: s.principalId,
    memberType: s._memberType.toLowerCase(),
    groupId: s._target,
  };
  if (s._kind === "eligibility") v.eligibilityScheduleId = s.id;
  else {
    v.assignmentScheduleId = s.id;
    v.assignmentType = (s._assignmentType ?? "Assigned").toLowerCase();
  }
  return v;
}

const EXPANDS = [
  "principal",
  "roleDefinition",
  "directoryScope",
  "appScope",
  "activatedUsing",
  "targetSchedule",
  "group",
];

/** Add requested navigation properties ($expand) to a view. */
function expandView(ctx: Ctx, v: Record<string, unknown>, s?: Schedule): Record<string, unknown> {
  const q = ctxQuery(ctx);
  const want = (n: string) => q.expand.some((e) => e.name === n || e.name === "*");
  for (const e of q.expand)
    if (!EXPANDS.includes(e.name) && e.name !== "*")
      throw badRequest(`Could not find a property named '${e.name}' on type 'microsoft.graph.entity'.`);
  const state = ctx.env.state;
  if (want("principal")) v.principal = directoryObjectView(ctx, String(v.principalId));
  if (want("roleDefinition") && v.roleDefinitionId) {
    const r = state.roleDefinitions.get(String(v.roleDefinitionId));
    v.roleDefinition = r ? publicView(r) : null;
  }
  if (want("group") && v.groupId) v.group = directoryObjectView(ctx, String(v.groupId));
  if (want("directoryScope") && "directoryScopeId" in v) {
    const ds = String(v.directoryScopeId ?? "");
    v.directoryScope = ds && ds !== "/" ? directoryObjectView(ctx, ds.split("/").pop()!) : null;
  }
  if (want("appScope") && "appScopeId" in v) v.appScope = null;
  if (want("activatedUsing") && s?._activatedUsing) {
    const e = state.schedules.get(s._activatedUsing);
    v.activatedUsing = e
      ? s._scope === "directory" && "roleAssignmentOriginId" in v
        ? instanceView(e)
        : scheduleView(e, ctx.env.clock.nowMs())
      : null;
  }
  return v;
}

function resolver(ctx: Ctx) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OData resolver over arbitrary JSON objects (see odata.ts Resolver)
  return (obj: any, path: string): unknown => {
    if (path === "principal") {
      const p = ctx.env.state.findPrincipal(String(obj.principalId));
      return p ? { "@odata.type": `#microsoft.graph.${p.type}` } : null;
    }
    let cur = obj;
    for (const seg of path.split("/")) cur = cur?.[seg];
    return cur;
  };
}

/** PIM for Groups lists "require the $filter (eq) query parameter to scope the request to a principalId or a groupId" (§4). */
function requireGroupScope(ctx: Ctx): void {
  const eq = andEqClauses(ctxQuery(ctx).filter);
  if (!eq.has("groupId") && !eq.has("principalId"))
    throw badRequest(
      "The request requires a $filter with 'eq' on groupId or principalId, for example: groupId eq '{groupId}'.",
      "InvalidFilter",
    );
}

/**
 * A signed-in user cancels only requests they created; an app with the permission cancels any. Who else Entra
 * lets cancel is not documented: refusing is the safer choice (README).
 */
function requireOwnRequest(ctx: Ctx, r: ScheduleRequest): void {
  const c = ctx.caller;
  if (c.unchecked || c.kind !== "user" || !c.user) return;
  const createdBy = (r.createdBy as { user?: { id?: string } | null } | undefined)?.user?.id;
  if (createdBy !== c.user.id) throw accessDenied();
}

function filterByCurrentUserArg(ctx: Ctx, allowed: string[]): string {
  const m = /^on='(\w+)'$/.exec(ctx.params._args ?? "");
  const on = m?.[1];
  if (!on || !allowed.includes(on))
    throw badRequest(`The parameter 'on' must be one of: ${allowed.map((a) => `'${a}'`).join(", ")}.`);
  if (ctx.caller.kind !== "user" || !ctx.caller.user)
    throw badRequest("filterByCurrentUser requires a signed-in user (delegated token).", "BadRequest");
  return on;
}

export function scheduleCollectionRoutes(scope: ScheduleScope): Route[] {
  const routes: Route[] = [];
  const base = BASE[scope];
  const filterSpec = scope === "directory" ? DIRECTORY_FILTER : GROUP_FILTER;
  const ctxPrefix = base.slice(1);
  for (const kind of ["eligibility", "assignment"] as const) {
    const n = NAMES[scope][kind];
    const perms = PERMS[scope][kind];
    const requests = (ctx: Ctx): ScheduleRequest[] =>
      [...ctx.env.state.requests.values()].filter((r) => r._scope === scope && r._kind === kind);
    const schedules = (ctx: Ctx): Schedule[] =>
      [...ctx.env.state.schedules.values()].filter((s) => s._scope === scope && s._kind === kind);
    const requestView = (ctx: Ctx) => (r: ScheduleRequest) => expandView(ctx, publicView(r));
    const listRequests = (ctx: Ctx, items: ScheduleRequest[], context: string): Reply =>
      list(ctx, items, {
        context,
        view: requestView(ctx),
        filter: filterSpec,
        resolver: resolver(ctx),
        orderby: ["createdDateTime"],
        sort: (a, b) => a._createdMs - b._createdMs,
        count: "yes",
      });
    const listSchedules = (ctx: Ctx, items: Schedule[], context: string, instances: boolean): Reply => {
      const now = ctx.env.clock.nowMs();
      const visible = instances ? items.filter((s) => isCurrent(s, now)) : items;
      return list(ctx, visible, {
        context,
        view: (s) => expandView(ctx, instances ? instanceView(s) : scheduleView(s, now), s),
        filter: filterSpec,
        resolver: resolver(ctx),
        count: "yes",
        orderby: ["startDateTime", "createdDateTime"],
      });
    };

    routes.push(
      {
        method: "GET",
        pattern: `${base}/${n.requests}`,
        handler: (ctx) => {
          requirePermission(ctx.caller, perms.readRequests);
          if (scope === "group") requireGroupScope(ctx);
          return listRequests(ctx, requests(ctx), `${ctxPrefix}/${n.requests}`);
        },
      },
      {
        method: "GET",
        pattern: `${base}/${n.requests}/filterByCurrentUser()`,
        handler: (ctx) => {
          requirePermission(ctx.caller, perms.readRequests);
          const on = filterByCurrentUserArg(ctx, ["principal", "createdBy", "approver"]);
          const me = ctx.caller.user!.id;
          const items = requests(ctx).filter((r) => {
            if (on === "principal") return r.principalId === me;
            if (on === "createdBy") return (r.createdBy as { user: { id: string } | null }).user?.id === me;
            const a = r.approvalId ? ctx.env.state.approvals.get(String(r.approvalId)) : undefined;
            return !!a && a.stages.some((s) => s._approverUserIds.includes(me));
          });
          return listRequests(ctx, items, `Collection(${n.entityRequest})`);
        },
      },
      {
        method: "POST",
        pattern: `${base}/${n.requests}`,
        handler: (ctx) => {
          const b = objectBody(ctx);
          const action =
            typeof b.action === "string"
              ? ACTIONS.find((a) => a.toLowerCase() === (b.action as string).toLowerCase())
              : undefined;
          const removal = action === "adminRemove" || action === "selfDeactivate";
          requirePermission(ctx.caller, removal ? perms.remove : perms.write);
          validateBody(
            b,
            scope === "directory" ? DIRECTORY_REQUEST_SCHEMA : GROUP_REQUEST_SCHEMA,
            n.entityRequest,
          );
          const r = submitRequest(ctx.env, ctx.caller, { scope, kind, body: b });
          return {
            status: 201,
            body: {
              "@odata.context": contextUrl(ctx, `${ctxPrefix}/${n.requests}/$entity`),
              ...publicView(r),
            },
          };
        },
      },
      {
        method: "GET",
        pattern: `${base}/${n.requests}/:id`,
        handler: (ctx) => {
          requirePermission(ctx.caller, perms.readRequests);
          const r = ctx.env.state.requests.get(ctx.params.id!);
          if (!r || r._scope !== scope || r._kind !== kind)
            throw new GraphError(404, "NotFound", `The request '${ctx.params.id}' was not found.`);
          return entity(ctx, `${ctxPrefix}/${n.requests}`, expandView(ctx, publicView(r)));
        },
      },
      {
        method: "POST",
        pattern: `${base}/${n.requests}/:id/cancel`,
        handler: (ctx) => {
          requirePermission(ctx.caller, perms.write);
          const r = ctx.env.state.requests.get(ctx.params.id!);
          if (!r || r._scope !== scope || r._kind !== kind)
            throw new GraphError(404, "NotFound", `The request '${ctx.params.id}' was not found.`);
          requireOwnRequest(ctx, r);
          cancelRequest(ctx.env, ctx.caller, r);
          return { status: 204 };
        },
      },
    );
    for (const [coll, instances] of [
      [n.schedules, false],
      [n.instances, true],
    ] as const) {
      routes.push(
        {
          method: "GET",
          pattern: `${base}/${coll}`,
          handler: (ctx) => {
            requirePermission(ctx.caller, perms.read);
            if (scope === "group") requireGroupScope(ctx);
            return listSchedules(ctx, schedules(ctx), `${ctxPrefix}/${coll}`, instances);
          },
        },
        {
          method: "GET",
          pattern: `${base}/${coll}/filterByCurrentUser()`,
          handler: (ctx) => {
            requirePermission(ctx.caller, perms.read);
            filterByCurrentUserArg(ctx, ["principal"]);
            const me = ctx.caller.user!.id;
            const entityType =
              scope === "directory"
                ? `microsoft.graph.unifiedRole${kind === "eligibility" ? "Eligibility" : "Assignment"}Schedule${instances ? "Instance" : ""}`
                : `microsoft.graph.privilegedAccessGroup${kind === "eligibility" ? "Eligibility" : "Assignment"}Schedule${instances ? "Instance" : ""}`;
            return listSchedules(
              ctx,
              schedules(ctx).filter((s) => s.principalId === me),
              `Collection(${entityType})`,
              instances,
            );
          },
        },
        {
          method: "GET",
          pattern: `${base}/${coll}/:id`,
          handler: (ctx) => {
            requirePermission(ctx.caller, perms.read);
            const now = ctx.env.clock.nowMs();
            const id = ctx.params.id!;
            const s = instances
              ? schedules(ctx).find((x) => isCurrent(x, now) && instanceView(x).id === id)
              : schedules(ctx).find((x) => x.id === id);
            if (!s)
              throw new GraphError(
                404,
                "NotFound",
                `The ${instances ? "schedule instance" : "schedule"} '${id}' was not found.`,
              );
            return entity(
              ctx,
              `${ctxPrefix}/${coll}`,
              expandView(ctx, instances ? instanceView(s) : scheduleView(s, now), s),
            );
          },
        },
      );
    }
  }

  // Approvals: v1.0 has group assignmentApprovals; directory-role approvals are beta-only in Graph
  // (§11 [UNSURE]) — served under both versions here so a v1.0-only client can still approve.
  const approvals = scope === "group" ? `${base}/assignmentApprovals` : `${base}/roleAssignmentApprovals`;
  const approvalPerm: PermissionKey =
    scope === "group" ? "groupAssignment.write" : "roleAssignmentRequests.write";
  const findApproval = (ctx: Ctx) => {
    const a = ctx.env.state.approvals.get(ctx.params.id!);
    if (!a || a._scope !== scope)
      throw new GraphError(404, "NotFound", `The approval '${ctx.params.id}' was not found.`);
    if (!ctx.caller.unchecked && ctx.caller.kind !== "user") throw accessDenied();
    return a;
  };
  routes.push(
    {
      method: "GET",
      pattern: `${approvals}/:id`,
      beta: scope === "directory",
      handler: (ctx) => {
        requirePermission(ctx.caller, approvalPerm);
        return entity(ctx, approvals.slice(1), approvalView(findApproval(ctx), ctx.caller));
      },
    },
    {
      method: "GET",
      pattern: `${approvals}/:id/stages`,
      beta: scope === "directory",
      handler: (ctx) => {
        requirePermission(ctx.caller, approvalPerm);
        const a = findApproval(ctx);
        return list(ctx, a.stages, {
          context: `${approvals.slice(1)}('${a.id}')/stages`,
          view: (s) => stageView(s, ctx.caller),
        });
      },
    },
    {
      method: "GET",
      pattern: `${approvals}/:id/stages/:stageId`,
      beta: scope === "directory",
      handler: (ctx) => {
        requirePermission(ctx.caller, approvalPerm);
        const a = findApproval(ctx);
        const s = a.stages.find((x) => x.id === ctx.params.stageId);
        if (!s)
          throw new GraphError(404, "NotFound", `The approval stage '${ctx.params.stageId}' was not found.`);
        return entity(ctx, `${approvals.slice(1)}('${a.id}')/stages`, stageView(s, ctx.caller));
      },
    },
    {
      method: "PATCH",
      pattern: `${approvals}/:id/stages/:stageId`,
      beta: scope === "directory",
      handler: (ctx) => {
        requirePermission(ctx.caller, approvalPerm);
        findApproval(ctx);
        reviewStage(ctx.env, ctx.caller, ctx.params.id!, ctx.params.stageId!, objectBody(ctx));
        return { status: 204 };
      },
    },
  );
  return routes;
}
