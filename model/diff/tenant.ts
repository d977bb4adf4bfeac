/**
 * The tenant itself, its contractor patterns, break-glass accounts (any change is critical: they are the way back
 * in when PIM fails) and the safe-default configuration (a rule switched off or an exemption added is weaker).
 */
import { contractorPatternKey } from "../keys";
import type { RuleOverrideEntry, Snapshot } from "../snapshot/types";
import { join, same } from "./join";
import { highestOf, judgeEnd } from "./risk";
import { added, changed, removed } from "./change";
import type { Change, FieldChange, Risk } from "./types";

export function diffTenant(base: Snapshot, head: Snapshot): Change[] {
  const b = base.state;
  const a = head.state;
  const out: Change[] = [];
  // An empty base (the stack is new) has no tenant to compare with.
  if (b.tenant.id && b.tenant.id !== a.tenant.id) {
    out.push({
      section: "tenant",
      key: "tenant",
      action: "changed",
      subject: `tenant ${a.tenant.name}`,
      risk: "critical",
      note: "the stack now points at another tenant",
      fields: [
        {
          field: "tenant.id",
          label: "tenant id",
          before: b.tenant.id,
          after: a.tenant.id,
          risk: "critical",
          note: "another tenant",
        },
      ],
    });
  } else if (b.tenant.id && b.tenant.name !== a.tenant.name) {
    out.push({
      section: "tenant",
      key: "tenant",
      action: "changed",
      subject: `tenant ${a.tenant.name}`,
      risk: "neutral",
      note: "renamed",
      fields: [
        {
          field: "tenant.name",
          label: "tenant name",
          before: b.tenant.name,
          after: a.tenant.name,
          risk: "neutral",
          note: "renamed",
        },
      ],
    });
  }
  const cb = new Map(b.contractors.map((p) => [contractorPatternKey(p), p]));
  const ca = new Map(a.contractors.map((p) => [contractorPatternKey(p), p]));
  const removed = [...cb.keys()].filter((k) => !ca.has(k)).map((k) => cb.get(k)!);
  const added = [...ca.keys()].filter((k) => !cb.has(k)).map((k) => ca.get(k)!);
  if (removed.length || added.length) {
    const fields: FieldChange[] = [];
    if (removed.length)
      fields.push({
        field: "contractors",
        label: "contractor patterns",
        before: removed,
        risk: "weaker",
        note: `no longer held to contractor limits: ${removed.join(", ")}`,
      });
    if (added.length)
      fields.push({
        field: "contractors",
        label: "contractor patterns",
        after: added,
        risk: "stronger",
        note: `now held to contractor limits: ${added.join(", ")}`,
      });
    out.push({
      section: "tenant",
      key: "contractors",
      action: "changed",
      subject: "contractor patterns",
      risk: highestOf(fields.map((f) => f.risk)),
      note: "",
      fields,
    });
  }
  return out;
}

export function diffBreakGlass(base: Snapshot, head: Snapshot): Change[] {
  return join(base.state.breakGlass, head.state.breakGlass).flatMap(({ key, before: b, after: a }) => {
    if (same(b, a)) return [];
    if (!b && a)
      return [
        added(
          "breakGlass",
          key,
          a.upn,
          "critical",
          "a new permanent Global Administrator outside PIM",
          a,
          head,
        ),
      ];
    if (b && !a) {
      const note =
        "an emergency account leaves the declarations (the run keeps its assignment: protect and retainOnDelete)";
      return [removed("breakGlass", key, b.upn, "critical", note, b, base)];
    }
    const fields: FieldChange[] = [
      {
        field: "description",
        label: "description",
        before: b!.description,
        after: a!.description,
        risk: "critical",
        note: "changed",
      },
    ];
    return changed("breakGlass", key, a!.upn, fields, {
      before: b,
      after: a,
      head,
      note: "emergency account changed",
    });
  });
}

const SEVERITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const PROFILE_RANK: Record<string, number> = { cisa: 1, cis: 1, strict: 2 };

function judgeOverride(b: RuleOverrideEntry | undefined, a: RuleOverrideEntry | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  const eb = b?.enabled ?? null;
  const ea = a?.enabled ?? null;
  if (eb !== ea) {
    const off = (v: boolean | null) => v === false;
    const risk: Risk = off(ea) && !off(eb) ? "weaker" : off(eb) && !off(ea) ? "stronger" : "neutral";
    out.push({
      field: "enabled",
      label: "enabled",
      before: eb,
      after: ea,
      risk,
      note:
        risk === "weaker" ? "rule switched off" : risk === "stronger" ? "rule switched back on" : "changed",
    });
  }
  const sb = b?.severity ?? null;
  const sa = a?.severity ?? null;
  if (sb !== sa) {
    // No override means the rule's own severity: treat it as the highest, so any override to lower it is weaker.
    const rank = (s: string | null) => (s === null ? 4 : (SEVERITY_RANK[s] ?? 4));
    const risk: Risk = rank(sa) < rank(sb) ? "weaker" : rank(sa) > rank(sb) ? "stronger" : "neutral";
    out.push({
      field: "severity",
      label: "severity",
      before: sb,
      after: sa,
      risk,
      note: risk === "weaker" ? "severity lowered" : risk === "stronger" ? "severity raised" : "changed",
    });
  }
  if (!same(b?.params ?? null, a?.params ?? null)) {
    out.push({
      field: "params",
      label: "parameters",
      before: b?.params ?? null,
      after: a?.params ?? null,
      risk: "neutral",
      note: "parameters changed: the findings section shows what they change",
    });
  }
  return out;
}

export function diffSafeDefaults(base: Snapshot, head: Snapshot): Change[] {
  const b = base.state.safeDefaults;
  const a = head.state.safeDefaults;
  const out: Change[] = [];
  if (b.profile && b.profile !== a.profile) {
    const rb = PROFILE_RANK[b.profile];
    const ra = PROFILE_RANK[a.profile];
    const risk: Risk =
      rb === undefined || ra === undefined || rb === ra ? "neutral" : ra < rb ? "weaker" : "stronger";
    out.push({
      section: "safeDefaults",
      key: "safeDefaults.profile",
      action: "changed",
      subject: "safe-default profile",
      risk,
      note: "",
      fields: [
        {
          field: "profile",
          label: "profile",
          before: b.profile,
          after: a.profile,
          risk,
          note:
            risk === "weaker"
              ? "a more lenient rule set"
              : risk === "stronger"
                ? "a stricter rule set"
                : "another rule set",
        },
      ],
    });
  }
  for (const { key, before: x, after: y } of join(b.rules, a.rules)) {
    if (same(x, y)) continue;
    const fields = judgeOverride(x, y);
    if (!fields.length) continue;
    const subject = `rule ${(y ?? x)!.rule}`;
    const risk = highestOf(fields.map((f) => f.risk));
    if (!x) out.push(added("safeDefaults", key, subject, risk, "override added", y, head, { fields }));
    else if (!y)
      out.push(removed("safeDefaults", key, subject, risk, "override removed", x, base, { fields }));
    else
      out.push(
        ...changed("safeDefaults", key, subject, fields, {
          before: x,
          after: y,
          head,
          note: "override changed",
        }),
      );
  }
  for (const { key, before: x, after: y } of join(b.exemptions, a.exemptions)) {
    if (same(x, y)) continue;
    const e = (y ?? x)!;
    const subject = `exemption from ${e.rule} for ${e.object}`;
    if (!x) {
      out.push(
        added("safeDefaults", key, subject, "weaker", "a rule no longer applies to this object", y, head),
      );
      continue;
    }
    if (!y) {
      out.push(removed("safeDefaults", key, subject, "stronger", "the rule applies again", x, base));
      continue;
    }
    const fields: FieldChange[] = [];
    if (x.expires !== y.expires) {
      const j = judgeEnd(x.expires, y.expires);
      fields.push({
        field: "expires",
        label: "expires",
        before: x.expires,
        after: y.expires,
        risk: j.risk,
        note: j.note,
      });
    }
    for (const f of ["justification", "approvedBy"] as const) {
      if (x[f] !== y[f])
        fields.push({ field: f, label: f, before: x[f], after: y[f], risk: "neutral", note: "changed" });
    }
    out.push(...changed("safeDefaults", key, subject, fields, { before: x, after: y, head }));
  }
  return out;
}
