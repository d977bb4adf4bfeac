/**
 * GETs that arrive within a few milliseconds of each other go out together, as `$batch` requests of up to 20.
 *
 * Why: the engine runs `create`, `read` and `delete` of many resources at once in one provider process, and each
 * needs its own small read (a group's policy, a group's schedules). One GET each would be one round trip each;
 * gathered, 200 groups cost 10 requests. A lone GET is sent as it is. Each caller gets its own answer, or its own
 * `GraphError`, exactly as `g.get` would give it; only the first page comes back (follow `@odata.nextLink` with
 * `everyPage`).
 */
import type { GraphApi } from "../graph";

export const GATHER_MS = 10;

interface Waiting {
  url: string;
  resolve: (body: unknown) => void;
  reject: (e: unknown) => void;
}

interface Queue {
  waiting: Waiting[];
  timer: NodeJS.Timeout | null;
}

/** Per client: two tenants or identities never share a batch. */
const queues = new WeakMap<GraphApi, Queue>();

async function flush(g: GraphApi, q: Queue): Promise<void> {
  const batch = q.waiting;
  q.waiting = [];
  q.timer = null;
  if (batch.length === 1) {
    const [one] = batch as [Waiting];
    return g.get(one.url).then(one.resolve, one.reject);
  }
  try {
    const results = await g.batch(batch.map((w) => ({ method: "GET" as const, url: w.url })));
    results.forEach((r, i) => (r.error ? batch[i]!.reject(r.error) : batch[i]!.resolve(r.body)));
  } catch (e) {
    for (const w of batch) w.reject(e);
  }
}

export function batchedGet<T>(g: GraphApi, url: string): Promise<T> {
  let q = queues.get(g);
  if (!q) {
    q = { waiting: [], timer: null };
    queues.set(g, q);
  }
  const queue = q;
  return new Promise<T>((resolve, reject) => {
    queue.waiting.push({ url, resolve: resolve as (b: unknown) => void, reject });
    queue.timer ??= setTimeout(() => void flush(g, queue), GATHER_MS);
  });
}
