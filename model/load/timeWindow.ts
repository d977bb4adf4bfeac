/**
 * When a grant or a PIM-for-Groups membership starts and ends: `start`, then `end` or `duration`, checked against
 * the calendar, the clock (`now`), the bounds any assignment has, and the role's expiry rule.
 */
import { DAY, daysLeft, durationMs, humanDuration, parseDuration, parseInstant } from "../duration";
import type { AssignmentExpiry, GrantStatus } from "../types";

type ExpiryRule = Pick<AssignmentExpiry, "allowPermanent" | "maximumDuration">;
import type { Report } from "./diagnostics";

export interface WindowInput {
  start?: string;
  end?: string;
  duration?: string;
}

export interface TimeWindow {
  /** UTC ISO instants; null start: when provisioned; null end: permanent. */
  start: string | null;
  end: string | null;
  startMs: number | null;
  endMs: number | null;
}

/** Shorter than this, Entra refuses the schedule, and nobody could use it anyway. */
const MIN_WINDOW_MS = 5 * 60_000;
/** Ten years: the longest expiry rule Entra holds (P3650D); an end or start beyond it is a typo (year 9999). */
const MAX_HORIZON_MS = 3650 * DAY;

export interface WindowContext {
  kind: "eligible" | "active";
  /** The role's expiry rule for this kind; null when unknown (the role or the settings could not be read). */
  rule: ExpiryRule | null;
  /** Who the rule belongs to, in messages: a role name, or `Ops (member)`. */
  ruleLabel: string;
  nowMs: number;
  /** True when start, end or duration is present but malformed: checks that rely on one being absent stand down. */
  incomplete: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** `4 min 59 s`, `30 s`: how long a too-short window is. */
function minutesAndSeconds(ms: number): string {
  const min = Math.floor(ms / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return [min ? `${min} min` : "", s || !min ? `${s} s` : ""].filter(Boolean).join(" ");
}
const instantMs = (text: string, as: "start" | "end") => {
  const r = parseInstant(text, as);
  if (!r.ok) throw new Error(r.reason); // unreachable: the schema checked it
  return r.ms;
};

/** Resolves and checks a window; reports at the fields `start`, `end`, `duration`. Null when unusable. */
export function resolveWindow(w: WindowInput, ctx: WindowContext, report: Report): TimeWindow | null {
  const { kind, rule, ruleLabel, nowMs, incomplete } = ctx;
  const endField = w.end !== undefined ? "end" : "duration";
  const startMs = w.start !== undefined ? instantMs(w.start, "start") : null;
  if (w.end !== undefined && w.duration !== undefined) {
    report({
      code: "end-and-duration",
      path: ["duration"],
      message: "give either end or duration, not both",
      hint: "remove duration (an end date is easier to review)",
    });
    return null;
  }
  let endMs = w.end !== undefined ? instantMs(w.end, "end") : null;
  if (w.duration !== undefined) {
    if (startMs === null) {
      if (incomplete) return null;
      report({
        code: "duration-without-start",
        path: ["duration"],
        message: `duration ${w.duration} needs a start: counted from "now" the end would move on every run`,
        hint: "add start: YYYY-MM-DD, or write end: YYYY-MM-DD instead",
      });
      return null;
    }
    endMs = startMs + durationMs(w.duration);
  }
  if (startMs !== null && startMs - nowMs > MAX_HORIZON_MS) {
    report({
      code: "start-too-far",
      path: ["start"],
      message: `starts ${iso(startMs).slice(0, 10)}, more than ten years from now`,
      hint: "check the year",
    });
    return null;
  }
  if (startMs !== null && endMs !== null && endMs <= startMs) {
    report({
      code: "end-before-start",
      path: [endField],
      message: `ends (${iso(endMs)}) before it starts (${iso(startMs)})`,
      hint: "move end after start",
    });
    return null;
  }
  const from = startMs ?? nowMs;
  const fromWords = startMs === null ? "now" : "its start";
  if (endMs !== null && endMs - from > MAX_HORIZON_MS) {
    report({
      code: "end-too-far",
      path: [endField],
      message: `ends more than ten years after ${fromWords}: no assignment lasts that long`,
      hint: `end on or before ${iso(from + MAX_HORIZON_MS).slice(0, 10)}, or remove end if the role's settings allow permanent ${kind} assignments`,
    });
    return null;
  }
  if (endMs !== null && endMs > nowMs && endMs - from < MIN_WINDOW_MS) {
    report({
      code: "window-too-short",
      path: [endField],
      message: `lasts ${minutesAndSeconds(endMs - from)} from ${fromWords}; an assignment lasts at least 5 minutes`,
      hint: `end at least 5 minutes after ${startMs === null ? "it is provisioned" : "start"}`,
    });
    return null;
  }
  const window = {
    start: startMs === null ? null : iso(startMs),
    end: endMs === null ? null : iso(endMs),
    startMs,
    endMs,
  };
  if (endMs === null) {
    if (incomplete || !rule) return window;
    if (!rule.allowPermanent) {
      report({
        code: "permanent-not-allowed",
        path: ["end"],
        message: `${ruleLabel} does not allow permanent ${kind} assignments (maximum ${humanDuration(rule.maximumDuration)})`,
        hint: `add end: YYYY-MM-DD within ${humanDuration(rule.maximumDuration)} of the start`,
      });
      return null;
    }
    return window;
  }
  if (endMs <= nowMs) {
    report({
      severity: "warning",
      code: "grant-expired",
      path: [endField],
      message: `expired on ${iso(endMs)} (${Math.floor((nowMs - endMs) / DAY)} days ago); it will not be provisioned`,
      hint: "delete this declaration in a pull request, or extend end if the access is still needed",
    });
    return window;
  }
  if (rule && !rule.allowPermanent && !incomplete) {
    const max = parseDuration(rule.maximumDuration);
    if (max.ok && endMs - from > max.ms) {
      report({
        code: "end-beyond-maximum",
        path: [endField],
        message: `lasts ${Math.ceil((endMs - from) / DAY)} days from ${fromWords}, beyond the ${humanDuration(rule.maximumDuration)} maximum for ${kind} assignments of ${ruleLabel}`,
        hint: `end on or before ${iso(from + max.ms).slice(0, 10)}, or raise ${kind}Assignment.maximumDuration in the role's settings`,
      });
      return null;
    }
  }
  return window;
}

/**
 * The one rule for a window's status at an instant: expired once the end has passed (an end equal to the instant
 * has passed), pending before its start, current otherwise. The loader stores it; the snapshot's `statusAt`
 * computes it for any instant through this function.
 */
export function statusOf(w: Pick<TimeWindow, "startMs" | "endMs">, nowMs: number): GrantStatus {
  if (w.endMs !== null && w.endMs <= nowMs) return "expired";
  if (w.startMs !== null && w.startMs > nowMs) return "pending";
  return "current";
}

/** Whole days left, rounded up (negative once ended); null for a permanent window. */
export function daysLeftOf(w: Pick<TimeWindow, "endMs">, nowMs: number): number | null {
  return w.endMs === null ? null : daysLeft(w.endMs, nowMs);
}
