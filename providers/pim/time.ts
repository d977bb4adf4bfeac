/**
 * Time as the schedule lifecycle needs it: the providers' clock, instants in Graph's own format, and the comparisons
 * that decide whether a live schedule gives what was declared.
 *
 * The clock is `PIM_NOW` when set (for tests against an emulator whose clock is frozen at another instant, as the
 * program reads it too), else the host's. Bounded waits (`wait.ts`) use real time, never this clock.
 */

/** Instants closer than this are the same instant (Graph drops milliseconds). */
export const SAME_INSTANT_MS = 1000;

/**
 * How far a live start may lie ahead of this clock and still count as "started": Graph starts an immediate request
 * at its own time, which can run ahead of the host's by seconds to minutes; a grant scheduled for later is days or
 * hours ahead. Five minutes is also the shortest schedule Entra accepts.
 */
export const STARTED_SLACK_MS = 5 * 60_000;

export function providerNow(env: NodeJS.ProcessEnv = process.env): number {
  const text = env["PIM_NOW"];
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? Date.now() : ms;
}

/**
 * An instant as Graph writes DateTimeOffset values: UTC, `Z`, no fraction when it is whole seconds
 * (`2027-04-30T00:00:00Z`, never `…00.000Z`). Sending Graph's own spelling keeps what we send and what Graph stores
 * byte-identical, so nothing downstream sees a difference where there is none.
 */
export function graphInstant(instant: string | number): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) throw new Error(`not an instant: ${String(instant)}`);
  return d.toISOString().replace(/\.000Z$/, "Z");
}

export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return Math.abs(Date.parse(a) - Date.parse(b)) < SAME_INSTANT_MS;
}
