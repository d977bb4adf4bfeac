/**
 * `pim plan --stack <name> [--base <ref>]`: what a pull request changes in a stack's declarations, judged for
 * security, entirely offline. Thin: computes with ./compute.ts, prints with the shared change renderers.
 */
import { COMMON, OUTPUT, formatOption, instantOption, parse, required, UsageError } from "../../lib/args";
import { renderJson, renderMarkdown, renderText, type ReportContext } from "../../lib/changes/render";
import { emit } from "../../lib/output";
import { findRoot } from "../../lib/root";
import { colors, EXIT, type Io } from "../../lib/io";
import { count } from "../../lib/text";
import type { Command } from "../types";
import { computePlan, type PlanResult } from "./compute";

export const PLAN_HELP = `Usage: pim plan --stack <name> [--base <git ref>] [options]

Compare a stack's declarations at a base commit with the working tree and list every change, judged for
security (critical, weaker, neutral, stronger): role settings field by field (a profile change listed under each
role it reaches), grants, PIM group memberships, approver groups, break-glass accounts, the safe-default
configuration and the findings a change introduces or resolves. Offline: reads git objects, never checks out.

Options:
  --stack <name>        the stack (folder under stacks/)                                   (required)
  --base <git ref>      compare with this commit (default: the merge base of HEAD with the default branch:
                        GITHUB_BASE_REF in a pull-request workflow, else origin/HEAD, main or master)
  --format <fmt>        text (default), markdown (a pull-request comment) or json
  --output <file>       write the report to a file instead of stdout
  --fail-on <level>     exit 1 when a change is at least this risky: weaker (critical or weaker) or any
  --now <instant>       judge expiry-dependent findings as of this UTC instant instead of the clock
  --root <dir>          repository root holding stacks/ (default: found from the current folder)
  -h, --help            show this help

Exit codes: 0 done (and nothing --fail-on names), 1 a change --fail-on names or invalid declarations,
2 usage error or unknown git ref, 3 git unavailable.
`;

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    ...OUTPUT,
    stack: { type: "string" },
    base: { type: "string" },
    "fail-on": { type: "string" },
    now: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(PLAN_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim plan --stack demo");
  const format = formatOption(values.format, ["text", "markdown", "json"] as const);
  const failOn = values["fail-on"];
  if (failOn !== undefined && failOn !== "weaker" && failOn !== "any")
    throw new UsageError(`--fail-on must be weaker or any, not "${failOn}"`);
  const now = instantOption("now", values.now, new Date());
  const root = findRoot(values.root);

  const plan = computePlan({ root, stack, ...(values.base !== undefined ? { base: values.base } : {}), now });
  const ctx = planContext(plan);
  const text =
    format === "json"
      ? renderJson(plan.diff, ctx, { base: plan.base, evaluatedAt: plan.evaluatedAt })
      : format === "markdown"
        ? renderMarkdown(plan.diff, ctx)
        : renderText(plan.diff, ctx, colors(io.stdout));
  emit(io, text, values.output);
  return failing(plan, failOn) ? EXIT.invalid : EXIT.ok;
}

export function planContext(plan: PlanResult): ReportContext {
  const notes: string[] = [];
  if (!plan.base.exists) notes.push(`stack ${plan.stack} does not exist at the base: everything is new`);
  if (plan.warnings.length)
    notes.push(
      `${count(plan.warnings.length, "warning")} in the declarations: run pim check --stack ${plan.stack}`,
    );
  return {
    title: "pim plan",
    stack: plan.stack,
    comparing: `${plan.base.ref} (${plan.base.commit.slice(0, 12)}) → working tree`,
    marker: `pim-plan:${plan.stack}`,
    notes,
  };
}

function failing(plan: PlanResult, failOn: string | undefined): boolean {
  if (failOn === "any") return plan.diff.counts.total > 0;
  if (failOn === "weaker") return plan.diff.counts.critical + plan.diff.counts.weaker > 0;
  return false;
}

export const plan: Command = {
  name: "plan",
  summary: "what a change to a stack's declarations does, judged for security (offline, for pull requests)",
  help: PLAN_HELP,
  run: planCommand,
};
