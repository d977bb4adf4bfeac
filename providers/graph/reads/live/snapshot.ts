/**
 * A live tenant as the same `Snapshot` the declarations give (`toSnapshot(model)`), plus the facts only a tenant
 * holds. Pure: `readLiveTenant` did the reading.
 *
 * Spelled as the declarations spell them: principals by UPN (users) or display name (groups, service principals),
 * roles by template id with the catalogue name, scopes as `{ administrativeUnit: <display name> }`, instants as
 * `toISOString()` gives them. What a tenant does not hold is empty: justification, ticket and requester of a grant
 * (Graph keeps them on requests, purged after about 45 days), profiles, contractor patterns, the safe-default
 * configuration and which accounts are break-glass (`facts.permanentGlobalAdmins` lists the candidates).
 *
 * Role settings are listed only where they differ from Graph's defaults (`graphDefaults`): a role nobody touched
 * is what a declaration that does not mention it means.
 */
import type { ConditionalAccessPolicyFact } from "../../../../model/conditionalAccess";
import { entraRoleById, findAzureRole, GLOBAL_ADMINISTRATOR } from "../../../../model/catalog";
import {
  approverGroupKey,
  grantKey,
  membershipKey,
  normalizeRef,
  pimGroupKey,
  settingsKey,
} from "../../../../model/keys";
import { graphDefaults } from "../../../../model/settings/defaults";
import { fromGraphRules, type GraphRule } from "../../../../model/settings/graphRules";
import { byKey, cmp } from "../../../../model/snapshot/fromModel";
import type {
  ApproverGroupEntry,
  GrantEntry,
  MembershipEntry,
  PimGroupEntry,
  RoleRef,
  SettingsEntry,
  Snapshot,
} from "../../../../model/snapshot/types";
import type { ResolvedSettings, Scope } from "../../../../model/types";
import { same } from "../../../../model/diff/join";
import { liveEnd, liveStart, type LiveSchedule } from "../schedules";
import { approverIdsOf, isType, type LiveRead, type RawDirectoryObject } from "./read";

/** A Conditional Access policy as the rules read it (one shape, `model/conditionalAccess.ts`). */
export type LiveConditionalAccessPolicy = ConditionalAccessPolicyFact;

export interface LiveFacts {
  /** UPNs of users synchronised from an on-premises directory. */
  synchronizedUsers: string[];
  /** UPNs holding Global Administrator active and permanently: break-glass candidates, for a person to confirm. */
  permanentGlobalAdmins: string[];
  /** Keys of the grants made outside PIM (a direct role assignment: no start). */
  outsidePim: string[];
  conditionalAccess: LiveConditionalAccessPolicy[];
  authenticationContexts: { id: string; displayName: string; available: boolean }[];
  /** Object id (lower-cased) → the name the snapshot uses for it. */
  names: Record<string, string>;
  /** Administrative unit id (lower-cased) → its display name, as scopes name it (only those the read listed). */
  units: Record<string, string>;
  /**
   * Azure settings key (`azure:<scope>:<role id>`) → the name of the ARM role management policy governing it, for
   * every Azure role read (not only those differing from the defaults): what stack config `pim:azureRolePolicies`
   * records for the RoleManagementPolicy resource.
   */
  azureRolePolicies: Record<string, string>;
  /** The ARM scopes read (as asked for), so a report can say which scopes' Azure role settings it compared. */
  azureScopes: string[];
}

export interface LiveTenant {
  snapshot: Snapshot;
  facts: LiveFacts;
}

const toIso = (t: string | null): string | null => (t ? new Date(t).toISOString() : null);

export function liveSnapshot(read: LiveRead, stack: string): LiveTenant {
  const names: Record<string, string> = {};
  const nameOf = (id: string): string => {
    const o = read.objects.get(id.toLowerCase());
    return o ? objectName(o) : id.toLowerCase();
  };
  for (const [id, o] of read.objects) names[id] = objectName(o);

  const roleName = new Map(read.roles.map((r) => [(r.templateId ?? r.id).toLowerCase(), r.displayName]));
  const roleRef = (id: string): RoleRef => {
    const known = entraRoleById(id);
    return {
      kind: "directory",
      id: known?.id ?? id.toLowerCase(),
      name: known?.name ?? roleName.get(id.toLowerCase()) ?? id,
    };
  };
  const units = new Map(read.administrativeUnits.map((u) => [u.id.toLowerCase(), u.displayName]));
  const scopeOf = (s: LiveSchedule): Scope => {
    if (s.appScopeId && s.appScopeId !== "/") return { type: "application", ref: s.appScopeId };
    const dir = s.directoryScopeId ?? "/";
    const au = /^\/administrativeUnits\/(.+)$/i.exec(dir);
    if (au) return { type: "administrativeUnit", ref: units.get(au[1]!.toLowerCase()) ?? au[1]! };
    return { type: "tenant" };
  };

  // Settings that differ from Graph's defaults; approvers named as the declarations name them.
  const roleSettings: SettingsEntry[] = [];
  const approves = new Map<string, RoleRef[]>();
  for (const [roleId, rules] of read.rolePolicies) {
    const settings = fromGraphRules(rules, names);
    const role = roleRef(roleId);
    for (const id of new Set(approverIdsOf(rules)))
      if (isType(read.objects.get(id), "group")) approves.set(id, [...(approves.get(id) ?? []), role]);
    if (isDefault(settings, "directory")) continue;
    const target = { kind: "directory" as const, roleId: role.id };
    roleSettings.push({ key: settingsKey(target), label: role.name, target, profile: null, settings });
  }

  // Azure resource role settings (ARM) that differ from ARM's defaults, named by the catalogue (else ARM).
  const azureRolePolicies: Record<string, string> = {};
  for (const r of read.azureRoles) {
    const target = { kind: "azure" as const, roleId: r.roleDefinitionId, scope: r.scope };
    const key = settingsKey(target);
    azureRolePolicies[key] = r.policyName;
    const settings = fromGraphRules(r.rules, names);
    if (isDefault(settings, "azure")) continue;
    const known = findAzureRole(r.roleDefinitionId);
    const name = known.ok && known.role.name !== r.roleDefinitionId ? known.role.name : r.roleName;
    roleSettings.push({ key, label: `${name} on ${r.scope}`, target, profile: null, settings });
  }

  // Graph shows no "onboarded" flag, and holds a policy for any group: a PIM group is one that is role-assignable,
  // has PIM memberships, or whose settings someone changed. An approver group is none of these.
  const withSchedules = new Set(
    [...read.groupEligibility, ...read.groupAssignments].map((s) => (s.groupId ?? "").toLowerCase()),
  );
  const groupSettings: { groupId: string; access: "member" | "owner"; settings: ResolvedSettings }[] = [];
  for (const [key, rules] of read.groupPolicies) {
    const [groupId, access] = key.split("|") as [string, "member" | "owner"];
    const settings = fromGraphRules(rules, names);
    if (!isDefault(settings, "group")) groupSettings.push({ groupId, access, settings });
  }
  const changed = new Set(groupSettings.map((x) => x.groupId));
  const onboarded = new Map<string, RawDirectoryObject>();
  for (const x of read.groups) {
    const id = x.id.toLowerCase();
    if (x.isAssignableToRole === true || withSchedules.has(id) || changed.has(id)) onboarded.set(id, x);
  }
  for (const { groupId, access, settings } of groupSettings) {
    const group = nameOf(groupId);
    const target = { kind: "group" as const, group, access };
    roleSettings.push({
      key: settingsKey(target),
      label: `${group} (${access})`,
      target,
      profile: null,
      settings,
    });
  }

  // A PIM group's own roles are permanent, tenant-wide active assignments (the component's DirectoryRoleAssignment).
  const groupRoles = new Map<string, RoleRef[]>();
  const grants: GrantEntry[] = [];
  const outsidePim: string[] = [];
  const permanentGlobalAdmins: string[] = [];
  for (const [kind, list] of [
    ["eligible", read.eligibility],
    ["active", read.assignments],
  ] as const) {
    for (const s of list) {
      const principalId = s.principalId.toLowerCase();
      const role = roleRef(s.roleDefinitionId ?? "");
      const scope = scopeOf(s);
      const end = toIso(liveEnd(s));
      const start = toIso(liveStart(s));
      const obj = read.objects.get(principalId);
      if (kind === "active" && end === null && scope.type === "tenant" && onboarded.has(principalId)) {
        groupRoles.set(principalId, [...(groupRoles.get(principalId) ?? []), role]);
        continue;
      }
      const principal = nameOf(principalId);
      const key = grantKey({ kind, role, scope, principal });
      if (kind === "active" && start === null) outsidePim.push(key);
      if (kind === "active" && end === null && role.id === GLOBAL_ADMINISTRATOR && isType(obj, "user"))
        permanentGlobalAdmins.push(principal);
      grants.push({
        key,
        kind,
        principal,
        principalType: isType(obj, "servicePrincipal") ? "servicePrincipal" : null,
        role,
        scope,
        start,
        end,
        justification: "",
        ticket: null,
        requestedBy: null,
      });
    }
  }

  const pimGroups: PimGroupEntry[] = [...onboarded.values()].map((x) => ({
    key: pimGroupKey(objectName(x)),
    name: objectName(x),
    description: x.description ?? null,
    roleAssignable: x.isAssignableToRole === true,
    roles: (groupRoles.get(x.id.toLowerCase()) ?? []).sort((a, b) => cmp(a.id, b.id)),
  }));

  const memberships: MembershipEntry[] = [];
  for (const [kind, list] of [
    ["eligible", read.groupEligibility],
    ["active", read.groupAssignments],
  ] as const) {
    for (const s of list) {
      const group = nameOf(s.groupId ?? "");
      const access = (s.accessId ?? "member").toLowerCase() === "owner" ? "owner" : "member";
      const principal = nameOf(s.principalId);
      memberships.push({
        key: membershipKey(group, access, kind, principal),
        group,
        access,
        kind,
        principal,
        start: toIso(liveStart(s)),
        end: toIso(liveEnd(s)),
        justification: null,
      });
    }
  }

  const approverGroups: ApproverGroupEntry[] = [...approves].map(([id, roles]) => {
    const o = read.objects.get(id)!;
    return {
      key: approverGroupKey(objectName(o)),
      name: objectName(o),
      description: o.description ?? null,
      members: (read.approverMembers.get(id) ?? [])
        .map(nameOf)
        .sort((a, b) => cmp(normalizeRef(a), normalizeRef(b))),
      approves: dedupe(roles).sort((a, b) => cmp(a.id, b.id)),
    };
  });

  const synchronizedUsers = [...read.objects.values()]
    .filter((o) => isType(o, "user") && (o.onPremisesSyncEnabled === true || !!o.onPremisesImmutableId))
    .map(objectName)
    .sort();

  const snapshot: Snapshot = {
    state: {
      stack,
      tenant: { id: read.organization.id, name: read.organization.displayName },
      contractors: [],
      profiles: [],
      roleSettings: roleSettings.sort(byKey),
      grants: grants.sort(byKey),
      approverGroups: approverGroups.sort(byKey),
      pimGroups: pimGroups.sort(byKey),
      memberships: memberships.sort(byKey),
      breakGlass: [],
      safeDefaults: { profile: "", rules: [], exemptions: [] },
    },
    provenance: {},
  };
  return {
    snapshot,
    facts: {
      synchronizedUsers,
      permanentGlobalAdmins: permanentGlobalAdmins.sort(),
      outsidePim: outsidePim.sort(),
      conditionalAccess: read.conditionalAccess.map(caFact),
      authenticationContexts: read.authenticationContexts.map((c) => ({
        id: c.id,
        displayName: c.displayName,
        available: c.isAvailable !== false,
      })),
      names,
      units: Object.fromEntries(units),
      azureRolePolicies,
      azureScopes: read.azureScopes,
    },
  };
}

/** UPN for a user, display name for a group or service principal (what a declaration writes). */
export function objectName(o: RawDirectoryObject): string {
  return (isType(o, "user") ? o.userPrincipalName : o.displayName) ?? o.displayName ?? o.id.toLowerCase();
}

const isDefault = (s: ResolvedSettings, kind: "directory" | "group" | "azure"): boolean =>
  same(s, graphDefaults(kind));

function dedupe(roles: RoleRef[]): RoleRef[] {
  const seen = new Map(roles.map((r) => [r.id, r]));
  return [...seen.values()];
}

function caFact(p: LiveRead["conditionalAccess"][number]): LiveConditionalAccessPolicy {
  const users = p.conditions?.users ?? {};
  const controls = p.grantControls?.builtInControls ?? [];
  return {
    id: p.id,
    displayName: p.displayName,
    state: p.state,
    authenticationContexts: p.conditions?.applications?.includeAuthenticationContextClassReferences ?? [],
    includeUsers: users.includeUsers ?? [],
    excludeUsers: users.excludeUsers ?? [],
    excludeGroups: users.excludeGroups ?? [],
    includeRoles: users.includeRoles ?? [],
    requiresMfa:
      controls.map((c) => c.toLowerCase()).includes("mfa") || !!p.grantControls?.authenticationStrength?.id,
    authenticationStrength: p.grantControls?.authenticationStrength?.id ?? null,
  };
}

export type { GraphRule };
