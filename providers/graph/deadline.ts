/**
 * One overall deadline per provider operation. Retries, throttling waits and read-backs each have their own bound,
 * but a create that meets five 429s with a `Retry-After` of five minutes each, then a slow read-back, would still run
 * for half an hour with nothing to show. So every lifecycle call of a provider (`providers/shim/dispatch.ts`) runs
 * inside `withDeadline`, and the Graph layer consults `currentDeadline()`:
 *
 * - the retry middleware does not start a wait that would end after the deadline: it fails at once with
 *   `DeadlineExceededError`, saying what it was waiting for and how long Graph asked;
 * - a request still in flight at the deadline is aborted (its signal), and fails the same way.
 *
 * The deadline travels with the async call chain (AsyncLocalStorage), so concurrent operations in one provider
 * process each keep their own. The clock is injectable: tests move time without waiting.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface OperationDeadline {
  /** What runs, for messages: `DirectoryRoleSchedule create`. */
  label: string;
  /** Milliseconds on `now()`'s clock. */
  at: number;
  /** The configured length, for messages. */
  ms: number;
  /** Where it is configured, for messages. */
  setting: string;
  /** Aborted when the deadline passes (a request in flight stops). */
  signal: AbortSignal;
}

const storage = new AsyncLocalStorage<OperationDeadline>();

export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
}

/** The deadline of the operation this call belongs to, if any. */
export function currentDeadline(): OperationDeadline | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with a deadline `ms` from now. `setting` names where the length is configured. The abort timer uses real
 * time; `now` is the clock the retry logic compares against (the same as the Graph client's in tests).
 */
export async function withDeadline<T>(
  label: string,
  ms: number,
  fn: () => Promise<T>,
  opts: { now?: () => number; setting?: string } = {},
): Promise<T> {
  const now = opts.now ?? Date.now;
  const controller = new AbortController();
  const deadline: OperationDeadline = {
    label,
    at: now() + ms,
    ms,
    setting: opts.setting ?? "pim:operationTimeoutSeconds",
    signal: controller.signal,
  };
  const timer = setTimeout(() => controller.abort(deadlineError(deadline, "a Graph request")), ms);
  timer.unref();
  try {
    return await storage.run(deadline, fn);
  } finally {
    clearTimeout(timer);
  }
}

/** The error for an operation that ran out of time while `what` (waiting for X, a request) was under way. */
export function deadlineError(d: OperationDeadline, what: string): DeadlineExceededError {
  return new DeadlineExceededError(
    `${d.label}: gave up after the operation's deadline of ${Math.round(d.ms / 1000)} s, during ${what}. Nothing ` +
      `further was sent. Run again later, or raise ${d.setting} (or PIM_OPERATION_TIMEOUT_SECONDS) if Graph is ` +
      `throttling this tenant for longer.`,
  );
}

/** Milliseconds left before the current deadline on `now`'s clock; Infinity without one. */
export function remainingMs(now: number): number {
  const d = currentDeadline();
  return d ? d.at - now : Infinity;
}
