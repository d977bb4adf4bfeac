// Azure Resource Manager routes for Azure resource roles' PIM settings, on the same origin as Graph (ARM paths
// start with /subscriptions/): role definitions, role management policies (GET, PATCH) and their assignments.
// Shapes follow the REST reference (learn.microsoft.com/rest/api/authorization, api-version 2020-10-01 for PIM,
// 2022-04-01 for role definitions) and its examples; errors are ARM's CloudError `{"error":{"code","message"}}`.
// Access is Azure RBAC at the scope (armModel.ts), never a Graph permission.
import {
  mayPerform,
  policyId,
  resourceGroupScope,
  roleDefinitionId,
  ROLE_PERMISSIONS,
  scopeKey,
  subscriptionScope,
  type ArmPolicy,
  type AzureState,
  type AzureSubscription,
} from "../armModel";
import { fromArmRule, toArmRule } from "../armSpelling";
import { iso } from "../clock";
import { GraphError } from "../errors";
import type { Env } from "../http";
import { applyRulePatch, keptByEntra, validatePolicy } from "../policyEngine";

/** Who calls, as far as ARM cares: an object id, the groups it belongs to, and the name ARM's messages use. */
export interface ArmCaller {
  objectId: string;
  /** UPN for users, application id for apps (ARM's AuthorizationFailed names the client so). */
  clientName: string;
  displayName: string;
  /** True under --no-auth: no RBAC checks. */
  unchecked: boolean;
}

export interface ArmReply {
  status: number;
  body: unknown;
}

export const cloudError = (e: GraphError): ArmReply => ({
  status: e.status,
  body: { error: { code: e.code, message: e.message } },
});

const armError = (status: number, code: string, message: string) => new GraphError(status, code, message);

const API_VERSIONS: Record<Collection, string[]> = {
  roleDefinitions: ["2022-04-01"],
  roleManagementPolicies: ["2020-10-01"],
  roleManagementPolicyAssignments: ["2020-10-01"],
};
type Collection = "roleDefinitions" | "roleManagementPolicies" | "roleManagementPolicyAssignments";

const TYPES: Record<Collection, string> = {
  roleDefinitions: "Microsoft.Authorization/roleDefinitions",
  roleManagementPolicies: "Microsoft.Authorization/RoleManagementPolicies",
  roleManagementPolicyAssignments: "Microsoft.Authorization/RoleManagementPolicyAssignment",
};

interface ArmTarget {
  subscription: AzureSubscription;
  resourceGroup: string | null;
  scope: string;
  collection: Collection;
  name: string | null;
}

/**
 * `/subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.Authorization/{collection}[/{name}]`, also in the
 * `/providers/Microsoft.Subscription/subscriptions/{s}/…` form the 2020-10-01 examples use.
 */
function parseTarget(azure: AzureState, segs: string[], apiVersion: string | null): ArmTarget {
  let rest = segs;
  if (
    rest[0]?.toLowerCase() === "providers" &&
    rest[1]?.toLowerCase() === "microsoft.subscription" &&
    rest[2]?.toLowerCase() === "subscriptions"
  )
    rest = rest.slice(2);
  const notFound = () =>
    armError(
      404,
      "InvalidResourceType",
      `The resource type could not be found in the namespace 'Microsoft.Authorization' for api version '${apiVersion ?? ""}'.`,
    );
  if (rest[0]?.toLowerCase() !== "subscriptions" || !rest[1]) throw notFound();
  const subId = rest[1].toLowerCase();
  let i = 2;
  let resourceGroup: string | null = null;
  if (rest[i]?.toLowerCase() === "resourcegroups") {
    if (!rest[i + 1]) throw notFound();
    resourceGroup = rest[i + 1]!;
    i += 2;
  }
  if (rest[i]?.toLowerCase() !== "providers" || rest[i + 1]?.toLowerCase() !== "microsoft.authorization")
    throw notFound();
  const collection = (Object.keys(TYPES) as Collection[]).find(
    (c) => c.toLowerCase() === rest[i + 2]?.toLowerCase(),
  );
  const name = rest[i + 3] ?? null;
  if (!collection || rest.length > i + 4) throw notFound();
  if (!apiVersion)
    throw armError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  if (!API_VERSIONS[collection].includes(apiVersion))
    throw armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions are '${API_VERSIONS[collection].join(",")}'.`,
    );
  const subscription = azure.subscriptions.find((s) => s.id === subId);
  if (!subscription)
    throw armError(404, "SubscriptionNotFound", `The subscription '${rest[1]}' could not be found.`);
  let scope = subscriptionScope(subscription.id);
  if (resourceGroup !== null) {
    const rg = subscription.resourceGroups.find((g) => g.toLowerCase() === resourceGroup!.toLowerCase());
    if (!rg)
      throw armError(404, "ResourceGroupNotFound", `Resource group '${resourceGroup}' could not be found.`);
    resourceGroup = rg;
    scope = resourceGroupScope(subscription.id, rg);
  }
  return { subscription, resourceGroup, scope, collection, name };
}

function authorize(env: Env, caller: ArmCaller, action: string, scope: string, resource: string): void {
  if (caller.unchecked) return;
  const ids = [caller.objectId, ...env.state.groupsOf(caller.objectId).map((g) => g.id)];
  if (!mayPerform(env.state.azure, ids, action, scope))
    throw armError(
      403,
      "AuthorizationFailed",
      `The client '${caller.clientName}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${resource}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
}

/** `$filter=roleDefinitionId eq '{id}'` (the only filter served), or `roleName eq '{name}'` on role definitions. */
function parseFilter(raw: string | null, property: "roleDefinitionId" | "roleName"): string | null {
  if (raw === null) return null;
  const m = /^\s*(\w+)\s+eq\s+'([^']*)'\s*$/i.exec(raw);
  if (!m || m[1] !== property)
    throw armError(
      400,
      "BadRequest",
      `The filter '${raw}' is not supported. Supported filter: ${property} eq '{value}'.`,
    );
  return m[2]!;
}

/** The role GUID a full role definition id names (subscription or provider form), or null. */
function roleGuidOf(id: string, subscriptionId: string): string | null {
  const m =
    /^(\/subscriptions\/([^/]+))?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i.exec(id);
  if (!m || (m[2] && m[2].toLowerCase() !== subscriptionId)) return null;
  return m[3]!.toLowerCase();
}

function scopeDisplay(t: ArmTarget): { id: string; displayName: string; type: string } {
  return t.resourceGroup === null
    ? { id: t.scope, displayName: t.subscription.displayName, type: "subscription" }
    : { id: t.scope, displayName: t.resourceGroup, type: "resourcegroup" };
}

const lastModifiedBy = (p: ArmPolicy) => ({
  id: null,
  displayName: p.lastModifiedBy,
  type: null,
  email: null,
});

function policyView(p: ArmPolicy, t: ArmTarget): unknown {
  const rules = p.rules.map(toArmRule);
  return {
    properties: {
      scope: p.scope,
      displayName: null,
      description: null,
      isOrganizationDefault: false,
      lastModifiedDateTime: p.lastModifiedDateTime,
      lastModifiedBy: lastModifiedBy(p),
      rules,
      // No policy above a subscription is modelled, so the effective rules are the policy's own.
      effectiveRules: structuredClone(rules),
      policyProperties: { scope: scopeDisplay(t) },
    },
    name: p.name,
    id: policyId(p),
    type: TYPES.roleManagementPolicies,
  };
}

function assignmentView(env: Env, p: ArmPolicy, t: ArmTarget): unknown {
  const roleId = roleDefinitionId(t.subscription.id, p.roleGuid);
  const role = env.state.azure.roles.find((r) => r.guid === p.roleGuid);
  const name = `${p.name}_${p.roleGuid}`;
  return {
    properties: {
      scope: p.scope,
      roleDefinitionId: roleId,
      policyId: policyId(p),
      effectiveRules: p.rules.map(toArmRule),
      policyAssignmentProperties: {
        scope: scopeDisplay(t),
        roleDefinition: { id: roleId, displayName: role?.roleName ?? null, type: "BuiltInRole" },
        policy: {
          id: policyId(p),
          lastModifiedBy: lastModifiedBy(p),
          lastModifiedDateTime: p.lastModifiedDateTime,
        },
      },
    },
    name,
    id: `${p.scope}/providers/Microsoft.Authorization/roleManagementPolicyAssignments/${name}`,
    type: TYPES.roleManagementPolicyAssignments,
  };
}

function roleDefinitionView(
  t: ArmTarget,
  guid: string,
  roleName: string,
  description: string | null,
): unknown {
  const perms = ROLE_PERMISSIONS[guid];
  return {
    properties: {
      roleName,
      type: "BuiltInRole",
      description: description ?? perms?.description ?? null,
      assignableScopes: ["/"],
      permissions: [
        {
          actions: perms?.actions ?? [],
          notActions: perms?.notActions ?? [],
          dataActions: [],
          notDataActions: [],
        },
      ],
    },
    id: roleDefinitionId(t.subscription.id, guid),
    type: TYPES.roleDefinitions,
    name: guid,
  };
}

/** One page of `items`; `nextLink` is an absolute URL back to this emulator carrying `$skipToken`. */
function page(env: Env, url: URL, items: unknown[]): ArmReply {
  const rawSkip = url.searchParams.get("$skipToken");
  const skip = rawSkip === null ? 0 : Number(rawSkip);
  if (!Number.isInteger(skip) || skip < 0 || skip > items.length)
    throw armError(400, "BadRequest", `The skip token '${rawSkip ?? ""}' is not valid.`);
  const size = env.armPageSize;
  const value = items.slice(skip, skip + size);
  const body: Record<string, unknown> = { value };
  if (skip + size < items.length) {
    const next = new URL(url.pathname, env.baseUrl);
    for (const [k, v] of url.searchParams) if (k !== "$skipToken") next.searchParams.set(k, v);
    next.searchParams.set("$skipToken", String(skip + size));
    body.nextLink = next.toString();
  }
  return { status: 200, body };
}

/** The policy for each role at the target's scope, in catalog order (seeded for every scope, see armSeed.ts). */
function policiesAt(env: Env, t: ArmTarget): ArmPolicy[] {
  const key = scopeKey(t.scope);
  const byRole = new Map(
    env.state.azure.policies.filter((p) => scopeKey(p.scope) === key).map((p) => [p.roleGuid, p]),
  );
  return env.state.azure.roles.map((r) => byRole.get(r.guid)).filter((p): p is ArmPolicy => !!p);
}

function filteredPolicies(env: Env, t: ArmTarget, url: URL): ArmPolicy[] {
  const wanted = parseFilter(url.searchParams.get("$filter"), "roleDefinitionId");
  const all = policiesAt(env, t);
  if (wanted === null) return all;
  const guid = roleGuidOf(wanted, t.subscription.id);
  return guid ? all.filter((p) => p.roleGuid === guid) : [];
}

function findPolicy(env: Env, t: ArmTarget): ArmPolicy {
  const p = policiesAt(env, t).find((x) => x.name.toLowerCase() === t.name!.toLowerCase());
  if (!p)
    throw armError(
      404,
      "RoleManagementPolicyNotFound",
      `The role management policy '${t.name!}' could not be found at scope '${t.scope}'.`,
    );
  return p;
}

/** PATCH `{properties:{rules}}`: any subset of the 17 rules, validated by the Graph policy engine. */
function patchPolicy(env: Env, caller: ArmCaller, p: ArmPolicy, body: unknown): void {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw armError(400, "InvalidRequestContent", "The request content must be a JSON object.");
  const props = (body as Record<string, unknown>).properties;
  if (!props || typeof props !== "object" || Array.isArray(props))
    throw armError(400, "InvalidRequestContent", "The request content must hold 'properties'.");
  const readOnly = [
    "scope",
    "displayName",
    "description",
    "isOrganizationDefault",
    "effectiveRules",
    "policyProperties",
    "lastModifiedBy",
    "lastModifiedDateTime",
  ];
  for (const k of Object.keys(props))
    if (k !== "rules" && !readOnly.includes(k))
      throw armError(
        400,
        "InvalidRequestContent",
        `The property 'properties.${k}' is not a property of a role management policy.`,
      );
  const raw = (props as Record<string, unknown>).rules;
  if (!Array.isArray(raw))
    throw armError(400, "InvalidRequestContent", "'properties.rules' must be a list of rules.");
  let rules = p.rules;
  const seen = new Set<string>();
  raw.forEach((r, i) => {
    const graphBody = fromArmRule(r, i);
    const id = graphBody.id as string;
    if (seen.has(id))
      throw armError(400, "InvalidPolicyRule", `The policy rule id ${id} appears more than once.`);
    seen.add(id);
    const idx = rules.findIndex((x) => x.id === id);
    if (idx < 0) throw armError(400, "InvalidPolicyRule", `The policy rule id ${id} is invalid.`);
    rules = rules.map((x, j) =>
      j === idx ? keptByEntra(applyRulePatch(x, graphBody, env.state.lookup)) : x,
    );
  });
  validatePolicy(rules);
  p.rules = rules;
  p.lastModifiedBy = caller.displayName;
  p.lastModifiedDateTime = iso(env.clock.now());
  env.onWrite();
}

/** One ARM request, authenticated already. Throws nothing: every refusal is a CloudError reply. */
export function armRequest(env: Env, caller: ArmCaller, method: string, url: URL, body: unknown): ArmReply {
  try {
    let segs: string[];
    try {
      segs = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw armError(400, "InvalidRequestUri", "The request URI is malformed.");
    }
    const t = parseTarget(env.state.azure, segs, url.searchParams.get("api-version"));
    const resource = url.pathname.replace(/\/+$/, "");
    const action = (verb: "read" | "write") => `Microsoft.Authorization/${t.collection}/${verb}`;
    if (t.collection === "roleDefinitions") {
      if (method !== "GET" || t.name !== null) throw methodNotAllowed(method);
      authorize(env, caller, action("read"), t.scope, resource);
      const wanted = parseFilter(url.searchParams.get("$filter"), "roleName");
      const roles = env.state.azure.roles.filter(
        (r) => wanted === null || r.roleName.toLowerCase() === wanted.toLowerCase(),
      );
      return page(
        env,
        url,
        roles.map((r) => roleDefinitionView(t, r.guid, r.roleName, r.description)),
      );
    }
    if (t.collection === "roleManagementPolicyAssignments") {
      if (method !== "GET" || t.name !== null) throw methodNotAllowed(method);
      authorize(env, caller, action("read"), t.scope, resource);
      return page(
        env,
        url,
        filteredPolicies(env, t, url).map((p) => assignmentView(env, p, t)),
      );
    }
    if (t.name === null) {
      if (method !== "GET") throw methodNotAllowed(method);
      authorize(env, caller, action("read"), t.scope, resource);
      return page(
        env,
        url,
        filteredPolicies(env, t, url).map((p) => policyView(p, t)),
      );
    }
    if (method === "GET") {
      authorize(env, caller, action("read"), t.scope, resource);
      return { status: 200, body: policyView(findPolicy(env, t), t) };
    }
    if (method === "PATCH") {
      authorize(env, caller, action("write"), t.scope, resource);
      const p = findPolicy(env, t);
      patchPolicy(env, caller, p, body);
      return { status: 200, body: policyView(p, t) };
    }
    throw methodNotAllowed(method);
  } catch (e) {
    if (e instanceof GraphError) return cloudError(e);
    throw e;
  }
}

const methodNotAllowed = (method: string) =>
  armError(405, "MethodNotAllowed", `The requested method '${method}' is not allowed for this resource.`);
