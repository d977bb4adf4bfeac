/**
 * Bounded waits with a line on stderr: how the lifecycle waits for Entra (a new group's policies, the five minutes
 * before an active assignment may be removed) without hanging a run or leaving the person at the terminal guessing.
 *
 * Sleeping, the wall clock and the progress sink are one replaceable object (`setWaitHooks`), so tests run these
 * waits instantly and can move the emulator's clock inside `sleep`.
 */
export interface WaitHooks {
  /** Real time, for deadlines. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** One progress line (stderr: the provider host's stdout is the engine's channel). */
  progress(line: string): void;
}

const defaults: WaitHooks = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  progress: (line) => void process.stderr.write(`${line}\n`),
};

let hooks: WaitHooks = defaults;

/** One line on stderr (through the progress hook, so tests see it): what the provider does and why. */
export function progress(line: string): void {
  hooks.progress(line);
}

/** The waits' clock (real time, or the tests' clock), so a message about a wait measures what the wait measured. */
export function waitClock(): number {
  return hooks.now();
}

/** Replaces some hooks (tests); returns a function that restores the previous ones. */
export function setWaitHooks(over: Partial<WaitHooks>): () => void {
  const previous = hooks;
  hooks = { ...previous, ...over };
  return () => {
    hooks = previous;
  };
}

export interface WaitPlan {
  /** Give up after this much real time. */
  limitMs: number;
  /** Delay before the first retry; doubles up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** The progress line before each delay: what is awaited, how long so far, the limit. */
  describe(waitedMs: number, nextMs: number): string;
}

/**
 * Calls `attempt` until it returns a value other than `undefined` or the plan's limit is spent; each retry is
 * preceded by a progress line. Returns the value, or `undefined` when the time ran out.
 */
export async function waitFor<T>(
  plan: WaitPlan,
  attempt: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const started = hooks.now();
  let delay = plan.firstDelayMs;
  for (;;) {
    const got = await attempt();
    if (got !== undefined) return got;
    const waited = hooks.now() - started;
    if (waited >= plan.limitMs) return undefined;
    const next = Math.min(delay, plan.limitMs - waited);
    hooks.progress(plan.describe(waited, next));
    await hooks.sleep(next);
    delay = Math.min(delay * 2, plan.maxDelayMs);
  }
}

/** `12 s`, `3 min 5 s`: how long, in a progress line. */
export function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
}
