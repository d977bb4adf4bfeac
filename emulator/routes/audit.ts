// auditLogs/directoryAudits (directoryAudit resource; list-directoryaudits page). Filters per §8.
import { GraphError } from "../errors";
import { entity, list, need, type Route } from "../http";
import type { FilterSpec } from "../odata";
import type { DirectoryAudit } from "../state";

const TARGET_FILTER: FilterSpec = {
  entity: "microsoft.graph.targetResource",
  props: { id: ["eq"], displayName: ["eq"], type: ["eq"], userPrincipalName: ["eq"] },
  startswith: ["displayName"],
};
const FILTER: FilterSpec = {
  entity: "microsoft.graph.directoryAudit",
  props: {
    activityDateTime: ["eq", "ge", "le", "gt", "lt"],
    activityDisplayName: ["eq"],
    category: ["eq"],
    correlationId: ["eq"],
    id: ["eq"],
    loggedByService: ["eq"],
    result: ["eq"],
    operationType: ["eq"],
    "initiatedBy/user/id": ["eq"],
    "initiatedBy/user/displayName": ["eq"],
    "initiatedBy/user/userPrincipalName": ["eq"],
    "initiatedBy/app/appId": ["eq"],
    "initiatedBy/app/displayName": ["eq"],
  },
  startswith: [
    "activityDisplayName",
    "initiatedBy/user/userPrincipalName",
    "initiatedBy/user/displayName",
    "initiatedBy/app/displayName",
  ],
  any: { targetResources: TARGET_FILTER },
};

export const auditRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/auditLogs/directoryAudits",
    handler: (ctx) => {
      need(ctx, "audit.read");
      return list<DirectoryAudit>(ctx, ctx.env.state.audits, {
        context: "auditLogs/directoryAudits",
        view: (a) => a as unknown as Record<string, unknown>,
        filter: FILTER,
        orderby: ["activityDateTime"],
        // Newest first unless $orderby says otherwise.
        sort: (a, b) => b.activityDateTime.localeCompare(a.activityDateTime),
      });
    },
  },
  {
    method: "GET",
    pattern: "/auditLogs/directoryAudits/:id",
    handler: (ctx) => {
      need(ctx, "audit.read");
      const a = ctx.env.state.audits.find((x) => x.id === ctx.params.id);
      if (!a)
        throw new GraphError(
          404,
          "Request_ResourceNotFound",
          `Resource '${ctx.params.id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      return entity(ctx, "auditLogs/directoryAudits", a as unknown as Record<string, unknown>);
    },
  },
];
