/**
 * Identity over resolved ids: what makes two declarations one object once names are read, and the invariants
 * that only resolved ids can check. Every problem is found before anything is registered, and all of them are
 * reported at once.
 *
 * - Two grants that resolve to one assignment (a UPN and the same user's object id, two spellings of one name)
 *   would be two resources governing one schedule: deleting either file would remove the other's access.
 * - Break-glass accounts stay outside PIM (ARCHITECTURE decision 7): compared by object id, so naming one by
 *   its object id, or by another spelling, is caught like naming it by its UPN.
 */
import type { Grant, TenantModel } from "../model";
import { grantKey, normalizeRef } from "../model/keys";
import type { VerifiedBreakGlass } from "../providers/graph/reads";
import {
  createdGroupKey,
  provisionedMemberships,
  stageApprovers,
  type Directory,
  type ResolvedPrincipal,
} from "./directory";

export interface GrantIdentity {
  /** `grantKey` over resolved ids: kind, role, scope (by object id) and principal (object id or group key). */
  key: string;
  principal: ResolvedPrincipal;
  /** The principal's part of the identity: its object id, or the declaration key of a group created here. */
  principalKey: string;
  /** Entra roles: `/`, `/administrativeUnits/<id>` or `/<application id>`; null for Azure roles. */
  directoryScopeId: string | null;
}

export const principalKeyOf = (p: ResolvedPrincipal) => ("objectId" in p ? p.objectId : createdGroupKey(p));

/** A grant's identity; `groupName` replaces a created group principal's name (to compute a pre-rename identity). */
export function grantIdentity(g: Grant, dir: Directory, groupName?: string): GrantIdentity {
  const resolved = dir.principal(g.principal);
  const principal = "created" in resolved && groupName ? { ...resolved, name: groupName } : resolved;
  const directoryScopeId =
    g.role.kind === "directory" && g.scope.type !== "azure" ? dir.directoryScopeId(g.scope) : null;
  const scope =
    g.scope.type === "administrativeUnit" || g.scope.type === "application"
      ? { ...g.scope, ref: directoryScopeId!.split("/").pop()! }
      : g.scope;
  const principalKey = principalKeyOf(principal);
  return {
    key: grantKey({ kind: g.kind, role: g.role, scope, principal: principalKey }),
    principal,
    principalKey,
    directoryScopeId,
  };
}

/** Two or more declarations that resolve to one object, listed by where they are. */
function duplicates<T>(items: T[], keyOf: (x: T) => string): T[][] {
  const by = new Map<string, T[]>();
  for (const x of items) by.set(keyOf(x), [...(by.get(keyOf(x)) ?? []), x]);
  return [...by.values()].filter((g) => g.length > 1);
}

export function duplicateGrants(model: TenantModel, dir: Directory): string[] {
  const live = model.grants
    .filter((g) => g.status !== "expired")
    .map((g) => ({ g, id: grantIdentity(g, dir) }));
  return duplicates(live, (x) => x.id.key).map((same) => {
    const [{ g, id }] = same as [(typeof same)[number]];
    const files = same.map((x) => x.g.file).join(" and ");
    const spellings = [...new Set(same.map((x) => x.g.principal.ref))].join(", ");
    const where =
      g.scope.type === "tenant"
        ? "tenant-wide"
        : `at ${id.directoryScopeId ?? (g.scope as { id: string }).id}`;
    return (
      `${files} declare one assignment: ${g.kind} ${g.role.name} ${where} for ${spellings}, which is one principal ` +
      `(${id.principalKey}). Two resources would govern one schedule, and deleting either file would remove the ` +
      `access the other declares. Fix: keep one of the files.`
    );
  });
}

function duplicateMembers(model: TenantModel, dir: Directory): string[] {
  const out: string[] = [];
  for (const g of model.approverGroups) {
    for (const same of duplicates(g.members, (m) => dir.userId(m)))
      out.push(
        `${g.source.file}: approver group "${g.name}" lists ${same.join(" and ")}, which are one account (${dir.userId(same[0]!)}). Fix: keep one.`,
      );
  }
  for (const g of model.pimGroups) {
    const list = provisionedMemberships(g);
    for (const same of duplicates(list, (x) => `${x.path}|${dir.userId(x.m.principal)}`))
      out.push(
        `${g.source.file}: PIM group "${g.name}" ${same[0]!.path} lists ${same.map((x) => x.m.principal).join(" and ")}, ` +
          `which are one principal (${dir.userId(same[0]!.m.principal)}). Fix: keep one.`,
      );
  }
  return out;
}

/** A previous name must not be another declared group's name or another group's previous name. */
function previousNameConflicts(model: TenantModel): string[] {
  const groups = [...model.approverGroups, ...model.pimGroups];
  const current = new Map(groups.map((g) => [normalizeRef(g.name), g.name]));
  const claimed = new Map<string, string>();
  const out: string[] = [];
  for (const g of groups) {
    for (const p of g.previousNames) {
      const k = normalizeRef(p);
      const other = current.get(k);
      if (other !== undefined && k !== normalizeRef(g.name))
        out.push(
          `${g.source.file}: group "${g.name}" lists previousNames "${p}", which is group "${other}" today. Fix: remove it from previousNames.`,
        );
      const prior = claimed.get(k);
      if (prior !== undefined && prior !== g.name)
        out.push(
          `${g.source.file}: groups "${prior}" and "${g.name}" both list previousNames "${p}". Fix: keep it on the group that had that name.`,
        );
      claimed.set(k, g.name);
    }
  }
  return out;
}

/**
 * Break-glass isolation by object id: no grant, no approver, no member of an approver group, no member or owner of
 * a PIM group may be a break-glass account, whatever spelling names it. Expired grants and memberships are checked
 * by their declared spelling only (they are not provisioned, so not read).
 */
export function breakGlassIsolation(
  model: TenantModel,
  dir: Directory,
  breakGlass: readonly VerifiedBreakGlass[],
): string[] {
  const byId = new Map(breakGlass.map((b) => [b.objectId, b.upn]));
  const byUpn = new Map(model.breakGlass.map((b) => [normalizeRef(b.upn), b.upn]));
  const account = (ref: string, p: ResolvedPrincipal | null) =>
    (p && "objectId" in p ? byId.get(p.objectId) : undefined) ?? byUpn.get(normalizeRef(ref));
  const named = (ref: string, upn: string) =>
    normalizeRef(ref) === normalizeRef(upn) ? upn : `${upn} (named here as ${ref})`;
  const out: string[] = [];
  for (const g of model.grants) {
    const upn = account(g.principal.ref, g.status === "expired" ? null : dir.principal(g.principal));
    if (upn)
      out.push(
        `${g.file}: break-glass account ${named(g.principal.ref, upn)} must not receive grants; its Global Administrator comes from breakGlass only`,
      );
  }
  for (const g of model.approverGroups) {
    for (const m of g.members) {
      const upn = account(m, { objectId: dir.userId(m), type: "user" });
      if (upn)
        out.push(`approver group "${g.name}": break-glass account ${named(m, upn)} must never approve`);
    }
  }
  for (const d of model.roleSettings) {
    for (const a of stageApprovers(d.settings)) {
      if (a.type !== "user") continue;
      const upn = account(a.ref, dir.approver(a));
      if (upn)
        out.push(`settings of ${d.label}: break-glass account ${named(a.ref, upn)} must never approve`);
    }
  }
  for (const g of model.pimGroups) {
    const lists = [...g.members.eligible, ...g.members.active, ...g.owners.eligible, ...g.owners.active];
    for (const m of lists) {
      const upn = account(
        m.principal,
        m.status === "expired" ? null : { objectId: dir.userId(m.principal), type: "user" },
      );
      if (upn)
        out.push(
          `PIM group "${g.name}": break-glass account ${named(m.principal, upn)} must not be a PIM member or owner`,
        );
    }
  }
  return [...new Set(out)];
}

/** Every identity problem of a resolved model, for the program to refuse before it registers anything. */
export function identityProblems(
  model: TenantModel,
  dir: Directory,
  breakGlass: readonly VerifiedBreakGlass[],
): string[] {
  return [
    ...breakGlassIsolation(model, dir, breakGlass),
    ...duplicateGrants(model, dir),
    ...duplicateMembers(model, dir),
    ...previousNameConflicts(model),
  ];
}
