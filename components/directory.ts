/**
 * What the names in the declarations turned out to be. The program reads every distinct reference before it
 * registers anything (`directoryReferences` → the Graph read layer → `resolveDirectory`), so that components
 * receive plain object ids and resource names can come from what they govern.
 *
 * Groups this program creates (approver groups, PIM groups) are not read: they may not exist yet, and their
 * identity is their declaration. Anything naming them by display name gets the group resource's object id.
 */
import type { Approver, PrincipalRef, Scope, TenantModel } from "../model";
import { isObjectId } from "../model/ids";
import { approverGroupKey, normalizeRef, pimGroupKey } from "../model/keys";
import type {
  DirectoryObject,
  DirectoryObjectType,
  DirectoryReference,
  Resolutions,
} from "../providers/graph/reads";

/** A reference to read, with what it may be and every place that uses it (for messages). */
export interface PlannedReference extends DirectoryReference {
  expect: DirectoryObjectType[];
  uses: string[];
}

/** A principal as the components need it: an object that exists, or a group this program creates. */
export type ResolvedPrincipal =
  { objectId: string; type: DirectoryObjectType } | { created: "approverGroup" | "pimGroup"; name: string };

const PRINCIPAL_TYPES: DirectoryObjectType[] = ["user", "group", "servicePrincipal"];

export interface CreatedGroup {
  created: "approverGroup" | "pimGroup";
  name: string;
}

/** The groups this stack creates, by normalized display name. */
export function createdGroups(model: TenantModel): Map<string, CreatedGroup> {
  const out = new Map<string, CreatedGroup>();
  for (const g of model.approverGroups)
    out.set(normalizeRef(g.name), { created: "approverGroup", name: g.name });
  for (const g of model.pimGroups) out.set(normalizeRef(g.name), { created: "pimGroup", name: g.name });
  return out;
}

/** The declaration key of a group this program creates (`approverGroup:<name>` / `pimGroup:<name>`). */
export const createdGroupKey = (p: CreatedGroup) =>
  p.created === "approverGroup" ? approverGroupKey(p.name) : pimGroupKey(p.name);

type Plan = Omit<PlannedReference, "uses">;

/** A group this program creates, when `p` names one by display name (never by UPN or object id). */
function createdGroupNamed(p: PrincipalRef, created: ReturnType<typeof createdGroups>) {
  const byName =
    !isObjectId(p.ref) && !p.ref.includes("@") && p.type !== "servicePrincipal" && p.type !== "user";
  return byName ? created.get(normalizeRef(p.ref)) : undefined;
}

/** How a grant's principal is read: by object id, UPN, or a display name that may be a group or an app. */
function principalPlan(p: PrincipalRef): Plan {
  const ref = p.ref.trim();
  if (isObjectId(ref))
    return {
      key: `object:${normalizeRef(ref)}`,
      kind: "object",
      ref,
      expect: p.type ? [p.type] : PRINCIPAL_TYPES,
    };
  if (p.type === "user" || (p.type === null && ref.includes("@")))
    return { key: `user:${normalizeRef(ref)}`, kind: "user", ref, expect: ["user"] };
  if (p.type === "group") return { key: `group:${normalizeRef(ref)}`, kind: "group", ref, expect: ["group"] };
  if (p.type === "servicePrincipal")
    return {
      key: `servicePrincipal:${normalizeRef(ref)}`,
      kind: "servicePrincipal",
      ref,
      expect: ["servicePrincipal"],
    };
  return {
    key: `groupOrServicePrincipal:${normalizeRef(ref)}`,
    kind: "groupOrServicePrincipal",
    ref,
    expect: ["group", "servicePrincipal"],
  };
}

const userPlan = (ref: string): Plan => principalPlan({ ref, type: "user" });
const approverPrincipal = (a: Approver): PrincipalRef => ({ ref: a.ref, type: a.type });

function scopePlan(scope: Scope): Plan | null {
  if (scope.type === "administrativeUnit")
    return {
      key: `administrativeUnit:${normalizeRef(scope.ref)}`,
      kind: "administrativeUnit",
      ref: scope.ref.trim(),
      expect: ["administrativeUnit"],
    };
  if (scope.type === "application")
    return {
      key: `application:${normalizeRef(scope.ref)}`,
      kind: "application",
      ref: scope.ref.trim(),
      expect: ["application"],
    };
  return null;
}

/** Every approver a settings object names: primary and escalation approvers of every stage. */
export const stageApprovers = (s: TenantModel["roleSettings"][number]["settings"]): Approver[] =>
  s.activation.approval.stages.flatMap((st) => [...st.approvers, ...(st.escalation?.approvers ?? [])]);

/** Every membership of a PIM group that is provisioned (not expired), with its list's path. */
export function provisionedMemberships(g: TenantModel["pimGroups"][number]) {
  const lists = [
    ["members.eligible", g.members.eligible],
    ["members.active", g.members.active],
    ["owners.eligible", g.owners.eligible],
    ["owners.active", g.owners.active],
  ] as const;
  return lists.flatMap(([path, list]) =>
    list.filter((m) => m.status !== "expired").map((m) => ({ path, m })),
  );
}

/**
 * Every distinct reference the provisioned declarations make, once each (names compared as Entra does,
 * case-insensitively), skipping groups this program creates. Expired grants and memberships are not provisioned,
 * so they are not read: a person who left the company must not stop the run that would clean up after them.
 */
export function directoryReferences(model: TenantModel): PlannedReference[] {
  const created = createdGroups(model);
  const out = new Map<string, PlannedReference>();
  const add = (plan: Plan | null, use: string) => {
    if (!plan) return;
    const hit = out.get(plan.key);
    if (!hit) return void out.set(plan.key, { ...plan, uses: [use] });
    if (!hit.uses.includes(use)) hit.uses.push(use);
    // One read serves every use; the object must fit all of them (an id named as a user approver must be a user).
    hit.expect = hit.expect.filter((t) => plan.expect.includes(t));
  };
  const principal = (p: PrincipalRef, use: string) => {
    if (!createdGroupNamed(p, created)) add(principalPlan(p), use);
  };
  for (const g of model.grants.filter((x) => x.status !== "expired")) {
    principal(g.principal, g.file);
    add(scopePlan(g.scope), g.file);
  }
  for (const d of model.roleSettings)
    for (const a of stageApprovers(d.settings))
      principal(approverPrincipal(a), `${d.source.file}: approvers of ${d.label}`);
  for (const g of model.approverGroups)
    for (const m of g.members) add(userPlan(m), `${g.source.file}: approver group "${g.name}"`);
  for (const g of model.pimGroups)
    for (const { path, m } of provisionedMemberships(g))
      add(
        isObjectId(m.principal)
          ? { ...principalPlan({ ref: m.principal, type: null }), expect: ["user", "group"] }
          : userPlan(m.principal),
        `${g.source.file}: PIM group "${g.name}" ${path}`,
      );
  return [...out.values()];
}

/** The read behind a break-glass account (judged by the break-glass verification, not by `resolveDirectory`). */
export const breakGlassReference = (upn: string): DirectoryReference => {
  const { key, kind, ref } = userPlan(upn);
  return { key, kind, ref };
};

const ARTICLE: Record<DirectoryObjectType, string> = {
  user: "a user",
  group: "a group",
  servicePrincipal: "a service principal",
  administrativeUnit: "an administrative unit",
  application: "an application",
};

const expected = (types: DirectoryObjectType[]) => types.map((t) => ARTICLE[t]).join(" or ");

/** The one object a reference names, or why not (each use named). */
function verdict(
  r: PlannedReference,
  found: DirectoryObject[],
): { object: DirectoryObject } | { problem: string } {
  const where = r.uses.join("; ");
  if (!r.expect.length)
    return {
      problem: `${where}: "${r.ref}" is named as different kinds of principal; name each by what it is`,
    };
  const fitting = found.filter((o) => r.expect.includes(o.type));
  if (fitting.length === 1) return { object: fitting[0]! };
  if (fitting.length > 1) {
    if (r.kind === "groupOrServicePrincipal" && new Set(fitting.map((o) => o.type)).size > 1)
      return {
        problem: `${where}: principal "${r.ref}" is both a group and a service principal; add principalType: group or servicePrincipal to the grant`,
      };
    return {
      problem: `${where}: "${r.ref}" names ${fitting.length} objects (${fitting.map((o) => o.id).join(", ")}); name the one you mean by its object id`,
    };
  }
  if (found.length)
    return {
      problem: `${where}: "${r.ref}" is ${ARTICLE[found[0]!.type]}, not ${expected(r.expect)}; name ${expected(r.expect)} instead`,
    };
  const how = r.kind === "object" ? "check the object id" : "check the spelling, or name it by its object id";
  return { problem: `${where}: ${expected(r.expect)} "${r.ref}" does not exist in the tenant; ${how}` };
}

/** The answers of the read layer, judged: every reference must name exactly one object of the kind expected. */
export function resolveDirectory(
  refs: readonly PlannedReference[],
  found: Resolutions,
): { objects: Map<string, DirectoryObject>; problems: string[] } {
  const objects = new Map<string, DirectoryObject>();
  const problems: string[] = [];
  for (const r of refs) {
    const v = verdict(r, found.get(r.key) ?? []);
    if ("object" in v) objects.set(r.key, v.object);
    else problems.push(v.problem);
  }
  return { objects, problems };
}

/**
 * The resolved directory, as components ask it. Every lookup must succeed: the program judged every reference
 * before constructing anything, so a miss here is a bug, not a user's mistake.
 */
export class Directory {
  private readonly created: ReturnType<typeof createdGroups>;

  constructor(
    model: TenantModel,
    private readonly objects: ReadonlyMap<string, DirectoryObject>,
  ) {
    this.created = createdGroups(model);
  }

  principal(p: PrincipalRef): ResolvedPrincipal {
    const own = createdGroupNamed(p, this.created);
    if (own) return own;
    const o = this.object(principalPlan(p).key, p.ref);
    return { objectId: o.id, type: o.type };
  }

  approver(a: Approver): ResolvedPrincipal {
    return this.principal(approverPrincipal(a));
  }

  /** A user (approver group member, PIM group member or owner, break-glass account) by UPN or object id. */
  userId(ref: string): string {
    return this.object(isObjectId(ref) ? principalPlan({ ref, type: null }).key : userPlan(ref).key, ref).id;
  }

  /** Graph's `directoryScopeId`: `/`, `/administrativeUnits/<id>` or `/<application object id>`. */
  directoryScopeId(scope: Scope): string {
    const plan = scopePlan(scope);
    if (!plan) {
      if (scope.type === "azure") throw new Error(`an Azure scope (${scope.id}) has no directory scope id`);
      return "/";
    }
    const id = this.object(plan.key, plan.ref).id;
    return scope.type === "administrativeUnit" ? `/administrativeUnits/${id}` : `/${id}`;
  }

  private object(key: string, ref: string): DirectoryObject {
    const o = this.objects.get(key);
    if (!o) throw new Error(`"${ref}" was not resolved before the components were built (${key})`);
    return o;
  }
}
