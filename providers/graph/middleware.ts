/**
 * The middleware chain: bearer token → retry → `HTTPMessageHandler` (graph-client's fetch).
 *
 * graph-client's own `AuthenticationHandler` deletes the Authorization header for any host that is not https Graph
 * (pulumi-notes §0.6), which rules it out for the emulator, and its `RetryHandler` sleeps with a private
 * `setTimeout`; both are replaced here so tests can inject time.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

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
  onRetry?: (info: { attempt: number; status: number; delayMs: number; method: string; url: string }) => void;
}

/** Throttling and transient gateway codes Graph asks clients to retry (graph-pim.md §7, msgraph RetryHandler). */
export const RETRY_STATUS = [429, 503, 504] as const;

/** Methods that may be re-sent after a network failure; a POST may have committed (see the schedule provider). */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** `Retry-After` as seconds or as an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly opts: RetryOptions) {}

  async execute(context: Context): Promise<void> {
    const method = (context.options?.method ?? "GET").toUpperCase();
    const url = typeof context.request === "string" ? context.request : (context.request as Request).url;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.next!.execute(context);
      } catch (e) {
        // No response at all (reset, refused): only safe to repeat when the method is idempotent.
        if (!IDEMPOTENT.has(method) || attempt >= this.opts.maxRetries) throw e;
        const delayMs = this.backoff(attempt);
        this.opts.onRetry?.({ attempt: attempt + 1, status: 0, delayMs, method, url });
        await this.opts.sleep(delayMs);
        continue;
      }
      const res = context.response!;
      if (!(RETRY_STATUS as readonly number[]).includes(res.status) || attempt >= this.opts.maxRetries)
        return;
      const given = retryAfterMs(res.headers.get("retry-after"), this.opts.now());
      const delayMs = given === null ? this.backoff(attempt) : Math.min(given, this.opts.maxRetryAfterMs);
      this.opts.onRetry?.({ attempt: attempt + 1, status: res.status, delayMs, method, url });
      // Release the connection of the response we are discarding.
      await res.body?.cancel().catch(() => undefined);
      await this.opts.sleep(delayMs);
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.opts.baseDelayMs * 2 ** attempt, this.opts.maxDelayMs);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
