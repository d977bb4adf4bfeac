/**
 * `pim check --stack <name>`: load and validate a stack's declarations offline, run the safe-default rules, print
 * a summary. Needs no credentials and makes no network call, so it is safe on any pull request.
 */
import * as path from "node:path";
import {
  formatDiagnostic,
  loadStack,
  StackNotFoundError,
  type Diagnostic,
  type LoadResult,
} from "../../model";
import { evaluateSafeDefaults, type Finding } from "../../policies/rules";
import { toSarif } from "../../policies/report/sarif";
import { formatFindingsText } from "../../policies/report/text";
import { parse, UsageError } from "../lib/args";
import { colors, EXIT, type Io } from "../lib/io";
import { renderSummary } from "./summary";
import { version } from "../../package.json";

export const CHECK_HELP = `Usage: pim check --stack <name> [options]

Validate a stack's declarations (stacks/<name>/tenant.yaml and stacks/<name>/grants/*.yaml) offline and
check them against the safe-default rules. No credentials, no network: safe on any pull request.

Options:
  --stack <name>       the stack (folder under stacks/) to check            (required)
  --format <fmt>       text (default), json, or sarif (for code-scanning annotations)
  --soon <days>        highlight grants ending within this many days        (default 14)
  --now <instant>      evaluate as of this UTC instant instead of the clock, e.g. 2026-11-23T12:00:00Z
  --root <dir>         repository root holding stacks/                      (default: current directory)
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
    stack: { type: "string" },
    format: { type: "string", default: "text" },
    soon: { type: "string", default: "14" },
    now: { type: "string" },
    root: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return EXIT.ok;
  }
  if (!values.stack) throw new UsageError("--stack is required, e.g. pim check --stack demo");
  const format = values.format;
  if (format !== "text" && format !== "json" && format !== "sarif") {
    throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  }
  const soonDays = Number(values.soon);
  if (!Number.isInteger(soonDays) || soonDays < 0)
    throw new UsageError(`--soon must be a whole number of days, not "${values.soon}"`);
  let now = new Date();
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime()) || !/(Z|[+-]\d{2}:\d{2})$/.test(values.now)) {
      throw new UsageError(
        `--now must be an instant with a zone, e.g. 2026-11-23T12:00:00Z, not "${values.now}"`,
      );
    }
  }
  const root = path.resolve(values.root ?? process.cwd());

  let result: LoadResult;
  try {
    result = loadStack({ root, stack: values.stack, now });
  } catch (e) {
    if (e instanceof StackNotFoundError) throw new UsageError(e.message);
    throw e;
  }
  const findings = result.model ? evaluateSafeDefaults(result.model, { now }) : [];
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const mandatory = findings.filter((f) => f.mandatory);
  const valid = errors.length === 0 && mandatory.length === 0;
  const report: CheckReport = {
    stack: values.stack,
    valid,
    evaluatedAt: now.toISOString(),
    diagnostics: result.diagnostics,
    findings,
  };

  if (format === "json") {
    io.stdout.write(`${JSON.stringify({ ...report, model: result.model }, null, 2)}\n`);
  } else if (format === "sarif") {
    io.stdout.write(
      `${JSON.stringify(toSarif(findings, { toolVersion: version, toolName: "pim", diagnostics: result.diagnostics }), null, 2)}\n`,
    );
  } else {
    io.stdout.write(renderText(report, result, soonDays, io));
  }
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
        `✔ valid: ${m?.roleSettings.length ?? 0} role settings, ${m?.grants.length ?? 0} grants, ${warnings.length} warnings, ${report.findings.length} advisory findings`,
      )
    : c.red(
        `✘ invalid: ${errors.length} errors, ${mandatory} mandatory findings, ${warnings.length} warnings`,
      );
  out.push(verdict);
  return `${out.join("\n")}\n`;
}
