/**
 * Reading live schedules for many resources at once, shared by every resource of the provider process.
 *
 * Why shared: `pulumi refresh` calls `read()` once per resource, and `pulumi up` calls `create()` once per new
 * grant, all at about the same time, in one provider process. A GET per schedule would be N requests (5,000 for a
 * large tenant). Instead, lookups arriving within `COALESCE_MS` are handled together, per family and kind:
 *
 * - PIM for Groups (a family with a `scopeListing`): Graph requires every list to be filtered on a group or a
 *   principal, so a group's schedules are listed per group: one listing answers every member and owner of the
 *   group, and the listings of all the groups in a burst go out together as `$batch` requests (20 groups each);
 * - directory roles: a burst (more than `BY_ID_LIMIT` lookups in `RECENT_WINDOW_MS`) is answered from one listing of
 *   every schedule of the kind, paged through `@odata.nextLink`: ⌈N / page size⌉ requests for the whole burst. A few
 *   lookups (a targeted refresh, a small apply) are not worth a full listing: reads are fetched by id with `$batch`
 *   (20 per request), create lookups with one filtered GET each.
 *
 * Listings are reused for `LISTING_TTL_MS` and kept current with this process's own writes (`recordWrite`). A
 * listing can miss what another writer did since it was taken. The lifecycle copes: a create that finds nothing and
 * meets `RoleAssignmentExists` looks again with a filtered GET and adopts; a create that would adopt a schedule from
 * an older listing confirms it by id first. For a refresh the listing is the point-in-time view a refresh is anyway.
 *
 * Loaded at call time by the providers (never serialized); its caches live as long as the process.
 */
import type { GraphApi } from "../graph";
import { isOwnGrant, listOwnGrants, readScheduleById, type LiveSchedule } from "../graph/reads";
import { everyPage } from "../graph/reads/pages";
import type { ScheduleWindowInputs } from "../types";
import type { ScheduleFamily, ScheduleKind } from "./scheduleFamily";

export const LISTING_TTL_MS = 60_000;
export const COALESCE_MS = 25;
/** At most this many directory-role lookups in `RECENT_WINDOW_MS` are made one by one; more use the listing. */
export const BY_ID_LIMIT = 20;
export const RECENT_WINDOW_MS = 5_000;

interface Index {
  byId: Map<string, LiveSchedule>;
  byKey: Map<string, LiveSchedule>;
}

interface Listing {
  at: number;
  done: Promise<Index>;
}

/** A create's lookup: the grant's schedule, and whether it comes from a listing taken before this lookup. */
export interface Lookup {
  schedule: LiveSchedule | null;
  fromListing: boolean;
}

interface Where {
  key: string;
  /** The grant's filtered GET. */
  lookupUrl: string;
  /** The group listing that answers for it, or null (directory roles). */
  scope: { scope: string; url: string } | null;
}

type Pending = Where &
  (
    | { op: "read"; id: string; resolve: (s: LiveSchedule | null) => void; reject: (e: unknown) => void }
    | { op: "lookup"; resolve: (r: Lookup) => void; reject: (e: unknown) => void }
  );

interface KindState {
  /** The whole collection (directory roles). */
  whole: Listing | null;
  /** Per group (PIM for Groups). */
  scopes: Map<string, Listing>;
  pending: Pending[];
  timer: NodeJS.Timeout | null;
  recent: number[];
}

interface Shared<I extends ScheduleWindowInputs> {
  g: GraphApi;
  family: ScheduleFamily<I>;
  kind: ScheduleKind;
}

/** Per client (one per tenant and identity), family and kind: two tenants never share a listing. */
let states = new WeakMap<GraphApi, Map<string, KindState>>();

function stateFor(g: GraphApi, typeName: string, kind: ScheduleKind): KindState {
  let perClient = states.get(g);
  if (!perClient) {
    perClient = new Map();
    states.set(g, perClient);
  }
  const k = `${typeName}|${kind}`;
  let s = perClient.get(k);
  if (!s) {
    s = { whole: null, scopes: new Map(), pending: [], timer: null, recent: [] };
    perClient.set(k, s);
  }
  return s;
}

/** Forgets every listing and the recent-lookup history, as in a new process (tests). Only call when idle. */
export function resetSharedState(): void {
  states = new WeakMap();
}

function indexOf<I extends ScheduleWindowInputs>(family: ScheduleFamily<I>, all: LiveSchedule[]): Index {
  const idx: Index = { byId: new Map(), byKey: new Map() };
  for (const s of all) {
    idx.byId.set(s.id.toLowerCase(), s);
    idx.byKey.set(family.liveKey(s), s);
  }
  return idx;
}

/**
 * Keeps the listings current with a write this process made: `schedule` is what the grant holds now (null:
 * removed). A listing still being fetched is patched when it arrives.
 */
export function recordWrite<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  i: I,
  schedule: LiveSchedule | null,
): void {
  const st = stateFor(g, family.typeName, i.kind);
  const key = family.key(i);
  const scope = family.scopeListing(i.kind, i);
  const listings = [st.whole, scope ? st.scopes.get(scope.scope) : null];
  for (const listing of listings) {
    if (!listing) continue;
    void listing.done.then(
      (idx) => {
        const old = idx.byKey.get(key);
        if (old) idx.byId.delete(old.id.toLowerCase());
        if (schedule) {
          idx.byKey.set(key, schedule);
          idx.byId.set(schedule.id.toLowerCase(), schedule);
        } else idx.byKey.delete(key);
      },
      () => undefined,
    );
  }
}

/** The own grants of one key, fresh from Graph (one filtered GET, paged if needed). */
export async function findSchedules<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  i: I,
): Promise<LiveSchedule[]> {
  const all = await listOwnGrants(g, family.lookupUrl(i.kind, i));
  // Filter again locally: a service that ignored part of the filter must not make us adopt a stranger's schedule.
  const key = family.key(i);
  return all.filter((s) => family.liveKey(s) === key);
}

/** One schedule by id, fresh; null when Graph no longer has it. */
export function getSchedule<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  kind: ScheduleKind,
  id: string,
): Promise<LiveSchedule | null> {
  return readScheduleById(g, family.schedulesPath(kind), id);
}

async function firstMatch<I extends ScheduleWindowInputs>(
  { g, family }: Shared<I>,
  p: Pending,
): Promise<LiveSchedule | null> {
  const all = await listOwnGrants(g, p.lookupUrl);
  return all.find((s) => family.liveKey(s) === p.key) ?? null;
}

function answer(p: Pending, idx: Index, fromListing: boolean): void {
  if (p.op === "read") p.resolve(idx.byId.get(p.id.toLowerCase()) ?? idx.byKey.get(p.key) ?? null);
  else p.resolve({ schedule: idx.byKey.get(p.key) ?? null, fromListing });
}

/** Group listings: one per group in the burst, the stale ones fetched together through `$batch`. */
async function flushScoped<I extends ScheduleWindowInputs>(
  sh: Shared<I>,
  st: KindState,
  batch: Pending[],
  t: number,
): Promise<void> {
  const { g, family } = sh;
  const reused = new Set<string>();
  const fetch: { scope: string; url: string }[] = [];
  for (const p of batch) {
    const s = p.scope!;
    const have = st.scopes.get(s.scope);
    if (have && t - have.at < LISTING_TTL_MS) reused.add(s.scope);
    else if (!fetch.some((f) => f.scope === s.scope)) fetch.push(s);
  }
  if (fetch.length) {
    const pages = g.batch<{ value?: LiveSchedule[]; "@odata.nextLink"?: string }>(
      fetch.map((f) => ({ method: "GET" as const, url: f.url })),
    );
    fetch.forEach((f, n) => {
      const done = pages.then(async (results) => {
        const r = results[n]!;
        if (r.error) throw r.error;
        return indexOf(family, (await everyPage<LiveSchedule>(g, r.body)).filter(isOwnGrant));
      });
      st.scopes.set(f.scope, { at: t, done });
    });
  }
  await Promise.all(
    batch.map(async (p) => {
      const listing = st.scopes.get(p.scope!.scope)!;
      try {
        answer(p, await listing.done, reused.has(p.scope!.scope));
      } catch (e) {
        if (st.scopes.get(p.scope!.scope) === listing) st.scopes.delete(p.scope!.scope);
        p.reject(e);
      }
    }),
  );
}

/** A few directory-role lookups: reads by id in one `$batch`, create lookups with a filtered GET each. */
async function flushFew<I extends ScheduleWindowInputs>(sh: Shared<I>, batch: Pending[]): Promise<void> {
  const { g, family, kind } = sh;
  const reads = batch.filter((p): p is Extract<Pending, { op: "read" }> => p.op === "read");
  for (const p of batch)
    if (p.op === "lookup")
      firstMatch(sh, p).then(
        (schedule) => p.resolve({ schedule, fromListing: false }),
        (e) => p.reject(e),
      );
  if (reads.length === 0) return;
  try {
    const results = await g.batch<LiveSchedule>(
      reads.map((p) => ({ method: "GET", url: `${family.schedulesPath(kind)}/${encodeURIComponent(p.id)}` })),
    );
    results.forEach((r, n) => {
      const p = reads[n]!;
      if (r.status === 200 && r.body && isOwnGrant(r.body)) p.resolve(r.body);
      // Gone by id: Graph may have re-keyed it; look for the grant before calling it gone.
      else if (r.status === 404 || r.status === 200) firstMatch(sh, p).then(p.resolve, p.reject);
      else p.reject(r.error);
    });
  } catch (e) {
    for (const p of reads) p.reject(e);
  }
}

async function flushWhole<I extends ScheduleWindowInputs>(
  sh: Shared<I>,
  st: KindState,
  batch: Pending[],
  t: number,
): Promise<void> {
  const { g, family, kind } = sh;
  st.recent = st.recent.filter((x) => t - x < RECENT_WINDOW_MS);
  const fresh = st.whole !== null && t - st.whole.at < LISTING_TTL_MS;
  if (!fresh && st.recent.length <= BY_ID_LIMIT) return flushFew(sh, batch);
  if (!fresh)
    st.whole = {
      at: t,
      done: listOwnGrants(g, family.schedulesPath(kind)).then((all) => indexOf(family, all)),
    };
  const listing = st.whole!;
  try {
    const idx = await listing.done;
    for (const p of batch) answer(p, idx, true);
  } catch (e) {
    if (st.whole === listing) st.whole = null;
    for (const p of batch) p.reject(e);
  }
}

async function flush<I extends ScheduleWindowInputs>(
  sh: Shared<I>,
  st: KindState,
  now: () => number,
): Promise<void> {
  st.timer = null;
  const batch = st.pending;
  st.pending = [];
  const t = now();
  const scoped = batch.filter((p) => p.scope !== null);
  const whole = batch.filter((p) => p.scope === null);
  await Promise.all([
    scoped.length ? flushScoped(sh, st, scoped, t) : undefined,
    whole.length ? flushWhole(sh, st, whole, t) : undefined,
  ]);
}

function enqueue<I extends ScheduleWindowInputs>(sh: Shared<I>, p: Pending, now: () => number): void {
  const st = stateFor(sh.g, sh.family.typeName, sh.kind);
  st.recent.push(now());
  st.pending.push(p);
  st.timer ??= setTimeout(() => void flush(sh, st, now), COALESCE_MS);
}

function where<I extends ScheduleWindowInputs>(family: ScheduleFamily<I>, i: I): Where {
  return {
    key: family.key(i),
    lookupUrl: family.lookupUrl(i.kind, i),
    scope: family.scopeListing(i.kind, i),
  };
}

/**
 * The live schedule a resource stands for: by schedule id, else (if Graph re-keyed it) by its grant's identity.
 * Null when it no longer exists (removed, or expired and dropped by Graph).
 */
export function readSchedule<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  id: string,
  i: I,
  now: () => number = Date.now,
): Promise<LiveSchedule | null> {
  return new Promise((resolve, reject) =>
    enqueue({ g, family, kind: i.kind }, { op: "read", id, ...where(family, i), resolve, reject }, now),
  );
}

/** The schedule of a grant for `create`: a filtered GET when alone, a shared listing in a burst. */
export function lookupSchedule<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  i: I,
  now: () => number = Date.now,
): Promise<Lookup> {
  return new Promise((resolve, reject) =>
    enqueue({ g, family, kind: i.kind }, { op: "lookup", ...where(family, i), resolve, reject }, now),
  );
}
