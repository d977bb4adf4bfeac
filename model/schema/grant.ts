/**
 * One grant per file under `stacks/<stack>/grants/`: one access request is one reviewable pull request.
 */
import { z } from "zod";
import { azureScope, dateText, duration, nonEmpty, principalRef, prose, ticket, upn } from "./common";

/**
 * Where a role applies. Default: the whole tenant. Entra roles can be scoped to an administrative unit or an
 * application (by display name or object id); Azure resource roles take an ARM scope string.
 */
export const scope = z.union(
  [
    z.literal("tenant"),
    z.literal("/"),
    azureScope,
    z.strictObject({
      administrativeUnit: nonEmpty.describe("Display name or object id of the administrative unit"),
    }),
    z.strictObject({
      application: nonEmpty.describe("Display name, app id or object id of the application"),
    }),
  ],
  {
    error:
      "write tenant, { administrativeUnit: <name> }, { application: <name> }, or an Azure scope such as /subscriptions/<id>",
  },
);
export type ScopeInput = z.infer<typeof scope>;

export const principalType = z.enum(["user", "group", "servicePrincipal"]);

export const grant = z.strictObject({
  principal: principalRef.describe("UPN, group display name, service principal display name, or object id"),
  principalType: principalType
    .optional()
    .describe("Only needed when a name could be both a group and a service principal"),
  role: nonEmpty.describe(
    "Role display name from the catalog (Entra or Azure), or a custom role definition id",
  ),
  scope: scope.optional().describe("tenant (default), {administrativeUnit}, {application} or an Azure scope"),
  kind: z
    .enum(["eligible", "active"])
    .describe("eligible: can activate on demand; active: holds the role now"),
  start: dateText("start")
    .optional()
    .describe("YYYY-MM-DD or date-time with zone; default: when provisioned"),
  end: dateText("end")
    .optional()
    .describe("Last day (YYYY-MM-DD, through the end of that day UTC) or an exact date-time with zone"),
  duration: duration.optional().describe("ISO 8601 duration from start instead of end, e.g. P42D"),
  justification: prose.describe("Why this access is needed; recorded in Entra with the request"),
  ticket: ticket.optional(),
  requestedBy: upn.optional().describe("Who asked for the access (UPN)"),
});
export type GrantInput = z.infer<typeof grant>;
