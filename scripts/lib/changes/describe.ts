/**
 * A change in words, once, for every format (terminal, markdown, JSON's `text`): which object, what happened,
 * each field's old → new with its judgement. Renderers only lay these lines out.
 */
import { humanDuration } from "../../../model/duration";
import type { Change, FieldChange, Risk, Section } from "../../../model/diff";
import type { GrantEntry, MembershipEntry } from "../../../model/snapshot";
import { describeScope } from "../../../model/snapshot";
import type { Approver, ResolvedApprovalStage } from "../../../model/types";
import { lastDay } from "../../../model/duration";

export const SECTION_TITLES: Record<Section, string> = {
  tenant: "Tenant",
  breakGlass: "Break-glass accounts",
  safeDefaults: "Safe-default configuration",
  roleSettings: "Role settings",
  profiles: "Settings profiles",
  grants: "Grants",
  memberships: "PIM group memberships and ownerships",
  approverGroups: "Approver groups",
  pimGroups: "PIM groups",
  findings: "Safe-default findings",
};

export const RISK_WORDS: Record<Risk, string> = {
  critical: "critical",
  weaker: "weaker",
  neutral: "neutral",
  stronger: "stronger",
};

const ISO_DURATION = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const approver = (a: Approver) => a.ref;

function stages(v: readonly ResolvedApprovalStage[]): string {
  if (!v.length) return "(no stage)";
  return v
    .map((s) => {
      const names = s.approvers.map(approver).join(" + ") || "(no approver)";
      const esc = s.escalation
        ? `, escalate after ${s.escalation.afterMinutes} min to ${s.escalation.approvers.map(approver).join(" + ")}`
        : "";
      return `${names} (${s.timeoutDays}d${esc})`;
    })
    .join(" → ");
}

/** One value as a reviewer reads it. `field` says how to read null (`end: null` is permanent). */
export function formatValue(v: unknown, field = ""): string {
  if (v === undefined) return "(not set)";
  if (v === null) {
    if (field === "end" || field === "expires") return "permanent";
    if (field === "start") return "when provisioned";
    return "none";
  }
  if (typeof v === "string") {
    if ((field === "end" || field === "expires") && INSTANT.test(v)) return lastDay(v);
    if (field === "start" && /T00:00:00(\.000)?Z$/.test(v)) return v.slice(0, 10);
    if (INSTANT.test(v)) return `${v.slice(0, 16).replace("T", " ")}Z`;
    if (ISO_DURATION.test(v)) return humanDuration(v);
    return v;
  }
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  if (Array.isArray(v)) {
    if (field.endsWith("approval.stages")) return stages(v as ResolvedApprovalStage[]);
    return v.length ? v.map((x) => formatValue(x)).join(", ") : "(none)";
  }
  const o = v as Record<string, unknown>;
  if (typeof o["system"] === "string" && typeof o["number"] === "string")
    return `${o["system"]} ${o["number"]}`;
  return JSON.stringify(v);
}

/** `approval to activate: true → false (no longer required, via profile tier0)`. */
export function describeField(f: FieldChange): string {
  const via = f.viaProfile ? `, via profile ${f.viaProfile}` : "";
  if (f.before === undefined && f.after !== undefined) return `${f.label}: ${f.note}${via}`;
  if (f.after === undefined && f.before !== undefined) return `${f.label}: ${f.note}${via}`;
  return `${f.label}: ${formatValue(f.before, f.field)} → ${formatValue(f.after, f.field)} (${f.note}${via})`;
}

const ACTION_WORDS: Record<Change["action"], string> = {
  added: "added",
  removed: "removed",
  changed: "changed",
};

/** The headline of a change: `changed · Global Administrator`. */
export function headline(c: Change): string {
  if (c.section === "findings") return `${c.action === "added" ? "introduced" : "resolved"} · ${c.subject}`;
  return `${ACTION_WORDS[c.action]} · ${c.subject}`;
}

/** The short reason shown in the "needs a security approver" list: the riskiest field, or the action's note. */
export function reason(c: Change): string {
  const top = c.fields.find((f) => f.risk === c.risk) ?? c.fields[0];
  const first = top ? describeField(top) : c.note;
  const more = c.fields.length > 1 ? ` (+${c.fields.length - 1} more)` : "";
  return `${first}${more}`;
}

/** The detail lines of a change: its note, each field, and for an added or removed access its record. */
export function details(c: Change): string[] {
  const out: string[] = [];
  if (c.note) out.push(c.note);
  out.push(...c.fields.map(describeField));
  if (c.action !== "changed" && (c.section === "grants" || c.section === "memberships")) {
    out.push(...recordLines(c.section, (c.after ?? c.before) as GrantEntry | MembershipEntry));
  } else if (c.section === "grants") {
    // Who asked for the change and under which ticket, even when those fields did not change.
    const g = c.after as GrantEntry;
    out.push(`ticket: ${formatValue(g.ticket)} · requested by: ${g.requestedBy ?? "(not stated)"}`);
  }
  if (c.affects?.length) out.push(`reaches: ${c.affects.join(", ")}`);
  if (c.source) out.push(`declared at ${c.source.file}:${c.source.line}`);
  return out;
}

function recordLines(section: Section, e: GrantEntry | MembershipEntry): string[] {
  const out: string[] = [];
  if (section === "grants") {
    const g = e as GrantEntry;
    out.push(
      `principal: ${g.principal}`,
      `role: ${g.role.name}`,
      `scope: ${describeScope(g.scope)}`,
      `kind: ${g.kind}`,
    );
    out.push(`end: ${formatValue(g.end, "end")}`);
    if (g.start) out.push(`start: ${formatValue(g.start, "start")}`);
    out.push(
      `ticket: ${formatValue(g.ticket)}`,
      `requested by: ${g.requestedBy ?? "(not stated)"}`,
      `justification: ${g.justification}`,
    );
  } else {
    const m = e as MembershipEntry;
    out.push(
      `principal: ${m.principal}`,
      `group: ${m.group}`,
      `as: ${m.kind} ${m.access}`,
      `end: ${formatValue(m.end, "end")}`,
    );
    if (m.justification) out.push(`justification: ${m.justification}`);
  }
  return out;
}
