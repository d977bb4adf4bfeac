/** Placeholder until issue 5 lands: findings as text, grouped by severity. */
import type { Finding } from "../rules";

type Paint = { bold(s: string): string };

export function formatFindingsText(findings: Finding[], c: Paint = { bold: (s) => s }): string {
  if (!findings.length) return `${c.bold("Safe defaults")}: no findings`;
  return findings.map((f) => `${f.severity} ${f.ruleId} ${f.object}: ${f.message}\n    fix: ${f.fix}`).join("\n");
}
