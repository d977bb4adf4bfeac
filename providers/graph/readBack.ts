/**
 * Reading back what was just written, until the tenant shows it. Graph is eventually consistent: a GET right after a
 * PATCH of a role management policy can still answer the old rules, and reporting that as "the tenant did not take
 * the settings" would fail a correct apply. So a read-back that does not match yet is repeated after 1, 2, 4 and
 * 8 s (five reads over about 15 s, each wait announced on the progress sink and bounded by the operation's
 * deadline) before the caller reports a mismatch.
 */
import type { GraphApi } from "./client";

/** Waits before the 2nd, 3rd, ... read. */
export const READ_BACK_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000];

export interface ReadBack<T> {
  /** The last value read. */
  value: T;
  matched: boolean;
  reads: number;
}

export async function readBack<T>(
  g: GraphApi,
  what: string,
  read: () => Promise<T>,
  matches: (value: T) => boolean,
  delaysMs: readonly number[] = READ_BACK_DELAYS_MS,
): Promise<ReadBack<T>> {
  let value = await read();
  let reads = 1;
  for (const ms of delaysMs) {
    if (matches(value)) return { value, matched: true, reads };
    await g.pause(
      ms,
      `pim: ${what}: Graph does not show what was just written yet; reading it again in ${ms / 1000} s ` +
        `(read-back ${reads + 1} of ${delaysMs.length + 1})`,
      `the read-back of ${what} (read ${reads + 1} of ${delaysMs.length + 1} was due in ${ms / 1000} s)`,
    );
    value = await read();
    reads++;
  }
  return { value, matched: matches(value), reads };
}
