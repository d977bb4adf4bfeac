/**
 * What the provisioning benchmarks share: the engine's bounded parallelism and the emulator's request counters
 * between two instants.
 */

/** Runs `fn` over `items` with at most `limit` in flight, like the engine's parallelism. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export type Counters = { requests: number; reads: number; writes: number; byRoute: Record<string, number> };

/** The requests counted between two snapshots of the emulator's counters, routes with no request left out. */
export function diffCounters(a: Counters, b: Counters): Counters {
  const byRoute: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.byRoute))
    if (v - (a.byRoute[k] ?? 0)) byRoute[k] = v - (a.byRoute[k] ?? 0);
  return {
    requests: b.requests - a.requests,
    reads: b.reads - a.reads,
    writes: b.writes - a.writes,
    byRoute,
  };
}

/** One measured scenario: the counters and wall time around `fn`, with the note it returns. */
export type Row = { scenario: string; target: string; c: Counters; ms: number; note: string };

export async function measure(
  counters: () => Counters,
  scenario: string,
  target: string,
  fn: () => Promise<string>,
): Promise<Row> {
  const before = counters();
  const t0 = performance.now();
  const note = await fn();
  const ms = performance.now() - t0;
  return { scenario, target, c: diffCounters(before, counters()), ms, note };
}
