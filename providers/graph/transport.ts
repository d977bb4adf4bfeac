/**
 * The last link of the middleware chain: the HTTP request itself, through the proxy the environment names.
 *
 * Node's built-in `fetch` ignores `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, and the undici it bundles cannot be
 * imported, so graph-client's `HTTPMessageHandler` (a bare `fetch`) cannot reach Graph from a network that only lets
 * traffic out through a proxy — where the Go providers (`@pulumi/azuread`, `@pulumi/azure-native`) do. This handler
 * sends each request with the `undici` package's `fetch` and a dispatcher chosen per request by `proxyFor` (Go's
 * rules, `proxy.ts`): a CONNECT tunnel for https, an absolute-form request for http (as Go does), a direct connection
 * otherwise. The same function serves the emulator's token endpoint (`graphFetch`).
 *
 * `@azure/identity`'s token requests (login.microsoftonline.com and the national authorities) do not pass here: its
 * HTTP pipeline reads the same three variables itself (`@azure/core-rest-pipeline` proxy policy).
 *
 * Dispatchers are kept per proxy for the life of the process (connection reuse); the environment is read per request,
 * as the rest of this layer's configuration.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import type { Dispatcher } from "undici";
import { currentDeadline } from "./deadline";
import { proxyEnvironment, proxyFor } from "./proxy";

export interface TransportOptions {
  /** Default: `process.env` at each request. */
  env?: () => NodeJS.ProcessEnv;
  /** Connection options for direct connections (tests resolve names with `connect.lookup`). */
  connect?: { lookup?: (...args: never[]) => void };
}

type Undici = typeof import("undici");
const undici = (): Undici => require("undici") as Undici;

const dispatchers = new Map<string, Dispatcher>();

function dispatcherFor(target: URL, opts: TransportOptions): Dispatcher {
  const proxy = proxyFor(target, proxyEnvironment(opts.env?.() ?? process.env));
  // Go tunnels https through CONNECT and sends http as an absolute-form request to the proxy.
  const tunnel = target.protocol === "https:";
  const key = proxy
    ? `${proxy.href}|${tunnel ? "connect" : "forward"}`
    : `direct|${opts.connect ? "test" : ""}`;
  let d = dispatchers.get(key);
  if (!d) {
    const u = undici();
    d = proxy
      ? new u.ProxyAgent({ uri: proxy.href, proxyTunnel: tunnel })
      : new u.Agent(opts.connect ? { connect: opts.connect as never } : {});
    // A test's resolver must not serve later callers; real dispatchers are shared.
    if (!opts.connect) dispatchers.set(key, d);
  }
  return d;
}

/** `fetch` through the environment's proxy and within the current operation's deadline. */
export async function graphFetch(
  url: string,
  init: RequestInit = {},
  opts: TransportOptions = {},
): Promise<Response> {
  const target = new URL(url);
  const deadline = currentDeadline();
  const signals = [init.signal, deadline?.signal].filter((s): s is AbortSignal => !!s);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const res = await undici().fetch(url, {
    ...(init as object),
    ...(signal ? { signal } : {}),
    dispatcher: dispatcherFor(target, opts),
  } as never);
  return res as unknown as Response;
}

/** Replaces graph-client's `HTTPMessageHandler`: the same job, through `graphFetch`. */
export class ProxyAwareHttpHandler implements Middleware {
  constructor(private readonly opts: TransportOptions = {}) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : (context.request as Request).url;
    context.response = await graphFetch(url, (context.options ?? {}) as RequestInit, this.opts);
  }
}
