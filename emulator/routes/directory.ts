// Directory objects the product resolves names against: users, groups (with members/owners $ref),
// service principals, applications, administrative units, organization, directoryObjects.
// Shapes follow the v1.0 user / group / servicePrincipal / application / administrativeUnit resources.
import { iso } from "../clock";
import { GraphError, badRequest, resourceNotFound } from "../errors";
import { entity, list, need, objectBody, type Ctx, type Route } from "../http";
import { isGuid, newGuid } from "../ids";
import type { FilterSpec } from "../odata";
import { publicView, type Group, type User } from "../state";
import { validateBody } from "../bodies";

const USER_DEFAULT = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
] as const;
// The on-premises attributes are returned only on $select, as Graph does (user resource: "Returned only on $select").
const USER_PROPS = [
  ...USER_DEFAULT,
  "userType",
  "accountEnabled",
  "onPremisesSyncEnabled",
  "onPremisesImmutableId",
  "onPremisesLastSyncDateTime",
] as const;

export function userView(u: User): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
    userType: u.userType,
    accountEnabled: u.accountEnabled,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    onPremisesImmutableId: u.onPremisesImmutableId,
    onPremisesLastSyncDateTime: u.onPremisesLastSyncDateTime,
  };
}

const GROUP_PROPS = [
  "id",
  "createdDateTime",
  "description",
  "displayName",
  "groupTypes",
  "isAssignableToRole",
  "mail",
  "mailEnabled",
  "mailNickname",
  "securityEnabled",
  "visibility",
] as const;

export function groupView(g: Group): Record<string, unknown> {
  return {
    id: g.id,
    createdDateTime: g.createdDateTime,
    description: g.description,
    displayName: g.displayName,
    groupTypes: g.groupTypes,
    isAssignableToRole: g.isAssignableToRole,
    mail: g.mailEnabled ? `${g.mailNickname}@${"contoso.onmicrosoft.com"}` : null,
    mailEnabled: g.mailEnabled,
    mailNickname: g.mailNickname,
    securityEnabled: g.securityEnabled,
    visibility: g.visibility,
  };
}

/** A directory object as returned by members/owners/directoryObjects, with its `@odata.type`. */
export function directoryObjectView(ctx: Ctx, id: string): Record<string, unknown> | null {
  const found = ctx.env.state.findDirectoryObject(id);
  if (!found) return null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a directory object of any of three types, each view reads its own fields
  const o = found.obj as any;
  const base = found.type === "user" ? userView(o) : found.type === "group" ? groupView(o) : publicView(o);
  return { "@odata.type": `#microsoft.graph.${found.type}`, ...base };
}

const DIR = "Request_UnsupportedQuery";
const USER_FILTER: FilterSpec = {
  entity: "User",
  unsupportedCode: DIR,
  props: {
    id: ["eq"],
    userPrincipalName: ["eq"],
    displayName: ["eq"],
    mail: ["eq"],
    userType: ["eq"],
    accountEnabled: ["eq"],
    onPremisesSyncEnabled: ["eq", "ne"],
  },
  startswith: ["displayName", "userPrincipalName", "mail", "givenName", "surname"],
  in: ["id", "userPrincipalName", "mail"],
};
const GROUP_FILTER: FilterSpec = {
  entity: "Group",
  unsupportedCode: DIR,
  props: {
    id: ["eq"],
    displayName: ["eq"],
    mailNickname: ["eq"],
    isAssignableToRole: ["eq"],
    securityEnabled: ["eq"],
    mailEnabled: ["eq"],
  },
  startswith: ["displayName", "mailNickname"],
  in: ["id", "displayName"],
};
const SP_FILTER: FilterSpec = {
  entity: "ServicePrincipal",
  unsupportedCode: DIR,
  props: {
    id: ["eq"],
    appId: ["eq"],
    displayName: ["eq"],
    servicePrincipalType: ["eq"],
    accountEnabled: ["eq"],
  },
  startswith: ["displayName"],
  in: ["id", "appId", "displayName"],
};
const APP_FILTER: FilterSpec = {
  entity: "Application",
  unsupportedCode: DIR,
  props: { id: ["eq"], appId: ["eq"], displayName: ["eq"] },
  startswith: ["displayName"],
  in: ["appId"],
};
const AU_FILTER: FilterSpec = {
  entity: "AdministrativeUnit",
  unsupportedCode: DIR,
  props: { id: ["eq"], displayName: ["eq"] },
  startswith: ["displayName"],
};
const DO_FILTER: FilterSpec = {
  entity: "DirectoryObject",
  unsupportedCode: DIR,
  props: { id: ["eq"] },
  in: ["id"],
};

/** `groups/{id}` answers a malformed id with 400, not 404 (real Graph behaviour for GUID-keyed sets). */
function guidKey(id: string): string {
  if (!isGuid(id)) throw new GraphError(400, "Request_BadRequest", `Invalid object identifier '${id}'.`);
  return id.toLowerCase();
}

function getGroup(ctx: Ctx): Group {
  const g = ctx.env.state.groups.get(guidKey(ctx.params.id!));
  if (!g) throw resourceNotFound(ctx.params.id!);
  return g;
}

function getUser(ctx: Ctx): User {
  const u = ctx.env.state.findUser(ctx.params.id!);
  if (!u) throw resourceNotFound(ctx.params.id!);
  return u;
}

function refTarget(ctx: Ctx): string {
  const b = objectBody(ctx);
  const ref = b["@odata.id"];
  if (typeof ref !== "string")
    throw new GraphError(
      400,
      "Request_BadRequest",
      "The '@odata.id' property is required in a $ref request body.",
    );
  const m =
    /\/(?:directoryObjects|users|groups|servicePrincipals)\/([^/?]+)$/i.exec(ref) ??
    /^([0-9a-f-]{36})$/i.exec(ref);
  if (!m)
    throw new GraphError(400, "Request_BadRequest", `Invalid URL format specified in @odata.id '${ref}'.`);
  const id = decodeURIComponent(m[1]!);
  const obj =
    ctx.env.state.findPrincipal(id) ??
    (ctx.env.state.findUser(id) ? { obj: ctx.env.state.findUser(id)! } : undefined);
  if (!obj) throw resourceNotFound(id);
  return obj.obj.id;
}

function relation(kind: "members" | "owners"): Route[] {
  const field = kind === "members" ? "_members" : "_owners";
  return [
    {
      method: "GET",
      pattern: `/groups/:id/${kind}`,
      handler: (ctx) => {
        need(ctx, "groups.read");
        const g = getGroup(ctx);
        return list(ctx, g[field], {
          context: "directoryObjects",
          view: (id) => directoryObjectView(ctx, id) ?? { id },
          filter: DO_FILTER,
          count: "eventual",
        });
      },
    },
    {
      method: "POST",
      pattern: `/groups/:id/${kind}/$ref`,
      handler: (ctx) => {
        need(ctx, "groups.members.write");
        const g = getGroup(ctx);
        const id = refTarget(ctx);
        if (g[field].includes(id))
          throw new GraphError(
            400,
            "Request_BadRequest",
            `One or more added object references already exist for the following modified properties: '${kind}'.`,
          );
        g[field].push(id);
        ctx.env.onWrite();
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      pattern: `/groups/:id/${kind}/:memberId/$ref`,
      handler: (ctx) => {
        need(ctx, "groups.members.write");
        const g = getGroup(ctx);
        const id = ctx.params.memberId!.toLowerCase();
        const i = g[field].indexOf(id);
        if (i < 0) throw resourceNotFound(ctx.params.memberId!);
        // A group must keep at least one owner once it has owners? No: Graph allows removing the last owner of a security group.
        g[field].splice(i, 1);
        ctx.env.onWrite();
        return { status: 204 };
      },
    },
  ];
}

function createGroup(ctx: Ctx) {
  need(ctx, "groups.write");
  const b = objectBody(ctx);
  validateBody(
    b,
    {
      displayName: "string",
      description: "string",
      mailEnabled: "boolean",
      mailNickname: "string",
      securityEnabled: "boolean",
      groupTypes: { arr: "string" },
      isAssignableToRole: "boolean",
      visibility: "string",
      "members@odata.bind": { arr: "string" },
      "owners@odata.bind": { arr: "string" },
    },
    "microsoft.graph.group",
  );
  for (const k of ["displayName", "mailNickname", "mailEnabled", "securityEnabled"])
    if (b[k] === undefined || b[k] === null || b[k] === "")
      throw new GraphError(
        400,
        "Request_BadRequest",
        `Invalid value specified for property '${k}' of resource 'Group'.`,
      );
  if (b.isAssignableToRole === true) {
    need(ctx, "groups.roleAssignable.create");
    if (b.securityEnabled !== true)
      throw new GraphError(400, "Request_BadRequest", "Role-assignable groups must be security enabled.");
  }
  const state = ctx.env.state;
  const bind = (arr: unknown): string[] =>
    ((arr as string[] | undefined) ?? []).map((ref) => {
      const m = /\/([0-9a-f-]{36})$/i.exec(ref);
      const id = m?.[1]?.toLowerCase();
      if (!id || !state.findPrincipal(id))
        throw new GraphError(400, "Request_BadRequest", `Invalid object identifier '${ref}'.`);
      return id;
    });
  const g: Group = {
    id: newGuid(),
    displayName: b.displayName as string,
    description: (b.description as string | undefined) ?? null,
    mailEnabled: b.mailEnabled as boolean,
    mailNickname: b.mailNickname as string,
    securityEnabled: b.securityEnabled as boolean,
    groupTypes: (b.groupTypes as string[] | undefined) ?? [],
    isAssignableToRole: (b.isAssignableToRole as boolean | undefined) ?? null,
    createdDateTime: iso(ctx.env.clock.now()),
    visibility: (b.visibility as string | undefined) ?? null,
    _members: bind(b["members@odata.bind"]),
    _owners: bind(b["owners@odata.bind"]),
    _pimOnboarded: false,
    ...(state.settings.groupPolicyLagMs
      ? { _policiesVisibleAtMs: Date.now() + state.settings.groupPolicyLagMs }
      : {}),
  };
  state.groups.set(g.id, g);
  ctx.env.onWrite();
  return entity(ctx, "groups", groupView(g), { status: 201 });
}

export const directoryRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/organization",
    handler: (ctx) => {
      need(ctx, "organization.read");
      const t = ctx.env.state.tenant;
      return list(ctx, [t], {
        context: "organization",
        view: (x) => ({
          id: x.id,
          displayName: x.displayName,
          tenantType: "AAD",
          verifiedDomains: x.domains.map((d) => ({
            name: d.name,
            isDefault: d.isDefault,
            isInitial: d.name.endsWith(".onmicrosoft.com"),
            type: "Managed",
            capabilities: "Email, OfficeCommunicationsOnline",
          })),
        }),
      });
    },
  },
  {
    method: "GET",
    pattern: "/users",
    handler: (ctx) => {
      need(ctx, "users.read");
      return list(ctx, ctx.env.state.users.values(), {
        context: "users",
        view: userView,
        filter: USER_FILTER,
        properties: USER_PROPS,
        typeName: "microsoft.graph.user",
        count: "eventual",
        defaultProps: USER_DEFAULT,
        orderby: ["displayName", "userPrincipalName"],
      });
    },
  },
  {
    method: "GET",
    pattern: "/users/$count",
    handler: (ctx) => {
      need(ctx, "users.read");
      if ((ctx.headers["consistencylevel"] ?? "").toLowerCase() !== "eventual")
        throw new GraphError(400, "Request_BadRequest", "$count is not currently supported.");
      return { status: 200, text: String(ctx.env.state.users.size) };
    },
  },
  {
    method: "GET",
    pattern: "/users/:id",
    handler: (ctx) => {
      need(ctx, "users.read");
      return entity(ctx, "users", userView(getUser(ctx)), {
        properties: USER_PROPS,
        typeName: "microsoft.graph.user",
        defaultProps: USER_DEFAULT,
      });
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/memberOf",
    handler: (ctx) => {
      need(ctx, "groups.read");
      const u = getUser(ctx);
      return list(
        ctx,
        ctx.env.state.groupsOf(u.id).map((g) => g.id),
        { context: "directoryObjects", view: (id) => directoryObjectView(ctx, id) ?? { id } },
      );
    },
  },
  {
    method: "GET",
    pattern: "/groups",
    handler: (ctx) => {
      need(ctx, "groups.read");
      return list(ctx, ctx.env.state.groups.values(), {
        context: "groups",
        view: groupView,
        filter: GROUP_FILTER,
        properties: GROUP_PROPS,
        typeName: "microsoft.graph.group",
        count: "eventual",
        orderby: ["displayName"],
      });
    },
  },
  { method: "POST", pattern: "/groups", handler: createGroup },
  {
    method: "GET",
    pattern: "/groups/:id",
    handler: (ctx) => {
      need(ctx, "groups.read");
      return entity(ctx, "groups", groupView(getGroup(ctx)), {
        properties: GROUP_PROPS,
        typeName: "microsoft.graph.group",
      });
    },
  },
  {
    method: "PATCH",
    pattern: "/groups/:id",
    handler: (ctx) => {
      need(ctx, "groups.write");
      const g = getGroup(ctx);
      const b = objectBody(ctx);
      validateBody(
        b,
        {
          displayName: "string",
          description: "string",
          mailNickname: "string",
          visibility: "string",
          isAssignableToRole: "boolean",
        },
        "microsoft.graph.group",
      );
      if (b.isAssignableToRole !== undefined && b.isAssignableToRole !== g.isAssignableToRole)
        throw new GraphError(
          400,
          "Request_BadRequest",
          "The isAssignableToRole property cannot be changed after the group is created.",
        );
      if (typeof b.displayName === "string") g.displayName = b.displayName;
      if (b.description !== undefined) g.description = b.description as string | null;
      if (typeof b.mailNickname === "string") g.mailNickname = b.mailNickname;
      if (b.visibility !== undefined) g.visibility = b.visibility as string | null;
      ctx.env.onWrite();
      return { status: 204 };
    },
  },
  {
    method: "DELETE",
    pattern: "/groups/:id",
    handler: (ctx) => {
      need(ctx, "groups.write");
      const g = getGroup(ctx);
      const state = ctx.env.state;
      state.groups.delete(g.id);
      for (const [id, s] of state.schedules)
        if (s.principalId === g.id || (s._scope === "group" && s._target === g.id))
          state.schedules.delete(id);
      for (const [id, a] of state.policyAssignments)
        if (a.scopeId === g.id) {
          state.policyAssignments.delete(id);
          state.policies.delete(a.policyId);
        }
      for (const og of state.groups.values()) {
        og._members = og._members.filter((m) => m !== g.id);
        og._owners = og._owners.filter((m) => m !== g.id);
      }
      ctx.env.onWrite();
      return { status: 204 };
    },
  },
  ...relation("members"),
  ...relation("owners"),
  {
    method: "GET",
    pattern: "/servicePrincipals",
    handler: (ctx) => {
      need(ctx, "applications.read");
      return list(ctx, ctx.env.state.servicePrincipals.values(), {
        context: "servicePrincipals",
        view: (s) => publicView(s),
        filter: SP_FILTER,
        count: "eventual",
      });
    },
  },
  {
    method: "GET",
    pattern: "/servicePrincipals/:id",
    handler: (ctx) => {
      need(ctx, "applications.read");
      const sp = ctx.env.state.servicePrincipals.get(guidKey(ctx.params.id!));
      if (!sp) throw resourceNotFound(ctx.params.id!);
      return entity(ctx, "servicePrincipals", publicView(sp));
    },
  },
  {
    method: "GET",
    pattern: "/applications",
    handler: (ctx) => {
      need(ctx, "applications.read");
      return list(ctx, ctx.env.state.applications.values(), {
        context: "applications",
        view: (a) => publicView(a),
        filter: APP_FILTER,
        count: "eventual",
      });
    },
  },
  {
    method: "GET",
    pattern: "/applications/:id",
    handler: (ctx) => {
      need(ctx, "applications.read");
      const a = ctx.env.state.applications.get(guidKey(ctx.params.id!));
      if (!a) throw resourceNotFound(ctx.params.id!);
      return entity(ctx, "applications", publicView(a));
    },
  },
  // v1.0 documents `/directory/administrativeUnits`; the root `/administrativeUnits` is answered too.
  ...["/administrativeUnits", "/directory/administrativeUnits"].flatMap((base): Route[] => [
    {
      method: "GET",
      pattern: base,
      handler: (ctx) => {
        need(ctx, "administrativeUnits.read");
        return list(ctx, ctx.env.state.administrativeUnits.values(), {
          context: "directory/administrativeUnits",
          view: (a) => publicView(a),
          filter: AU_FILTER,
        });
      },
    },
    {
      method: "GET",
      pattern: `${base}/:id`,
      handler: (ctx) => {
        need(ctx, "administrativeUnits.read");
        const a = ctx.env.state.administrativeUnits.get(guidKey(ctx.params.id!));
        if (!a) throw resourceNotFound(ctx.params.id!);
        return entity(ctx, "directory/administrativeUnits", publicView(a));
      },
    },
  ]),
  {
    method: "GET",
    pattern: "/directoryObjects/:id",
    handler: (ctx) => {
      need(ctx, "directoryObjects.read");
      const v = directoryObjectView(ctx, guidKey(ctx.params.id!));
      if (!v) throw resourceNotFound(ctx.params.id!);
      return entity(ctx, "directoryObjects", v);
    },
  },
  {
    method: "POST",
    pattern: "/directoryObjects/getByIds",
    handler: (ctx) => {
      need(ctx, "directoryObjects.read");
      const b = objectBody(ctx);
      validateBody(
        b,
        { ids: { arr: "string" }, types: { arr: "string" } },
        "microsoft.graph.directoryObject",
      );
      if (!Array.isArray(b.ids)) throw badRequest("The 'ids' parameter is required.");
      if (b.ids.length > 1000) throw badRequest("The number of ids exceeds 1000.");
      const types = (b.types as string[] | undefined)?.map((t) => t.toLowerCase());
      const out = (b.ids as string[])
        .map((id) => directoryObjectView(ctx, id.toLowerCase()))
        .filter((v): v is Record<string, unknown> => !!v)
        .filter(
          (v) =>
            !types || types.includes(String(v["@odata.type"]).replace("#microsoft.graph.", "").toLowerCase()),
        );
      return {
        status: 200,
        body: {
          "@odata.context": `https://graph.microsoft.com/${ctx.version}/$metadata#directoryObjects`,
          value: out,
        },
      };
    },
  },
];
