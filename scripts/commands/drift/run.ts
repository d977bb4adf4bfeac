/**
 * `runDrift`: declared versus live, tenant-wide, as the one semantic diff `pim plan` renders. The library entry
 * point behind `pim drift` (and `pim demo`): give it a Graph client and a sink, get the report and the exit code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStack, type TenantModel } from "../../../model";
import { diffSnapshots, type TenantDiff } from "../../../model/diff";
import { toSnapshot, type Snapshot } from "../../../model/snapshot";
import type { GraphApi } from "../../../providers/graph";
import { withNamesFor, type LiveTenant } from "../../../providers/graph/reads/live";
import { azureScopeKey } from "../../../model/keys";
import { renderJson, renderMarkdown, renderText, type ReportContext } from "../../lib/changes/render";
import { CliError } from "../../lib/errors";
import { EXIT, NO_COLORS, type Colors } from "../../lib/io";
import {
  azureScopesOf,
  readLiveWithAzure,
  skippedAzureNote,
  type LiveAzureOptions,
} from "../../lib/liveAzure";
import { count } from "../../lib/text";
import { alignLive } from "./align";
import { declaredIds } from "./byName";

export type DriftFormat = "text" | "markdown" | "json";

/** `subscriptions` are compared whole: their undeclared Azure role settings that differ from ARM's show as added. */
export interface DriftOptions extends LiveAzureOptions {
  graph: GraphApi;
  root: string;
  stack: string;
  now: Date;
  format?: DriftFormat;
  colors?: Colors;
  /** Where the report goes (stdout, a file, the demo's sections). */
  write?: (text: string) => void;
}

export interface DriftResult {
  diff: TenantDiff;
  text: string;
  /** 0 no drift, 1 drift (the documented exit codes of `pim drift`). */
  exitCode: 0 | 1;
}

/** Declared (stacks/<stack>/) as a snapshot, or a CliError (exit 1) naming the first problem. */
export function declaredSnapshot(
  root: string,
  stack: string,
  now: Date,
): { model: TenantModel; snapshot: Snapshot } {
  const head = loadStack({ root, stack, now });
  if (!head.model) {
    const first = head.diagnostics.find((d) => d.severity === "error");
    throw new CliError(
      `the declarations of stack ${stack} do not load${first ? `: ${first.file}:${first.line}:${first.column}: ${first.field}: ${first.message}` : ""}`,
      EXIT.invalid,
      `run pim check --stack ${stack} for every problem`,
    );
  }
  const tenantFile = head.files[0]!;
  const text = fs.readFileSync(path.join(root, tenantFile), "utf8");
  return { model: head.model, snapshot: toSnapshot(head.model, { tenantYaml: { file: tenantFile, text } }) };
}

/** The diff of declared against an already read tenant (import's check, the benchmark). */
export function driftOf(declared: Snapshot, live: LiveTenant, now: Date): TenantDiff {
  const aligned = alignLive(declared, live, now);
  return diffSnapshots(aligned.declared, aligned.live);
}

export async function runDrift(opts: DriftOptions): Promise<DriftResult> {
  const { model, snapshot } = declaredSnapshot(opts.root, opts.stack, opts.now);
  const scopes = azureScopesOf(snapshot, opts);
  const read = withDeclaredAzureOnly(
    await readLiveWithAzure(opts.graph, opts.stack, opts, scopes.read, "compare"),
    new Set(scopes.declared.map((e) => e.key)),
    new Set(scopes.whole.map(azureScopeKey)),
  );
  if (read.snapshot.state.tenant.id.toLowerCase() !== model.tenant.id.toLowerCase())
    throw new CliError(
      `stack ${opts.stack} declares tenant ${model.tenant.id}, but Graph answered for tenant ${read.snapshot.state.tenant.id}`,
      EXIT.unavailable,
      "check azuread:tenantId in the stack config and the credentials",
    );
  // Ids the declarations use that the live read did not meet are named with one more read, not one per object.
  const live = await withNamesFor(opts.graph, read, declaredIds(snapshot));
  const diff = driftOf(snapshot, live, opts.now);
  const ctx: ReportContext = {
    title: "pim drift",
    stack: opts.stack,
    comparing: `declared (stacks/${opts.stack}) → live tenant ${model.tenant.id}`,
    marker: `pim-drift:${opts.stack}`,
    notes: [
      "added: in the tenant but not declared (made outside the stack); removed: declared but missing in the tenant; changed: the tenant differs from the declaration",
      ...(live.facts.outsidePim.length
        ? [`${count(live.facts.outsidePim.length, "assignment")} made outside PIM (no start): see pim report`]
        : []),
      ...skippedAzureNote(scopes, opts, "compare"),
    ],
  };
  const format = opts.format ?? "text";
  const text =
    format === "json"
      ? renderJson(diff, ctx, { evaluatedAt: opts.now.toISOString() })
      : format === "markdown"
        ? renderMarkdown(diff, ctx)
        : renderText(diff, ctx, opts.colors ?? NO_COLORS);
  opts.write?.(text);
  return { diff, text, exitCode: diff.counts.total ? 1 : 0 };
}

/**
 * A scope read because a declaration names it is compared on what is declared there: an Azure role nobody
 * declared is not the stack's business. A scope given with `--subscription` is compared whole.
 */
function withDeclaredAzureOnly(
  live: LiveTenant,
  declared: ReadonlySet<string>,
  whole: ReadonlySet<string>,
): LiveTenant {
  const s = live.snapshot.state;
  const roleSettings = s.roleSettings.filter(
    (e) => e.target.kind !== "azure" || declared.has(e.key) || whole.has(azureScopeKey(e.target.scope)),
  );
  return { ...live, snapshot: { ...live.snapshot, state: { ...s, roleSettings } } };
}
