/** What a command writes to, injectable so tests capture output without spawning a process. */
export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

/**
 * Exit codes shared by every command (README, "Main commands"):
 * 0 success; 1 the input is invalid or a condition the caller asked about holds (a mandatory finding, a change
 * `--fail-on` names); 2 usage error or a missing thing the user named (stack, git ref, file); 3 something the
 * command needs is unavailable or refused (git or gh missing, a Graph 403); 70 a bug in the tool.
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, unavailable: 3, internal: 70 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** ANSI colours only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function colors(stream: Io["stdout"], env: NodeJS.ProcessEnv = process.env): Colors {
  const on = Boolean(stream.isTTY) && !env["NO_COLOR"] && env["TERM"] !== "dumb";
  const wrap = (a: number, b: number) => (s: string) => (on ? `\u001b[${a}m${s}\u001b[${b}m` : s);
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
  };
}

export const NO_COLORS: Colors = colors({ write: () => undefined });
