/**
 * Clock-relative facts, as functions of (snapshot entry, instant): a snapshot never stores them, so the same
 * snapshot answers "what is expired" for any instant (check today, expiry next week, a test at a fixed time).
 */
import { DAY } from "../duration";
import { daysLeftOf, statusOf } from "../load/timeWindow";
import type { GrantStatus } from "../types";

export interface TimeWindow {
  start: string | null;
  end: string | null;
}

const inMs = (w: TimeWindow) => ({
  startMs: w.start === null ? null : Date.parse(w.start),
  endMs: w.end === null ? null : Date.parse(w.end),
});

/** The loader's rule (`statusOf`), at any instant. */
export function statusAt(w: TimeWindow, at: Date): GrantStatus {
  return statusOf(inMs(w), at.getTime());
}

/** Whole days left, rounded up (negative once ended); null for a permanent window. */
export function daysLeftAt(w: TimeWindow, at: Date): number | null {
  return daysLeftOf(inMs(w), at.getTime());
}

/** Milliseconds until the end (≤ 0 once ended); null for a permanent window. */
export function remainingMs(w: TimeWindow, at: Date): number | null {
  return w.end === null ? null : Date.parse(w.end) - at.getTime();
}

export { DAY };
