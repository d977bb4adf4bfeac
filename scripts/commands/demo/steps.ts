/**
 * The commands the demo runs against its tenant, in-process, each exactly as a user would type it: its text output
 * is shown, and its json output (the same command again) gives the one-line summary for the closing summary.
 */
import { audit } from "../audit";
import { expiry } from "../expiry";
import type { Command } from "../types";
import { runCommand } from "../../lib/runCommand";
import { EXIT, type Io } from "../../lib/io";
import { capture } from "./output";

export interface CliStep {
  title: string;
  command: Command;
  argv: string[];
  /** What exit 1 means for this command (0 is "nothing to report"; 2 and above are failures). */
  exitOne?: string;
}

export interface CliOutcome {
  exit: number;
  text: string;
  /** The json output's `summary`, when the command ran. */
  summary: string | null;
}

export function commandLine(s: CliStep): string {
  return ["pim", s.command.name, ...s.argv].join(" ");
}

export async function runCliStep(s: CliStep, io: Io): Promise<CliOutcome> {
  const shown = capture(io);
  const exit = await runCommand(s.command, s.argv, shown.io);
  if (exit > EXIT.invalid) return { exit, text: shown.text(), summary: null };
  const json = capture({ stdout: { write: () => true }, stderr: { write: () => true } });
  await runCommand(s.command, [...s.argv, "--format", "json"], json.io);
  const doc = JSON.parse(json.text()) as { summary?: unknown };
  return { exit, text: shown.text(), summary: typeof doc.summary === "string" ? doc.summary : null };
}

/** The reports before the apply: what the hand-made tenant looks like to each command. */
export function reportSteps(stack: string, at: Date): CliStep[] {
  const when = at.toISOString();
  return [
    {
      title: "Expiry: grants that end soon or have ended but are still declared",
      command: expiry,
      argv: ["--stack", stack, "--at", when],
    },
    {
      title: "Audit: PIM activations, outliers, failures and approval times (last 30 days)",
      command: audit,
      argv: ["--stack", stack, "--at", when],
    },
  ];
}
