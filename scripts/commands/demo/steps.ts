/**
 * The reports the demo runs against its tenant, in-process, each as a user would type it: its text output is shown,
 * and its one-line summary goes to the closing summary. A command folder's `Command` is run twice (text, then
 * json for the summary); `pim drift` is run through its library entry point, which returns the diff itself.
 */
import { graphFromEnvironment } from "../../../providers/graph";
import { summaryLine } from "../../lib/changes/render";
import { colors, EXIT, type Io } from "../../lib/io";
import { runCommand } from "../../lib/runCommand";
import { audit } from "../audit";
import { runDrift } from "../drift/run";
import { expiry } from "../expiry";
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
function asCommand(name: string, run: (io: Io) => Promise<number>): Command {
  return { name, summary: "", help: "", run: (_argv, io) => run(io) };
}

/** `pim drift --stack <stack>`: declared versus live, through `runDrift` as the command runs it. */
export function driftStep(title: string, root: string, stack: string, at: Date): ReportStep {
  return {
    name: "drift",
    title,
    commandLine: `pim drift --stack ${stack}`,
    exitOne: "drift: the tenant differs from the declarations",
    async run(io) {
      const shown = capture(io);
      let summary: string | null = null;
      const drift = asCommand("drift", async (out) => {
        const graph = graphFromEnvironment();
        const r = await runDrift({ graph, root, stack, now: at, colors: colors(io.stdout) });
        out.stdout.write(r.text);
        summary = summaryLine(r.diff);
        return r.exitCode;
      });
      const exit = await runCommand(drift, [], shown.io);
      return { exit, text: shown.text(), summary };
    },
  };
}

/** The reports before the apply: what the hand-made tenant looks like to each command. */
export function reportSteps(root: string, stack: string, at: Date): ReportStep[] {
  const when = at.toISOString();
  return [
    driftStep("Drift: declared (stacks/" + stack + ") versus the live tenant", root, stack, at),
    commandStep("Expiry: grants that end soon, or have ended and are still declared", expiry, [
      "--stack",
      stack,
      "--at",
      when,
    ]),
    commandStep("Audit: PIM activations, outliers, failures and approval times (last 30 days)", audit, [
      "--stack",
      stack,
      "--at",
      when,
    ]),
  ];
}
