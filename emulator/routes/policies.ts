// Role management policies and policy assignments for directory roles and groups
// (graph-pim.md §1.2–§1.9, §2). Pages: unifiedRoleManagementPolicy-get/-update,
// unifiedRoleManagementPolicyRule-get/-update, policyRoot-list-roleManagementPolicies/-Assignments.
import { iso } from "../clock";
import { recordAudit } from "../audit";
import { GraphError, accessDenied, badRequest } from "../errors";
import { isAdminOf } from "../schedules";
import { contextUrl, ctxQuery, need, objectBody, type Ctx, type Reply, type Route } from "../http";
import {
  applySelect,
  checkFilter,
  encodeSkipToken as skipToken,
  eqConstraints,
  type ExpandItem,
  type FilterSpec,
} from "../odata";
import {
  applyRulePatch,
  keptByEntra,
  approverLockError,
  isApproverRecipientLocked,
  validatePolicy,
  type Policy,
  type PolicyAssignment,
  type Rule,
} from "../policyEngine";

const POLICY_FILTER: FilterSpec = {
  entity: "microsoft.graph.unifiedRoleManagementPolicy",
  props: { scopeId: ["eq"], scopeType: ["eq"] },
  or: false,
};
const ASSIGNMENT_FILTER: FilterSpec = {
  entity: "microsoft.graph.unifiedRoleManagementPolicyAssignment",
  props: { scopeId: ["eq"], scopeType: ["eq"], roleDefinitionId: ["eq"], policyId: ["eq"] },
  or: false,
};
const POLICY_PROPS = [
  "id",
  "displayName",
  "description",
  "isOrganizationDefault",
  "scopeId",
  "scopeType",
  "lastModifiedDateTime",
  "lastModifiedBy",
  "rules",
  "effectiveRules",
] as const;

type Scope = { kind: "directory" } | { kind: "group"; groupId: string };

/**
 * "This method requires the $filter (eq) query parameter to scope the request to a scopeId and a
 * scopeType" (§1.2). The error Graph returns without it is undocumented [UNSURE]; we answer 400.
 */
function requiredScope(ctx: Ctx, spec: FilterSpec): { scope: Scope; eq: Map<string, unknown> } {
  const q = ctxQuery(ctx);
  if (q.filter) checkFilter(q.filter, spec);
  const eq = eqConstraints(q.filter);
  const scopeId = eq?.get("scopeId");
  const scopeType = eq?.get("scopeType");
  if (!eq || typeof scopeId !== "string" || typeof scopeType !== "string")
    throw badRequest(
      "The request requires a $filter with 'eq' on both scopeId and scopeType, for example: scopeId eq '/' and scopeType eq 'DirectoryRole'.",
      "InvalidFilter",
    );
  if (scopeType === "DirectoryRole" || scopeType === "Directory") {
    if (scopeId !== "/") throw badRequest("For Microsoft Entra roles scopeId must be '/'.", "InvalidFilter");
    need(ctx, "policies.directory.read");
    return { scope: { kind: "directory" }, eq };
  }
  if (scopeType === "Group") {
    need(ctx, "policies.group.read");
    return { scope: { kind: "group", groupId: scopeId.toLowerCase() }, eq };
  }
  throw badRequest(`The scopeType '${scopeType}' is not supported.`, "InvalidFilter");
}

/** Stored rules are already in their read shape; they are serialised straight away, never mutated here. */
function ruleView(r: Rule, select: string[] | null): Record<string, unknown> {
  const out = r as unknown as Record<string, unknown>;
  return select ? applySelect(out, [...select, "@odata.type"]) : out;
}

function policyView(p: Policy, expand: ExpandItem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id,
    displayName: p.displayName,
    description: p.description,
    isOrganizationDefault: p.isOrganizationDefault,
    scopeId: p.scopeId,
    scopeType: p.scopeType,
    lastModifiedDateTime: p.lastModifiedDateTime,
    lastModifiedBy: { ...p.lastModifiedBy },
  };
  const all = expand.some((e) => e.name === "*");
  for (const name of ["effectiveRules", "rules"] as const) {
    const e = expand.find((x) => x.name === name);
    if (!e && !all) continue;
    const select = e?.nested.select ?? null;
    // With a nested $select the docs show a per-policy "rules@odata.context" annotation (§1.2).
    if (select)
      out[`${name}@odata.context`] =
        `https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('${p.id}')/${name}(${select.join(",")})`;
    out[name] = p.rules.map((r) => ruleView(r, select));
  }
  return out;
}

function expandSuffix(expand: ExpandItem[]): string {
  if (expand.length === 0) return "";
  const part = (e: ExpandItem): string => `${e.name}(${e.nested.expand.map(part).join(",")})`;
  return `(${[...expand]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(part)
    .join(",")})`;
}

function checkPolicyExpand(expand: ExpandItem[]): void {
  for (const e of expand) {
    if (!["rules", "effectiveRules", "*"].includes(e.name))
      throw badRequest(
        `Could not find a property named '${e.name}' on type 'microsoft.graph.unifiedRoleManagementPolicy'.`,
      );
    if (e.nested.expand.length) throw badRequest(`The property '${e.name}' cannot be expanded further.`);
  }
}

function checkAssignmentExpand(expand: ExpandItem[]): ExpandItem | undefined {
  for (const e of expand)
    if (e.name !== "policy" && e.name !== "*")
      throw badRequest(
        `Could not find a property named '${e.name}' on type 'microsoft.graph.unifiedRoleManagementPolicyAssignment'.`,
      );
  const p = expand.find((e) => e.name === "policy" || e.name === "*");
  if (p) checkPolicyExpand(p.nested.expand);
  return p;
}

/**
 * Look up a policy by id. The prefix is parsed first: an id that is neither `DirectoryRole_…` nor
 * `Group_…` gets the observed UnknownError/MissingProvider answer rather than a 404 (§1.9 [OBS]).
 */
function findPolicy(ctx: Ctx, write: boolean): Policy {
  const id = ctx.params.policyId!;
  const isGroup = id.startsWith("Group_");
  if (!isGroup && !id.startsWith("DirectoryRole_") && !id.startsWith("Directory_"))
    throw new GraphError(
      400,
      "UnknownError",
      JSON.stringify({
        errorCode: "MissingProvider",
        message: "The provider is missing.",
        instanceAnnotations: [],
      }),
    );
  need(
    ctx,
    isGroup
      ? write
        ? "policies.group.write"
        : "policies.group.read"
      : write
        ? "policies.directory.write"
        : "policies.directory.read",
  );
  if (isGroup) {
    const groupId = id.split("_")[1]?.toLowerCase();
    if (groupId) ctx.env.state.ensureGroupPolicies(groupId);
  }
  const p = ctx.env.state.policies.get(id);
  if (!p) throw new GraphError(404, "NotFound", `The policy '${id}' was not found.`);
  if (write) requirePolicyRole(ctx, p);
  return p;
}

/**
 * A signed-in user changes role settings only as Privileged Role Administrator (or Global Administrator);
 * a group's settings also as an owner of a group that is not role-assignable (§6 "Directory roles needed for
 * delegated calls"). Apps need only the permission (§6 OBS 2026: the role alone gave an app 403).
 */
function requirePolicyRole(ctx: Ctx, p: Policy): void {
  const c = ctx.caller;
  if (c.unchecked || c.kind !== "user" || !c.user) return;
  const { state } = ctx.env;
  if (isAdminOf(state, c.user.id, ctx.env.clock.nowMs())) return;
  const g = p.scopeType === "Group" ? state.groups.get(p.scopeId) : undefined;
  if (g && !g.isAssignableToRole && g._owners.includes(c.user.id)) return;
  throw accessDenied();
}

function assignmentView(
  ctx: Ctx,
  a: PolicyAssignment,
  expandPolicy: ExpandItem | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: a.id,
    policyId: a.policyId,
    scopeId: a.scopeId,
    scopeType: a.scopeType,
    roleDefinitionId: a.roleDefinitionId,
  };
  if (expandPolicy) {
    const p = ctx.env.state.policies.get(a.policyId);
    out.policy = p ? policyView(p, expandPolicy.nested.expand) : null;
  }
  return out;
}

/** Record the change the way Entra does: lastModified*, an audit event, and PIM onboarding for groups. */
function touch(ctx: Ctx, p: Policy): Policy {
  const state = ctx.env.state;
  p.lastModifiedDateTime = iso(ctx.env.clock.now());
  // Docs show the editor's display name with id null after an edit (§1.1).
  p.lastModifiedBy = { displayName: ctx.caller.user?.displayName ?? ctx.caller.appDisplayName, id: null };
  let roleName: string | null = null;
  let targetId = p.scopeId;
  if (p.scopeType === "Group") {
    // Updating a group's policy onboards the group into PIM; the policy ids change (§2).
    const moved = state.onboardGroup(p.scopeId);
    const newId = moved.get(p.id);
    if (newId) p = state.policies.get(newId)!;
    roleName = state.groups.get(p.scopeId)?.displayName ?? null;
  } else {
    const a = [...state.policyAssignments.values()].find((x) => x.policyId === p.id);
    targetId = a?.roleDefinitionId ?? p.id;
    roleName = a ? (state.roleDefinitions.get(a.roleDefinitionId)?.displayName ?? null) : null;
  }
  recordAudit(state, {
    activity: "Update role setting in PIM",
    category: p.scopeType === "Group" ? "GroupManagement" : "RoleManagement",
    operationType: "Update",
    caller: ctx.caller,
    target: { id: targetId, displayName: roleName, type: p.scopeType === "Group" ? "Group" : "Role" },
    details: { PolicyId: p.id },
    at: ctx.env.clock.now(),
  });
  ctx.env.onWrite();
  return p;
}

function listPolicies(ctx: Ctx): Reply {
  const q = ctxQuery(ctx);
  const { scope } = requiredScope(ctx, POLICY_FILTER);
  checkPolicyExpand(q.expand);
  const state = ctx.env.state;
  let items: Policy[];
  if (scope.kind === "directory")
    items = [...state.policies.values()].filter((p) => p.scopeType === "DirectoryRole");
  else {
    state.ensureGroupPolicies(scope.groupId);
    items = [...state.policies.values()].filter(
      (p) => p.scopeType === "Group" && p.scopeId === scope.groupId,
    );
  }
  return paged(
    ctx,
    `policies/roleManagementPolicies${expandSuffix(q.expand)}`,
    items.map((p) => policyView(p, q.expand)),
  );
}

function paged(ctx: Ctx, context: string, items: Record<string, unknown>[]): Reply {
  const q = ctxQuery(ctx);
  const size = q.top ?? ctx.env.pageSize;
  const page = items.slice(q.skip, q.skip + size).map((i) => applySelect(i, q.select));
  const body: Record<string, unknown> = { "@odata.context": contextUrl(ctx, context) };
  if (q.skip + size < items.length) {
    const parts: string[] = [];
    for (const [k, v] of ctx.query)
      if (k.toLowerCase() !== "$skiptoken") parts.push(`${k}=${encodeURIComponent(v)}`);
    parts.push(`$skiptoken=${skipToken(q.skip + size)}`);
    body["@odata.nextLink"] = `${ctx.env.baseUrl}/${ctx.version}${ctx.path}?${parts.join("&")}`;
  }
  body.value = page;
  return { status: 200, body };
}

function listAssignments(ctx: Ctx): Reply {
  const q = ctxQuery(ctx);
  const { scope, eq } = requiredScope(ctx, ASSIGNMENT_FILTER);
  const expandPolicy = checkAssignmentExpand(q.expand);
  const state = ctx.env.state;
  const roleId = eq.get("roleDefinitionId");
  const policyId = eq.get("policyId");
  if (scope.kind === "group") state.ensureGroupPolicies(scope.groupId);
  const items = [...state.policyAssignments.values()].filter(
    (a) =>
      (scope.kind === "directory"
        ? a.scopeType === "DirectoryRole"
        : a.scopeType === "Group" && a.scopeId === scope.groupId) &&
      (typeof roleId !== "string" || a.roleDefinitionId.toLowerCase() === roleId.toLowerCase()) &&
      (typeof policyId !== "string" || a.policyId === policyId),
  );
  return paged(
    ctx,
    `policies/roleManagementPolicyAssignments${expandSuffix(q.expand)}`,
    items.map((a) => assignmentView(ctx, a, expandPolicy)),
  );
}

export const policyRoutes: Route[] = [
  { method: "GET", pattern: "/policies/roleManagementPolicies", handler: listPolicies },
  {
    method: "GET",
    pattern: "/policies/roleManagementPolicies/:policyId",
    handler: (ctx) => {
      const q = ctxQuery(ctx);
      const p = findPolicy(ctx, false);
      checkPolicyExpand(q.expand);
      const body = applySelect(policyView(p, q.expand), q.select);
      return {
        status: 200,
        body: {
          "@odata.context": contextUrl(
            ctx,
            `policies/roleManagementPolicies${expandSuffix(q.expand)}/$entity`,
          ),
          ...body,
        },
      };
    },
  },
  {
    method: "PATCH",
    pattern: "/policies/roleManagementPolicies/:policyId",
    handler: (ctx) => {
      // Whole-policy update: only `rules` may be sent, any subset of the 17 (§1.5). 200 + policy without rules.
      let p = findPolicy(ctx, true);
      const b = objectBody(ctx);
      for (const k of Object.keys(b)) {
        if (k === "rules" || k.startsWith("@odata.")) continue;
        if ((POLICY_PROPS as readonly string[]).includes(k))
          throw badRequest(`The property '${k}' cannot be updated.`);
        throw badRequest(
          `The property '${k}' does not exist on type 'microsoft.graph.unifiedRoleManagementPolicy'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
      }
      if (!Array.isArray(b.rules)) throw badRequest("The 'rules' collection is required.");
      let rules = p.rules;
      const seen = new Set<string>();
      for (const raw of b.rules as unknown[]) {
        const id = raw && typeof raw === "object" ? (raw as Record<string, unknown>).id : undefined;
        const idx = typeof id === "string" ? rules.findIndex((r) => r.id === id) : -1;
        if (idx < 0) throw badRequest(`The policy rule id ${String(id)} is invalid.`, "InvalidPolicyRule");
        if (seen.has(id as string))
          throw badRequest(`The policy rule id ${String(id)} appears more than once.`, "InvalidPolicyRule");
        seen.add(id as string);
        rules = rules.map((r, i) =>
          i === idx ? keptByEntra(applyRulePatch(r, raw, ctx.env.state.lookup)) : r,
        );
      }
      validatePolicy(rules);
      p.rules = rules;
      p = touch(ctx, p);
      return {
        status: 200,
        body: {
          "@odata.context": contextUrl(ctx, "policies/roleManagementPolicies/$entity"),
          ...policyView(p, []),
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/policies/roleManagementPolicies/:policyId/rules",
    handler: (ctx) => {
      const p = findPolicy(ctx, false);
      const q = ctxQuery(ctx);
      return paged(
        ctx,
        `policies/roleManagementPolicies('${p.id}')/rules`,
        p.rules.map((r) => ruleView(r, q.select)),
      );
    },
  },
  {
    method: "GET",
    pattern: "/policies/roleManagementPolicies/:policyId/effectiveRules",
    handler: (ctx) => {
      const p = findPolicy(ctx, false);
      return paged(
        ctx,
        `policies/roleManagementPolicies('${p.id}')/effectiveRules`,
        p.rules.map((r) => ruleView(r, null)),
      );
    },
  },
  {
    method: "GET",
    pattern: "/policies/roleManagementPolicies/:policyId/rules/:ruleId",
    handler: (ctx) => {
      const p = findPolicy(ctx, false);
      const r = p.rules.find((x) => x.id === ctx.params.ruleId);
      if (!r) throw badRequest(`The policy rule id ${ctx.params.ruleId} is invalid.`, "InvalidPolicyRule");
      return {
        status: 200,
        body: {
          "@odata.context": contextUrl(ctx, `policies/roleManagementPolicies('${p.id}')/rules/$entity`),
          ...ruleView(r, ctxQuery(ctx).select),
        },
      };
    },
  },
  {
    method: "PATCH",
    pattern: "/policies/roleManagementPolicies/:policyId/rules/:ruleId",
    handler: (ctx) => {
      // One rule: 200 with the rule body (the newer doc; older said 204 — clients accept both, §1.4).
      let p = findPolicy(ctx, true);
      const idx = p.rules.findIndex((x) => x.id === ctx.params.ruleId);
      if (idx < 0)
        throw badRequest(`The policy rule id ${ctx.params.ruleId} is invalid.`, "InvalidPolicyRule");
      // Explicit approver-notification recipients write-lock per-rule updates (§1.9 [OBS 2026]).
      if (isApproverRecipientLocked(p.rules)) throw approverLockError();
      const next = keptByEntra(applyRulePatch(p.rules[idx]!, objectBody(ctx), ctx.env.state.lookup));
      const rules = p.rules.map((r, i) => (i === idx ? next : r));
      validatePolicy(rules);
      p.rules = rules;
      const urlId = p.id;
      p = touch(ctx, p);
      return {
        status: 200,
        body: {
          "@odata.context": contextUrl(ctx, `policies/roleManagementPolicies('${urlId}')/rules/$entity`),
          ...ruleView(next, null),
        },
      };
    },
  },
  { method: "GET", pattern: "/policies/roleManagementPolicyAssignments", handler: listAssignments },
  {
    method: "GET",
    pattern: "/policies/roleManagementPolicyAssignments/:id",
    handler: (ctx) => {
      const q = ctxQuery(ctx);
      const id = ctx.params.id!;
      const a = ctx.env.state.policyAssignments.get(id);
      need(ctx, id.startsWith("Group_") ? "policies.group.read" : "policies.directory.read");
      if (!a) throw new GraphError(404, "NotFound", `The policy assignment '${id}' was not found.`);
      const expandPolicy = checkAssignmentExpand(q.expand);
      return {
        status: 200,
        body: {
          "@odata.context": contextUrl(
            ctx,
            `policies/roleManagementPolicyAssignments${expandSuffix(q.expand)}/$entity`,
          ),
          ...applySelect(assignmentView(ctx, a, expandPolicy), q.select),
        },
      };
    },
  },
];
