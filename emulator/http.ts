// Shared types for routes: the request context, the reply, and the collection/entity helpers that
// give every list the same `@odata.context` / `@odata.nextLink` / `$select` behaviour.
import type { Caller, PermissionKey } from "./auth";
import { requirePermission } from "./auth";
import type { Clock } from "./clock";
import { GraphError, badRequest } from "./errors";
import {
  applySelect,
  checkFilter,
  checkSelect,
  encodeSkipToken,
  evalFilter,
  parseQuery,
  type FilterSpec,
  type QueryOptions,
  type Resolver,
} from "./odata";
import type { EmulatorState } from "./state";

export interface Env {
  state: EmulatorState;
  clock: Clock;
  pageSize: number;
  /** Page size of the ARM lists (routes/arm.ts). */
  armPageSize: number;
  baseUrl: string;
  /** Called after the state changed (persistence to --state). */
  onWrite(): void;
}

export interface Ctx {
  method: string;
  /** Path below the version, e.g. `/roleManagement/directory/roleEligibilitySchedules`. */
  path: string;
  version: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  caller: Caller;
  env: Env;
  requestId: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A plain-text body (e.g. `/users/$count`). */
  text?: string;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  /** Segments; `:name` captures; a segment ending in `()` matches an OData function call `name(args)`. */
  pattern: string;
  handler: Handler;
  /** Also served under /beta (Graph has it only there). */
  beta?: boolean;
}

export function ctxQuery(ctx: Ctx): QueryOptions {
  const c = ctx as Ctx & { _q?: QueryOptions };
  if (!c._q) c._q = parseQuery(ctx.query);
  return c._q;
}

export function need(ctx: Ctx, key: PermissionKey): void {
  requirePermission(ctx.caller, key);
}

export const ODATA_BASE = "https://graph.microsoft.com";

export function contextUrl(ctx: Ctx, fragment: string): string {
  return `${ODATA_BASE}/${ctx.version}/$metadata#${fragment}`;
}

export interface ListOptions<T> {
  /** e.g. `users` → `$metadata#users`. With $select the context becomes `users(a,b)`. */
  context: string;
  filter?: FilterSpec;
  resolver?: Resolver;
  /** Known property names for `$select` validation. */
  properties?: readonly string[];
  typeName?: string;
  /** Turn a stored object into its wire shape. */
  view: (item: T) => Record<string, unknown>;
  /** Whether `$count=true` is honoured (directory objects need ConsistencyLevel: eventual). */
  count?: "no" | "yes" | "eventual";
  orderby?: readonly string[];
  /** Applied before filtering (e.g. a default order). */
  sort?: (a: T, b: T) => number;
  /** Properties returned when there is no `$select` (users return a default subset). */
  defaultProps?: readonly string[];
}

/** Filter, order, page and shape a collection the way Graph does. */
export function list<T>(ctx: Ctx, items: Iterable<T>, opts: ListOptions<T>): Reply {
  const q = ctxQuery(ctx);
  if (q.filter) {
    if (!opts.filter) throw badRequest("Invalid filter clause: $filter is not supported on this entity set.");
    checkFilter(q.filter, opts.filter);
  }
  if (opts.properties) checkSelect(q.select, opts.properties, opts.typeName ?? "microsoft.graph.entity");
  let arr = [...items];
  if (opts.sort) arr.sort(opts.sort);
  if (q.filter) {
    const f = q.filter;
    arr = arr.filter((it) => evalFilter(f, opts.view(it), opts.resolver));
  }
  if (q.orderby) {
    if (!opts.orderby?.includes(q.orderby.path))
      throw badRequest(
        `Sorting by '${q.orderby.path}' is not supported.`,
        opts.filter?.unsupportedCode ?? "BadRequest",
      );
    const { path, desc } = q.orderby;
    arr.sort((a, b) => {
      const x = String(opts.view(a)[path] ?? "");
      const y = String(opts.view(b)[path] ?? "");
      return desc ? y.localeCompare(x) : x.localeCompare(y);
    });
  }
  if (q.count) {
    if (opts.count === undefined || opts.count === "no")
      throw badRequest("$count is not supported on this entity set.");
    if (opts.count === "eventual" && (ctx.headers["consistencylevel"] ?? "").toLowerCase() !== "eventual")
      throw new GraphError(400, "Request_BadRequest", "$count is not currently supported.");
  }
  const size = q.top ?? ctx.env.pageSize;
  const page = arr.slice(q.skip, q.skip + size);
  const selectSuffix = q.select ? `(${q.select.join(",")})` : "";
  const body: Record<string, unknown> = {
    "@odata.context": contextUrl(ctx, `${opts.context}${selectSuffix}`),
  };
  if (q.count) body["@odata.count"] = arr.length;
  if (q.skip + size < arr.length) body["@odata.nextLink"] = nextLink(ctx, q.skip + size);
  body.value = page.map((it) =>
    applySelect(opts.view(it), q.select ?? (opts.defaultProps ? [...opts.defaultProps] : null)),
  );
  return { status: 200, body };
}

/** An absolute link back to this emulator with the same query and a new skip token (concepts/paging.md). */
function nextLink(ctx: Ctx, offset: number): string {
  const parts: string[] = [];
  for (const [k, v] of ctx.query)
    if (k.toLowerCase() !== "$skiptoken") parts.push(`${k}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${encodeSkipToken(offset)}`);
  return `${ctx.env.baseUrl}/${ctx.version}${ctx.path}?${parts.join("&")}`;
}

/** One entity with `$select` applied and its `@odata.context`. */
export function entity(
  ctx: Ctx,
  fragment: string,
  obj: Record<string, unknown>,
  opts?: {
    properties?: readonly string[];
    typeName?: string;
    defaultProps?: readonly string[];
    status?: number;
  },
): Reply {
  const q = ctxQuery(ctx);
  if (opts?.properties) checkSelect(q.select, opts.properties, opts.typeName ?? "microsoft.graph.entity");
  const selectSuffix = q.select ? `(${q.select.join(",")})` : "";
  const sel = q.select ?? (opts?.defaultProps ? [...opts.defaultProps] : null);
  return {
    status: opts?.status ?? 200,
    body: {
      "@odata.context": contextUrl(ctx, `${fragment}${selectSuffix}/$entity`),
      ...applySelect(obj, sel),
    },
  };
}

/** Parse a JSON object body or throw the 400 Graph returns. */
export function objectBody(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined) throw badRequest("Empty Payload. JSON content expected.");
  if (!b || typeof b !== "object" || Array.isArray(b))
    throw badRequest("The request body must be a JSON object.");
  return b as Record<string, unknown>;
}
