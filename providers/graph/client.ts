/**
 * `createGraphClient`: graph-client `Client.initWithMiddleware` with an explicit chain (bearer → retry → the
 * proxy-aware HTTP handler of `transport.ts`), wrapped in a small API that returns parsed JSON, throws one
 * `GraphError`, follows `@odata.nextLink` and sends `$batch`.
 *
 * Packages are `require`d inside functions: this module is itself loaded at call time by the dynamic providers,
 * and keeping it free of module-level values means nothing of it can end up in a serialized provider either.
 */
import type { TokenCredential } from "@azure/identity";
import type { Client, Middleware } from "@microsoft/microsoft-graph-client";
import { GraphError, graphErrorFromResponse, redact } from "./errors";
import {
  BearerMiddleware,
  isRetryable,
  RepeatableRequest,
  reportProgress,
  RetryMiddleware,
  retryAfterMs,
  retryWait,
  type RetryInfo,
  type RetryOptions,
  type TokenProvider,
} from "./middleware";
import { GRAPH_BASE_URL, normalizeBaseUrl } from "./config";
import { azureIdentityTokenProvider } from "./auth";
import { currentDeadline, deadlineError, DeadlineExceededError } from "./deadline";
import { ProxyAwareHttpHandler } from "./transport";

export interface GraphClientOptions {
  /** Default https://graph.microsoft.com; the emulator's URL in emulator mode. */
  baseUrl?: string;
  /** Default v1.0. */
  version?: string;
  /** An `@azure/identity` credential; DefaultAzureCredential when neither this nor `tokenProvider` is given. */
  credential?: TokenCredential;
  tokenProvider?: TokenProvider;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first attempt, for 429/503/504 and (requests safe to repeat) 500 and network failures. Default 5. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetryAfterMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Where the lines saying what is waited for go (default stderr; see `RetryOptions.progress`). */
  progress?: (line: string) => void;
  /** Replaces the proxy-aware HTTP handler as the last link (tests). */
  transport?: Middleware;
}

export interface GraphResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface BatchRequest {
  /** Returned with the result; defaults to the position. */
  id?: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Relative to the version root, e.g. `/roleManagement/directory/roleEligibilitySchedules/{id}`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
export interface BatchResult<T = any> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: T;
  /** Set for a non-2xx status (after retries of 429/503/504, and 500 for reads). */
  error: GraphError | null;
}

export interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

/** Graph's documented maximum of requests per `$batch` (graph-pim.md §7). */
export const MAX_BATCH = 20;

export class GraphApi {
  readonly client: Client;
  readonly baseUrl: string;
  readonly version: string;
  /** The injected clock and sleep (tests); also what the read-back's back-off uses. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly token: TokenProvider;
  readonly progress: ((line: string) => void) | undefined;
  readonly onRetry: ((info: RetryInfo) => void) | undefined;

  constructor(opts: GraphClientOptions = {}) {
    const graph =
      require("@microsoft/microsoft-graph-client") as typeof import("@microsoft/microsoft-graph-client");
    this.baseUrl = normalizeBaseUrl(opts.baseUrl ?? GRAPH_BASE_URL);
    this.version = opts.version ?? "v1.0";
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
    const r = retryOptions(opts);
    this.maxRetries = r.maxRetries;
    this.baseDelayMs = r.baseDelayMs;
    this.maxDelayMs = r.maxDelayMs;
    this.maxRetryAfterMs = r.maxRetryAfterMs;
    const tokenProvider = opts.tokenProvider ?? azureIdentityTokenProvider(opts.credential);
    this.token = tokenProvider;
    this.progress = opts.progress;
    this.onRetry = opts.onRetry;
    const bearer = new BearerMiddleware(tokenProvider);
    const retry = new RetryMiddleware({
      ...retryOptions(opts),
      maxRetries: this.maxRetries,
      baseDelayMs: this.baseDelayMs,
      maxDelayMs: this.maxDelayMs,
      maxRetryAfterMs: this.maxRetryAfterMs,
      sleep: this.sleep,
      now: this.now,
    });
    const last = opts.transport ?? new ProxyAwareHttpHandler();
    bearer.setNext(retry);
    retry.setNext(last);
    this.client = graph.Client.initWithMiddleware({
      baseUrl: this.baseUrl,
      defaultVersion: this.version,
      middleware: bearer,
    });
  }

  /** `path` relative to the version root (`/policies/...`), or an absolute `@odata.nextLink` of this service. */
  relative(path: string): string {
    const root = `${this.baseUrl}/${this.version}`;
    if (path.startsWith(root)) return path.slice(root.length) || "/";
    if (/^https?:\/\//i.test(path)) {
      const u = new URL(path);
      const p = u.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, "");
      return `${p}${u.search}`;
    }
    return path.startsWith("/") ? path : `/${path}`;
  }

  /** One request; resolves for 2xx, throws `GraphError` otherwise (after the retry middleware gave up). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    opts: { repeatable?: boolean } = {},
  ): Promise<GraphResponse<T>> {
    const graph =
      require("@microsoft/microsoft-graph-client") as typeof import("@microsoft/microsoft-graph-client");
    const rel = this.relative(path);
    // The token is fetched here, not only in the middleware: graph-client turns anything a middleware throws into
    // its own error, and a failure before anything is sent (no token, a token for another tenant) must keep its
    // type and message. The bearer middleware then finds the header set and leaves it.
    const token = await this.token();
    const authorization = `Bearer ${token}`;
    const req = this.client
      .api(rel)
      .responseType(graph.ResponseType.RAW)
      .headers({ ...headers, Authorization: authorization });
    if (opts.repeatable) req.middlewareOptions([new RepeatableRequest()]);
    let res: Response;
    try {
      switch (method.toUpperCase()) {
        case "GET":
          res = await req.get();
          break;
        case "POST":
          res = await req.post(body ?? null);
          break;
        case "PATCH":
          res = await req.patch(body);
          break;
        case "PUT":
          res = await req.put(body);
          break;
        case "DELETE":
          res = await req.delete();
          break;
        default:
          throw new Error(`unsupported method ${method}`);
      }
    } catch (e) {
      // graph-client rewraps what a middleware throws (the error's name becomes its `code`): the deadline keeps its
      // own type and message, so the provider does not take it for a lost answer and try again.
      if ((e as { code?: unknown })?.code === "DeadlineExceededError" || e instanceof DeadlineExceededError)
        throw new DeadlineExceededError((e as Error).message);
      const deadline = currentDeadline();
      if (deadline?.signal.aborted) throw deadlineError(deadline, `${method.toUpperCase()} ${redact(rel)}`);
      throw new GraphError({
        status: 0,
        code: "NetworkError",
        message: networkMessage(e),
        method: method.toUpperCase(),
        path: rel,
        cause: e,
      });
    }
    const text = await res.text();
    if (!res.ok)
      throw graphErrorFromResponse(method.toUpperCase(), rel, res.status, res.headers, text, token);
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async get<T = any>(path: string): Promise<T> {
    return (await this.request<T>("GET", path)).body;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async post<T = any>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>("POST", path, body)).body;
  }

  /** PATCH; Graph answers 200 with a body or 204 without one (graph-pim.md §1.4): both resolve. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async patch<T = any>(path: string, body: unknown): Promise<T | undefined> {
    return (await this.request<T>("PATCH", path, body)).body;
  }

  async delete(path: string): Promise<void> {
    await this.request("DELETE", path);
  }

  /**
   * Waits `ms` (the injected sleep) for a reason that is not a retry — the read-back after a write — saying `line` on
   * the progress sink; refuses, like a retry, a wait that would outlast the operation's deadline (`during` names it).
   */
  async pause(ms: number, line: string, during: string): Promise<void> {
    const deadline = currentDeadline();
    if (deadline && this.now() + ms > deadline.at) throw deadlineError(deadline, during);
    reportProgress(this.progress, line);
    await this.sleep(ms);
  }

  /** Every page of a collection, following `@odata.nextLink` until it is absent. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async *pages<T = any>(path: string): AsyncGenerator<T[]> {
    let next: string | undefined = path;
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next)) throw new Error(`paging loop: ${redact(next)} was returned twice`);
      seen.add(next);
      const page: Page<T> = await this.get<Page<T>>(next);
      yield page.value ?? [];
      next = page["@odata.nextLink"];
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async listAll<T = any>(path: string): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(path)) out.push(...page);
    return out;
  }

  /**
   * Sends `requests` as `$batch` calls of at most 20, in order, and returns one result per request in input order.
   * Inner 429/503/504 (and 500 for a GET) are retried (only those requests, after the longest Retry-After they
   * carry, bounded by `maxRetries` rounds and the operation's deadline); other failures come back as results with
   * `error` set. A `$batch` of GETs is a read: the POST that carries it is repeated after a 500 or a network error.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
  async batch<T = any>(requests: readonly BatchRequest[]): Promise<BatchResult<T>[]> {
    const results: BatchResult<T>[] = new Array(requests.length);
    let pending = requests.map((r, i) => ({ r, i }));
    for (let round = 0; pending.length > 0; round++) {
      const again: typeof pending = [];
      let waitMs = 0;
      let waitStatus = 0;
      let retryAfterGiven = false;
      for (let c = 0; c < pending.length; c += MAX_BATCH) {
        const chunk = pending.slice(c, c + MAX_BATCH);
        const payload = {
          requests: chunk.map(({ r, i }) => ({
            id: String(i),
            method: r.method,
            url: this.relative(r.url),
            ...(r.body !== undefined
              ? { body: r.body, headers: { "Content-Type": "application/json", ...r.headers } }
              : r.headers
                ? { headers: r.headers }
                : {}),
          })),
        };
        const reads = chunk.every(({ r }) => r.method === "GET");
        const res = (
          await this.request<{
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers JSON: a caller names the type it expects, the default is untyped
            responses?: { id: string; status: number; headers?: Record<string, string>; body?: any }[];
          }>("POST", "/$batch", payload, undefined, { repeatable: reads })
        ).body;
        const byId = new Map((res?.responses ?? []).map((x) => [x.id, x]));
        for (const { r, i } of chunk) {
          const item = byId.get(String(i));
          const id = r.id ?? String(i);
          if (!item) {
            results[i] = {
              id,
              status: 0,
              headers: {},
              body: undefined as T,
              error: new GraphError({
                status: 0,
                code: "BatchItemMissing",
                message: "the $batch response has no entry for this request",
                method: r.method,
                path: this.relative(r.url),
              }),
            };
            continue;
          }
          const headers = lowerKeys(item.headers ?? {});
          if (isRetryable(item.status, r.method === "GET") && round < this.maxRetries) {
            again.push({ r, i });
            const ra = retryAfterMs(headers["retry-after"] ?? null, this.now());
            const ms =
              ra === null
                ? Math.min(this.baseDelayMs * 2 ** round, this.maxDelayMs)
                : Math.min(ra, this.maxRetryAfterMs);
            if (ms >= waitMs) [waitMs, waitStatus, retryAfterGiven] = [ms, item.status, ra !== null];
            continue;
          }
          const ok = item.status >= 200 && item.status < 300;
          results[i] = {
            id,
            status: item.status,
            headers,
            body: item.body as T,
            error: ok
              ? null
              : graphErrorFromResponse(
                  r.method,
                  this.relative(r.url),
                  item.status,
                  { get: (n: string) => headers[n.toLowerCase()] ?? null },
                  typeof item.body === "string" ? item.body : JSON.stringify(item.body ?? ""),
                  // The token the $batch carried (the provider caches it): a 403 names the permission of its kind.
                  item.status === 403 ? await this.token() : null,
                ),
          };
        }
      }
      if (again.length) {
        const what =
          again.length === 1 ? again[0]!.r : { method: "POST", url: `/$batch (${again.length} requests)` };
        await retryWait(
          this,
          { attempt: round + 1, status: waitStatus, delayMs: waitMs, method: what.method, url: what.url },
          retryAfterGiven,
        );
      }
      pending = again;
    }
    return results;
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** A network failure in words: the error's message and its cause's code (`ECONNREFUSED`). */
export function networkMessage(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${err?.message ?? String(e)}${cause ? ` (${cause})` : ""}`;
}

/** The retry options a client's options give, with this layer's defaults (the ARM client shares them). */
export function retryOptions(
  opts: Pick<
    GraphClientOptions,
    "now" | "sleep" | "maxRetries" | "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs" | "onRetry" | "progress"
  >,
): RetryOptions {
  return {
    maxRetries: opts.maxRetries ?? 5,
    baseDelayMs: opts.baseDelayMs ?? 1000,
    maxDelayMs: opts.maxDelayMs ?? 32_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 300_000,
    sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: opts.now ?? Date.now,
    onRetry: opts.onRetry,
    progress: opts.progress,
  };
}

export function createGraphClient(opts: GraphClientOptions = {}): GraphApi {
  return new GraphApi(opts);
}
