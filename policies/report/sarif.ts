/**
 * Findings as SARIF 2.1.0, so a CI system (GitHub code scanning) annotates the pull request's lines. Locations
 * are repository-relative (the model's source files), under the %SRCROOT% base.
 */
import type { Diagnostic } from "../../model/load/diagnostics";
import { escapeControlChars as esc } from "../../model/untrustedText";
import { allRules, metaRules, type Finding, type FindingSeverity } from "../rules/index";

export interface SarifOptions {
  toolVersion: string;
  /** Name of the tool in the report; default `pim-safe-defaults`. */
  toolName?: string;
  /** Loader diagnostics to report alongside the findings (rule id `load/<code>`), so broken YAML is annotated too. */
  diagnostics?: readonly Diagnostic[];
}

type Level = "error" | "warning" | "note";

export const SARIF_LEVEL: Record<FindingSeverity, Level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};

export function toSarif(findings: readonly Finding[], opts: SarifOptions): Record<string, unknown> {
  const catalogue = [...allRules, ...metaRules];
  const rules = catalogue.map((r) => ({
    id: r.id,
    name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")),
    shortDescription: { text: r.title },
    fullDescription: { text: r.docs },
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { source: r.source, severity: r.severity, tags: ["security", "pim"] },
  }));
  const index = new Map(catalogue.map((r, i) => [r.id, i]));
  const results: Array<Record<string, unknown>> = findings.map((f) => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: SARIF_LEVEL[f.severity],
    message: { text: esc(`${f.object}: ${f.message}. Fix: ${f.fix}.`) },
    ...(f.source
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.source.file, uriBaseId: "%SRCROOT%" },
                region: { startLine: f.source.line, startColumn: f.source.column },
              },
            },
          ],
        }
      : {}),
    // Stable across runs and line moves, so code scanning tracks one alert per rule, object, subject and file:
    // two findings of a rule about one role (two people who approve themselves, each on their grant) stay two.
    partialFingerprints: {
      "pimFinding/v2": `${f.ruleId}|${f.object}|${f.subject ?? ""}|${f.source?.file ?? ""}`,
    },
    properties: { severity: f.severity, mandatory: f.mandatory, object: esc(f.object) },
    ...(f.exempted
      ? {
          suppressions: [
            { kind: "inSource", status: "accepted", justification: esc(f.exempted.justification) },
          ],
        }
      : {}),
  }));
  for (const d of opts.diagnostics ?? []) {
    results.push({
      ruleId: `load/${d.code}`,
      level: d.severity === "error" ? "error" : "warning",
      message: { text: esc(`${d.field}: ${d.message}${d.hint ? `. Fix: ${d.hint}` : ""}`) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: d.file, uriBaseId: "%SRCROOT%" },
            region: { startLine: d.line, startColumn: d.column },
          },
        },
      ],
      partialFingerprints: { "pimFinding/v2": `load/${d.code}|${d.file}|${d.field}` },
      properties: { severity: d.severity, mandatory: d.severity === "error", object: esc(d.field) },
    });
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: opts.toolName ?? "pim-safe-defaults",
            version: opts.toolVersion,
            rules,
          },
        },
        results,
      },
    ],
  };
}
