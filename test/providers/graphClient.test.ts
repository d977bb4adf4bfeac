/**
 * The Graph access layer in isolation: the real graph-client chain (bearer → retry) with a scripted last link in
 * place of HTTPMessageHandler, octokit-style: a queue of responses and a log of the requests that reached it.
 * Behaviour against a Graph service is covered by the emulator tests.
 */
import { describe, expect, it } from "vitest";
import type { Context } from "@microsoft/microsoft-graph-client";
import {
  azureIdentityTokenProvider,
  clientCredentialsTokenProvider,
  credentialSource,
  createGraphClient,
  GraphError,
  isGraphError,
  redact,
  registerSecret,
  operationTimeoutMs,
  resolveGraphSettings,
  retryAfterMs,
  withDeadline,
  DeadlineExceededError,
} from "../../providers/graph/index";
import { readBack } from "../../providers/graph/readBack";

type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | "network-error";

function harness(
  responses: Scripted[] | ((ctx: Context, n: number) => Scripted),
  opts: { maxRetries?: number; now?: number } = {},
) {
  const log: { method: string; url: string; auth: string | null; body: unknown }[] = [];
  const slept: number[] = [];
  const lines: string[] = [];
  let n = 0;
  const transport = {
    async execute(ctx: Context) {
      const headers = new Headers(ctx.options?.headers as ConstructorParameters<typeof Headers>[0]);
      const body = typeof ctx.options?.body === "string" ? JSON.parse(ctx.options.body) : undefined;
      log.push({
        method: ctx.options?.method ?? "GET",
        url: String(ctx.request),
        auth: headers.get("authorization"),
        body,
      });
      const next = typeof responses === "function" ? responses(ctx, n++) : responses.shift();
      if (!next) throw new Error("script exhausted");
      if (next === "network-error") throw new TypeError("fetch failed");
      ctx.response = new Response(next.body === undefined ? null : JSON.stringify(next.body), {
        status: next.status,
        headers: { "Content-Type": "application/json", ...next.headers },
      });
    },
  };
  // The clock moves only when the client sleeps: a deadline is reached by waiting, never by the test's own speed.
  let time = opts.now ?? Date.parse("2026-11-23T12:00:00Z");
  const g = createGraphClient({
    baseUrl: "http://127.0.0.1:9999",
    tokenProvider: async () => "tok-AbCdEf0123456789",
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
    now: () => time,
    maxRetries: opts.maxRetries,
    progress: (line) => lines.push(line),
    transport,
  });
  return { g, log, slept, lines };
}

const throttled = (retryAfter?: string): Scripted => ({
  status: 429,
  headers: retryAfter === undefined ? {} : { "Retry-After": retryAfter },
  body: {
    error: {
      code: "TooManyRequests",
      message: "Please retry again later.",
      innerError: { "request-id": "rid-429" },
    },
  },
});

describe("middleware chain", () => {
  it("sends the bearer token on every request to a non-Graph host (graph-client's AuthenticationHandler would not)", async () => {
    const { g, log } = harness([{ status: 200, body: { ok: 1 } }]);
    expect(await g.get("/users")).toEqual({ ok: 1 });
    expect(log).toEqual([
      {
        method: "GET",
        url: "http://127.0.0.1:9999/v1.0/users",
        auth: "Bearer tok-AbCdEf0123456789",
        body: undefined,
      },
    ]);
  });

  it("retries 429 twice honouring Retry-After, then succeeds: three attempts, two sleeps of exactly 7 s", async () => {
    const { g, log, slept } = harness([throttled("7"), throttled("7"), { status: 200, body: { value: [] } }]);
    expect(await g.get("/roleManagement/directory/roleEligibilitySchedules")).toEqual({ value: [] });
    expect(log).toHaveLength(3);
    expect(slept).toEqual([7000, 7000]);
  });

  it("retries 503 and 504 without Retry-After with exponential backoff", async () => {
    const { g, log, slept } = harness([
      { status: 503 },
      { status: 504 },
      { status: 503 },
      { status: 200, body: {} },
    ]);
    await g.get("/x");
    expect(log).toHaveLength(4);
    expect(slept).toEqual([1000, 2000, 4000]);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const { g, slept } = harness([throttled("Mon, 23 Nov 2026 12:00:30 GMT"), { status: 200, body: {} }]);
    await g.get("/x");
    expect(slept).toEqual([30_000]);
  });

  it("gives up after maxRetries and throws one GraphError carrying status, code and request id", async () => {
    const { g, log, slept } = harness(() => throttled("1"), { maxRetries: 3 });
    const err = await g.get("/policies/roleManagementPolicies").catch((e) => e);
    expect(log).toHaveLength(4);
    expect(slept).toEqual([1000, 1000, 1000]);
    expect(isGraphError(err)).toBe(true);
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).toJSON()).toEqual({
      name: "GraphError",
      status: 429,
      code: "TooManyRequests",
      message: "Please retry again later.",
      requestId: "rid-429",
      method: "GET",
      path: "/policies/roleManagementPolicies",
      date: null,
    });
    expect((err as GraphError).retryAfterSeconds).toBe(1);
    expect((err as Error).message).toBe(
      "GET /policies/roleManagementPolicies → 429 TooManyRequests: Please retry again later. (request-id rid-429)",
    );
  });

  it("does not retry other failures", async () => {
    const { g, log } = harness([
      {
        status: 400,
        body: { error: { code: "RoleAssignmentExists", message: "The Role assignment already exists." } },
      },
    ]);
    const err = (await g
      .post("/roleManagement/directory/roleEligibilityScheduleRequests", { action: "adminAssign" })
      .catch((e) => e)) as GraphError;
    expect(log).toHaveLength(1);
    expect([err.status, err.code, err.graphMessage]).toEqual([
      400,
      "RoleAssignmentExists",
      "The Role assignment already exists.",
    ]);
  });

  it("repeats a GET after a network failure but never a POST (it may have committed)", async () => {
    const get = harness(["network-error", { status: 200, body: { a: 1 } }]);
    expect(await get.g.get("/x")).toEqual({ a: 1 });
    expect(get.log).toHaveLength(2);
    const post = harness(["network-error", { status: 201, body: {} }]);
    const err = (await post.g.post("/x", {}).catch((e) => e)) as GraphError;
    expect(post.log).toHaveLength(1);
    expect([err.status, err.code]).toEqual([0, "NetworkError"]);
  });

  it("accepts a PATCH answered 204 without a body and 200 with one", async () => {
    const { g } = harness([{ status: 204 }, { status: 200, body: { id: "p" } }]);
    expect(await g.patch("/policies/roleManagementPolicies/p", { rules: [] })).toBeUndefined();
    expect(await g.patch("/policies/roleManagementPolicies/p", { rules: [] })).toEqual({ id: "p" });
  });
});

describe("retryAfterMs", () => {
  it("reads seconds, fractions and dates; null for absent or garbage", () => {
    const now = Date.parse("2026-11-23T12:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("0.5", now)).toBe(500);
    expect(retryAfterMs("Mon, 23 Nov 2026 12:01:00 GMT", now)).toBe(60_000);
    expect(retryAfterMs("Mon, 23 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs("soon", now)).toBeNull();
  });
});

describe("redaction", () => {
  it("masks bearer tokens, JWTs, form and JSON secrets, Authorization headers and registered secrets", () => {
    registerSecret("emu-secret-registered-12345");
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    expect(redact(`Authorization: Bearer abc.def-ghi`)).toBe("Authorization: [REDACTED]");
    expect(redact(`got Bearer abc.def-ghi back`)).toBe("got Bearer [REDACTED] back");
    expect(redact(`token ${jwt} leaked`)).toBe("token [REDACTED] leaked");
    expect(redact("grant_type=client_credentials&client_secret=s3cr3t&scope=x")).toBe(
      "grant_type=client_credentials&client_secret=[REDACTED]&scope=x",
    );
    expect(redact('{"access_token":"abc","expires_in":3599}')).toBe(
      '{"access_token":"[REDACTED]","expires_in":3599}',
    );
    expect(redact("the secret emu-secret-registered-12345 appeared")).toBe("the secret [REDACTED] appeared");
  });

  it("keeps tokens and secrets out of everything a GraphError carries", async () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    const { g } = harness([
      {
        status: 401,
        body: {
          error: {
            code: "InvalidAuthenticationToken",
            message: `Token ${jwt} is expired. Authorization: Bearer ${jwt}`,
          },
        },
      },
    ]);
    const err = (await g.get(`/users?access_token=${jwt}`).catch((e) => e)) as GraphError;
    const everything = [
      err.message,
      err.graphMessage,
      err.path,
      err.stack ?? "",
      JSON.stringify(err),
      String((err as { cause?: unknown }).cause ?? ""),
    ].join("\n");
    expect(everything).not.toContain(jwt);
    expect(everything).not.toContain("tok-AbCdEf0123456789");
    expect(err.graphMessage).toBe("Token [REDACTED] is expired. Authorization: [REDACTED]");
    expect(err.path).toBe("/users?access_token=[REDACTED]");
  });

  it("keeps the client secret out of token endpoint failures", async () => {
    const secret = "emu-secret-token-endpoint-999";
    const provider = clientCredentialsTokenProvider({
      tokenUrl: "http://127.0.0.1:9/t/oauth2/v2.0/token",
      clientId: "app",
      clientSecret: secret,
      fetch: (async () =>
        new Response(
          JSON.stringify({
            error: "invalid_client",
            error_description: `AADSTS7000215: Invalid client secret ${secret} provided.`,
          }),
          {
            status: 401,
          },
        )) as typeof fetch,
    });
    const err = (await provider().catch((e) => e)) as GraphError;
    expect(err.code).toBe("invalid_client");
    expect(err.message).toBe(
      "POST http://127.0.0.1:9/t/oauth2/v2.0/token → 401 invalid_client: AADSTS7000215: Invalid client secret [REDACTED] provided.",
    );
  });
});

describe("client credentials (emulator mode)", () => {
  it("posts the client-credentials form once and reuses the token until five minutes before it expires", async () => {
    let now = Date.parse("2026-11-23T12:00:00Z");
    const calls: string[] = [];
    const provider = clientCredentialsTokenProvider({
      tokenUrl: "http://127.0.0.1:9/tid/oauth2/v2.0/token",
      clientId: "app-id",
      clientSecret: "emu-secret-0123456789",
      now: () => now,
      fetch: (async (_url: string, init: RequestInit) => {
        calls.push(String(init.body));
        return new Response(JSON.stringify({ access_token: `token-${calls.length}`, expires_in: 3600 }), {
          status: 200,
        });
      }) as unknown as typeof fetch,
    });
    expect(await Promise.all([provider(), provider()])).toEqual(["token-1", "token-1"]);
    now += 54 * 60_000;
    expect(await provider()).toBe("token-1");
    now += 2 * 60_000;
    expect(await provider()).toBe("token-2");
    expect(calls).toHaveLength(2);
    expect(new URLSearchParams(calls[0]).get("grant_type")).toBe("client_credentials");
    expect(new URLSearchParams(calls[0]).get("scope")).toBe("https://graph.microsoft.com/.default");
  });
});

describe("@azure/identity (real tenants)", () => {
  it("asks the credential for a Graph token with the .default scope on each call (the credential caches)", async () => {
    const scopes: (string | string[])[] = [];
    const provider = azureIdentityTokenProvider({
      getToken: async (scope) => {
        scopes.push(scope);
        return { token: `federated-token-${scopes.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    expect(await provider()).toBe("federated-token-1");
    expect(await provider()).toBe("federated-token-2");
    expect(scopes).toEqual(["https://graph.microsoft.com/.default", "https://graph.microsoft.com/.default"]);
    expect(redact("leaked federated-token-1 here")).toBe("leaked [REDACTED] here");
  });

  it("uses the ARM_* federated token (Pulumi ESC azure-login) when all three variables are set, else DefaultAzureCredential", () => {
    expect(credentialSource({ ARM_OIDC_TOKEN: "t", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "x" })).toBe(
      "arm-oidc",
    );
    expect(credentialSource({ ARM_OIDC_TOKEN: "t", ARM_CLIENT_ID: "c" })).toBe("default");
    expect(
      credentialSource({ AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "x", AZURE_FEDERATED_TOKEN_FILE: "/f" }),
    ).toBe("default");
  });

  it("fails clearly when the credential returns nothing", async () => {
    const provider = azureIdentityTokenProvider({ getToken: async () => null });
    await expect(provider()).rejects.toThrow(
      "@azure/identity returned no token for https://graph.microsoft.com/.default",
    );
  });
});

describe("paging", () => {
  it("follows absolute @odata.nextLink URLs of the same service until there is none", async () => {
    const base = "http://127.0.0.1:9999/v1.0/roleManagement/directory/roleEligibilitySchedules";
    const { g, log } = harness([
      { status: 200, body: { value: [1, 2], "@odata.nextLink": `${base}?$skiptoken=abc%3D%3D` } },
      { status: 200, body: { value: [3, 4], "@odata.nextLink": `${base}?$skiptoken=def` } },
      { status: 200, body: { value: [5] } },
    ]);
    expect(await g.listAll("/roleManagement/directory/roleEligibilitySchedules")).toEqual([1, 2, 3, 4, 5]);
    expect(log.map((l) => l.url)).toEqual([base, `${base}?$skiptoken=abc%3D%3D`, `${base}?$skiptoken=def`]);
  });

  it("stops on a nextLink that repeats", async () => {
    const { g } = harness(() => ({
      status: 200,
      body: { value: [1], "@odata.nextLink": "http://127.0.0.1:9999/v1.0/x?$skiptoken=same" },
    }));
    await expect(g.listAll("/x")).rejects.toThrow("paging loop");
  });
});

describe("$batch", () => {
  it("sends at most 20 requests per batch, retries only the throttled ones after their Retry-After, returns results in order", async () => {
    const batches: number[] = [];
    let throttledOnce = false;
    const { g, slept } = harness((ctx) => {
      const body = JSON.parse(String(ctx.options!.body)) as {
        requests: { id: string; method: string; url: string }[];
      };
      batches.push(body.requests.length);
      return {
        status: 200,
        body: {
          responses: body.requests.reverse().map((r) => {
            if (r.id === "7" && !throttledOnce) {
              throttledOnce = true;
              return {
                id: r.id,
                status: 429,
                headers: { "Retry-After": "3" },
                body: { error: { code: "TooManyRequests", message: "slow down" } },
              };
            }
            if (r.id === "44")
              return { id: r.id, status: 404, body: { error: { code: "NotFound", message: "gone" } } };
            return { id: r.id, status: 200, body: { url: r.url } };
          }),
        },
      };
    });
    const requests = Array.from({ length: 45 }, (_, i) => ({ method: "GET" as const, url: `/things/${i}` }));
    const results = await g.batch(requests);
    expect(batches).toEqual([20, 20, 5, 1]);
    expect(slept).toEqual([3000]);
    expect(results.map((r) => r.status)).toEqual(requests.map((_, i) => (i === 44 ? 404 : 200)));
    expect(results[7]!.body).toEqual({ url: "/things/7" });
    expect(results[44]!.error).toMatchObject({
      status: 404,
      code: "NotFound",
      method: "GET",
      path: "/things/44",
    });
    expect(results[0]!.error).toBeNull();
  });
});

describe("configuration read at call time", () => {
  const cfg = (m: Record<string, string>) => ({ get: (k: string) => m[k] });

  it("uses Graph and DefaultAzureCredential when nothing is overridden", () => {
    expect(resolveGraphSettings(undefined, {})).toEqual({
      baseUrl: "https://graph.microsoft.com",
      tenantId: null,
      cloud: {
        name: "Microsoft Graph global service",
        baseUrl: "https://graph.microsoft.com",
        authorityHost: "https://login.microsoftonline.com",
        scope: "https://graph.microsoft.com/.default",
        arm: { baseUrl: "https://management.azure.com", scope: "https://management.azure.com/.default" },
      },
      credential: { kind: "default" },
      emulator: null,
    });
  });

  it("takes the stack config's base URL and tenant, the environment's client credentials; the environment wins", () => {
    const env = { PIM_GRAPH_CLIENT_ID: "app", PIM_GRAPH_CLIENT_SECRET: "emu-secret-x-123456" };
    const fromConfig = resolveGraphSettings(
      cfg({ "pim:graphBaseUrl": "http://127.0.0.1:8787/v1.0/", "azuread:tenantId": "t1" }),
      env,
    );
    expect(fromConfig).toEqual({
      baseUrl: "http://127.0.0.1:8787",
      tenantId: "t1",
      cloud: null,
      credential: null,
      emulator: {
        tenantId: "t1",
        clientId: "app",
        clientSecret: "emu-secret-x-123456",
        tokenUrl: "http://127.0.0.1:8787/t1/oauth2/v2.0/token",
      },
    });
    const fromEnv = resolveGraphSettings(cfg({ "pim:graphBaseUrl": "http://127.0.0.1:8787" }), {
      ...env,
      PIM_GRAPH_BASE_URL: "http://127.0.0.1:5555",
      PIM_GRAPH_TENANT_ID: "t2",
    });
    expect(fromEnv.baseUrl).toBe("http://127.0.0.1:5555");
    expect(fromEnv.emulator!.tokenUrl).toBe("http://127.0.0.1:5555/t2/oauth2/v2.0/token");
  });

  it("names every missing emulator variable", () => {
    expect(() => resolveGraphSettings(undefined, { PIM_GRAPH_BASE_URL: "http://127.0.0.1:1" })).toThrow(
      "Graph base URL http://127.0.0.1:1 is not Microsoft Graph, so the emulator's client credentials are needed; set PIM_GRAPH_TENANT_ID (or stack config azuread:tenantId), PIM_GRAPH_CLIENT_ID, PIM_GRAPH_CLIENT_SECRET",
    );
  });
});

describe("bounded retries with progress", () => {
  const T0 = Date.parse("2026-11-23T12:00:00Z");
  const fail500 = { status: 500, body: { error: { code: "InternalServerError", message: "boom" } } };
  const methods = (log: { method: string; url: string }[]) =>
    log.map((l) => `${l.method} ${l.url.replace("http://127.0.0.1:9999", "")}`);

  it("retries a 500 on a read and says on the progress sink what it waits for and how long", async () => {
    const { g, log, slept, lines } = harness([fail500, fail500, { status: 200, body: { value: [] } }]);
    expect(await g.get("/roleManagement/directory/roleEligibilitySchedules?$filter=x")).toEqual({
      value: [],
    });
    expect(methods(log)).toEqual([
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=x",
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=x",
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=x",
    ]);
    expect(slept).toEqual([1000, 2000]);
    expect(lines).toEqual([
      "pim: Microsoft Graph answered 500; waiting 1 s before retrying GET /v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=x (retry 1 of 5)",
      "pim: Microsoft Graph answered 500; waiting 2 s before retrying GET /v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=x (retry 2 of 5)",
    ]);
  });

  it("retries a 500 on a settings PATCH (it sets values) but never on a schedule request POST (it may have committed)", async () => {
    const patch = harness([fail500, { status: 204 }]);
    await patch.g.patch("/policies/roleManagementPolicies/p1", { rules: [] });
    expect(methods(patch.log)).toEqual([
      "PATCH /v1.0/policies/roleManagementPolicies/p1",
      "PATCH /v1.0/policies/roleManagementPolicies/p1",
    ]);
    const post = harness([fail500, { status: 201, body: {} }]);
    const err = (await post.g
      .post("/roleManagement/directory/roleEligibilityScheduleRequests", { action: "adminAssign" })
      .catch((e) => e)) as GraphError;
    expect(methods(post.log)).toEqual([
      "POST /v1.0/roleManagement/directory/roleEligibilityScheduleRequests",
    ]);
    expect([err.status, err.code, post.slept, post.lines]).toEqual([500, "InternalServerError", [], []]);
  });

  it("names the throttling wait and Graph's Retry-After on the progress sink", async () => {
    const { g, lines } = harness([throttled("7"), { status: 200, body: {} }]);
    await g.get("/users/ada%40contoso.com");
    expect(lines).toEqual([
      "pim: Microsoft Graph is throttling requests (429); waiting 7 s as its Retry-After asks before retrying GET /v1.0/users/ada@contoso.com (retry 1 of 5)",
    ]);
  });

  it("in $batch: repeats the POST of a batch of reads after a 500, and retries an inner 500 only for a GET", async () => {
    const { g, log, slept, lines } = harness((ctx, n) => {
      const body = JSON.parse(String(ctx.options!.body)) as { requests: { id: string; method: string }[] };
      if (body.requests.every((r) => r.method === "GET") && n === 0) return fail500;
      return {
        status: 200,
        body: {
          responses: body.requests.map((r) =>
            n <= 1 || r.method === "POST"
              ? { id: r.id, status: 500, body: { error: { code: "InternalServerError", message: "inner" } } }
              : { id: r.id, status: 200, body: { id: `ok-${r.id}` } },
          ),
        },
      };
    });
    const reads = await g.batch([
      { method: "GET", url: "/users/a" },
      { method: "GET", url: "/users/b" },
    ]);
    expect(reads.map((r) => [r.status, r.body])).toEqual([
      [200, { id: "ok-0" }],
      [200, { id: "ok-1" }],
    ]);
    expect(methods(log)).toEqual(["POST /v1.0/$batch", "POST /v1.0/$batch", "POST /v1.0/$batch"]);
    expect(slept).toEqual([1000, 1000]);
    expect(lines).toEqual([
      "pim: Microsoft Graph answered 500; waiting 1 s before retrying POST /v1.0/$batch (retry 1 of 5)",
      "pim: Microsoft Graph answered 500; waiting 1 s before retrying POST /$batch (2 requests) (retry 1 of 5)",
    ]);
    const write = harness(() => ({
      status: 200,
      body: {
        responses: [{ id: "0", status: 500, body: { error: { code: "InternalServerError", message: "x" } } }],
      },
    }));
    const [res] = await write.g.batch([
      { method: "POST", url: "/roleManagement/directory/roleEligibilityScheduleRequests", body: {} },
    ]);
    expect([res!.status, res!.error?.code, write.log.length, write.slept]).toEqual([
      500,
      "InternalServerError",
      1,
      [],
    ]);
  });

  it("does not start a wait that would outlast the operation's deadline: one request, no sleep, what was waited for", async () => {
    const { g, log, slept, lines } = harness([throttled("120"), { status: 200, body: {} }]);
    const err = await withDeadline("directoryRoleSchedule create", 60_000, () => g.get("/x"), {
      now: () => T0,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as Error).message).toBe(
      "directoryRoleSchedule create: gave up after the operation's deadline of 60 s, during GET /v1.0/x: Graph " +
        "answered 429 and asked to wait 120 s. Nothing further was sent. Run again later, or raise " +
        "pim:operationTimeoutSeconds (or PIM_OPERATION_TIMEOUT_SECONDS) if Graph is throttling this tenant for longer.",
    );
    expect([log.length, slept, lines]).toEqual([1, [], []]);
  });

  it("waits as long as the deadline allows, then stops: three waits of 30 s fit in 100 s, a fourth does not", async () => {
    const { g, log, slept } = harness(() => throttled("30"), { maxRetries: 10 });
    const err = (await withDeadline("directoryRoleSettings update", 100_000, () => g.get("/x"), {
      now: () => T0,
    }).catch((e) => e)) as Error;
    expect(err.name).toBe("DeadlineExceededError");
    expect([log.length, slept]).toEqual([4, [30_000, 30_000, 30_000]]);
  });

  it("reads the deadline's length from the environment, then the stack config, default ten minutes", () => {
    const cfg = { get: (k: string) => ({ "pim:operationTimeoutSeconds": "90" })[k] };
    expect(operationTimeoutMs(undefined, {})).toBe(600_000);
    expect(operationTimeoutMs(cfg, {})).toBe(90_000);
    expect(operationTimeoutMs(cfg, { PIM_OPERATION_TIMEOUT_SECONDS: "1200" })).toBe(1_200_000);
    expect(() => operationTimeoutMs({ get: () => "10m" }, {})).toThrow(
      'stack config pim:operationTimeoutSeconds is "10m"; give a whole number of seconds between 1 and 86400 (default 600)',
    );
  });
});

describe("read-back after a write (eventual consistency)", () => {
  it("reads again after 1 s and 2 s until the tenant shows what was written, saying so", async () => {
    const { g, log, slept, lines } = harness([
      { status: 200, body: { v: "old" } },
      { status: 200, body: { v: "old" } },
      { status: 200, body: { v: "new" } },
    ]);
    const r = await readBack(
      g,
      "Global Administrator settings",
      () => g.get<{ v: string }>("/p"),
      (x) => x.v === "new",
    );
    expect(r).toEqual({ value: { v: "new" }, matched: true, reads: 3 });
    expect([log.length, slept]).toEqual([3, [1000, 2000]]);
    expect(lines).toEqual([
      "pim: Global Administrator settings: Graph does not show what was just written yet; reading it again in 1 s (read-back 2 of 5)",
      "pim: Global Administrator settings: Graph does not show what was just written yet; reading it again in 2 s (read-back 3 of 5)",
    ]);
  });

  it("gives up after five reads over 15 s and returns the last value for the caller's mismatch message", async () => {
    const { g, log, slept } = harness(() => ({ status: 200, body: { v: "old" } }));
    const r = await readBack(
      g,
      "x",
      () => g.get<{ v: string }>("/p"),
      (x) => x.v === "new",
    );
    expect(r).toEqual({ value: { v: "old" }, matched: false, reads: 5 });
    expect([log.length, slept]).toEqual([5, [1000, 2000, 4000, 8000]]);
  });

  it("stops at the operation's deadline instead of waiting past it", async () => {
    const { g, log, slept } = harness(() => ({ status: 200, body: { v: "old" } }));
    const err = (await withDeadline(
      "directoryRoleSettings update",
      5_000,
      () =>
        readBack(
          g,
          "Global Administrator settings",
          () => g.get<{ v: string }>("/p"),
          (x) => x.v === "new",
        ),
      { now: () => Date.parse("2026-11-23T12:00:00Z") },
    ).catch((e) => e)) as Error;
    expect(err.message).toBe(
      "directoryRoleSettings update: gave up after the operation's deadline of 5 s, during the read-back of Global " +
        "Administrator settings (read 4 of 5 was due in 4 s). Nothing further was sent. Run again later, or raise pim:operationTimeoutSeconds (or " +
        "PIM_OPERATION_TIMEOUT_SECONDS) if Graph is throttling this tenant for longer.",
    );
    expect([log.length, slept]).toEqual([3, [1000, 2000]]);
  });
});
