/**
 * Argument parsing on node:util parseArgs, strict: an unknown or malformed option is a usage error (exit 2) with a
 * pointer to --help, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    const msg = (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, "");
    throw new UsageError(msg);
  }
}
