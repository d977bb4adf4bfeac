/**
 * Role settings, field by field, on the resolved (effective) values: a change to a profile therefore shows on
 * every role it reaches, with that role's old and new value. When a profile's own text changed, each field
 * change it explains names the profile, and the profile's entry lists the roles it reaches.
 */
import { SETTINGS_FIELDS, fieldValue, type SettingsField } from "../settings/fields";
import type { ProfileEntry, SettingsEntry, Snapshot } from "../snapshot/types";
import { added, changed, removed, reworded } from "./change";
import { join, same } from "./join";
import { highestOf, judgeSettingsField } from "./risk";
import type { Change, FieldChange } from "./types";

const FIELD_BY_PATH = new Map(SETTINGS_FIELDS.map((f) => [f.path, f]));

/**
 * The field a profile's declared path belongs to: its own, or the field that owns its subtree (a notification's
 * `level` belongs to the notification), and the label a reviewer reads for it.
 */
function fieldOf(path: string): { field: SettingsField; label: string } | undefined {
  const own = FIELD_BY_PATH.get(path);
  if (own) return { field: own, label: own.label };
  const owner = SETTINGS_FIELDS.find((f) => path.startsWith(`${f.path}.`));
  return owner && { field: owner, label: `${owner.label} (${path.slice(owner.path.length + 1)})` };
}

export function diffSettingsAndProfiles(base: Snapshot, head: Snapshot): Change[] {
  const before = new Map(base.state.profiles.map((p) => [p.name, p]));
  const after = new Map(head.state.profiles.map((p) => [p.name, p]));
  const changedProfiles = new Set<string>();
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    if (!same(before.get(name), after.get(name))) changedProfiles.add(name);
  }

  const out: Change[] = [];
  const reached = new Map<string, Map<string, FieldChange[]>>();
  for (const pair of join(base.state.roleSettings, head.state.roleSettings)) {
    const { before: b, after: a } = pair;
    if (!b && a) {
      const note = "now managed by this stack: every rule of its policy is set as declared";
      out.push(added("roleSettings", pair.key, a.label, "neutral", note, a, head));
      continue;
    }
    if (b && !a) {
      const note =
        "no longer managed: its policy goes back to what the tenant held before this stack managed it";
      out.push(removed("roleSettings", pair.key, b.label, "weaker", note, b, base));
      continue;
    }
    // Most roles are untouched by a change: one structural comparison instead of one per field.
    if (b!.profile === a!.profile && same(b!.settings, a!.settings)) continue;
    const fields = settingsFieldChanges(b!, a!, (path) =>
      viaProfile(path, b!, a!, before, after, changedProfiles),
    );
    for (const f of fields) {
      if (!f.viaProfile) continue;
      const byRole = reached.get(f.viaProfile) ?? new Map<string, FieldChange[]>();
      byRole.set(a!.label, [...(byRole.get(a!.label) ?? []), f]);
      reached.set(f.viaProfile, byRole);
    }
    out.push(...changed("roleSettings", pair.key, a!.label, fields, { before: b, after: a, head }));
  }
  out.push(...profileChanges(base, head, reached));
  return out;
}

/** Every settings field whose value differs, judged; `cause` names the profile behind a change, if any. */
export function settingsFieldChanges(
  b: SettingsEntry,
  a: SettingsEntry,
  cause: (path: string) => string | undefined = () => undefined,
): FieldChange[] {
  const fields: FieldChange[] = [];
  if (b.profile !== a.profile) {
    fields.push({
      field: "profile",
      label: "profile",
      before: b.profile,
      after: a.profile,
      risk: "neutral",
      note: "a different profile: the fields below show what it changes",
    });
  }
  for (const f of SETTINGS_FIELDS) {
    const x = fieldValue(b.settings, f.path);
    const y = fieldValue(a.settings, f.path);
    if (same(x, y)) continue;
    const j = judgeSettingsField(f.risk, f.path, x, y);
    const via = cause(f.path);
    fields.push({
      field: f.path,
      label: f.label,
      before: x,
      after: y,
      risk: j.risk,
      note: j.note,
      ...(via ? { viaProfile: via } : {}),
    });
  }
  return fields;
}

/** The profile names a role inherits from, nearest first (its own profile, then what that extends, …). */
function chain(name: string | null, profiles: Map<string, ProfileEntry>): string[] {
  const out: string[] = [];
  let cur = name;
  while (cur !== null && !out.includes(cur)) {
    out.push(cur);
    cur = profiles.get(cur)?.extends ?? null;
  }
  return out;
}

/** Paths that overlap: one is the other or lies inside it (`activation.approval` and `activation.approval.required`). */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

function viaProfile(
  path: string,
  b: SettingsEntry,
  a: SettingsEntry,
  before: Map<string, ProfileEntry>,
  after: Map<string, ProfileEntry>,
  changed: Set<string>,
): string | undefined {
  // A role that switched profile is explained by the switch, shown as its own field.
  if (b.profile !== a.profile) return undefined;
  for (const name of chain(a.profile, after)) {
    if (!changed.has(name)) continue;
    const p = before.get(name);
    const q = after.get(name);
    if (!p || !q || p.extends !== q.extends) return name;
    const paths = new Set([...Object.keys(p.declared), ...Object.keys(q.declared)]);
    for (const d of paths) {
      if (overlaps(d, path) && !same(p.declared[d], q.declared[d])) return name;
    }
  }
  return undefined;
}

function profileChanges(
  base: Snapshot,
  head: Snapshot,
  reached: Map<string, Map<string, FieldChange[]>>,
): Change[] {
  const out: Change[] = [];
  for (const pair of join(base.state.profiles, head.state.profiles)) {
    const { before: b, after: a } = pair;
    if (same(b, a)) continue;
    const p = (a ?? b)!;
    const roles = reached.get(p.name) ?? new Map<string, FieldChange[]>();
    const fields: FieldChange[] = [];
    if (b && a) {
      if (b.extends !== a.extends)
        fields.push({
          field: "extends",
          label: "extends",
          before: b.extends,
          after: a.extends,
          risk: "neutral",
          note: "inherits from another profile",
        });
      fields.push(...reworded(b, a));
      for (const d of [...new Set([...Object.keys(b.declared), ...Object.keys(a.declared)])].sort()) {
        const x = b.declared[d];
        const y = a.declared[d];
        if (same(x, y)) continue;
        const f = fieldOf(d);
        // Approval stages are written in the YAML's own form here; their judged effect shows on each role.
        const j =
          f && f.field.risk !== "approvalStages" && x !== undefined && y !== undefined
            ? judgeSettingsField(f.field.risk, d, x, y)
            : {
                risk: "neutral" as const,
                note: x === undefined ? "now declared" : y === undefined ? "no longer declared" : "changed",
              };
        fields.push({
          field: d,
          label: f?.label ?? d,
          ...(x !== undefined ? { before: x } : {}),
          ...(y !== undefined ? { after: y } : {}),
          risk: j.risk,
          note: j.note,
        });
      }
    }
    const roleRisks = [...roles.values()].flat().map((f) => f.risk);
    const risk = highestOf([...roleRisks, ...fields.map((f) => f.risk)]);
    const note = roles.size
      ? `reaches ${roles.size} role${roles.size === 1 ? "" : "s"}`
      : "reaches no role's effective settings";
    const subject = `profile ${p.name}`;
    const affects = [...roles.keys()].sort();
    if (!b) out.push(added("profiles", pair.key, subject, risk, note, a, head, { affects, fields }));
    else if (!a) out.push(removed("profiles", pair.key, subject, risk, note, b, base, { affects, fields }));
    else
      out.push(
        ...changed("profiles", pair.key, subject, fields, { before: b, after: a, head, note, risk }).map(
          (c) => ({ ...c, affects }),
        ),
      );
  }
  return out;
}
