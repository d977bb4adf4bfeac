/**
 * ISO 8601 durations and UTC instants, the only time arithmetic the model does.
 *
 * Graph serialises policy durations day-based (`P365D`, `PT8H`, `PT1H45M`), so the model accepts weeks, days,
 * hours, minutes and seconds only. Years and months have no fixed length; they are refused with a hint rather than
 * guessed (a grant must end on an instant a reviewer can read off the file).
 */
import { quote } from "./untrustedText";

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const CALENDAR_UNITS = /^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T.*)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Nothing in PIM lasts longer; beyond it instants leave the range a Date can hold. */
const MAX_DURATION_MS = 36_500 * DAY;

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

/** Parses `P42D`, `PT8H`, `P1DT12H`, `P2W`. Returns why not, for error messages that teach the format. */
export function parseDuration(text: string): DurationResult {
  const m = DURATION.exec(text);
  if (!m || text === "P" || text.endsWith("T")) {
    if (CALENDAR_UNITS.test(text) && /[YM]/.test(text.split("T")[0] ?? "")) {
      return {
        ok: false,
        reason: `${quote(text)} uses years or months, which have no fixed length: write days instead (e.g. P365D, P30D)`,
      };
    }
    return {
      ok: false,
      reason: `${quote(text)} is not an ISO 8601 duration: write e.g. PT8H, PT30M, P42D or P1DT12H`,
    };
  }
  const [, w, d, h, min, s] = m;
  const ms =
    Number(w ?? 0) * 7 * DAY +
    Number(d ?? 0) * DAY +
    Number(h ?? 0) * HOUR +
    Number(min ?? 0) * MINUTE +
    Number(s ?? 0) * SECOND;
  if (ms <= 0) return { ok: false, reason: `${quote(text)} is zero: a duration must be longer than nothing` };
  if (ms > MAX_DURATION_MS)
    return { ok: false, reason: `${quote(text)} is longer than 100 years: write at most P36500D` };
  return { ok: true, ms };
}

export function durationMs(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(r.reason);
  return r.ms;
}

/** Formats milliseconds the way Graph does: days, then a time part (`P1DT2H`, `PT45M`). */
export function formatDuration(ms: number): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const min = Math.floor(rest / MINUTE);
  rest -= min * MINUTE;
  const s = rest / SECOND;
  const time = `${h ? `${h}H` : ""}${min ? `${min}M` : ""}${s ? `${s}S` : ""}`;
  return days || time ? `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}` : "PT0S";
}

/** Human form for summaries: `1h`, `8h`, `42d`, `1h30m`. */
export function humanDuration(text: string): string {
  const r = parseDuration(text);
  if (!r.ok) return text;
  const ms = r.ms;
  if (ms % DAY === 0) return `${ms / DAY}d`;
  const h = Math.floor(ms / HOUR);
  const min = Math.floor((ms % HOUR) / MINUTE);
  const s = (ms % MINUTE) / SECOND;
  return `${h ? `${h}h` : ""}${min ? `${min}m` : ""}${s ? `${s}s` : ""}`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
/** Years before this are typing mistakes (`0026-12-31`); a Date would also read 0000–0099 as 1900–1999. */
const FIRST_YEAR = 1000;
/** The widest UTC offsets in use (UTC−12:00 to UTC+14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

export type InstantResult = { ok: true; iso: string; ms: number } | { ok: false; reason: string };

/** Why year, month and day are not a date of the calendar, or null when they are. */
function calendarProblem(text: string, y: string, mo: string, d: string): string | null {
  if (Number(y) < FIRST_YEAR)
    return `${quote(text)} has the year ${y}: write the full year (years before ${FIRST_YEAR} are refused)`;
  const month = Number(mo);
  if (month < 1 || month > 12) return `${quote(text)} is not a calendar date: the month must be 01 to 12`;
  const days = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (Number(d) < 1 || Number(d) > days)
    return `${quote(text)} is not a calendar date: ${y}-${mo} has ${days} days`;
  return null;
}

/**
 * Turns a declared date or date-time into a UTC instant.
 *
 * A date alone is a whole UTC day: as a start it means the start of that day, as an end it means access through
 * that day, so it ends at the next midnight UTC ("end: 2026-12-31" expires at 2027-01-01T00:00:00Z). A date-time
 * must carry its offset: a time without a zone would mean different instants on different laptops. Every field is
 * checked against the calendar and the clock, because `Date` silently rolls `02-30` over into March.
 */
export function parseInstant(text: string, as: "start" | "end"): InstantResult {
  const d = DATE_ONLY.exec(text);
  if (d) {
    const [, y, mo, da] = d as unknown as [string, string, string, string];
    const problem = calendarProblem(text, y, mo, da);
    if (problem) return { ok: false, reason: problem };
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(da));
    const at = as === "end" ? ms + DAY : ms;
    return { ok: true, iso: new Date(at).toISOString(), ms: at };
  }
  const t = DATE_TIME.exec(text);
  if (t) {
    const [, y, mo, da, h, mi, s, frac, zone, sign, oh, om] = t as unknown as Array<string | undefined>;
    const problem = calendarProblem(text, y!, mo!, da!);
    if (problem) return { ok: false, reason: problem };
    if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
      return {
        ok: false,
        reason: `${quote(text)} is not a time of day: hours run 00 to 23, minutes and seconds 00 to 59`,
      };
    }
    const offset = zone === "Z" ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
    if (Number(om ?? 0) > 59 || Math.abs(offset) > MAX_OFFSET_MINUTES) {
      return {
        ok: false,
        reason: `${quote(text)} has the offset ${zone}: offsets run from -12:00 to +14:00`,
      };
    }
    const local = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(da),
      Number(h),
      Number(mi),
      Number(s ?? 0),
      Number((frac ?? "0").padEnd(3, "0")),
    );
    const ms = local - offset * MINUTE;
    return { ok: true, iso: new Date(ms).toISOString(), ms };
  }
  // The two hints below rewrite the text, so they are only given for text of a date-time's length.
  if (text.length <= 40 && /^\d{4}-\d{2}-\d{2}T.*[+-]\d{4}$/.test(text)) {
    const fixed = text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
    return { ok: false, reason: `${quote(text)} writes its offset without a colon: write ${fixed}` };
  }
  if (text.length <= 40 && /^\d{4}-\d{2}-\d{2}T/.test(text)) {
    return {
      ok: false,
      reason: `${quote(text)} has no time zone: add Z for UTC or an offset, e.g. ${text.replace(/(Z|[+-]\d{2}:?\d{2})?$/, "Z")}`,
    };
  }
  return { ok: false, reason: `${quote(text)} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ` };
}

/** Whole days from `now` until `endMs`, rounded up; negative once the end has passed. */
export function daysLeft(endMs: number, nowMs: number): number {
  // `+ 0` turns the -0 of "less than a day ago" into 0.
  return Math.ceil((endMs - nowMs) / DAY) + 0;
}

/**
 * How a person reads an end: a grant declared `end: 2026-12-31` ends at 2027-01-01T00:00Z, and is shown as its last
 * day, 2026-12-31. An end at another time of day is shown with the time.
 */
export function lastDay(endIso: string): string {
  if (endIso.endsWith("T00:00:00.000Z")) return new Date(Date.parse(endIso) - DAY).toISOString().slice(0, 10);
  return `${endIso.slice(0, 16).replace("T", " ")}Z`;
}
