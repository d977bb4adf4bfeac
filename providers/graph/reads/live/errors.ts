/**
 * A read of the live tenant that failed: what could not be read, why, and — for a refusal — the permission to
 * grant. The live reader throws it instead of returning what it had read so far, so nothing downstream (import,
 * drift, report) ever works from part of a tenant. `exitCode` is the CLI's "something needed is unavailable or
 * refused" (3), carried here so a caller that is not the CLI (the demo) ends the same way.
 */
import { isGraphError } from "../../index";
import { permissionFor } from "../../permissions";

export class LiveReadError extends Error {
  override readonly name = "LiveReadError";
  readonly exitCode = 3;
  constructor(
    /** What could not be read, in words: `the eligible directory-role assignments`. */
    readonly what: string,
    /** The HTTP status Graph answered with; 0 when no answer arrived. */
    readonly status: number,
    readonly reason: string,
    /** The Graph permission (or, from ARM, the Azure role and scope) the identity needs, when it was refused. */
    readonly permission: string | null,
    /** Which service refused or failed: Graph (the default) or Azure Resource Manager. */
    readonly service: "graph" | "arm" = "graph",
  ) {
    super(`could not read ${what}: ${reason}; nothing was written`);
  }

  /** How to fix it, one line; undefined when the cause is not the caller's to fix. */
  get hint(): string | undefined {
    if (this.service === "arm") {
      if (this.permission) return `assign the identity the Azure role ${this.permission}, then run again`;
      if (this.status === 0)
        return "no answer from Azure Resource Manager: check the network, or PIM_ARM_BASE_URL for the emulator";
      if (this.status === 404) return "check the subscription id and that it belongs to this stack's tenant";
      if (this.status === 429 || this.status >= 500) return "ARM kept failing after retries: run again later";
      return undefined;
    }
    if (this.permission)
      return `grant the identity the Microsoft Graph permission ${this.permission} (admin consent), then run again`;
    if (this.status === 0)
      return "no answer from Graph: check the network, or PIM_GRAPH_BASE_URL for the emulator";
    if (this.status === 429 || this.status >= 500) return "Graph kept failing after retries: run again later";
    return undefined;
  }
}

/**
 * Wraps a failure of one read; anything that is not a Graph error is a bug and passes through. A refusal names the
 * permission the refused request needs, from the project's one table of them (`../../permissions.ts`).
 */
export function readFailure(e: unknown, what: string): unknown {
  if (e instanceof LiveReadError || !isGraphError(e)) return e;
  const refused = e.status === 401 || e.status === 403;
  const permission = refused ? (permissionFor(e.method, e.path)?.application ?? null) : null;
  return new LiveReadError(what, e.status, e.message, permission);
}

/** Runs one read; a Graph failure becomes a LiveReadError naming the read (and, for a refusal, its permission). */
export async function reading<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw readFailure(e, what);
  }
}
