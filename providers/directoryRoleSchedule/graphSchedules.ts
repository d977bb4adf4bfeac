/**
 * Reading directory-role schedules from Graph, shared by every resource of the provider process.
 *
 * Why shared: `pulumi refresh` calls `read()` once per resource, and `pulumi up` calls `create()` once per new
 * grant, all at about the same time, in one provider process. A GET per schedule would be N requests (5,000 for a
 * large tenant). Instead, lookups arriving within `COALESCE_MS` are handled together:
 *
 * - a burst (more than `BY_ID_LIMIT` lookups in `RECENT_WINDOW_MS`) is answered from one listing of every schedule of
 *   the kind, paged through `@odata.nextLink`: ⌈N / page size⌉ requests for the whole burst. The listing is reused
 *   for `LISTING_TTL_MS` and kept current with this process's own writes (`recordWrite`);
 * - a few lookups (a targeted refresh, a small apply) are not worth a full listing: reads are fetched by id with
 *   `$batch` (20 per request), create lookups with one filtered GET each.
 *
 * A listing can miss what another writer did since it was taken. The provider copes: a create that finds nothing and
 * meets `RoleAssignmentExists` looks again with a filtered GET and adopts; a create that would adopt a listed
 * schedule confirms it by id first. For a refresh the listing is the point-in-time view a refresh is anyway.
 *
 * This module is loaded at call time by the provider (never serialized); its caches live as long as the process.
 */
import { odataFilter, type GraphApi } from "../graph";

export type ScheduleKind = "eligible" | "active";

export interface GraphSchedule {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string | null;
  appScopeId?: string | null;
  status?: string;
  assignmentType?: string | null;
  memberType?: string | null;
  createdDateTime?: string | null;
  scheduleInfo?: {
    startDateTime?: string | null;
    expiration?: { type?: string; endDateTime?: string | null; duration?: string | null } | null;
  } | null;
}

export const LISTING_TTL_MS = 60_000;
export const COALESCE_MS = 25;
/** At most this many lookups in `RECENT_WINDOW_MS` are made one by one; more switch to the shared listing. */
export const BY_ID_LIMIT = 20;
export const RECENT_WINDOW_MS = 5_000;

export const schedulesPath = (kind: ScheduleKind) =>
  kind === "eligible"
    ? "/roleManagement/directory/roleEligibilitySchedules"
    : "/roleManagement/directory/roleAssignmentSchedules";

export const requestsPath = (kind: ScheduleKind) =>
  kind === "eligible"
    ? "/roleManagement/directory/roleEligibilityScheduleRequests"
    : "/roleManagement/directory/roleAssignmentScheduleRequests";

/** Admin-made schedules only: an activation (assignmentType Activated) is not a grant. */
export function isGrant(s: GraphSchedule): boolean {
  return (s.assignmentType ?? "Assigned").toLowerCase() !== "activated";
}

export const scopeOf = (s: GraphSchedule) => s.directoryScopeId ?? "/";

export function tripleKey(principalId: string, roleDefinitionId: string, directoryScopeId: string): string {
  return `${principalId}|${roleDefinitionId}|${directoryScopeId}`.toLowerCase();
}

const tripleOf = (s: GraphSchedule) => tripleKey(s.principalId, s.roleDefinitionId, scopeOf(s));

/** The admin schedules of one (principal, role, scope), fresh from Graph (one filtered GET, paged if needed). */
export async function findSchedules(
  g: GraphApi,
  kind: ScheduleKind,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
): Promise<GraphSchedule[]> {
  const filter = odataFilter({ principalId, roleDefinitionId, directoryScopeId });
  const all = await g.listAll<GraphSchedule>(`${schedulesPath(kind)}?${filter}`);
  // Filter again locally: a service that ignored part of the filter must not make us adopt a stranger's schedule.
  const key = tripleKey(principalId, roleDefinitionId, directoryScopeId);
  return all.filter((s) => isGrant(s) && tripleOf(s) === key);
}

/** One schedule by id, fresh; null when Graph no longer has it. */
export async function getSchedule(
  g: GraphApi,
  kind: ScheduleKind,
  id: string,
): Promise<GraphSchedule | null> {
  try {
    const s = await g.get<GraphSchedule>(`${schedulesPath(kind)}/${encodeURIComponent(id)}`);
    return s && isGrant(s) ? s : null;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

/** Every admin schedule of a kind, paged. The bulk helper behind refresh, drift and expiry reports. */
export async function listAllSchedules(g: GraphApi, kind: ScheduleKind): Promise<GraphSchedule[]> {
  return (await g.listAll<GraphSchedule>(schedulesPath(kind))).filter(isGrant);
}

interface Index {
  byId: Map<string, GraphSchedule>;
  byTriple: Map<string, GraphSchedule>;
}

interface Listing {
  at: number;
  done: Promise<Index>;
}

type Pending =
  | {
      op: "read";
      id: string;
      triple: string;
      resolve: (s: GraphSchedule | null) => void;
      reject: (e: unknown) => void;
    }
  | { op: "lookup"; triple: string; resolve: (r: Lookup) => void; reject: (e: unknown) => void };

/** A create's lookup: the schedule of the triple, and whether it comes fresh from Graph or from a shared listing. */
export interface Lookup {
  schedule: GraphSchedule | null;
  fromListing: boolean;
}

interface KindState {
  listing: Listing | null;
  pending: Pending[];
  timer: NodeJS.Timeout | null;
  recent: number[];
}

/** Per client (one per tenant and identity, see `graphFromEnvironment`) and kind: two tenants never share a listing. */
let states = new WeakMap<GraphApi, Map<ScheduleKind, KindState>>();

function stateFor(g: GraphApi, kind: ScheduleKind): KindState {
  let perClient = states.get(g);
  if (!perClient) {
    perClient = new Map();
    states.set(g, perClient);
  }
  let s = perClient.get(kind);
  if (!s) {
    s = { listing: null, pending: [], timer: null, recent: [] };
    perClient.set(kind, s);
  }
  return s;
}

/** Forgets every listing and the recent-lookup history, as in a new process (tests). Only call when idle. */
export function resetSharedState(): void {
  states = new WeakMap();
}

/**
 * Keeps a listing current with a write this process made: `schedule` is what the triple holds now (null: removed).
 * A listing still being fetched is patched when it arrives.
 */
export function recordWrite(
  g: GraphApi,
  kind: ScheduleKind,
  triple: string,
  schedule: GraphSchedule | null,
): void {
  const listing = stateFor(g, kind).listing;
  if (!listing) return;
  void listing.done.then(
    (idx) => {
      const old = idx.byTriple.get(triple);
      if (old) idx.byId.delete(old.id.toLowerCase());
      if (schedule) {
        idx.byTriple.set(triple, schedule);
        idx.byId.set(schedule.id.toLowerCase(), schedule);
      } else idx.byTriple.delete(triple);
    },
    () => undefined,
  );
}

function startListing(g: GraphApi, kind: ScheduleKind, now: number): Listing {
  const done = listAllSchedules(g, kind).then((all) => {
    const idx: Index = { byId: new Map(), byTriple: new Map() };
    for (const s of all) {
      idx.byId.set(s.id.toLowerCase(), s);
      idx.byTriple.set(tripleOf(s), s);
    }
    return idx;
  });
  return { at: now, done };
}

async function flushFew(g: GraphApi, kind: ScheduleKind, batch: Pending[]): Promise<void> {
  const reads = batch.filter((p): p is Extract<Pending, { op: "read" }> => p.op === "read");
  const lookups = batch.filter((p): p is Extract<Pending, { op: "lookup" }> => p.op === "lookup");
  const byTriple = (triple: string) => {
    const [principalId, roleDefinitionId, scope] = triple.split("|") as [string, string, string];
    return findSchedules(g, kind, principalId, roleDefinitionId, scope).then((found) => found[0] ?? null);
  };
  for (const p of lookups) {
    byTriple(p.triple).then(
      (schedule) => p.resolve({ schedule, fromListing: false }),
      (e) => p.reject(e),
    );
  }
  if (reads.length === 0) return;
  try {
    const results = await g.batch<GraphSchedule>(
      reads.map((p) => ({ method: "GET", url: `${schedulesPath(kind)}/${encodeURIComponent(p.id)}` })),
    );
    results.forEach((r, i) => {
      const p = reads[i]!;
      if (r.status === 200 && r.body && isGrant(r.body)) p.resolve(r.body);
      // Gone by id: Graph may have re-keyed it; look for the triple before calling it gone.
      else if (r.status === 404 || r.status === 200) byTriple(p.triple).then(p.resolve, p.reject);
      else p.reject(r.error);
    });
  } catch (e) {
    for (const p of reads) p.reject(e);
  }
}

async function flush(g: GraphApi, kind: ScheduleKind, st: KindState, now: () => number): Promise<void> {
  st.timer = null;
  const batch = st.pending;
  st.pending = [];
  const t = now();
  st.recent = st.recent.filter((x) => t - x < RECENT_WINDOW_MS);
  const fresh = st.listing !== null && t - st.listing.at < LISTING_TTL_MS;
  if (!fresh && st.recent.length <= BY_ID_LIMIT) return flushFew(g, kind, batch);
  if (!fresh) st.listing = startListing(g, kind, t);
  const listing = st.listing!;
  try {
    const idx = await listing.done;
    for (const p of batch) {
      if (p.op === "read") p.resolve(idx.byId.get(p.id.toLowerCase()) ?? idx.byTriple.get(p.triple) ?? null);
      else p.resolve({ schedule: idx.byTriple.get(p.triple) ?? null, fromListing: true });
    }
  } catch (e) {
    if (st.listing === listing) st.listing = null;
    for (const p of batch) p.reject(e);
  }
}

function enqueue(g: GraphApi, kind: ScheduleKind, p: Pending, now: () => number): void {
  const st = stateFor(g, kind);
  st.recent.push(now());
  st.pending.push(p);
  st.timer ??= setTimeout(() => void flush(g, kind, st, now), COALESCE_MS);
}

/**
 * The live schedule a resource stands for: by schedule id, else (if Graph re-keyed it) by principal, role and scope.
 * Null when it no longer exists (removed, or expired and dropped by Graph).
 */
export function readSchedule(
  g: GraphApi,
  kind: ScheduleKind,
  id: string,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
  now: () => number = Date.now,
): Promise<GraphSchedule | null> {
  return new Promise((resolve, reject) =>
    enqueue(
      g,
      kind,
      { op: "read", id, triple: tripleKey(principalId, roleDefinitionId, directoryScopeId), resolve, reject },
      now,
    ),
  );
}

/** The schedule of a triple for `create`: a filtered GET when alone, the shared listing in a burst. */
export function lookupSchedule(
  g: GraphApi,
  kind: ScheduleKind,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
  now: () => number = Date.now,
): Promise<Lookup> {
  return new Promise((resolve, reject) =>
    enqueue(
      g,
      kind,
      { op: "lookup", triple: tripleKey(principalId, roleDefinitionId, directoryScopeId), resolve, reject },
      now,
    ),
  );
}
