/**
 * How the demo prints: a numbered heading per step, a progress line while a step runs, a command's own output
 * indented under it (long tables cut, with how to see them whole), and the elapsed time of every step.
 */
import { colors, type Colors, type Io } from "../../lib/io";
import { formatTable } from "../../lib/table";

/** A command's output captured in-process; colours follow the real terminal. */
export interface Captured {
  io: Io;
  text(): string;
}

export function capture(real: Io): Captured {
  let buf = "";
  const sink = (isTTY: boolean | undefined) => ({ write: (s: string) => (buf += s), isTTY });
  return { io: { stdout: sink(real.stdout.isTTY), stderr: sink(real.stdout.isTTY) }, text: () => buf };
}

/** Blocks (runs of non-blank lines) longer than this keep their first `KEEP` lines. */
export const MAX_BLOCK_LINES = 24;
const KEEP = 12;
/** A step's whole output is cut after this many lines (the report lists every finding in full). */
export const MAX_STEP_LINES = 80;

/**
 * Indents a command's output under its heading, cuts any block longer than MAX_BLOCK_LINES and the whole after
 * MAX_STEP_LINES, each cut saying how many lines it left out and which command shows them.
 */
export function indentOutput(text: string, seeAll: string): string {
  const out: string[] = [];
  let block: string[] = [];
  const flush = () => {
    if (block.length > MAX_BLOCK_LINES) {
      out.push(...block.slice(0, KEEP), `… ${block.length - KEEP} more lines (${seeAll} shows them all)`);
    } else out.push(...block);
    block = [];
  };
  for (const line of text.replace(/\n+$/, "").split("\n")) {
    if (line.trim() === "") {
      flush();
      out.push("");
    } else block.push(line);
  }
  flush();
  if (out.length > MAX_STEP_LINES) {
    const rest = out.length - MAX_STEP_LINES;
    out.splice(MAX_STEP_LINES, rest, `… ${rest} more lines (${seeAll} shows them all)`);
  }
  return out.map((l) => (l ? `    ${l}` : "")).join("\n") + "\n";
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class DemoPrinter {
  readonly c: Colors;
  private n = 0;

  constructor(
    readonly io: Io,
    private readonly total: number,
  ) {
    this.c = colors(io.stdout);
  }

  line(s = ""): void {
    this.io.stdout.write(`${s}\n`);
  }

  /** `== 3/7 · Expiry: … ==` and the command it runs. */
  heading(title: string, command?: string): void {
    this.n++;
    this.line();
    this.line(this.c.bold(`== ${this.n}/${this.total} · ${title} ==`));
    if (command) this.line(this.c.dim(`  $ ${command}`));
  }

  progress(s: string): void {
    this.line(this.c.dim(`  … ${s}`));
  }

  /** The closing line of a step: its time and what its exit code means. */
  done(ms: number, what: string): void {
    this.line(this.c.dim(`  (${seconds(ms)}; ${what})`));
  }
}

export interface Timing {
  step: string;
  ms: number;
}

export function timingTable(timings: readonly Timing[], totalMs: number): string {
  const rows = [...timings.map((t) => [t.step, seconds(t.ms)]), ["total", seconds(totalMs)]];
  return formatTable([{ header: "STEP" }, { header: "WALL TIME", align: "right" }], rows, "    ").join("\n");
}
