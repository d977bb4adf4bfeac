/**
 * Argument parsing on node:util parseArgs, strict: an unknown or malformed option is a usage error (exit 2) with a
 * pointer to --help, never a stack trace. The options every command shares are declared here once.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors";

export { UsageError };

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

/** `--help`, `--root`, `--format`, `--output`: declared alike by every command that takes them. */
export const COMMON = {
  help: { type: "boolean", short: "h" },
  root: { type: "string" },
} as const;
export const OUTPUT = {
  format: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

/** `--format` among the values a command supports (the first is the default). */
export function formatOption<F extends string>(value: string | undefined, allowed: readonly F[]): F {
  if (value === undefined) return allowed[0]!;
  if ((allowed as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`--format must be ${orList(allowed)}, not "${value}"`);
}

/** An instant with its zone (`2026-11-23T12:00:00Z`): a time without one would differ between machines. */
export function instantOption(name: string, value: string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const t = new Date(value);
  if (Number.isNaN(t.getTime()) || !/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new UsageError(
      `--${name} must be an instant with a zone, e.g. 2026-11-23T12:00:00Z, not "${value}"`,
    );
  }
  return t;
}

export function required(name: string, value: string | undefined, example: string): string {
  if (value === undefined || value === "") throw new UsageError(`--${name} is required, e.g. ${example}`);
  return value;
}

export function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}
