/**
 * The reports the demo runs against its tenant, in-process, each as a user would type it: its text output is shown,
 * and its one-line summary goes to the closing summary. `pim report` and `pim drift` run through their library
 * entry points (runReport, runDrift), which return the findings and the diff themselves; `pim expiry` and
 * `pim audit` run as commands, twice (text, then json for the summary).
 */
import * as path from "node:path";
import { summaryLine } from "../../lib/changes/render";
import { colors, EXIT, type Colors, type Io } from "../../lib/io";
import { findRoot } from "../../lib/root";
import { runCommand } from "../../lib/runCommand";
import { armForStack, graphForStack } from "../../lib/stackGraph";
import { count } from "../../lib/text";
import { audit } from "../audit";
import { runDrift } from "../drift/run";
import { expiry } from "../expiry";
import { runReport } from "../report/run";
import type { Command } from "../types";
import { capture } from "./output";

export interface StepOutcome {
  exit: number;
  text: string;
  /** One line for the closing summary; null when the step could not run. */
  summary: string | null;
}

export interface ReportStep {
  /** The command's name, for timings and the summary. */
  name: string;
  title: string;
  commandLine: string;
  /** What exit 1 means for this step (0 is "nothing to report"; 2 and above are failures). */
  exitOne: string;
  run(io: Io): Promise<StepOutcome>;
}

const DISCARD: Io = { stdout: { write: () => true }, stderr: { write: () => true } };

/** A command's json output names its summary `summary` (a line) or `summary.text` (the change reports). */
function summaryOf(json: string): string | null {
  const s = (JSON.parse(json) as { summary?: unknown }).summary;
  if (typeof s === "string") return s;
  const text = (s as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? text : null;
}

export function commandStep(
  title: string,
  command: Command,
  argv: string[],
  exitOne = "findings",
): ReportStep {
  return {
    name: command.name,
    title,
    commandLine: ["pim", command.name, ...argv].join(" "),
    exitOne,
    async run(io) {
      const shown = capture(io);
      const exit = await runCommand(command, argv, shown.io);
      if (exit > EXIT.invalid) return { exit, text: shown.text(), summary: null };
      const json = capture(DISCARD);
      await runCommand(command, [...argv, "--format", "json"], json.io);
      return { exit, text: shown.text(), summary: summaryOf(json.text()) };
    },
  };
}

/** A library entry point run as its command would run it: its errors become the command's message and exit code. */
function libraryStep(
  step: Omit<ReportStep, "run">,
  run: (colors: Colors) => Promise<{ text: string; exitCode: number; summary: string }>,
): ReportStep {
  return {
    ...step,
    async run(io) {
      const shown = capture(io);
      let summary: string | null = null;
      const command: Command = {
        name: step.name,
        summary: "",
        help: "",
        run: async (_argv, out) => {
          const r = await run(colors(io.stdout));
          out.stdout.write(r.text);
          summary = r.summary;
          return r.exitCode;
        },
      };
      const exit = await runCommand(command, [], shown.io);
      return { exit, text: shown.text(), summary };
    },
  };
}

/**
 * `pim drift --stack <stack>`: declared versus live, through `runDrift` (the command's library entry point).
 * `afterApply`: the Azure role settings still differing get one line saying why (the demo does not apply them).
 */
export function driftStep(
  title: string,
  root: string,
  stack: string,
  at: Date,
  opts: { afterApply?: boolean } = {},
): ReportStep {
  return libraryStep(
    {
      name: "drift",
      title,
      commandLine: `pim drift --stack ${stack} --now ${at.toISOString()}`,
      exitOne: "drift: the tenant differs from the declarations",
    },
    async (c) => {
      const r = await runDrift(liveOptions(root, stack, at, c));
      const azure = r.diff.changes.filter((x) => x.section === "roleSettings" && x.key.startsWith("azure:"));
      const why = opts.afterApply && azure.length ? `${notAppliedLine(azure.map((x) => x.subject))}\n` : "";
      return { text: `${r.text}${why}`, exitCode: r.exitCode, summary: summaryLine(r.diff) };
    },
  );
}

/** What `runDrift` and `runReport` read the stack's tenant with: its Graph, its ARM (made only if needed). */
function liveOptions(root: string, stack: string, at: Date, c: Colors) {
  return {
    graph: graphForStack(root, stack),
    arm: armForStack(root, stack),
    root,
    stack,
    now: at,
    colors: c,
  };
}

/** Why an Azure role's settings still differ after the demo's apply, in one line. */
export function notAppliedLine(subjects: readonly string[]): string {
  return (
    `${subjects.join(", ")}: still as set by hand, because the demo records azure-native's RoleManagementPolicy ` +
    "without applying it (no ARM writes); a real `pulumi up` applies it through azure-native"
  );
}

/** `pim report --stack <stack>`: the safe-default rules on the live tenant, through `runReport`. */
export function reportStep(root: string, stack: string, at: Date): ReportStep {
  return libraryStep(
    {
      name: "report",
      title: "Report: the safe-default rules on the live tenant (with the facts only a tenant has)",
      commandLine: `pim report --stack ${stack} --now ${at.toISOString()}`,
      exitOne: "mandatory findings",
    },
    async (c) => {
      const r = await runReport(liveOptions(root, stack, at, c));
      const mandatory = r.findings.filter((f) => f.mandatory);
      const rules = [...new Set(mandatory.map((f) => f.ruleId))].sort();
      const summary =
        `${count(r.findings.length, "finding")}, ${mandatory.length} mandatory` +
        (rules.length ? ` (${rules.join(", ")})` : "");
      return { text: r.text, exitCode: r.exitCode, summary };
    },
  );
}

/**
 * `--root` for the commands run as commands, only when the demo's root is not the one they would find from the
 * current folder themselves (so the command line shown is the one a user would type).
 */
function rootArgs(root: string): string[] {
  return path.resolve(root) === findRoot(undefined) ? [] : ["--root", root];
}

/** The reports before the apply: what the hand-made tenant looks like to each command. */
export function reportSteps(root: string, stack: string, at: Date): ReportStep[] {
  const when = at.toISOString();
  return [
    reportStep(root, stack, at),
    driftStep("Drift: declared (stacks/" + stack + ") versus the live tenant", root, stack, at),
    commandStep("Expiry: grants that end soon, or have ended and are still declared", expiry, [
      "--stack",
      stack,
      "--at",
      when,
      ...rootArgs(root),
    ]),
    commandStep("Audit: PIM activations, outliers, failures and approval times (last 30 days)", audit, [
      "--stack",
      stack,
      "--at",
      when,
      ...rootArgs(root),
    ]),
  ];
}
