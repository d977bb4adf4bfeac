// Conditional Access policies and authentication contexts, read-only: what the live report needs to judge
// whether an authentication context a role setting requires is enforced by an enabled policy (PIM-023) and
// whether break-glass accounts are excluded (PIM-009). Pages: conditionalaccessroot-list-policies,
// conditionalaccesspolicy-get, conditionalaccessroot-list-authenticationcontextclassreferences,
// authenticationcontextclassreference-get.
import { GraphError } from "../errors";
import { entity, list, need, type Route } from "../http";
import type { FilterSpec } from "../odata";
import type { AuthenticationContext, ConditionalAccessPolicy } from "../state";

const BASE = "/identity/conditionalAccess";

const POLICY_PROPS = [
  "id",
  "templateId",
  "displayName",
  "createdDateTime",
  "modifiedDateTime",
  "state",
  "sessionControls",
  "conditions",
  "grantControls",
] as const;
const POLICY_FILTER: FilterSpec = {
  entity: "microsoft.graph.conditionalAccessPolicy",
  props: { id: ["eq"], displayName: ["eq"], state: ["eq", "ne"] },
  startswith: ["displayName"],
};
const CONTEXT_PROPS = ["id", "displayName", "description", "isAvailable"] as const;
// "Supports $filter (eq)" on id and isAvailable (authenticationContextClassReference resource).
const CONTEXT_FILTER: FilterSpec = {
  entity: "microsoft.graph.authenticationContextClassReference",
  props: { id: ["eq"], isAvailable: ["eq"] },
};

function policyView(p: ConditionalAccessPolicy): Record<string, unknown> {
  const v = structuredClone(p) as unknown as Record<string, unknown>;
  // Graph annotates the nested authentication strength with its own context (conditionalaccesspolicy-get sample).
  const gc = v.grantControls as Record<string, unknown> | null;
  if (gc?.authenticationStrength)
    gc["authenticationStrength@odata.context"] =
      `https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('${p.id}')/grantControls/authenticationStrength/$entity`;
  return v;
}

function contextView(c: AuthenticationContext): Record<string, unknown> {
  return { id: c.id, displayName: c.displayName, description: c.description, isAvailable: c.isAvailable };
}

export const conditionalAccessRoutes: Route[] = [
  {
    method: "GET",
    pattern: `${BASE}/policies`,
    handler: (ctx) => {
      need(ctx, "conditionalAccess.read");
      return list(ctx, ctx.env.state.conditionalAccessPolicies.values(), {
        context: "identity/conditionalAccess/policies",
        view: policyView,
        filter: POLICY_FILTER,
        properties: POLICY_PROPS,
        typeName: "microsoft.graph.conditionalAccessPolicy",
        orderby: ["displayName", "createdDateTime"],
        count: "yes",
      });
    },
  },
  {
    method: "GET",
    pattern: `${BASE}/policies/:id`,
    handler: (ctx) => {
      need(ctx, "conditionalAccess.read");
      const p = ctx.env.state.conditionalAccessPolicies.get(ctx.params.id!.toLowerCase());
      if (!p)
        // The code Graph uses for an unknown policy id is not documented: emulator's choice (README).
        throw new GraphError(404, "ResourceNotFound", `The policy '${ctx.params.id}' was not found.`);
      return entity(ctx, "identity/conditionalAccess/policies", policyView(p), {
        properties: POLICY_PROPS,
        typeName: "microsoft.graph.conditionalAccessPolicy",
      });
    },
  },
  {
    method: "GET",
    pattern: `${BASE}/authenticationContextClassReferences`,
    handler: (ctx) => {
      need(ctx, "authenticationContexts.read");
      return list(ctx, ctx.env.state.authenticationContexts.values(), {
        context: "identity/conditionalAccess/authenticationContextClassReferences",
        view: contextView,
        filter: CONTEXT_FILTER,
        properties: CONTEXT_PROPS,
        typeName: "microsoft.graph.authenticationContextClassReference",
        sort: (a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)),
      });
    },
  },
  {
    method: "GET",
    pattern: `${BASE}/authenticationContextClassReferences/:id`,
    handler: (ctx) => {
      need(ctx, "authenticationContexts.read");
      const c = ctx.env.state.authenticationContexts.get(ctx.params.id!.toLowerCase());
      if (!c)
        throw new GraphError(
          404,
          "ResourceNotFound",
          `The authentication context '${ctx.params.id}' was not found.`,
        );
      return entity(ctx, "identity/conditionalAccess/authenticationContextClassReferences", contextView(c), {
        properties: CONTEXT_PROPS,
        typeName: "microsoft.graph.authenticationContextClassReference",
      });
    },
  },
];
