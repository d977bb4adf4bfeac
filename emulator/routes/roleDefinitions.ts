// roleManagement/directory/roleDefinitions (unifiedRoleDefinition, v1.0). Built-in roles come from the
// product's role catalog via the seed; `or` in $filter is refused as Graph does (graph-pim.md §3.5 [OBS]).
import { GraphError } from "../errors";
import { entity, list, need, type Route } from "../http";
import type { FilterSpec } from "../odata";
import { publicView } from "../state";

const FILTER: FilterSpec = {
  entity: "microsoft.graph.unifiedRoleDefinition",
  unsupportedCode: "Request_UnsupportedQuery",
  props: { id: ["eq"], displayName: ["eq"], templateId: ["eq"], isBuiltIn: ["eq"], isEnabled: ["eq"] },
  startswith: ["displayName"],
  or: false,
  orMessage: "Or operator not supported for this entity set.",
};
const PROPS = [
  "id",
  "description",
  "displayName",
  "isBuiltIn",
  "isEnabled",
  "resourceScopes",
  "templateId",
  "version",
  "rolePermissions",
  "inheritsPermissionsFrom",
] as const;

export const roleDefinitionRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/roleManagement/directory/roleDefinitions",
    handler: (ctx) => {
      need(ctx, "roleDefinitions.read");
      return list(ctx, ctx.env.state.roleDefinitions.values(), {
        context: "roleManagement/directory/roleDefinitions",
        view: (r) => publicView(r),
        filter: FILTER,
        properties: PROPS,
        typeName: "microsoft.graph.unifiedRoleDefinition",
        orderby: ["displayName"],
      });
    },
  },
  {
    method: "GET",
    pattern: "/roleManagement/directory/roleDefinitions/:id",
    handler: (ctx) => {
      need(ctx, "roleDefinitions.read");
      const r = ctx.env.state.roleDefinitions.get(ctx.params.id!.toLowerCase());
      if (!r)
        throw new GraphError(
          404,
          "Request_ResourceNotFound",
          `Resource '${ctx.params.id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      return entity(ctx, "roleManagement/directory/roleDefinitions", publicView(r), {
        properties: PROPS,
        typeName: "microsoft.graph.unifiedRoleDefinition",
      });
    },
  },
];
