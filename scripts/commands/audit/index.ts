/**
 * `pim audit [--stack <name>] [--days 30]`: PIM activations from the directory audit log — who activated which
 * role, when and why; activations per user and role with outliers; failed activations; approval response times.
 * Reads only (AuditLog.Read.All); the figures are `analysis.ts`, the output `render.ts`.
 */
import { graphFromEnvironment, type GraphApi } from "../../../providers/graph";
import { stackTenant } from "../../lib/stackGraph";
import { AuditReadError, readPimAudit } from "../../../providers/graph/reads/audit";
import { COMMON, OUTPUT, formatOption, instantOption, parse, UsageError } from "../../lib/args";
import { CliError } from "../../lib/errors";
import { EXIT, type Io } from "../../lib/io";
import { emit } from "../../lib/output";
import { findRoot } from "../../lib/root";
import type { Command } from "../types";
import { analyzeAudit } from "./analysis";
import { renderCsv, renderJson, renderText } from "./render";

export const AUDIT_HELP = `Usage: pim audit [--stack <name>] [--days 30] [options]

PIM activations from the tenant's directory audit log (loggedByService eq 'PIM'), the three reports the PIM
guidance asks for and how fast approvers answer:
  - who activated which role or PIM group, when and why;
  - activations per user and role over the window, with those above --threshold marked as outliers;
  - failed activations (refused requests, denials, expired approvals) with their reasons;
  - approval response times per role and approver (median and 90th percentile), and every request that waited
    longer than --pending-minutes for an answer (Microsoft's guidance asks for single-digit minutes).
Reads only; the identity needs the Microsoft Graph permission AuditLog.Read.All.

Options:
  --stack <name>           reach the tenant as this stack does (stacks/Pulumi.<name>.yaml: azuread:tenantId,
                           pim:graphBaseUrl); without it, PIM_GRAPH_* and the Azure credential decide
  --days <n>               the window, ending now (default 30; Entra keeps 30 days of audit history)
  --threshold <n>          more activations than this by one user of one role is an outlier (default 10)
  --pending-minutes <n>    list approval requests that waited longer than this (default 5)
  --at <instant>           end the window at this UTC instant instead of now, e.g. 2026-11-23T12:00:00Z
  --format <fmt>           text (default: tables), json or csv
  --output <file>          write the report to a file instead of stdout
  --root <dir>             repository root holding stacks/ (default: found from the current folder)
  -h, --help               show this help

Exit codes: 0 done, 2 usage error, 3 the audit log cannot be read (a missing permission names it).
`;

const DAY = 86_400_000;

function whole(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return Number(text);
}

export async function auditCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    ...OUTPUT,
    stack: { type: "string" },
    days: { type: "string" },
    threshold: { type: "string" },
    "pending-minutes": { type: "string" },
    at: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(AUDIT_HELP);
    return EXIT.ok;
  }
  const format = formatOption(values.format, ["text", "json", "csv"] as const);
  const days = whole("days", values.days, 30, 1, 365);
  const threshold = whole("threshold", values.threshold, 10, 0, 1_000_000);
  const pendingMinutes = whole("pending-minutes", values["pending-minutes"], 5, 0, 10_080);
  const to = instantOption("at", values.at, new Date());
  const from = new Date(to.getTime() - days * DAY);

  let graph: GraphApi;
  let tenant: string;
  if (values.stack !== undefined) {
    const stackGraph = stackTenant(findRoot(values.root), values.stack);
    const tenantId = stackGraph.tenantId;
    graph = stackGraph.graph;
    tenant = `stack ${values.stack} (tenant ${tenantId})`;
  } else {
    graph = graphFromEnvironment();
    tenant = "tenant from the environment";
  }

  let records;
  try {
    records = await readPimAudit(graph, { from, to });
  } catch (e) {
    if (e instanceof AuditReadError) throw new CliError(e.message, EXIT.unavailable, e.hint);
    throw e;
  }
  const report = analyzeAudit(records, { from, to, threshold, pendingMinutes });
  const ctx = { tenant, days };
  const text =
    format === "json"
      ? renderJson(report, ctx)
      : format === "csv"
        ? renderCsv(report)
        : renderText(report, ctx, io);
  emit(io, text, values.output);
  return EXIT.ok;
}

export const audit: Command = {
  name: "audit",
  summary: "PIM activations from the audit log: who, when and why; outliers; failures; approval times",
  help: AUDIT_HELP,
  run: auditCommand,
};
