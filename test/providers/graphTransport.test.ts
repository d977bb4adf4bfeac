/**
 * Where platform teams run: the proxy the environment names (Go's rules), national-cloud Graph endpoints, and no
 * credential of a URL in any message. Requests really leave through `graphFetch` (undici) to a tiny proxy on
 * 127.0.0.1 that counts what passes through it.
 */
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGraphClient,
  graphEndpoint,
  graphFetch,
  GraphConfigError,
  ProxyAwareHttpHandler,
  proxyEnvironment,
  proxyFor,
  redact,
  resolveGraphSettings,
} from "../../providers/graph/index";

const env = (httpsProxy = "", httpProxy = "", noProxy = "") => ({ httpsProxy, httpProxy, noProxy });
const via = (target: string, e: ReturnType<typeof env>) => proxyFor(new URL(target), e)?.href ?? null;

describe("which proxy a request goes through (Go's ProxyFromEnvironment)", () => {
  it("reads upper case before lower case, each scheme its own variable", () => {
    expect(
      proxyEnvironment({ HTTPS_PROXY: "http://up:1", https_proxy: "http://low:2", http_proxy: "http://h:3" }),
    ).toEqual({ httpsProxy: "http://up:1", httpProxy: "http://h:3", noProxy: "" });
    expect(proxyEnvironment({ https_proxy: "http://low:2", no_proxy: "corp.example" })).toEqual({
      httpsProxy: "http://low:2",
      httpProxy: "",
      noProxy: "corp.example",
    });
    // An empty upper-case value does not hide the lower-case one.
    expect(proxyEnvironment({ HTTPS_PROXY: "", https_proxy: "http://low:2" }).httpsProxy).toBe(
      "http://low:2",
    );
  });

  it("uses HTTPS_PROXY for https and HTTP_PROXY for http, never one for the other", () => {
    expect(via("https://graph.microsoft.com/v1.0/users", env("http://p:3128"))).toBe("http://p:3128/");
    expect(via("http://graph.test/v1.0/users", env("http://p:3128"))).toBeNull();
    expect(via("http://graph.test/v1.0/users", env("", "http://h:8080"))).toBe("http://h:8080/");
    expect(via("https://graph.microsoft.com/", env("", "http://h:8080"))).toBeNull();
  });

  it("takes a proxy without a scheme as http://", () => {
    expect(via("https://graph.microsoft.com/", env("proxy.corp:3128"))).toBe("http://proxy.corp:3128/");
  });

  it("never proxies localhost or loopback addresses", () => {
    const e = env("http://p:1", "http://p:1");
    expect(via("http://localhost:8787/", e)).toBeNull();
    expect(via("http://127.0.0.1:8787/", e)).toBeNull();
    expect(via("http://127.9.9.9/", e)).toBeNull();
    expect(via("http://[::1]:8787/", e)).toBeNull();
  });

  it("bypasses what NO_PROXY names: domains with subdomains, .suffix and *.suffix only subdomains, IPs, CIDRs, ports, *", () => {
    const p = "http://p:1/";
    const e = (no: string) => env("http://p:1", "http://p:1", no);
    expect(via("https://graph.microsoft.com/", e("microsoft.com"))).toBeNull();
    expect(via("https://microsoft.com/", e("microsoft.com"))).toBeNull();
    expect(via("https://notmicrosoft.com/", e("microsoft.com"))).toBe(p);
    expect(via("https://microsoft.com/", e(".microsoft.com"))).toBe(p);
    expect(via("https://graph.microsoft.com/", e(".microsoft.com"))).toBeNull();
    expect(via("https://microsoft.com/", e("*.microsoft.com"))).toBe(p);
    expect(via("https://graph.microsoft.com/", e("*.microsoft.com"))).toBeNull();
    expect(via("http://10.1.2.3/", e("10.0.0.0/8"))).toBeNull();
    expect(via("http://11.1.2.3/", e("10.0.0.0/8"))).toBe(p);
    expect(via("http://192.168.1.5:8080/", e("192.168.1.5"))).toBeNull();
    expect(via("https://graph.microsoft.com/", e("graph.microsoft.com:8443"))).toBe(p);
    expect(via("https://graph.microsoft.com:8443/", e("graph.microsoft.com:8443"))).toBeNull();
    expect(via("https://graph.microsoft.com/", e(" other.example , GRAPH.microsoft.com "))).toBeNull();
    expect(via("https://graph.microsoft.com/", e("*"))).toBeNull();
  });

  it("refuses a proxy it cannot use, naming the variable and hiding its password", () => {
    const err = (() => {
      try {
        via("https://graph.microsoft.com/", env("socks5://bob:hunter2@socks.corp:1080"));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(GraphConfigError);
    expect(err!.message).toBe(
      'HTTPS_PROXY="socks5://[REDACTED]@socks.corp:1080": only http:// and https:// proxies are supported for Microsoft Graph requests',
    );
  });
});

/** A forward proxy on 127.0.0.1: CONNECT is counted and refused (no TLS here); absolute-form http is forwarded to `upstream`. */
async function startCountingProxy(upstream: () => number) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} proxy-authorization=${req.headers["proxy-authorization"] ?? "-"}`);
    const target = new URL(req.url!);
    const fwd = http.request(
      {
        host: "127.0.0.1",
        port: upstream(),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(fwd);
  });
  server.on("connect", (req, socket: net.Socket) => {
    seen.push(`CONNECT ${req.url} proxy-authorization=${req.headers["proxy-authorization"] ?? "-"}`);
    socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe("requests through a proxy on 127.0.0.1", () => {
  let upstream: http.Server;
  let upstreamPort = 0;
  const arrived: string[] = [];
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      arrived.push(`${req.method} ${req.headers.host}${req.url} auth=${req.headers.authorization ?? "-"}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ value: [{ id: "u1" }] }));
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    upstreamPort = (upstream.address() as AddressInfo).port;
    proxy = await startCountingProxy(() => upstreamPort);
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((r) => upstream.close(r));
  });

  it("sends an http request as absolute-form through HTTP_PROXY, bearer token included, and the answer comes back", async () => {
    proxy.seen.length = arrived.length = 0;
    const g = createGraphClient({
      baseUrl: "http://graph.test:8787",
      tokenProvider: async () => "tok-proxy-123",
      transport: new ProxyAwareHttpHandler({ env: () => ({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}` }) }),
    });
    expect(await g.get("/users?$top=1")).toEqual({ value: [{ id: "u1" }] });
    expect(proxy.seen).toEqual(["GET http://graph.test:8787/v1.0/users?$top=1 proxy-authorization=-"]);
    expect(arrived).toEqual(["GET graph.test:8787/v1.0/users?$top=1 auth=Bearer tok-proxy-123"]);
  });

  it("tunnels https through CONNECT to HTTPS_PROXY, with the proxy's credentials, and redacts them in the error", async () => {
    proxy.seen.length = 0;
    const g = createGraphClient({
      baseUrl: "https://graph.microsoft.us",
      tokenProvider: async () => "tok-proxy-123",
      maxRetries: 0,
      transport: new ProxyAwareHttpHandler({
        env: () => ({ https_proxy: `http://alice:s3cr3t-pw@127.0.0.1:${proxy.port}` }),
      }),
    });
    const err = (await g.get("/users").catch((e) => e)) as Error;
    expect(proxy.seen).toEqual([
      `CONNECT graph.microsoft.us:443 proxy-authorization=Basic ${Buffer.from("alice:s3cr3t-pw").toString("base64")}`,
    ]);
    expect(err.message).toMatch(/^GET \/users → no response NetworkError: /);
    expect(err.message).not.toContain("s3cr3t-pw");
  });

  it("goes direct for a host NO_PROXY names: the proxy sees nothing", async () => {
    proxy.seen.length = arrived.length = 0;
    const lookup = (_h: string, o: unknown, cb: (...a: unknown[]) => void) =>
      (o as { all?: boolean }).all
        ? cb(null, [{ address: "127.0.0.1", family: 4 }])
        : cb(null, "127.0.0.1", 4);
    const res = await graphFetch(
      `http://graph.internal.test:${upstreamPort}/v1.0/me`,
      { headers: { authorization: "Bearer t" } },
      {
        env: () => ({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: "example.org,internal.test" }),
        connect: { lookup: lookup as never },
      },
    );
    expect(res.status).toBe(200);
    expect(proxy.seen).toEqual([]);
    expect(arrived).toEqual([`GET graph.internal.test:${upstreamPort}/v1.0/me auth=Bearer t`]);
  });
});

describe("national clouds and the emulator, decided in one place", () => {
  it("knows every Microsoft Graph service root with its authority and scope", () => {
    const kinds = [
      "https://graph.microsoft.com",
      "https://graph.microsoft.us",
      "https://dod-graph.microsoft.us",
      "https://microsoftgraph.chinacloudapi.cn",
    ].map((u) => {
      const e = graphEndpoint(u);
      return e.kind === "microsoft" ? [e.cloud.baseUrl, e.cloud.authorityHost, e.cloud.scope] : e.kind;
    });
    expect(kinds).toEqual([
      [
        "https://graph.microsoft.com",
        "https://login.microsoftonline.com",
        "https://graph.microsoft.com/.default",
      ],
      [
        "https://graph.microsoft.us",
        "https://login.microsoftonline.us",
        "https://graph.microsoft.us/.default",
      ],
      [
        "https://dod-graph.microsoft.us",
        "https://login.microsoftonline.us",
        "https://dod-graph.microsoft.us/.default",
      ],
      [
        "https://microsoftgraph.chinacloudapi.cn",
        "https://login.chinacloudapi.cn",
        "https://microsoftgraph.chinacloudapi.cn/.default",
      ],
    ]);
    expect(graphEndpoint("http://127.0.0.1:8787")).toEqual({ kind: "emulator" });
  });

  it("a national cloud needs no emulator credentials and gets the cloud's credential settings", () => {
    const s = resolveGraphSettings(
      { get: (k) => ({ "pim:graphBaseUrl": "https://graph.microsoft.us/v1.0" })[k] },
      {},
    );
    expect([s.baseUrl, s.cloud?.name, s.credential, s.emulator]).toEqual([
      "https://graph.microsoft.us",
      "Microsoft Graph for US Government L4 (GCC High)",
      { kind: "default" },
      null,
    ]);
  });

  it("refuses a Microsoft host that is not a Graph service root, and a service root over http or with a path", () => {
    expect(() => graphEndpoint("https://login.microsoftonline.com")).toThrow(
      "Graph base URL https://login.microsoftonline.com is in a Microsoft domain but is not a Microsoft Graph service root this project knows (https://graph.microsoft.com, https://graph.microsoft.us, https://dod-graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn); it is not taken for the emulator either",
    );
    expect(() => graphEndpoint("http://graph.microsoft.us")).toThrow(
      "Graph base URL http://graph.microsoft.us: Microsoft Graph for US Government L4 (GCC High) is reached at https://graph.microsoft.us exactly (https, no port, no path)",
    );
    expect(() => graphEndpoint("https://graph.microsoft.com/proxy")).toThrow(GraphConfigError);
  });
});

describe("credentials of a URL never reach a message", () => {
  it("masks user:password@ and credential query parameters, keeps paging cursors", () => {
    expect(redact("via http://bob:pa55@proxy.corp:3128 and https://u@host/x")).toBe(
      "via http://[REDACTED]@proxy.corp:3128 and https://[REDACTED]@host/x",
    );
    expect(
      redact("GET https://x.blob.core.windows.net/c?sv=2020&sig=AbC%2Fdef&se=1 and /cb?code=xyz&state=s1"),
    ).toBe(
      "GET https://x.blob.core.windows.net/c?sv=2020&sig=[REDACTED]&se=1 and /cb?code=[REDACTED]&state=s1",
    );
    expect(redact("/users?access_token=abc123&x-api-key=k9&client_secret=s")).toBe(
      "/users?access_token=[REDACTED]&x-api-key=[REDACTED]&client_secret=[REDACTED]",
    );
    expect(redact("/users?$skiptoken=RFNwdAIAAQ&$top=5")).toBe("/users?$skiptoken=RFNwdAIAAQ&$top=5");
  });

  it("a base URL with credentials is refused without repeating them", () => {
    expect(() =>
      resolveGraphSettings(undefined, {
        PIM_GRAPH_BASE_URL: "https://admin:topsecret@graph.contoso.microsoft.com",
      }),
    ).toThrow(
      /^Graph base URL https:\/\/\[REDACTED\]@graph\.contoso\.microsoft\.com is in a Microsoft domain/,
    );
  });
});
