/**
 * `pim review <preview.json | plan.json>`: what a `pulumi preview` would do to the tenant, judged by the same
 * semantic diff as `pim plan`, for the comment a change approver reads before approving the apply. With
 * `--plan plan.json` it also checks that the saved plan (`pulumi preview --save-plan`, applied later with
 * `pulumi up --plan`) performs exactly the operations of the reviewed preview.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { diffSnapshots } from "../../../model/diff";
import { COMMON, OUTPUT, formatOption, parse, UsageError } from "../../lib/args";
import { renderJson, renderMarkdown, renderText, type ReportContext } from "../../lib/changes/render";
import { CliError } from "../../lib/errors";
import { colors, EXIT, type Io } from "../../lib/io";
import { emit } from "../../lib/output";
import { count, jsonText, md } from "../../lib/text";
import { escapeControlChars } from "../../../model/untrustedText";
import type { Command } from "../types";
import {
  nameFromUrn,
  normalizeOp,
  parsePulumiDocument,
  type PlannedResource,
  type PreviewStep,
} from "./pulumiJson";
import { previewSnapshots, type OtherChange } from "./toSnapshots";

export const REVIEW_HELP = `Usage: pim review <preview.json | plan.json> [options]

Read what pulumi preview would change and show it as pim plan does: role settings field by field, grants,
memberships, approver groups, break-glass, each judged critical, weaker, neutral or stronger; other resources
are listed plainly. Reads pulumi preview --json output, or a saved update plan (pulumi preview --save-plan).

Options:
  --plan <plan.json>   with a preview: check that the saved plan performs exactly the preview's operations,
                       so what was approved is what pulumi up --plan applies (exit 1 when they differ)
  --stack <name>       the stack, for the title (default: read from the resources' URNs)
  --format <fmt>       text (default), markdown (a pull-request comment) or json
  --output <file>      write the report to a file instead of stdout
  --fail-on <level>    exit 1 when a change is at least this risky: weaker (critical or weaker) or any
  -h, --help           show this help

Exit codes: 0 done, 1 a change --fail-on names or the plan differs from the preview, 2 usage error or
unreadable file.
`;

const MAX_BYTES = 256 * 1024 * 1024;

function readDocument(file: string) {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new CliError(`${file} is not a file`, EXIT.usage);
    if (st.size > MAX_BYTES) throw new CliError(`${file} is larger than ${MAX_BYTES} bytes`, EXIT.usage);
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      EXIT.usage,
    );
  }
  return parsePulumiDocument(text, file);
}

const stackOf = (urns: string[]) => urns[0]?.split("::")[0]?.replace(/^urn:pulumi:/, "") ?? "(unknown)";

export async function reviewCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      help: COMMON.help,
      ...OUTPUT,
      plan: { type: "string" },
      stack: { type: "string" },
      "fail-on": { type: "string" },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(REVIEW_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError("give one file: pim review preview.json");
  const format = formatOption(values.format, ["text", "markdown", "json"] as const);
  const failOn = values["fail-on"];
  if (failOn !== undefined && failOn !== "weaker" && failOn !== "any")
    throw new UsageError(`--fail-on must be weaker or any, not "${failOn}"`);
  const file = positionals[0]!;
  const doc = readDocument(file);

  if (doc.kind === "plan") {
    if (values.plan)
      throw new UsageError("--plan goes with a preview: pim review preview.json --plan plan.json");
    const stack = values.stack ?? stackOf(doc.resources.map((r) => r.urn));
    emit(io, renderPlan(doc.resources, stack, path.basename(file), format), values.output);
    return EXIT.ok;
  }

  const stack = values.stack ?? stackOf(doc.steps.map((s) => s.urn));
  const snaps = previewSnapshots(stack, doc.steps);
  const diff = diffSnapshots(snaps.before, snaps.after);
  const notes: string[] = [];
  let mismatches: string[] = [];
  if (values.plan) {
    const plan = readDocument(values.plan);
    if (plan.kind !== "plan")
      throw new CliError(`${values.plan} is not a saved plan (pulumi preview --save-plan)`, EXIT.usage);
    mismatches = comparePlan(doc.steps, plan.resources);
    notes.push(
      mismatches.length
        ? `the saved plan ${path.basename(values.plan)} differs from this preview in ${count(mismatches.length, "resource")}: do not apply it`
        : `the saved plan ${path.basename(values.plan)} performs exactly these operations: pulumi up --plan applies what is reviewed here`,
    );
  }
  const steps = Object.entries(snaps.ops)
    .map(([op, n]) => `${n} ${op}`)
    .join(", ");
  const ctx: ReportContext = {
    title: "pim review",
    stack,
    comparing: `pulumi preview ${path.basename(file)}${steps ? ` (${steps})` : ""}`,
    marker: `pim-review:${stack}`,
    notes,
    appendix: [
      ...(mismatches.length ? [{ title: "Plan and preview differ", lines: mismatches }] : []),
      ...(snaps.others.length
        ? [
            {
              title: `Other changes (${snaps.others.length}), not judged`,
              lines: snaps.others.map(otherLine),
            },
          ]
        : []),
    ],
  };
  const text =
    format === "json"
      ? renderJson(diff, ctx, {
          others: snaps.others,
          planMatches: values.plan ? mismatches.length === 0 : null,
        })
      : format === "markdown"
        ? renderMarkdown(diff, ctx)
        : renderText(diff, ctx, colors(io.stdout));
  emit(io, text, values.output);
  if (mismatches.length) return EXIT.invalid;
  if (failOn === "any" && diff.counts.total + snaps.others.length > 0) return EXIT.invalid;
  if (failOn === "weaker" && diff.counts.critical + diff.counts.weaker > 0) return EXIT.invalid;
  return EXIT.ok;
}

function otherLine(o: OtherChange): string {
  return `${o.op} ${o.type} ${o.name}${o.changed.length ? `: ${o.changed.join(", ")}` : ""}`;
}

/** URN → the operation it undergoes, without `same` (and reads, which change nothing). */
function operations(entries: Array<{ urn: string; ops: string[] }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    const ops = [...new Set(e.ops.map(normalizeOp))].filter(
      (o) => o !== "same" && o !== "read" && o !== "refresh",
    );
    if (ops.length) out.set(e.urn, ops.includes("replace") ? "replace" : ops.sort().join("+"));
  }
  return out;
}

/** Every resource whose operation differs between the reviewed preview and the saved plan. */
export function comparePlan(steps: readonly PreviewStep[], plan: readonly PlannedResource[]): string[] {
  const byUrn = new Map<string, string[]>();
  for (const s of steps) byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s.op]);
  const previewOps = operations([...byUrn].map(([urn, ops]) => ({ urn, ops })));
  const planOps = operations(plan.map((r) => ({ urn: r.urn, ops: r.steps })));
  const out: string[] = [];
  for (const urn of [...new Set([...previewOps.keys(), ...planOps.keys()])].sort()) {
    const a = previewOps.get(urn) ?? "no change";
    const b = planOps.get(urn) ?? "no change";
    if (a !== b) out.push(`${nameFromUrn(urn)}: preview ${a}, plan ${b}`);
  }
  return out;
}

function renderPlan(
  resources: PlannedResource[],
  stack: string,
  file: string,
  format: "text" | "markdown" | "json",
): string {
  const changing = resources.filter((r) => r.steps.some((s) => s !== "same"));
  const lines = changing.map((r) => {
    const props = [
      ...Object.keys(r.adds),
      ...Object.keys(r.updates),
      ...r.deletes.map((d) => `-${d}`),
    ].filter((k) => k !== "__provider");
    return `${[...new Set(r.steps.map(normalizeOp))].join("+")} ${r.type} ${nameFromUrn(r.urn)}${props.length ? `: ${props.sort().join(", ")}` : ""}`;
  });
  const head = `${count(changing.length, "resource")} to change, ${count(resources.length - changing.length, "unchanged resource")}`;
  if (format === "json") {
    return jsonText({
      tool: "pim",
      title: "pim review",
      stack,
      plan: file,
      summary: head,
      resources: changing,
    });
  }
  if (format === "markdown") {
    return `### pim review · stack ${md(stack)}: saved plan ${md(file)}, ${md(head)}\n\n${lines.map((l) => `- ${md(l)}`).join("\n")}\n\nA saved plan holds the new values only; review the preview it was saved with (\`pim review preview.json --plan ${md(file)}\`) for old → new.\n\n<!-- pim-review-plan:${stack} -->\n`;
  }
  return `pim review · stack ${escapeControlChars(stack)} · saved plan ${escapeControlChars(file)}\n${head}\n${lines.map((l) => `  ${escapeControlChars(l)}`).join("\n")}\n`;
}

export const review: Command = {
  name: "review",
  summary: "what a pulumi preview (--json) or saved plan would change, judged for security",
  help: REVIEW_HELP,
  run: reviewCommand,
};
