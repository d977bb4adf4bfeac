/**
 * What ends soon, as a function of (snapshot, instant): grants and PIM-group memberships and ownerships whose end
 * falls within a window, marked at the points where PIM itself mails the people concerned (Microsoft Learn,
 * "Extend or renew PIM for groups assignments": within 14 days before, one day before, and at expiry), and those
 * already ended but still declared (a pull request should remove them).
 */
import { DAY } from "../duration";
import { describeGrant, describeMembership } from "./labels";
import { remainingMs } from "./time";
import type { GrantEntry, MembershipEntry, TenantSnapshot } from "./types";

/** `expired` once ended; `1 day` within the last day; `14 days` within the last fortnight; null before that. */
export type Notice = "expired" | "1 day" | "14 days";

export const NOTICES: ReadonlyArray<{ notice: Exclude<Notice, "expired">; withinMs: number }> = [
  { notice: "1 day", withinMs: DAY },
  { notice: "14 days", withinMs: 14 * DAY },
];

export type ExpiryItem =
  | {
      type: "grant";
      key: string;
      subject: string;
      end: string;
      remainingMs: number;
      notice: Notice | null;
      entry: GrantEntry;
    }
  | {
      type: "membership";
      key: string;
      subject: string;
      end: string;
      remainingMs: number;
      notice: Notice | null;
      entry: MembershipEntry;
    };

export function noticeFor(remaining: number): Notice | null {
  if (remaining <= 0) return "expired";
  for (const n of NOTICES) if (remaining <= n.withinMs) return n.notice;
  return null;
}

/**
 * Everything that ends on or before `at + withinMs` (ended ones included), soonest first. Permanent windows never
 * appear. `withinMs` below 0 is treated as 0 (only what has ended).
 */
export function expiring(s: TenantSnapshot, at: Date, withinMs: number): ExpiryItem[] {
  const limit = Math.max(0, withinMs);
  const out: ExpiryItem[] = [];
  for (const g of s.grants) {
    const r = remainingMs(g, at);
    if (r === null || r > limit) continue;
    out.push({
      type: "grant",
      key: g.key,
      subject: describeGrant(g),
      end: g.end!,
      remainingMs: r,
      notice: noticeFor(r),
      entry: g,
    });
  }
  for (const m of s.memberships) {
    const r = remainingMs(m, at);
    if (r === null || r > limit) continue;
    out.push({
      type: "membership",
      key: m.key,
      subject: describeMembership(m),
      end: m.end!,
      remainingMs: r,
      notice: noticeFor(r),
      entry: m,
    });
  }
  return out.sort((a, b) => a.remainingMs - b.remainingMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface Renewal {
  /** The start to write: the declared one, or the renewal day when keeping it would exceed the maximum. */
  start: string | null;
  end: string;
  /** The end as a file writes it: the last day (`2027-02-11`) when the end is a midnight, else the instant. */
  endText: string;
  startText: string | null;
  /** True when the role's maximum assignment length shortened the proposal. */
  capped: boolean;
}

const midnight = (iso: string) => iso.endsWith("T00:00:00.000Z");
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A renewal for the sponsor to confirm: the same length again (or 30 days when the window has no start), from the
 * old end (or from `at` when it has passed), kept within the role's maximum as the loader measures it (from the
 * start, else from now). Day-aligned ends stay day-aligned, so the file keeps reading `end: YYYY-MM-DD`.
 */
export function proposeRenewal(
  w: { start: string | null; end: string },
  at: Date,
  maximum: { allowPermanent: boolean; maximumMs: number | null },
): Renewal {
  const now = at.getTime();
  const endMs = Date.parse(w.end);
  const length = w.start ? endMs - Date.parse(w.start) : 30 * DAY;
  const from = Math.max(endMs, now);
  let newEnd = from + length;
  let start = w.start;
  let capped = false;
  if (!maximum.allowPermanent && maximum.maximumMs !== null) {
    let base = start ? Date.parse(start) : now;
    if (newEnd - base > maximum.maximumMs && start) {
      // The declared start is too far back for the longer window: the renewal starts today.
      start = new Date(Math.floor(now / DAY) * DAY).toISOString();
      base = Date.parse(start);
    }
    if (newEnd - base > maximum.maximumMs) {
      newEnd = base + maximum.maximumMs;
      capped = true;
    }
  }
  if (midnight(w.end)) newEnd = Math.floor(newEnd / DAY) * DAY;
  const end = new Date(newEnd).toISOString();
  return {
    start,
    end,
    endText: midnight(end) ? dayText(newEnd - DAY) : end.replace(".000Z", "Z"),
    startText:
      start === null ? null : midnight(start) ? dayText(Date.parse(start)) : start.replace(".000Z", "Z"),
    capped,
  };
}
