/**
 * Findings as text for a terminal: grouped by severity, each with rule id, object, location and fix. Everything
 * that came from the declarations (names, file paths, justifications) is printed with control characters escaped:
 * a pull request must not be able to rewrite the terminal or CI log it is reviewed in.
 */
import { lastDay } from "../../model/duration";
import { escapeControlChars as esc } from "../../model/untrustedText";
import type { Finding, FindingSeverity } from "../rules/index";

const ORDER: FindingSeverity[] = ["critical", "high", "medium", "low"];

/** Optional terminal styling (the CLI's `colors()` fits); plain text when absent. */
export interface TextStyle {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const PLAIN: TextStyle = { red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

function where(f: Finding): string {
  return f.source ? ` (${esc(f.source.file)}:${f.source.line}:${f.source.column})` : "";
}

function block(f: Finding, c: TextStyle): string[] {
  const lines = [
    `  ${c.bold(f.ruleId)} ${f.title}`,
    `    ${esc(f.object)}${c.dim(where(f))}`,
    `    ${esc(f.message)}`,
    `    fix: ${esc(f.fix)}`,
  ];
  if (f.exempted) {
    const until = f.exempted.expires ? `until ${lastDay(f.exempted.expires)}` : "with no end date";
    lines.push(`    exempted ${until}: ${esc(f.exempted.justification)}`);
  }
  return lines;
}

export function formatFindingsText(findings: readonly Finding[], style: TextStyle = PLAIN): string {
  const c = style;
  if (findings.length === 0) return "No findings: every safe-default rule passes.\n";
  const open = findings.filter((f) => !f.exempted);
  const exempted = findings.filter((f) => f.exempted);
  const out: string[] = [];
  for (const sev of ORDER) {
    const group = open.filter((f) => f.severity === sev);
    if (!group.length) continue;
    const kind = sev === "critical" || sev === "high" ? "mandatory" : "advisory";
    const head = `${sev.toUpperCase()} (${group.length}, ${kind})`;
    out.push(c.bold(kind === "mandatory" ? c.red(head) : c.yellow(head)));
    for (const f of group) out.push(...block(f, c), "");
  }
  if (exempted.length) {
    out.push(c.bold(`EXEMPTED (${exempted.length})`));
    for (const f of exempted) out.push(...block(f, c), "");
  }
  const mandatory = findings.filter((f) => f.mandatory).length;
  out.push(
    `${open.length} ${open.length === 1 ? "finding" : "findings"}, ${mandatory} mandatory, ${exempted.length} exempted.` +
      (mandatory ? " Mandatory findings must be fixed (or exempted with an end date) before merge." : ""),
  );
  return `${out.join("\n")}\n`;
}
