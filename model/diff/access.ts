/**
 * Grants and PIM-group memberships: who holds what, until when. Both are windows of access, judged alike: new
 * access and a later end are weaker, removal and an earlier end stronger. A grant's identity includes its kind
 * and scope, so changing either is a removal plus an addition of the same principal and role; those two are
 * paired back into one change "in kind" or "in scope".
 */
import { normalizeRef, scopeKey } from "../keys";
import { describeGrant, describeMembership, describeScope } from "../snapshot/labels";
import type { GrantEntry, MembershipEntry, Snapshot } from "../snapshot/types";
import type { Scope } from "../types";
import { join, same, type Pair } from "./join";
import { highestOf, judgeEnd, judgeKind, judgeStart, type Judgement } from "./risk";
import { src } from "./settings";
import type { Change, FieldChange } from "./types";

const field = (name: string, label: string, before: unknown, after: unknown, j: Judgement): FieldChange => ({
  field: name,
  label,
  before,
  after,
  risk: j.risk,
  note: j.note,
});
const plain = (name: string, before: unknown, after: unknown): FieldChange[] =>
  same(before, after) ? [] : [field(name, name, before, after, { risk: "neutral", note: "changed" })];

function judgeScope(before: Scope, after: Scope): Judgement {
  if (scopeKey(before) === scopeKey(after)) return { risk: "neutral", note: "unchanged" };
  if (after.type === "tenant") return { risk: "weaker", note: "widened to the whole tenant" };
  if (before.type === "tenant") return { risk: "stronger", note: `narrowed to ${describeScope(after)}` };
  return { risk: "neutral", note: `moved to ${describeScope(after)}` };
}

function windowFields(b: { start: string | null; end: string | null }, a: typeof b): FieldChange[] {
  const out: FieldChange[] = [];
  if (b.end !== a.end) out.push(field("end", "end", b.end, a.end, judgeEnd(b.end, a.end)));
  if (b.start !== a.start) out.push(field("start", "start", b.start, a.start, judgeStart(b.start, a.start)));
  return out;
}

function grantFields(b: GrantEntry, a: GrantEntry): FieldChange[] {
  const out: FieldChange[] = [];
  if (b.kind !== a.kind) out.push(field("kind", "kind", b.kind, a.kind, judgeKind(b.kind, a.kind)));
  if (scopeKey(b.scope) !== scopeKey(a.scope))
    out.push(
      field("scope", "scope", describeScope(b.scope), describeScope(a.scope), judgeScope(b.scope, a.scope)),
    );
  out.push(...windowFields(b, a));
  out.push(...plain("justification", b.justification, a.justification));
  out.push(...plain("ticket", b.ticket, a.ticket));
  out.push(...plain("requestedBy", b.requestedBy, a.requestedBy));
  out.push(...plain("principalType", b.principalType, a.principalType));
  return out;
}

/**
 * Pairs removals with additions of the same principal and role (grants) or the same principal, group and access
 * (memberships): one change of kind or scope instead of an unrelated removal and addition.
 */
function pairMoves<T extends { key: string }>(pairs: Pair<T>[], identity: (x: T) => string): Pair<T>[] {
  const removed = pairs.filter((p) => p.before && !p.after);
  const added = pairs.filter((p) => !p.before && p.after);
  const used = new Set<Pair<T>>();
  const moved: Pair<T>[] = [];
  for (const r of removed) {
    const match = added.find((x) => !used.has(x) && identity(x.after!) === identity(r.before!));
    if (!match) continue;
    used.add(match);
    used.add(r);
    moved.push({ key: match.key, before: r.before!, after: match.after! });
  }
  return [...pairs.filter((p) => !used.has(p)), ...moved];
}

export function diffGrants(base: Snapshot, head: Snapshot): Change[] {
  const identity = (g: GrantEntry) =>
    `${g.role.kind}:${g.role.id.toLowerCase()}|${normalizeRef(g.principal)}`;
  const out: Change[] = [];
  for (const p of pairMoves(join(base.state.grants, head.state.grants), identity)) {
    const { before: b, after: a } = p;
    if (!b && a) {
      out.push({
        section: "grants",
        key: p.key,
        action: "added",
        subject: describeGrant(a),
        risk: "weaker",
        note: a.end === null ? "new permanent access" : "new access",
        fields: [],
        after: a,
        ...src(head, p.key),
      });
    } else if (b && !a) {
      out.push({
        section: "grants",
        key: p.key,
        action: "removed",
        subject: describeGrant(b),
        risk: "stronger",
        note: "access removed",
        fields: [],
        before: b,
        ...src(base, p.key),
      });
    } else {
      const fields = grantFields(b!, a!);
      if (!fields.length) continue;
      out.push({
        section: "grants",
        key: p.key,
        action: "changed",
        subject: describeGrant(a!),
        risk: highestOf(fields.map((f) => f.risk)),
        note: "",
        fields,
        before: b,
        after: a,
        ...src(head, p.key),
      });
    }
  }
  return out;
}

export function diffMemberships(base: Snapshot, head: Snapshot): Change[] {
  const identity = (m: MembershipEntry) =>
    `${normalizeRef(m.group)}|${m.access}|${normalizeRef(m.principal)}`;
  const out: Change[] = [];
  for (const p of pairMoves(join(base.state.memberships, head.state.memberships), identity)) {
    const { before: b, after: a } = p;
    if (!b && a) {
      out.push({
        section: "memberships",
        key: p.key,
        action: "added",
        subject: describeMembership(a),
        risk: "weaker",
        note: a.end === null ? "new permanent access" : "new access",
        fields: [],
        after: a,
        ...src(head, p.key),
      });
    } else if (b && !a) {
      out.push({
        section: "memberships",
        key: p.key,
        action: "removed",
        subject: describeMembership(b),
        risk: "stronger",
        note: "access removed",
        fields: [],
        before: b,
        ...src(base, p.key),
      });
    } else {
      const fields: FieldChange[] = [];
      if (b!.kind !== a!.kind)
        fields.push(field("kind", "kind", b!.kind, a!.kind, judgeKind(b!.kind, a!.kind)));
      fields.push(...windowFields(b!, a!), ...plain("justification", b!.justification, a!.justification));
      if (!fields.length) continue;
      out.push({
        section: "memberships",
        key: p.key,
        action: "changed",
        subject: describeMembership(a!),
        risk: highestOf(fields.map((f) => f.risk)),
        note: "",
        fields,
        before: b,
        after: a,
        ...src(head, p.key),
      });
    }
  }
  return out;
}
