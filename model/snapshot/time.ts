/**
 * Clock-relative facts, as functions of (snapshot entry, instant): a snapshot never stores them, so the same
 * snapshot answers "what is expired" for any instant (check today, expiry next week, a test at a fixed time).
 */
import { DAY, daysLeft } from "../duration";
import type { GrantStatus } from "../types";

export interface TimeWindow {
  start: string | null;
  end: string | null;
}

/** Same rule as the loader: expired once the end has passed (an end equal to `at` has passed). */
export function statusAt(w: TimeWindow, at: Date): GrantStatus {
  const now = at.getTime();
  if (w.end !== null && Date.parse(w.end) <= now) return "expired";
  if (w.start !== null && Date.parse(w.start) > now) return "pending";
  return "current";
}

/** Whole days left, rounded up (negative once ended); null for a permanent window. */
export function daysLeftAt(w: TimeWindow, at: Date): number | null {
  return w.end === null ? null : daysLeft(Date.parse(w.end), at.getTime());
}

/** Milliseconds until the end (≤ 0 once ended); null for a permanent window. */
export function remainingMs(w: TimeWindow, at: Date): number | null {
  return w.end === null ? null : Date.parse(w.end) - at.getTime();
}

export { DAY };
