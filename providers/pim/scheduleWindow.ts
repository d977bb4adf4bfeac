/**
 * When a live schedule gives what was declared, and which start a request sends. Pure (the clock is a parameter),
 * shared by both schedule families.
 *
 * A declared start is either null ("when provisioned") or an instant. A start that has passed asks only that the
 * grant has begun: access cannot begin in the past, so a schedule provisioned after its declared start is as
 * declared. A start in the future asks for exactly that start, so moving it (earlier or later) is a change.
 */
import { liveEnd, liveStart, type LiveSchedule } from "../graph/reads";
import { graphInstant, sameInstant, SAME_INSTANT_MS, STARTED_SLACK_MS } from "./time";

/**
 * A schedule's window as the lifecycle compares it. `startMs`: the live start; `STARTED` when it is known to have
 * begun but not when (what the state remembers of a grant that started "when provisioned"); null when the
 * schedule has no start at all (an assignment made outside PIM, which a PIM schedule request must take over).
 */
export interface LiveWindow {
  startMs: number | null;
  end: string | null;
}

export const STARTED = Number.NEGATIVE_INFINITY;

export function windowOf(s: LiveSchedule): LiveWindow {
  const start = liveStart(s);
  return { startMs: start ? Date.parse(start) : null, end: liveEnd(s) };
}

/** What the state knows of the live schedule after the last apply: the declared window, as it was sent. */
export function believedWindow(
  declared: { start: string | null; end: string | null },
  now: number,
): LiveWindow {
  const s = declared.start ? Date.parse(declared.start) : null;
  return { startMs: s !== null && s > now ? s : STARTED, end: declared.end };
}

export function startMatches(liveStartMs: number | null, declared: string | null, now: number): boolean {
  if (liveStartMs === null) return false;
  const d = declared ? Date.parse(declared) : null;
  if (d !== null && d > now + STARTED_SLACK_MS) return Math.abs(liveStartMs - d) < SAME_INSTANT_MS;
  return liveStartMs <= now + STARTED_SLACK_MS;
}

export function sameWindow(
  live: LiveWindow,
  declared: { start: string | null; end: string | null },
  now: number,
): boolean {
  return sameInstant(live.end, declared.end) && startMatches(live.startMs, declared.start, now);
}

/** A live window that has not begun: a pending grant (its request is cancelled, not removed). */
export function notStarted(live: LiveWindow, now: number): boolean {
  return live.startMs !== null && live.startMs > now + STARTED_SLACK_MS;
}

/**
 * The `startDateTime` every request that carries a schedule sends: a declared start still ahead; else the live
 * schedule's own start once it has begun (an update does not move it); else now.
 */
export function startToSend(declared: string | null, live: LiveWindow | null, now: number): string {
  const d = declared ? Date.parse(declared) : null;
  if (d !== null && d > now) return graphInstant(d);
  const l = live?.startMs ?? null;
  if (l !== null && Number.isFinite(l) && l <= now + STARTED_SLACK_MS) return graphInstant(l);
  return graphInstant(now);
}
