/**
 * The CLI's one error type: a failure the user can act on, with the exit code it ends in. Commands throw it (or a
 * domain error `toCliError` knows); `scripts/pim.ts` prints its message and hint and exits with its code. Anything
 * else is a bug in the tool and ends as "internal error" (exit 70, bin/pim.js).
 */
import { StackNotFoundError } from "../../model";
import { GraphConfigError } from "../../providers/graph/config";
import { GraphError } from "../../providers/graph/errors";
import { LiveReadError } from "../../providers/graph/reads/live/errors";
import { isArmError } from "../../providers/arm/errors";
import { EXIT, type ExitCode } from "./io";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** How to fix it, one line. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A malformed command line: exit 2, with a pointer to `--help`. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** Maps the domain errors of the layers the CLI calls; null for anything else (a bug). */
export function toCliError(e: unknown): CliError | null {
  if (e instanceof CliError) return e;
  // The message already lists the stacks there are; it reads as a usage error, with the pointer to --help.
  if (e instanceof StackNotFoundError) return new UsageError(e.message);
  // A read of the live tenant that failed part-way: what could not be read, and the permission when refused.
  if (e instanceof LiveReadError) return new CliError(e.message, EXIT.unavailable, e.hint);
  if (e instanceof GraphError) {
    // The token endpoint refused the credential itself (a wrong secret, an unknown client id): no permission of
    // the app is involved yet, so the permission hint would send the user to the wrong place.
    const tokenRequest = /\/oauth2\/(v2\.0\/)?token$/.test(e.path ?? "");
    const hint = tokenRequest
      ? e.status === 0
        ? "no answer from the token endpoint: check the network, or PIM_GRAPH_BASE_URL for the emulator"
        : "the credential was refused when asking for a token: check the tenant id, the client id and its secret (PIM_GRAPH_TENANT_ID, PIM_GRAPH_CLIENT_ID, PIM_GRAPH_CLIENT_SECRET for the emulator)"
      : e.status === 401 || e.status === 403
        ? 'the identity lacks a permission this command needs: see README, "The app registration and its permissions"'
        : e.status === 0
          ? "no answer from Graph: check the network, or PIM_GRAPH_BASE_URL for the emulator"
          : undefined;
    return new CliError(e.message, EXIT.unavailable, hint);
  }
  // ARM outside a read of the tenant (the live reader wraps its own): the message names the Azure role to assign.
  if (isArmError(e)) return new CliError(e.message, EXIT.unavailable, e.hint ?? undefined);
  // Where Graph is or who to be is not set, or a token is for another tenant: the message says what to set.
  if (e instanceof GraphConfigError) return new CliError(e.message, EXIT.unavailable);
  return null;
}
