/**
 * `ArmApi`: GETs (and a PATCH) against Azure Resource Manager through the Graph layer's own machinery — the retry
 * middleware (429/503/504 with Retry-After, 500 and network failures for requests safe to repeat, the progress
 * lines, the operation's deadline) in front of the proxy-aware HTTP handler (`providers/graph/transport.ts`), the
 * tenant-checked token provider, and `redact` in every error. Only what is ARM's is here: absolute URLs on one
 * origin, `api-version`, `nextLink` paging and the CloudError envelope (`errors.ts`).
 *
 * `nextLink` is followed only to the base URL's origin: a server (or a proxy pretending to be one) must not be able
 * to send the bearer token elsewhere by naming another host as the next page.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import {
  currentDeadline,
  DeadlineExceededError,
  networkMessage,
  ProxyAwareHttpHandler,
  redact,
  RetryMiddleware,
  retryOptions,
  type GraphClientOptions,
  type ServiceName,
  type TokenProvider,
} from "../graph";
import { deadlineError } from "../graph/deadline";
import { normalizeBaseUrl } from "../graph/config";
import { ArmError, armErrorFromResponse } from "./errors";

export const AZURE_RESOURCE_MANAGER: ServiceName = { name: "Azure Resource Manager", short: "ARM" };

/** Retries, clock and progress as the Graph client takes them (`GraphClientOptions`), plus ARM's base URL. */
export interface ArmClientOptions extends Pick<
  GraphClientOptions,
  | "now"
  | "sleep"
  | "maxRetries"
  | "baseDelayMs"
  | "maxDelayMs"
  | "maxRetryAfterMs"
  | "onRetry"
  | "progress"
  | "transport"
> {
  /** `https://management.azure.com`, or the emulator's origin. */
  baseUrl: string;
  tokenProvider: TokenProvider;
}

/** One page of an ARM list. */
export interface ArmPage<T> {
  value?: T[];
  nextLink?: string | null;
}

export class ArmApi {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly token: TokenProvider;
  private readonly chain: Middleware;

  constructor(opts: ArmClientOptions) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    this.token = opts.tokenProvider;
    const retry = new RetryMiddleware({ ...retryOptions(opts), service: AZURE_RESOURCE_MANAGER });
    retry.setNext(opts.transport ?? new ProxyAwareHttpHandler());
    this.chain = retry;
  }

  /** `path` (`/subscriptions/…?api-version=…`) on this ARM, or an absolute URL of its origin (a `nextLink`). */
  url(path: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      const u = new URL(path);
      if (u.origin !== this.origin)
        throw new ArmError({
          status: 0,
          code: "ForeignNextLink",
          message: `ARM named a page at ${u.origin}, not ${this.origin}; it was not followed (the token stays with ARM)`,
          method: "GET",
          path: `${u.origin}${u.pathname}`,
        });
      return u.toString();
    }
    return `${this.baseUrl}${path.startsWith("/") ? path : `/${path}`}`;
  }

  /** One request; resolves for 2xx with the parsed body, throws `ArmError` otherwise (after the retries). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ARM answers JSON: a caller names the type it expects
  async request<T = any>(method: "GET" | "PATCH", path: string, body?: unknown): Promise<T> {
    const url = this.url(path);
    const shown = url.slice(this.origin.length);
    // Before anything is sent: a missing token or one for another tenant keeps its own error and message.
    const token = await this.token();
    const context: Context = {
      request: url,
      options: {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      },
    };
    try {
      await this.chain.execute(context);
    } catch (e) {
      if (e instanceof DeadlineExceededError || (e as Error)?.name === "DeadlineExceededError") throw e;
      const deadline = currentDeadline();
      if (deadline?.signal.aborted) throw deadlineError(deadline, `${method} ${redact(shown)}`);
      throw new ArmError({
        status: 0,
        code: "NetworkError",
        message: networkMessage(e),
        method,
        path: shown,
        cause: e,
      });
    }
    const res = context.response!;
    const text = await res.text();
    if (!res.ok) throw armErrorFromResponse(method, shown, res.status, res.headers, text);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ArmError({
        status: res.status,
        code: "InvalidJson",
        message: `the answer is not JSON: ${text.slice(0, 200)}`,
        method,
        path: shown,
      });
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `request`
  get<T = any>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  /** PATCH (a policy's rules); ARM answers 200 with the resource. Repeated after a 500: it sets values. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `request`
  patch<T = any>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }

  /** Every item of a list, following `nextLink` (same origin only) until it is absent. */
  async listAll<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    for (let next: string | null | undefined = path; next;) {
      if (seen.has(next)) throw new Error(`paging loop: ${redact(next)} was returned twice`);
      seen.add(next);
      const page: ArmPage<T> | undefined = await this.get<ArmPage<T>>(next);
      out.push(...(page?.value ?? []));
      next = page?.nextLink;
    }
    return out;
  }
}

export function createArmClient(opts: ArmClientOptions): ArmApi {
  return new ArmApi(opts);
}
