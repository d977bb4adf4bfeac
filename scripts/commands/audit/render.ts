/**
 * The activation audit as a terminal table, JSON, or CSV (one table, a `section` column telling the five parts
 * apart, so a spreadsheet filter splits them). Justifications, reasons and names come from users: printed safe on a
 * terminal, and a CSV cell never starts a formula.
 */
import { colors, type Io } from "../../lib/io";
import { formatTable } from "../../lib/table";
import { escapeControlChars as printable } from "../../../model/untrustedText";
import { count, jsonText } from "../../lib/text";
import type { AuditReport, Person, Target } from "./analysis";

export interface RenderContext {
  /** The tenant the records were read from, as the report names it. */
  tenant: string;
  days: number;
}

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")}`;
const who = (p: Person | null) => printable(p?.name ?? "-");
const what = (t: Target) => printable(t.type === "Group" ? `${t.name} (group)` : t.name);

/** `6.5 min`, `2.5 h`: one decimal, hours from an hour up. */
export function minutes(m: number): string {
  const one = (x: number) => String(Math.round(x * 10) / 10);
  return m < 60 ? `${one(m)} min` : `${one(m / 60)} h`;
}

export function summary(r: AuditReport): string {
  const outliers = r.counts.filter((c) => c.outlier).length;
  return [
    count(r.activations.length, "activation"),
    count(outliers, "outlier"),
    `${r.failures.length} failed`,
    `${count(r.slowApprovals.length, "approval")} waited more than ${minutes(r.pendingMinutes)}`,
  ].join(", ");
}

export function renderText(r: AuditReport, ctx: RenderContext, io: Io): string {
  const c = colors(io.stdout);
  const out = [
    c.bold(
      `pim audit · ${printable(ctx.tenant)} · ${when(r.from)} → ${when(r.to)} UTC (${count(ctx.days, "day")}) · ${count(r.records, "PIM record")}`,
    ),
    summary(r),
  ];
  const section = (
    title: string,
    rows: string[][],
    columns: { header: string; align?: "right" }[],
    mark?: (i: number) => boolean,
  ) => {
    out.push("", c.bold(title));
    if (!rows.length) {
      out.push(c.dim("  none"));
      return;
    }
    const table = formatTable(columns, rows);
    out.push(c.dim(table[0]!));
    table.slice(1).forEach((line, i) => out.push(mark?.(i) ? c.yellow(line) : line));
  };
  section(
    `Activations (${r.activations.length}): who activated which role, when and why`,
    r.activations.map((a) => [when(a.at), who(a.user), what(a.target), printable(a.justification ?? "-")]),
    [{ header: "WHEN (UTC)" }, { header: "USER" }, { header: "ROLE" }, { header: "JUSTIFICATION" }],
  );
  section(
    `Activations per user and role (outlier: more than ${r.threshold})`,
    r.counts.map((x) => [String(x.count), x.outlier ? "outlier" : "", who(x.user), what(x.target)]),
    [{ header: "COUNT", align: "right" }, { header: "" }, { header: "USER" }, { header: "ROLE" }],
    (i) => r.counts[i]!.outlier,
  );
  section(
    `Failed activations (${r.failures.length})`,
    r.failures.map((f) => [
      when(f.at),
      f.kind,
      who(f.user),
      what(f.target),
      printable(f.reason ?? "-"),
      who(f.by),
    ]),
    [
      { header: "WHEN (UTC)" },
      { header: "KIND" },
      { header: "USER" },
      { header: "ROLE" },
      { header: "REASON" },
      { header: "BY" },
    ],
  );
  section(
    "Approval response times (from the request for approval to the decision)",
    r.approvalTimes.map((a) => [
      what(a.target),
      who(a.approver),
      String(a.decisions),
      String(a.denied),
      minutes(a.medianMinutes),
      minutes(a.p90Minutes),
    ]),
    [
      { header: "ROLE" },
      { header: "APPROVER" },
      { header: "DECISIONS", align: "right" },
      { header: "DENIED", align: "right" },
      { header: "MEDIAN", align: "right" },
      { header: "P90", align: "right" },
    ],
  );
  section(
    `Waited more than ${minutes(r.pendingMinutes)} for approval (${r.slowApprovals.length})`,
    r.slowApprovals.map((s) => [
      when(s.requestedAt),
      minutes(s.waitedMinutes),
      s.outcome,
      who(s.user),
      what(s.target),
      who(s.approver),
    ]),
    [
      { header: "REQUESTED (UTC)" },
      { header: "WAITED", align: "right" },
      { header: "OUTCOME" },
      { header: "USER" },
      { header: "ROLE" },
      { header: "APPROVER" },
    ],
    (i) => r.slowApprovals[i]!.outcome === "pending",
  );
  return `${out.join("\n")}\n`;
}

export function renderJson(r: AuditReport, ctx: RenderContext): string {
  return jsonText({
    tool: "pim",
    title: "pim audit",
    tenant: ctx.tenant,
    days: ctx.days,
    summary: summary(r),
    ...r,
  });
}

const CSV_COLUMNS = [
  "section",
  "at",
  "user",
  "role",
  "role_type",
  "count",
  "outlier",
  "kind",
  "reason",
  "by",
  "decisions",
  "approved",
  "denied",
  "median_minutes",
  "p90_minutes",
  "waited_minutes",
  "outcome",
  "justification",
  "request_id",
] as const;
type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

/**
 * RFC 4180 quoting; control characters escaped as in every other output; a cell that a spreadsheet would run as
 * a formula gets a leading apostrophe.
 */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  let s = typeof v === "string" ? printable(v) : String(v);
  if (typeof v === "string" && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(r: AuditReport): string {
  const role = (t: Target) => ({ role: t.name, role_type: t.type });
  const rows: CsvRow[] = [
    ...r.activations.map((a) => ({
      section: "activation",
      at: a.at,
      user: a.user.name,
      ...role(a.target),
      justification: a.justification,
      request_id: a.requestId,
    })),
    ...r.counts.map((x) => ({
      section: "count",
      user: x.user.name,
      ...role(x.target),
      count: x.count,
      outlier: x.outlier,
    })),
    ...r.failures.map((f) => ({
      section: "failure",
      at: f.at,
      user: f.user.name,
      ...role(f.target),
      kind: f.kind,
      reason: f.reason,
      by: f.by?.name ?? null,
      request_id: f.requestId,
    })),
    ...r.approvalTimes.map((a) => ({
      section: "approval_time",
      ...role(a.target),
      by: a.approver.name,
      decisions: a.decisions,
      approved: a.approved,
      denied: a.denied,
      median_minutes: a.medianMinutes,
      p90_minutes: a.p90Minutes,
    })),
    ...r.slowApprovals.map((s) => ({
      section: "slow_approval",
      at: s.requestedAt,
      user: s.user.name,
      ...role(s.target),
      by: s.approver?.name ?? null,
      waited_minutes: s.waitedMinutes,
      outcome: s.outcome,
      request_id: s.requestId,
    })),
  ];
  const lines = [
    CSV_COLUMNS.join(","),
    ...rows.map((row) => CSV_COLUMNS.map((col) => csvCell(row[col])).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}
