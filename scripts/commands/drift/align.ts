/**
 * Declared versus live on the fields a tenant can hold, and nothing else. Pure.
 *
 * A tenant does not hold what only a declaration says: a grant's justification, ticket and requester (Graph keeps
 * them on requests, purged after about 45 days), profiles, contractor patterns, the safe-default configuration,
 * the tenant's label. Those are taken from the declaration on both sides, so the diff never reports them. A
 * declared grant without a start starts when provisioned, so the live start does not count for it.
 *
 * Break-glass accounts are held outside PIM: a declared account that holds Global Administrator active and
 * permanently is the account as declared (its assignment is not a grant); one that does not is missing, a critical
 * change. A declared role or group access whose settings the tenant leaves at Graph's defaults has those defaults
 * live (the live reader lists only settings that differ). Grants that have ended are not expected live. Azure
 * resource role settings are compared for the scopes the live reader read from ARM (`facts.azureScopes`); a
 * declared Azure entry of a scope not read (`--skip-azure-roles`) is left out of both sides.
 * Principals, groups and units declared by object id are compared by the names the tenant gives them
 * (`./byName.ts`).
 */
import { GLOBAL_ADMINISTRATOR } from "../../../model/catalog";
import { azureScopeKey, normalizeRef } from "../../../model/keys";
import { graphDefaults } from "../../../model/settings/defaults";
import { statusAt, type Snapshot } from "../../../model/snapshot";
import type { LiveTenant } from "../../../providers/graph/reads/live";
import { nameDeclaredIds } from "./byName";

export interface Aligned {
  declared: Snapshot;
  live: Snapshot;
}

export function alignLive(asDeclared: Snapshot, live: LiveTenant, now: Date): Aligned {
  // Objects declared by id are named as the live side names them (./byName.ts) before anything is compared.
  const declared = nameDeclaredIds(asDeclared, live.facts);
  const d = declared.state;
  const l = live.snapshot.state;
  const inForce = <T extends { start: string | null; end: string | null }>(x: T) =>
    statusAt(x, now) !== "expired";
  // Azure resource role settings are compared only where ARM was read.
  const armRead = new Set(live.facts.azureScopes.map(azureScopeKey));
  const dState = {
    ...d,
    roleSettings: d.roleSettings.filter(
      (x) => x.target.kind !== "azure" || armRead.has(azureScopeKey(x.target.scope)),
    ),
    grants: d.grants.filter(inForce),
    memberships: d.memberships.filter(inForce),
  };

  const permanentGa = new Set(live.facts.permanentGlobalAdmins.map(normalizeRef));
  const breakGlass = d.breakGlass.filter((b) => permanentGa.has(normalizeRef(b.upn)));
  const isBreakGlassHolding = (g: (typeof l.grants)[number]) =>
    g.kind === "active" &&
    g.end === null &&
    g.role.id === GLOBAL_ADMINISTRATOR &&
    d.breakGlass.some((b) => normalizeRef(b.upn) === normalizeRef(g.principal));

  const declaredGrants = new Map(dState.grants.map((g) => [g.key, g]));
  const grants = l.grants
    .filter((g) => !isBreakGlassHolding(g))
    .map((g) => {
      const mine = declaredGrants.get(g.key);
      if (!mine) return g;
      return {
        ...g,
        justification: mine.justification,
        ticket: mine.ticket,
        requestedBy: mine.requestedBy,
        principalType: mine.principalType ?? g.principalType,
        start: mine.start === null ? null : g.start,
      };
    });

  const declaredMemberships = new Map(dState.memberships.map((m) => [m.key, m]));
  const memberships = l.memberships.map((m) => {
    const mine = declaredMemberships.get(m.key);
    return mine
      ? { ...m, justification: mine.justification, start: mine.start === null ? null : m.start }
      : m;
  });

  const liveSettings = new Map(l.roleSettings.map((s) => [s.key, s]));
  const roleSettings = [
    ...l.roleSettings.map((s) => {
      const mine = dState.roleSettings.find((x) => x.key === s.key);
      return mine ? { ...s, label: mine.label, profile: mine.profile } : s;
    }),
    ...dState.roleSettings
      .filter((s) => !liveSettings.has(s.key))
      .map((s) => ({ ...s, settings: graphDefaults(s.target.kind) })),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));

  return {
    declared: { ...declared, state: dState },
    live: {
      state: {
        ...l,
        stack: d.stack,
        tenant: { id: l.tenant.id, name: d.tenant.name },
        contractors: d.contractors,
        profiles: d.profiles,
        safeDefaults: d.safeDefaults,
        breakGlass,
        roleSettings,
        grants,
        memberships,
      },
      provenance: {},
    },
  };
}
