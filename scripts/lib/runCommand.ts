/**
 * Runs one command and turns the errors a user can act on into their message, hint and exit code, exactly as
 * `pim <command>` prints them. Shared by `scripts/pim.ts` and `pim demo`, which runs other commands in-process.
 * Anything that is not a CliError (or a domain error `toCliError` maps) is a bug and propagates.
 */
import { escapeControlChars } from "../../model/untrustedText";
import type { Command } from "../commands/types";
import { toCliError, UsageError } from "./errors";
import type { Io } from "./io";

export async function runCommand(command: Command, argv: string[], io: Io): Promise<number> {
  try {
    return await command.run(argv, io);
  } catch (e) {
    const err = toCliError(e);
    if (!err) throw e;
    const name = command.name;
    io.stderr.write(`pim ${name}: ${err.message.split("\n").map(escapeControlChars).join("\n")}\n`);
    if (err.hint) io.stderr.write(`  fix: ${err.hint}\n`);
    if (err instanceof UsageError) io.stderr.write(`Run \`pim ${name} --help\` for usage.\n`);
    return err.exitCode;
  }
}
