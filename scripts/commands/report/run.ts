/**
 * `runReport`: the safe-default rules on the live tenant. The library entry point behind `pim report` (and
 * `pim demo`).
 *
 * The tenant is read (`readLive`), written as the declarations an import would write (`importFiles`, in memory),
 * and loaded by the same loader `pim check` uses, so the rules judge the live tenant exactly as they judge
 * declarations. What only the stack can say is taken from it: which accounts are break-glass, contractor patterns
 * and the safe-default profile, overrides and exemptions. What only the tenant can say is added: users synchronised
 * from on-premises, every Conditional Access policy (so an authentication context with no enforcing policy is
 * judged on fact), and assignments made outside PIM (no start).
 *
 * Azure resource role settings are read from ARM at the scopes the stack declares one at, and at each
 * `subscriptions` one, as `pim drift` reads them (scripts/lib/liveAzure.ts): every setting read there that differs
 * from ARM's defaults is judged, declared or not, as every directory role is — the report is about the tenant.
 */
import { loadStackFiles, type TenantModel } from "../../../model";
import { GLOBAL_ADMINISTRATOR } from "../../../model/catalog";
import { normalizeRef } from "../../../model/keys";
import { evaluateSafeDefaults, type Finding, type RuleInput } from "../../../policies/rules";
import { toSarif } from "../../../policies/report/sarif";
import { formatFindingsText } from "../../../policies/report/text";
import type { GraphApi } from "../../../providers/graph";
import type { LiveTenant } from "../../../providers/graph/reads/live";
import { CliError } from "../../lib/errors";
import { EXIT, NO_COLORS, type Colors } from "../../lib/io";
import {
  azureScopesOf,
  readLiveWithAzure,
  skippedAzureNote,
  type LiveAzureOptions,
} from "../../lib/liveAzure";
import { count, jsonText } from "../../lib/text";
import { declaredSnapshot } from "../drift/run";
import { importFiles } from "../import/files";
import { version } from "../../../package.json";

export type ReportFormat = "text" | "markdown" | "json" | "sarif";

/** `subscriptions` are read beside the declared scopes, and judged like them. */
export interface ReportOptions extends LiveAzureOptions {
  graph: GraphApi;
  root: string;
  stack: string;
  now: Date;
  format?: ReportFormat;
  colors?: Colors;
  write?: (text: string) => void;
}

export interface ReportResult {
  findings: Finding[];
  text: string;
  /** 0 no mandatory finding, 1 at least one (as `pim check`). */
  exitCode: 0 | 1;
}

/** The live tenant as a model, under the stack's own safe-default configuration and break-glass list. */
export function liveModel(live: LiveTenant, declared: TenantModel, now: Date): TenantModel {
  const files = importFiles(live, { now });
  const loaded = loadStackFiles(
    declared.stack,
    files.map((f) => ({ path: `live/${declared.stack}/${f.path}`, text: f.text })),
    now,
  );
  if (!loaded.model)
    throw new CliError(
      `the live tenant could not be judged: ${loaded.diagnostics.find((d) => d.severity === "error")?.message ?? "it does not load"}`,
      EXIT.internal,
      "please report this with the tenant's shape (no names needed)",
    );
  const breakGlass = new Set(declared.breakGlass.map((b) => normalizeRef(b.upn)));
  const contexts = live.facts.authenticationContexts.flatMap((c) => {
    const enforcing =
      live.facts.conditionalAccess.find(
        (p) => p.state === "enabled" && p.authenticationContexts.includes(c.id),
      ) ?? live.facts.conditionalAccess.find((p) => p.authenticationContexts.includes(c.id));
    return enforcing
      ? [
          {
            id: c.id,
            conditionalAccessPolicy: enforcing.displayName,
            source: loaded.model!.safeDefaults.source ?? {
              file: `live/${declared.stack}/tenant.yaml`,
              line: 1,
              column: 1,
            },
          },
        ]
      : [];
  });
  return {
    ...loaded.model,
    stack: declared.stack,
    contractors: declared.contractors,
    breakGlass: declared.breakGlass,
    ...(declared.breakGlassSource ? { breakGlassSource: declared.breakGlassSource } : {}),
    safeDefaults: declared.safeDefaults,
    synchronizedAccounts: live.facts.synchronizedUsers,
    authenticationContexts: contexts,
    // A declared break-glass account holds Global Administrator outside PIM: that holding is not a grant.
    grants: loaded.model.grants.filter(
      (g) =>
        !(
          g.kind === "active" &&
          g.end === null &&
          g.role.id === GLOBAL_ADMINISTRATOR &&
          breakGlass.has(normalizeRef(g.principal.ref))
        ),
    ),
  };
}

/** What the model cannot carry: every Conditional Access policy, and which assignments were made outside PIM. */
export function withLiveFacts(live: LiveTenant): (input: RuleInput) => RuleInput {
  const outside = new Set(
    live.snapshot.state.grants
      .filter((g) => live.facts.outsidePim.includes(g.key))
      .map((g) => `${g.role.id.toLowerCase()}|${normalizeRef(g.principal)}`),
  );
  return (input) => ({
    ...input,
    assignments: input.assignments.map((a) =>
      a.kind === "active" && a.scope === "/" && outside.has(`${a.roleId.toLowerCase()}|${a.principalId}`)
        ? { ...a, startDateTime: null }
        : a,
    ),
    facts: { ...input.facts, conditionalAccess: { complete: true, policies: live.facts.conditionalAccess } },
  });
}

export async function runReport(opts: ReportOptions): Promise<ReportResult> {
  const { model: declared, snapshot } = declaredSnapshot(opts.root, opts.stack, opts.now);
  const scopes = azureScopesOf(snapshot, opts);
  const live = await readLiveWithAzure(opts.graph, opts.stack, opts, scopes.read, "judge");
  const notes = skippedAzureNote(scopes, opts, "judge");
  const model = liveModel(live, declared, opts.now);
  const findings = evaluateSafeDefaults(model, { now: opts.now, amendInput: withLiveFacts(live) });
  const mandatory = findings.filter((f) => f.mandatory).length;
  const format = opts.format ?? "text";
  const head = `pim report · stack ${opts.stack} · live tenant ${declared.tenant.id} · ${count(findings.length, "finding")}, ${mandatory} mandatory`;
  const text =
    format === "json"
      ? jsonText({
          stack: opts.stack,
          tenant: declared.tenant.id,
          evaluatedAt: opts.now.toISOString(),
          ...(notes.length ? { notes } : {}),
          findings,
        })
      : format === "sarif"
        ? jsonText(toSarif(findings, { toolVersion: version, toolName: "pim" }))
        : format === "markdown"
          ? renderMarkdown(head, notes, findings)
          : `${[head, ...notes.map((n) => `note: ${n}`)].join("\n")}\n\n${formatFindingsText(findings, opts.colors ?? NO_COLORS).trimEnd()}\n`;
  opts.write?.(text);
  return { findings, text, exitCode: mandatory ? 1 : 0 };
}

function renderMarkdown(head: string, notes: readonly string[], findings: readonly Finding[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = findings.map(
    (f) =>
      `| ${f.severity}${f.mandatory ? " (mandatory)" : ""} | ${f.ruleId} | ${cell(f.object)} | ${cell(f.message)} | ${cell(f.reference)} |`,
  );
  return [
    `### ${head}`,
    "",
    ...notes.flatMap((n) => [`> ${n}`, ""]),
    "| severity | rule | object | finding | source |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
