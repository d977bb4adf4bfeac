import { main } from "../../scripts/pim";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in process with captured output (no TTY, so no colours). */
export async function runPim(argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

export const NOW = "2026-11-23T12:00:00Z";
