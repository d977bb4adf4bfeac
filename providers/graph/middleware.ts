/**
 * The middleware chain: bearer token → retry → the HTTP request (`transport.ts`, through the environment's proxy).
 *
 * graph-client's own `AuthenticationHandler` deletes the Authorization header for any host that is not https Graph
 * (pulumi-notes §0.6), which rules it out for the emulator, and its `RetryHandler` sleeps with a private
 * `setTimeout`; both are replaced here so tests can inject time.
 */
import type { Context, Middleware, MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import { currentDeadline, deadlineError, DeadlineExceededError } from "./deadline";
import { redact } from "./errors";

export type TokenProvider = () => Promise<string>;

/**
 * Adds `Authorization: Bearer <token>` unless the request already carries one (`GraphApi.request` sets it itself);
 * the token is fetched per request (the provider caches it).
 */
export class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly token: TokenProvider) {}

  async execute(context: Context): Promise<void> {
    context.options = context.options ?? {};
    const headers = new Headers(context.options.headers as ConstructorParameters<typeof Headers>[0]);
    if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${await this.token()}`);
    context.options.headers = Object.fromEntries(headers.entries());
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Marks one request as safe to repeat although its method is not (a `$batch` POST whose requests are all GETs):
 * `GraphApi` attaches it with graph-client's `middlewareOptions`, the retry middleware reads it.
 */
export class RepeatableRequest implements MiddlewareOptions {}

export interface RetryInfo {
  attempt: number;
  status: number;
  delayMs: number;
  method: string;
  url: string;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 5): at most `maxRetries + 1` requests per call. */
  maxRetries: number;
  /** Backoff when Graph sends no Retry-After: `baseDelayMs * 2^attempt`, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured as given; longer values are capped (and still bounded by maxRetries). */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Called before each retry, for logs and tests. */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Where a line saying what is waited for, and how long, goes before each wait (default: stderr, which Pulumi's
   * engine shows for the dynamic-provider host: `pulumi-resource-pulumi-nodejs` is exempt from the engine's hiding
   * of plugin output, its stderr lines become info messages of the run).
   */
  progress?: (line: string) => void;
  /** Whom the lines name (default Microsoft Graph; the ARM client says Azure Resource Manager). */
  service?: ServiceName;
}

/** A service as the progress lines and deadline messages name it: in full, and short. */
export interface ServiceName {
  name: string;
  short: string;
}

export const MICROSOFT_GRAPH: ServiceName = { name: "Microsoft Graph", short: "Graph" };

/**
 * Statuses retried for every method: throttling and gateway answers that Graph asks clients to retry (graph-pim.md
 * §7, msgraph RetryHandler). A POST that met a 503/504 may have committed; the schedule provider looks the schedule
 * up again before it sends anything twice.
 */
export const RETRY_STATUS = [429, 503, 504] as const;

/**
 * 500 is retried only for requests that are safe to repeat: reads (GET, HEAD, OPTIONS), PUT and DELETE (idempotent by
 * HTTP), PATCH (every PATCH this project sends sets fields to values — a role management policy's rules — so a second
 * one leaves the same state), and a `$batch` of reads. Never a schedule request (POST): it may have committed, and
 * the provider looks the schedule up instead (`outcomeUnknown`).
 */
export const RETRY_STATUS_IF_REPEATABLE = [500] as const;

/** Methods that may be re-sent after a 500 or a network failure; a POST may have committed. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** `Retry-After` as seconds or as an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Whether `status` is retried for a request that is (or is not) safe to repeat. */
export function isRetryable(status: number, repeatable: boolean): boolean {
  return (
    (RETRY_STATUS as readonly number[]).includes(status) ||
    (repeatable && (RETRY_STATUS_IF_REPEATABLE as readonly number[]).includes(status))
  );
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** `GET /v1.0/roleManagement/...` from a full URL: what the line on stderr names. */
function requestLabel(method: string, url: string): string {
  let path = url;
  try {
    const u = new URL(url);
    path = `${u.pathname}${u.search}`;
  } catch {
    // already relative
  }
  return redact(`${method} ${decodeURIComponent(path)}`);
}

/** The line written before a wait: what is waited for, and how long. */
export function waitLine(
  info: RetryInfo,
  maxRetries: number,
  retryAfter: boolean,
  service: ServiceName = MICROSOFT_GRAPH,
): string {
  const what = requestLabel(info.method, info.url);
  const why =
    info.status === 429
      ? `${service.name} is throttling requests (429); waiting ${seconds(info.delayMs)}${retryAfter ? " as its Retry-After asks" : ""}`
      : info.status === 0
        ? `no answer from ${service.name} (network error); waiting ${seconds(info.delayMs)}`
        : `${service.name} answered ${info.status}; waiting ${seconds(info.delayMs)}${retryAfter ? " as its Retry-After asks" : ""}`;
  return `pim: ${why} before retrying ${what} (retry ${info.attempt} of ${maxRetries})`;
}

const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

/**
 * Before a retry: unless the wait would outlast the operation's deadline (then `DeadlineExceededError`, naming what
 * was waited for), report it (`onRetry`, and the line on stderr), then sleep. Shared by the middleware and `$batch`.
 */
export async function retryWait(
  opts: Pick<RetryOptions, "now" | "sleep" | "onRetry" | "progress" | "maxRetries" | "service">,
  info: RetryInfo,
  retryAfter: boolean,
): Promise<void> {
  const deadline = currentDeadline();
  if (deadline && opts.now() + info.delayMs > deadline.at) {
    const answer = info.status
      ? `${(opts.service ?? MICROSOFT_GRAPH).short} answered ${info.status}`
      : "no answer";
    throw deadlineError(
      deadline,
      `${requestLabel(info.method, info.url)}: ${answer} and ${retryAfter ? "asked to wait" : "the next retry was due in"} ${seconds(info.delayMs)}`,
    );
  }
  opts.onRetry?.(info);
  (opts.progress ?? stderrLine)(waitLine(info, opts.maxRetries, retryAfter, opts.service));
  await opts.sleep(info.delayMs);
}

/** A line on the progress sink (default stderr), for waits that are not retries (a read-back). */
export function reportProgress(progress: RetryOptions["progress"], line: string): void {
  (progress ?? stderrLine)(line);
}

export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly opts: RetryOptions) {}

  async execute(context: Context): Promise<void> {
    const method = (context.options?.method ?? "GET").toUpperCase();
    const url = typeof context.request === "string" ? context.request : (context.request as Request).url;
    const repeatable =
      IDEMPOTENT.has(method) || !!context.middlewareControl?.getMiddlewareOptions(RepeatableRequest);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.next!.execute(context);
      } catch (e) {
        if (e instanceof DeadlineExceededError || (e as Error)?.name === "DeadlineExceededError") throw e;
        // No response at all (reset, refused): only safe to repeat when the request is.
        if (!repeatable || attempt >= this.opts.maxRetries) throw e;
        await this.wait(
          { attempt: attempt + 1, status: 0, delayMs: this.backoff(attempt), method, url },
          false,
        );
        continue;
      }
      const res = context.response!;
      if (!isRetryable(res.status, repeatable) || attempt >= this.opts.maxRetries) return;
      const given = retryAfterMs(res.headers.get("retry-after"), this.opts.now());
      const delayMs = given === null ? this.backoff(attempt) : Math.min(given, this.opts.maxRetryAfterMs);
      // Release the connection of the response we are discarding.
      await res.body?.cancel().catch(() => undefined);
      await this.wait({ attempt: attempt + 1, status: res.status, delayMs, method, url }, given !== null);
    }
  }

  private wait(info: RetryInfo, retryAfter: boolean): Promise<void> {
    return retryWait(this.opts, info, retryAfter);
  }

  private backoff(attempt: number): number {
    return Math.min(this.opts.baseDelayMs * 2 ** attempt, this.opts.maxDelayMs);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
