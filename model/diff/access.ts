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
import { added, changed, removed } from "./change";
import { join, same, type Pair } from "./join";
import { judgeEnd, judgeKind, judgeStart, type Judgement } from "./risk";
import type { Change, FieldChange, Section } from "./types";

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

interface Window {
  kind: "eligible" | "active";
  start: string | null;
  end: string | null;
}

/** Kind and window, the fields grants and memberships share. */
function windowFields(b: Window, a: Window): FieldChange[] {
  const out: FieldChange[] = [];
  if (b.kind !== a.kind) out.push(field("kind", "kind", b.kind, a.kind, judgeKind(b.kind, a.kind)));
  if (b.end !== a.end) out.push(field("end", "end", b.end, a.end, judgeEnd(b.end, a.end)));
  if (b.start !== a.start) out.push(field("start", "start", b.start, a.start, judgeStart(b.start, a.start)));
  return out;
}

function grantFields(b: GrantEntry, a: GrantEntry): FieldChange[] {
  const window = windowFields(b, a);
  const scope =
    scopeKey(b.scope) !== scopeKey(a.scope)
      ? [
          field(
            "scope",
            "scope",
            describeScope(b.scope),
            describeScope(a.scope),
            judgeScope(b.scope, a.scope),
          ),
        ]
      : [];
  return [
    ...window.filter((f) => f.field === "kind"),
    ...scope,
    ...window.filter((f) => f.field !== "kind"),
    ...plain("justification", b.justification, a.justification),
    ...plain("ticket", b.ticket, a.ticket),
    ...plain("requestedBy", b.requestedBy, a.requestedBy),
    ...plain("principalType", b.principalType, a.principalType),
  ];
}

/**
 * Pairs removals with additions of the same principal and role (grants) or the same principal, group and access
 * (memberships): one change of kind or scope instead of an unrelated removal and addition.
 */
function pairMoves<T extends { key: string }>(pairs: Pair<T>[], identity: (x: T) => string): Pair<T>[] {
  const removedOnes = pairs.filter((p) => p.before && !p.after);
  const addedOnes = pairs.filter((p) => !p.before && p.after);
  const used = new Set<Pair<T>>();
  const moved: Pair<T>[] = [];
  for (const r of removedOnes) {
    const match = addedOnes.find((x) => !used.has(x) && identity(x.after!) === identity(r.before!));
    if (!match) continue;
    used.add(match);
    used.add(r);
    moved.push({ key: match.key, before: r.before!, after: match.after! });
  }
  return [...pairs.filter((p) => !used.has(p)), ...moved];
}

/** The diff of one kind of windowed access: the pairing, the describing and the fields differ, the rest is one. */
function diffAccess<T extends { key: string; end: string | null }>(
  section: Section,
  base: Snapshot,
  head: Snapshot,
  lists: { before: readonly T[]; after: readonly T[] },
  how: { identity: (x: T) => string; describe: (x: T) => string; fields: (b: T, a: T) => FieldChange[] },
): Change[] {
  return pairMoves(join(lists.before, lists.after), how.identity).flatMap((p) => {
    const { before: b, after: a } = p;
    if (!b && a) {
      const note = a.end === null ? "new permanent access" : "new access";
      return [added(section, p.key, how.describe(a), "weaker", note, a, head)];
    }
    if (b && !a) return [removed(section, p.key, how.describe(b), "stronger", "access removed", b, base)];
    if (same(b, a)) return [];
    return changed(section, p.key, how.describe(a!), how.fields(b!, a!), { before: b, after: a, head });
  });
}

export function diffGrants(base: Snapshot, head: Snapshot): Change[] {
  return diffAccess(
    "grants",
    base,
    head,
    { before: base.state.grants, after: head.state.grants },
    {
      identity: (g) => `${g.role.kind}:${g.role.id.toLowerCase()}|${normalizeRef(g.principal)}`,
      describe: describeGrant,
      fields: grantFields,
    },
  );
}

export function diffMemberships(base: Snapshot, head: Snapshot): Change[] {
  return diffAccess(
    "memberships",
    base,
    head,
    { before: base.state.memberships, after: head.state.memberships },
    {
      identity: (m: MembershipEntry) => `${normalizeRef(m.group)}|${m.access}|${normalizeRef(m.principal)}`,
      describe: describeMembership,
      fields: (b, a) => [...windowFields(b, a), ...plain("justification", b.justification, a.justification)],
    },
  );
}
