/**
 * `toSnapshot`: the loader's TenantModel as a snapshot. Drops positions and clock-relative fields (status, days
 * left, evaluatedAt), keys every object through `model/keys`, sorts every list by key.
 */
import {
  approverGroupKey,
  breakGlassKey,
  contractorPatternKey,
  exemptionKey,
  membershipKey,
  normalizeRef,
  pimGroupKey,
  ruleOverrideKey,
  settingsIdentity,
} from "../keys";
import type { AzureRole, DirectoryRole, SourceRef, TenantModel } from "../types";
import { profilesFromTenantYaml } from "./profiles";
import type { MembershipEntry, RoleRef, Snapshot, TenantSnapshot } from "./types";

export interface SnapshotOptions {
  /**
   * tenant.yaml as written, for the profiles' own text (the model keeps only each role's resolved settings).
   * Without it the snapshot has no profiles, as a live tenant has none.
   */
  tenantYaml?: { file: string; text: string };
}

export const byKey = <T extends { key: string }>(a: T, b: T): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

const roleRef = (r: DirectoryRole | AzureRole): RoleRef => ({ kind: r.kind, id: r.id, name: r.name });

export function toSnapshot(model: TenantModel, opts: SnapshotOptions = {}): Snapshot {
  const provenance: Record<string, SourceRef> = {};
  const at = (key: string, source: SourceRef) => {
    provenance[key] = { file: source.file, line: source.line, column: source.column };
  };

  const profiles = opts.tenantYaml
    ? profilesFromTenantYaml(opts.tenantYaml.file, opts.tenantYaml.text)
    : null;
  for (const p of profiles?.entries ?? []) at(p.key, profiles!.provenance[p.key]!);

  const roleSettings = model.roleSettings.map((d) => {
    at(d.key, d.source);
    return {
      key: d.key,
      label: d.label,
      target: settingsIdentity(d.target),
      profile: d.profile,
      settings: d.settings,
    };
  });

  const grants = model.grants.map((g) => {
    at(g.key, g.source);
    return {
      key: g.key,
      kind: g.kind,
      principal: g.principal.ref,
      principalType: g.principal.type,
      role: roleRef(g.role),
      scope: g.scope,
      start: g.start,
      end: g.end,
      justification: g.justification,
      ticket: g.ticket,
      requestedBy: g.requestedBy,
    };
  });

  const approverGroups = model.approverGroups.map((a) => {
    const key = approverGroupKey(a.name);
    at(key, a.source);
    return {
      key,
      name: a.name,
      description: a.description,
      members: [...a.members].sort((x, y) => cmp(normalizeRef(x), normalizeRef(y))),
      approves: a.approves.map(roleRef).sort((x, y) => cmp(x.id, y.id)),
    };
  });

  const memberships: MembershipEntry[] = [];
  const pimGroups = model.pimGroups.map((p) => {
    const key = pimGroupKey(p.name);
    at(key, p.source);
    for (const access of ["member", "owner"] as const) {
      const lists = access === "member" ? p.members : p.owners;
      for (const kind of ["eligible", "active"] as const) {
        for (const m of lists[kind]) {
          const mk = membershipKey(p.name, access, kind, m.principal);
          // The loader keeps no position per membership; its group's entry is the place to look.
          at(mk, p.source);
          memberships.push({
            key: mk,
            group: p.name,
            access,
            kind,
            principal: m.principal,
            start: m.start,
            end: m.end,
            justification: m.justification,
          });
        }
      }
    }
    return {
      key,
      name: p.name,
      description: p.description,
      roleAssignable: p.roleAssignable,
      roles: p.roles.map(roleRef).sort((x, y) => cmp(x.id, y.id)),
    };
  });

  const breakGlass = model.breakGlass.map((b) => {
    const key = breakGlassKey(b.upn);
    at(key, b.source);
    return { key, upn: b.upn, description: b.description };
  });

  const rules = Object.entries(model.safeDefaults.rules).map(([rule, o]) => ({
    key: ruleOverrideKey(rule),
    rule,
    enabled: o.enabled ?? null,
    severity: o.severity ?? null,
    params: o.params ?? null,
  }));
  const exemptions = model.safeDefaults.exemptions.map((e) => {
    const key = exemptionKey(e.rule, e.object);
    at(key, e.source);
    return {
      key,
      rule: e.rule,
      object: e.object,
      justification: e.justification,
      expires: e.expires,
      approvedBy: e.approvedBy,
    };
  });

  const state: TenantSnapshot = {
    stack: model.stack,
    tenant: { id: model.tenant.id, name: model.tenant.name },
    contractors: [...model.contractors].sort((a, b) => cmp(contractorPatternKey(a), contractorPatternKey(b))),
    profiles: profiles?.entries ?? [],
    roleSettings: roleSettings.sort(byKey),
    grants: grants.sort(byKey),
    approverGroups: approverGroups.sort(byKey),
    pimGroups: pimGroups.sort(byKey),
    memberships: memberships.sort(byKey),
    breakGlass: breakGlass.sort(byKey),
    safeDefaults: {
      profile: model.safeDefaults.profile,
      rules: rules.sort(byKey),
      exemptions: exemptions.sort(byKey),
    },
  };
  return { state, provenance };
}

/** A snapshot of nothing: the base of a stack that does not exist yet at the base commit. */
export function emptySnapshot(stack: string): Snapshot {
  return {
    state: {
      stack,
      tenant: { id: "", name: "" },
      contractors: [],
      profiles: [],
      roleSettings: [],
      grants: [],
      approverGroups: [],
      pimGroups: [],
      memberships: [],
      breakGlass: [],
      safeDefaults: { profile: "", rules: [], exemptions: [] },
    },
    provenance: {},
  };
}

/** Code-unit order: the same on every machine and locale. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
