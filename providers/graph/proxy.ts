/**
 * Which proxy a Graph request goes through, decided from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` exactly as the Go
 * providers decide it (Go's `net/http.ProxyFromEnvironment`, i.e. golang.org/x/net `http/httpproxy`), so one set of
 * variables means the same thing to `@pulumi/azuread`, `@pulumi/azure-native` and these providers:
 *
 * - the upper-case name wins over the lower-case one (the first that is not empty);
 * - `https://` requests use `HTTPS_PROXY` only, `http://` requests `HTTP_PROXY` only (no fall-back between them);
 * - `localhost` and loopback addresses are never proxied;
 * - `NO_PROXY` is a comma-separated list of `*` (nothing is proxied), IP addresses, CIDR ranges, and domain names, any
 *   of them with `:port`; `example.com` matches it and its subdomains, `.example.com` and `*.example.com` only its
 *   subdomains;
 * - a proxy given without a scheme (`proxy.corp:3128`) is `http://`.
 *
 * One difference, on purpose: Go silently ignores a proxy value it cannot parse (and would send the request
 * directly); here it is refused with the variable's name, because a request that bypasses a mandatory proxy is
 * either blocked or leaves the network the platform team meant it to use. Values are redacted in that message (a
 * proxy URL may carry `user:password@`).
 *
 * Pure: the environment is a parameter, nothing is read at import time.
 */
import { BlockList, isIP } from "node:net";
import { GraphConfigError } from "./configError";
import { redact } from "./errors";

export interface ProxyEnvironment {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

const first = (env: NodeJS.ProcessEnv, ...names: string[]) =>
  names.map((n) => env[n]).find((v) => v !== undefined && v !== "") ?? "";

/** The three variables as Go reads them: upper case first, then lower case. */
export function proxyEnvironment(env: NodeJS.ProcessEnv = process.env): ProxyEnvironment {
  return {
    httpProxy: first(env, "HTTP_PROXY", "http_proxy"),
    httpsProxy: first(env, "HTTPS_PROXY", "https_proxy"),
    noProxy: first(env, "NO_PROXY", "no_proxy"),
  };
}

/** Schemes this client can speak to a proxy with (undici's ProxyAgent); Go also knows socks5, which is refused. */
const PROXY_SCHEMES = new Set(["http:", "https:"]);

function parseProxy(value: string, variable: string): URL | null {
  if (!value) return null;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  // Go: a value that does not parse as http/https/socks5 URL is tried again as `http://<value>`.
  if (!url || !["http:", "https:", "socks5:"].includes(url.protocol)) {
    try {
      url = new URL(`http://${value}`);
    } catch {
      throw new GraphConfigError(
        `${variable}="${redact(value)}" is not a proxy address; give it as http://host:port (or host:port)`,
      );
    }
  }
  if (!PROXY_SCHEMES.has(url.protocol) || !url.hostname) {
    throw new GraphConfigError(
      `${variable}="${redact(value)}": only http:// and https:// proxies are supported for Microsoft Graph requests`,
    );
  }
  return url;
}

type Matcher = (host: string, port: string, ip: string | null) => boolean;

const ipFamily = (ip: string) => (isIP(ip) === 6 ? "ipv6" : "ipv4");

function noProxyMatchers(value: string): Matcher[] {
  const out: Matcher[] = [];
  for (const raw of value.split(",")) {
    const p = raw.trim().toLowerCase();
    if (!p) continue;
    if (p === "*") return [() => true];
    const cidr = /^(.+)\/(\d{1,3})$/.exec(p);
    if (cidr && isIP(cidr[1]!)) {
      const list = new BlockList();
      try {
        list.addSubnet(cidr[1]!, Number(cidr[2]), ipFamily(cidr[1]!));
      } catch {
        continue; // Go: a malformed entry is ignored
      }
      out.push((_h, _p, ip) => ip !== null && list.check(ip, ipFamily(ip)));
      continue;
    }
    let host = p;
    let port = "";
    const withPort = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(p);
    if (withPort) {
      host = withPort[1]!.replace(/^\[(.*)\]$/, "$1");
      port = withPort[2]!;
      if (!host) continue;
    }
    if (isIP(host)) {
      const list = new BlockList();
      list.addAddress(host, ipFamily(host));
      out.push((_h, pt, ip) => ip !== null && list.check(ip, ipFamily(ip)) && (!port || port === pt));
      continue;
    }
    if (host.startsWith("*.")) host = host.slice(1);
    const matchHost = !host.startsWith(".");
    const suffix = matchHost ? `.${host}` : host;
    out.push(
      (h, pt) => (h.endsWith(suffix) || (matchHost && h === suffix.slice(1))) && (!port || port === pt),
    );
  }
  return out;
}

const DEFAULT_PORT: Record<string, string> = { "http:": "80", "https:": "443" };

/** The proxy for a request to `target`, or null for a direct connection. */
export function proxyFor(target: URL, env: ProxyEnvironment): URL | null {
  const proxy =
    target.protocol === "https:"
      ? parseProxy(env.httpsProxy, "HTTPS_PROXY")
      : target.protocol === "http:"
        ? parseProxy(env.httpProxy, "HTTP_PROXY")
        : null;
  if (!proxy) return null;
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const ip = isIP(host) ? host : null;
  if (host === "localhost") return null;
  if (ip) {
    const loopback = new BlockList();
    loopback.addSubnet("127.0.0.0", 8, "ipv4");
    loopback.addAddress("::1", "ipv6");
    if (loopback.check(ip, ipFamily(ip))) return null;
  }
  const port = target.port || DEFAULT_PORT[target.protocol]!;
  return noProxyMatchers(env.noProxy).some((m) => m(host, port, ip)) ? null : proxy;
}
