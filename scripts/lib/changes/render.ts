/**
 * A TenantDiff laid out for a terminal, a pull-request comment (markdown) or a machine (JSON). The words come
 * from ./describe.ts; this module only arranges them, in the diff's order (highest risk first).
 */
import { RISKS, SECTIONS, type Change, type Risk, type TenantDiff } from "../../../model/diff";
import type { Colors } from "../io";
import { NO_COLORS } from "../io";
import { escapeControlChars } from "../../../model/untrustedText";
import { count, jsonText, md } from "../text";
import { SECTION_TITLES, details, headline, reason } from "./describe";

export interface ReportContext {
  /** `pim plan`, `pim review`. */
  title: string;
  stack: string;
  /** What is compared, in words: `origin/main (1a2b3c4d5e6f) → working tree`. */
  comparing: string;
  /** Identifies the comment a re-run edits: `pim-plan:demo`. */
  marker: string;
  /** Lines shown under the summary (warnings, what could not be read). */
  notes?: string[];
  /** Sections after the judged changes: what the diff does not read, listed plainly. */
  appendix?: Array<{ title: string; lines: string[] }>;
}

const NEEDS_APPROVER: readonly Risk[] = ["critical", "weaker"];

/** `3 changes: 1 critical, 2 weaker · highest risk: critical`, or `no change`. */
export function summaryLine(diff: TenantDiff): string {
  if (!diff.counts.total) return "no change";
  const parts = RISKS.filter((r) => diff.counts[r]).map((r) => `${diff.counts[r]} ${r}`);
  return `${count(diff.counts.total, "change")}: ${parts.join(", ")} · highest risk: ${diff.highest}`;
}

function bySection(diff: TenantDiff): Array<[Change["section"], Change[]]> {
  return SECTIONS.map(
    (s) => [s, diff.changes.filter((c) => c.section === s)] as [Change["section"], Change[]],
  ).filter(([, cs]) => cs.length);
}

function sectionCounts(cs: Change[]): string {
  const n = (a: Change["action"]) => cs.filter((c) => c.action === a).length;
  const words =
    cs[0]?.section === "findings"
      ? { added: "introduced", removed: "resolved", changed: "changed" }
      : { added: "added", removed: "removed", changed: "changed" };
  return (["changed", "added", "removed"] as const)
    .filter((a) => n(a))
    .map((a) => `${n(a)} ${words[a]}`)
    .join(", ");
}

export function renderText(diff: TenantDiff, ctx: ReportContext, c: Colors = NO_COLORS): string {
  const paint = (r: Risk, s: string) =>
    r === "critical" ? c.red(c.bold(s)) : r === "weaker" ? c.yellow(s) : r === "stronger" ? c.green(s) : s;
  const out: string[] = [];
  out.push(
    c.bold(`${ctx.title} · stack ${escapeControlChars(ctx.stack)} · ${escapeControlChars(ctx.comparing)}`),
  );
  out.push(
    diff.counts.total
      ? summaryLine(diff)
      : `no change to the declarations of stack ${escapeControlChars(ctx.stack)}`,
  );
  for (const n of ctx.notes ?? []) out.push(c.dim(escapeControlChars(n)));
  const urgent = diff.changes.filter((x) => NEEDS_APPROVER.includes(x.risk));
  if (urgent.length) {
    out.push("", c.bold("Needs a security approver"));
    for (const x of urgent)
      out.push(
        `  ${paint(x.risk, `[${x.risk}]`)} ${escapeControlChars(x.subject)}: ${escapeControlChars(reason(x))}`,
      );
  }
  for (const [section, cs] of bySection(diff)) {
    out.push("", c.bold(`${SECTION_TITLES[section]} (${sectionCounts(cs)})`));
    for (const x of cs) {
      out.push(`  ${paint(x.risk, `[${x.risk}]`)} ${escapeControlChars(headline(x))}`);
      for (const line of details(x)) out.push(`      ${escapeControlChars(line)}`);
    }
  }
  for (const a of ctx.appendix ?? []) {
    out.push("", c.bold(escapeControlChars(a.title)));
    for (const line of a.lines) out.push(`  ${escapeControlChars(line)}`);
  }
  return `${out.join("\n")}\n`;
}

const BADGE: Record<Risk, string> = {
  critical: "🔴 critical",
  weaker: "🟠 weaker",
  neutral: "⚪ neutral",
  stronger: "🟢 stronger",
};

export function renderMarkdown(diff: TenantDiff, ctx: ReportContext): string {
  const out: string[] = [];
  const head = diff.counts.total ? summaryLine(diff) : "no change";
  out.push(`### ${md(ctx.title)} · stack ${md(ctx.stack)}: ${head}`, "");
  out.push(`Comparing ${md(ctx.comparing)}.`);
  for (const n of ctx.notes ?? []) out.push("", `> ${md(n)}`);
  if (!diff.counts.total) {
    out.push(
      "",
      `No change to the declarations of stack ${md(ctx.stack)}: nothing for this pull request to apply.`,
    );
  }
  const urgent = diff.changes.filter((x) => NEEDS_APPROVER.includes(x.risk));
  if (urgent.length) {
    out.push("", "**Needs a security approver:**", "", "| risk | what | change |", "| --- | --- | --- |");
    for (const x of urgent) out.push(`| ${BADGE[x.risk]} | ${md(x.subject)} | ${md(reason(x))} |`);
  }
  for (const [section, cs] of bySection(diff)) {
    out.push(
      "",
      `<details><summary><b>${md(SECTION_TITLES[section])}</b>: ${md(sectionCounts(cs))}</summary>`,
      "",
    );
    for (const x of cs) {
      out.push(`- ${BADGE[x.risk]} · ${md(headline(x))}`);
      for (const line of details(x)) out.push(`  - ${md(line)}`);
    }
    out.push("", "</details>");
  }
  for (const a of ctx.appendix ?? []) {
    out.push("", `<details><summary><b>${md(a.title)}</b></summary>`, "");
    for (const line of a.lines) out.push(`- ${md(line)}`);
    out.push("", "</details>");
  }
  out.push("", `<!-- ${ctx.marker} -->`);
  return `${out.join("\n")}\n`;
}

export function renderJson(
  diff: TenantDiff,
  ctx: ReportContext,
  extra: Record<string, unknown> = {},
): string {
  const doc = {
    tool: "pim",
    title: ctx.title,
    stack: ctx.stack,
    comparing: ctx.comparing,
    ...extra,
    notes: ctx.notes ?? [],
    appendix: ctx.appendix ?? [],
    summary: { ...diff.counts, highest: diff.highest, text: summaryLine(diff) },
    changes: diff.changes.map((x) => ({ ...x, text: { headline: headline(x), details: details(x) } })),
  };
  return jsonText(doc);
}
