/**
 * `pim check --stack <name>`: load and validate a stack's declarations offline, run the safe-default rules, print
 * a summary. Needs no credentials and makes no network call, so it is safe on any pull request.
 */
import { formatDiagnostic, loadStack, type Diagnostic, type LoadResult } from "../../../model";
import { evaluateSafeDefaults, type Finding } from "../../../policies/rules";
import { toSarif } from "../../../policies/report/sarif";
import { formatFindingsText } from "../../../policies/report/text";
import { COMMON, OUTPUT, formatOption, instantOption, parse, required, UsageError } from "../../lib/args";
import { colors, EXIT, type Io } from "../../lib/io";
import { emit } from "../../lib/output";
import { findRoot } from "../../lib/root";
import { count, jsonText } from "../../lib/text";
import type { Command } from "../types";
import { renderSummary } from "./summary";
import { version } from "../../../package.json";

export const CHECK_HELP = `Usage: pim check --stack <name> [options]

Validate a stack's declarations (stacks/<name>/tenant.yaml and stacks/<name>/grants/*.yaml) offline and
check them against the safe-default rules. No credentials, no network: safe on any pull request.

Options:
  --stack <name>       the stack (folder under stacks/) to check            (required)
  --format <fmt>       text (default), json, or sarif (for code-scanning annotations)
  --output <file>      write the report to a file instead of stdout (for CI: no npm banner in the file)
  --soon <days>        highlight grants and memberships ending within this many days (default 14)
  --now <instant>      evaluate as of this UTC instant instead of the clock, e.g. 2026-11-23T12:00:00Z
  --root <dir>         repository root holding stacks/ (default: found from the current folder)
  -h, --help           show this help

Exit codes: 0 valid, 1 invalid declarations or a mandatory safe-default finding, 2 usage error.
`;

export interface CheckReport {
  stack: string;
  valid: boolean;
  evaluatedAt: string;
  diagnostics: Diagnostic[];
  findings: Finding[];
}

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    ...OUTPUT,
    stack: { type: "string" },
    soon: { type: "string", default: "14" },
    now: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim check --stack demo");
  const format = formatOption(values.format, ["text", "json", "sarif"] as const);
  const soonDays = Number(values.soon);
  if (!Number.isInteger(soonDays) || soonDays < 0)
    throw new UsageError(`--soon must be a whole number of days, not "${values.soon}"`);
  const now = instantOption("now", values.now, new Date());
  const root = findRoot(values.root);

  const result = loadStack({ root, stack, now });
  const findings = result.model ? evaluateSafeDefaults(result.model, { now }) : [];
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const mandatory = findings.filter((f) => f.mandatory);
  const valid = errors.length === 0 && mandatory.length === 0;
  const report: CheckReport = {
    stack,
    valid,
    evaluatedAt: now.toISOString(),
    diagnostics: result.diagnostics,
    findings,
  };

  let text: string;
  if (format === "json") {
    text = jsonText({ ...report, model: result.model });
  } else if (format === "sarif") {
    text = jsonText(
      toSarif(findings, { toolVersion: version, toolName: "pim", diagnostics: result.diagnostics }),
    );
  } else {
    text = renderText(report, result, soonDays, io);
  }
  emit(io, text, values.output);
  return valid ? EXIT.ok : EXIT.invalid;
}

function renderText(report: CheckReport, result: LoadResult, soonDays: number, io: Io): string {
  const c = colors(io.stdout);
  const out: string[] = [];
  const m = result.model;
  out.push(
    c.bold(`pim check · stack ${report.stack}`) +
      (m ? ` · tenant ${m.tenant.name} (${m.tenant.id})` : "") +
      c.dim(` · as of ${report.evaluatedAt.slice(0, 16).replace("T", " ")} UTC`),
  );
  out.push("");
  if (m) {
    out.push(renderSummary(m, { soonDays, c }));
    out.push("");
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const warnings = result.diagnostics.filter((d) => d.severity === "warning");
  if (errors.length) {
    out.push(c.red(c.bold(`Errors (${errors.length})`)));
    for (const d of errors) out.push(formatDiagnostic(d));
    out.push("");
  }
  if (warnings.length) {
    out.push(c.yellow(c.bold(`Warnings (${warnings.length})`)));
    for (const d of warnings) out.push(formatDiagnostic(d));
    out.push("");
  }
  if (m) {
    out.push(formatFindingsText(report.findings, c).trimEnd());
    out.push("");
  }
  const mandatory = report.findings.filter((f) => f.mandatory).length;
  const verdict = report.valid
    ? c.green(
        `✔ valid: ${count(m?.roleSettings.length ?? 0, "role setting")}, ${count(m?.grants.length ?? 0, "grant")}, ${count(warnings.length, "warning")}, ${count(report.findings.length, "advisory finding")}`,
      )
    : c.red(
        `✘ invalid: ${count(errors.length, "error")}, ${count(mandatory, "mandatory finding")}, ${count(warnings.length, "warning")}`,
      );
  out.push(verdict);
  return `${out.join("\n")}\n`;
}

export const check: Command = {
  name: "check",
  summary: "validate a stack's declarations offline and apply the safe-default rules",
  help: CHECK_HELP,
  run: checkCommand,
};
