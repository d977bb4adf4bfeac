// /roleManagement/directory/roleAssignments: every active directory-role assignment, the ones PIM made
// (assigned or activated) and the ones made outside PIM, in the unifiedRoleAssignment shape (graph-pim.md §3.1:
// "the assignment instance (1:1), which also covers assignments made outside PIM"). What tells them apart is
// on the schedule side: an assignment made outside PIM has no start and no createdUsing there.
// Pages: rbacapplication-list-roleassignments, unifiedroleassignment-get, rbacapplication-post-roleassignments,
// unifiedroleassignment-delete.
import { recordAudit } from "../audit";
import { iso } from "../clock";
import { GraphError, accessDenied, badRequest, resourceNotFound } from "../errors";
import { ctxQuery, entity, list, need, objectBody, type Ctx, type Route } from "../http";
import { isGuid } from "../ids";
import type { FilterSpec } from "../odata";
import { checkLastAdmin, isAdminOf } from "../schedules";
import { isCurrent, publicView, type Schedule } from "../state";
import { directoryObjectView } from "./directory";
import { instanceView } from "./scheduleCollections";

const PATH = "/roleManagement/directory/roleAssignments";
const CONTEXT = "roleManagement/directory/roleAssignments";
const PROPS = [
  "id",
  "principalId",
  "roleDefinitionId",
  "directoryScopeId",
  "appScopeId",
  "condition",
] as const;
const FILTER: FilterSpec = {
  entity: "microsoft.graph.unifiedRoleAssignment",
  unsupportedCode: "Request_UnsupportedQuery",
  props: { id: ["eq"], principalId: ["eq"], roleDefinitionId: ["eq"], directoryScopeId: ["eq"] },
  or: false,
};

function active(ctx: Ctx): Schedule[] {
  const now = ctx.env.clock.nowMs();
  const out: Schedule[] = [];
  for (const s of ctx.env.state.schedules.values())
    if (s._scope === "directory" && s._kind === "assignment" && isCurrent(s, now)) out.push(s);
  return out;
}

/** The unifiedRoleAssignment of a current assignment schedule: its id is the instance id (§3.5). */
function view(ctx: Ctx, s: Schedule): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: instanceView(s).id,
    principalId: s.principalId,
    roleDefinitionId: s._target,
    directoryScopeId: s.directoryScopeId,
    appScopeId: s.appScopeId,
    condition: null,
  };
  for (const { name } of ctxQuery(ctx).expand) {
    if (name === "principal") v.principal = directoryObjectView(ctx, s.principalId);
    else if (name === "roleDefinition") {
      const r = ctx.env.state.roleDefinitions.get(s._target);
      v.roleDefinition = r ? publicView(r) : null;
    } else
      throw badRequest(
        `Could not find a property named '${name}' on type 'microsoft.graph.unifiedRoleAssignment'.`,
      );
  }
  return v;
}

function find(ctx: Ctx): Schedule {
  const id = ctx.params.id!;
  const s = active(ctx).find((x) => instanceView(x).id === id);
  if (!s) throw resourceNotFound(id);
  return s;
}

/** Delegated callers need an active Global Administrator or Privileged Role Administrator assignment. */
function requireAdmin(ctx: Ctx): void {
  const c = ctx.caller;
  if (c.unchecked || c.kind !== "user" || !c.user) return;
  if (!isAdminOf(ctx.env.state, c.user.id, ctx.env.clock.nowMs())) throw accessDenied();
}

export const roleAssignmentRoutes: Route[] = [
  {
    method: "GET",
    pattern: PATH,
    handler: (ctx) => {
      need(ctx, "roleAssignments.read");
      return list(ctx, active(ctx), {
        context: CONTEXT,
        view: (s) => view(ctx, s),
        filter: FILTER,
        properties: PROPS,
        typeName: "microsoft.graph.unifiedRoleAssignment",
        count: "eventual",
      });
    },
  },
  {
    method: "GET",
    pattern: `${PATH}/:id`,
    handler: (ctx) => {
      need(ctx, "roleAssignments.read");
      return entity(ctx, CONTEXT, view(ctx, find(ctx)), {
        properties: PROPS,
        typeName: "microsoft.graph.unifiedRoleAssignment",
      });
    },
  },
  {
    method: "POST",
    pattern: PATH,
    handler: (ctx) => {
      need(ctx, "roleAssignments.write");
      requireAdmin(ctx);
      const b = objectBody(ctx);
      const { state } = ctx.env;
      const principalId = typeof b.principalId === "string" ? b.principalId.toLowerCase() : "";
      const roleId = typeof b.roleDefinitionId === "string" ? b.roleDefinitionId.toLowerCase() : "";
      const scope = typeof b.directoryScopeId === "string" ? b.directoryScopeId : "/";
      if (!isGuid(principalId) || !state.findPrincipal(principalId))
        throw badRequest(`Resource '${String(b.principalId)}' does not exist.`, "Request_BadRequest");
      const role = state.roleDefinitions.get(roleId);
      if (!role)
        throw badRequest(
          `The role definition '${String(b.roleDefinitionId)}' does not exist.`,
          "Request_BadRequest",
        );
      const exists = state
        .findSchedules({
          scope: "directory",
          kind: "assignment",
          principalId,
          target: roleId,
          directoryScopeId: scope,
        })
        .some((s) => isCurrent(s, ctx.env.clock.nowMs()));
      if (exists)
        throw badRequest(
          "A conflicting object with one or more of the specified property values is present in the directory.",
          "Request_BadRequest",
        );
      const s = state.addDirectAssignment({
        principalId,
        roleDefinitionId: roleId,
        directoryScopeId: scope,
        createdDateTime: iso(ctx.env.clock.now()),
      });
      recordAudit(state, {
        activity: "Add member to role outside of PIM (permanent)",
        category: "RoleManagement",
        operationType: "Assign",
        caller: ctx.caller,
        target: { id: roleId, displayName: role.displayName, type: "Role" },
        principalId,
        at: ctx.env.clock.now(),
      });
      ctx.env.onWrite();
      return entity(ctx, CONTEXT, view(ctx, s), { status: 201 });
    },
  },
  {
    method: "DELETE",
    pattern: `${PATH}/:id`,
    handler: (ctx) => {
      need(ctx, "roleAssignments.write");
      requireAdmin(ctx);
      const s = find(ctx);
      const { state } = ctx.env;
      if (!s._direct)
        // Whether Graph deletes a PIM-made assignment here is not documented: refused, remove it through PIM.
        throw new GraphError(
          400,
          "Request_BadRequest",
          "This assignment was made through PIM; remove it with roleAssignmentScheduleRequests (adminRemove or selfDeactivate).",
        );
      const role = state.roleDefinitions.get(s._target);
      checkLastAdmin(
        ctx.env,
        { scope: "directory", target: s._target, displayName: role?.displayName ?? null },
        s,
      );
      state.schedules.delete(s.id);
      recordAudit(state, {
        activity: "Remove permanent direct role assignment",
        category: "RoleManagement",
        operationType: "Unassign",
        caller: ctx.caller,
        target: { id: s._target, displayName: role?.displayName ?? null, type: "Role" },
        principalId: s.principalId,
        at: ctx.env.clock.now(),
      });
      ctx.env.onWrite();
      return { status: 204 };
    },
  },
];
