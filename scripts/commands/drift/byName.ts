/**
 * Declarations that name objects by id, named the way the live tenant names them, before the two are compared.
 * Pure: the names come from the live read (`LiveFacts.names`, `LiveFacts.units`, completed by `withNamesFor`).
 *
 * The schema lets these name an object by id: a grant's principal and administrative-unit scope, a PIM-group
 * membership's principal, an approver in role settings, and the group of PIM-for-Groups settings. The live snapshot
 * names principals by UPN (users) or display name (groups, service principals) and units by display name.
 * (Approver-group members and break-glass accounts are UPNs, PIM and approver groups display names the stack
 * creates: the schema admits no id there.) Compared as written, such a declaration would be removed and
 * added although the tenant matches. Each id the live side knows is replaced by its name and every key that
 * contains it is computed again (`model/keys`); its provenance moves with it, so a change still points at the
 * line that names the id. An id the tenant does not know stays as declared: what it names is missing.
 */
import { isObjectId } from "../../../model/ids";
import { grantKey, membershipKey, settingsKey } from "../../../model/keys";
import type { Snapshot, TenantSnapshot } from "../../../model/snapshot";
import { byKey } from "../../../model/snapshot/fromModel";
import type { Approver, ResolvedApprovalStage, ResolvedSettings, Scope } from "../../../model/types";
import type { DeclaredIds, LiveFacts } from "../../../providers/graph/reads/live";

type Names = Pick<LiveFacts, "names" | "units">;

/** The object ids a declared snapshot names, principals and groups apart from administrative units. */
export function declaredIds(s: Snapshot): DeclaredIds {
  const d = s.state;
  const objects = [
    ...d.grants.map((g) => g.principal),
    ...d.memberships.map((m) => m.principal),
    ...d.roleSettings.flatMap((r) => [
      ...(r.target.kind === "group" ? [r.target.group] : []),
      ...stageApprovers(r.settings.activation.approval.stages).map((a) => a.ref),
    ]),
  ];
  const units = d.grants.flatMap((g) => (g.scope.type === "administrativeUnit" ? [g.scope.ref] : []));
  return { objects: objects.filter(isObjectId), units: units.filter(isObjectId) };
}

/** `declared` with every id the live side names replaced by that name, keys and provenance following. */
export function nameDeclaredIds(declared: Snapshot, live: Names): Snapshot {
  const lookup = (table: Record<string, string>) => (ref: string) =>
    isObjectId(ref) ? (table[ref.trim().toLowerCase()] ?? ref) : ref;
  const name = lookup(live.names);
  const unit = lookup(live.units);
  const d = declared.state;
  const provenance: Snapshot["provenance"] = {};
  const moved = new Set<string>();
  const rekey = <T extends { key: string }>(before: T, after: T): T => {
    const from = declared.provenance[before.key];
    if (after.key !== before.key) moved.add(before.key);
    if (from) provenance[after.key] = from;
    return after;
  };
  const scope = (s: Scope): Scope =>
    s.type === "administrativeUnit" ? { type: "administrativeUnit", ref: unit(s.ref) } : s;

  const grants = d.grants.map((g) => {
    const next = { ...g, principal: name(g.principal), scope: scope(g.scope) };
    return rekey(g, { ...next, key: grantKey(next) });
  });
  const memberships = d.memberships.map((m) => {
    const next = { ...m, principal: name(m.principal) };
    return rekey(m, { ...next, key: membershipKey(m.group, m.access, m.kind, next.principal) });
  });
  const roleSettings = d.roleSettings.map((r) => {
    const target = r.target.kind === "group" ? { ...r.target, group: name(r.target.group) } : r.target;
    return rekey(r, { ...r, target, key: settingsKey(target), settings: namedApprovers(r.settings, name) });
  });

  // Objects without ids keep their place; the rest of the provenance (profiles, exemptions) is unchanged.
  for (const [key, source] of Object.entries(declared.provenance))
    if (!moved.has(key)) provenance[key] ??= source;
  const state: TenantSnapshot = {
    ...d,
    roleSettings: roleSettings.sort(byKey),
    grants: grants.sort(byKey),
    memberships: memberships.sort(byKey),
  };
  return { state, provenance };
}

function stageApprovers(stages: readonly ResolvedApprovalStage[]): Approver[] {
  return stages.flatMap((st) => [...st.approvers, ...(st.escalation?.approvers ?? [])]);
}

function namedApprovers(s: ResolvedSettings, name: (ref: string) => string): ResolvedSettings {
  const named = (list: Approver[]) => list.map((a) => ({ ...a, ref: name(a.ref) }));
  const stages = s.activation.approval.stages.map((st) => ({
    ...st,
    approvers: named(st.approvers),
    escalation: st.escalation ? { ...st.escalation, approvers: named(st.escalation.approvers) } : null,
  }));
  return { ...s, activation: { ...s.activation, approval: { ...s.activation.approval, stages } } };
}
