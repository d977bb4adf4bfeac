import type { Io } from "../lib/io";

/** One `pim` command: a folder under scripts/commands/ exports one of these from its index.ts. */
export interface Command {
  name: string;
  /** One line for `pim --help`. */
  summary: string;
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}
