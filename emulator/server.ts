// The HTTP server: routing, authentication, faults, the Graph error envelope, the request log and
// the loopback-only admin API. Bound to 127.0.0.1 only; plain node:http, no framework.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { AddressInfo, Socket } from "node:net";
import {
  callerFromClaims,
  invalidToken,
  tokenEndpoint,
  TokenSigner,
  uncheckedCaller,
  userTokenClaims,
  WrongAudience,
  type Audience,
  type Caller,
} from "./auth";
import { Clock, innerErrorDate, iso } from "./clock";
import { GraphError, envelope, invalidJson } from "./errors";
import { Faults, type FaultSpec } from "./faults";
import type { Ctx, Env, Reply, Route } from "./http";
import { parseDuration } from "./duration";
import { armRequest, cloudError, type ArmCaller, type ArmReply } from "./routes/arm";
import { auditRoutes } from "./routes/audit";
import { conditionalAccessRoutes } from "./routes/conditionalAccess";
import { roleAssignmentRoutes } from "./routes/roleAssignments";
import { parseBatch, runBatch, type SubRequest, type SubResponse } from "./routes/batch";
import { directoryRoutes } from "./routes/directory";
import { policyRoutes } from "./routes/policies";
import { roleDefinitionRoutes } from "./routes/roleDefinitions";
import { scheduleCollectionRoutes } from "./routes/scheduleCollections";
import { sweep } from "./expiry";
import { EmulatorState, StateFileError } from "./state";
import { buildState, type EmulatorSeed } from "./seed";

const JSON_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY = 4 * 1024 * 1024;
const VERSIONS = new Set(["v1.0", "beta"]);

interface CompiledRoute extends Route {
  segs: string[];
}

const ROUTES: CompiledRoute[] = [
  ...directoryRoutes,
  ...roleDefinitionRoutes,
  ...policyRoutes,
  ...scheduleCollectionRoutes("directory"),
  ...scheduleCollectionRoutes("group"),
  ...auditRoutes,
  ...roleAssignmentRoutes,
  ...conditionalAccessRoutes,
].map((r) => ({ ...r, segs: r.pattern.split("/").filter(Boolean) }));

/**
 * Match path segments against a route; `:x` captures, `name()` matches an OData function call.
 * Function routes are listed before `/:id` routes, so `filterByCurrentUser(…)` never reads as an id.
 */
function matchRoute(route: CompiledRoute, segs: string[]): Record<string, string> | null {
  if (route.segs.length !== segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const p = route.segs[i]!;
    const s = segs[i]!;
    if (p.startsWith(":")) {
      params[p.slice(1)] = s;
    } else if (p.endsWith("()")) {
      const name = p.slice(0, -2);
      if (!s.startsWith(`${name}(`) || !s.endsWith(")")) return null;
      params._args = s.slice(name.length + 1, -1);
    } else if (p.toLowerCase() !== s.toLowerCase()) return null;
  }
  return params;
}

export interface LogEntry {
  method: string;
  path: string;
  status: number;
  ms: number;
}

export interface EmulatorConfig {
  port: number;
  seed: EmulatorSeed;
  auth: boolean;
  pageSize: number;
  armPageSize: number;
  now?: Date;
  statePath?: string;
}

export class EmulatorServer {
  readonly clock: Clock;
  readonly faults = new Faults();
  readonly signer = new TokenSigner();
  private server: Server | null = null;
  private logEntries: LogEntry[] = [];
  private stats = { requests: 0, reads: 0, writes: 0, byRoute: {} as Record<string, number> };
  private env!: Env;
  private sockets = new Set<Socket>();
  private persistTimer: NodeJS.Timeout | null = null;
  private lastSweep = 0;
  private callers = new Map<string, { state: EmulatorState; caller: Caller }>();
  baseUrl = "";

  constructor(private readonly config: EmulatorConfig) {
    this.clock = new Clock(config.now);
    const state = this.loadInitialState();
    this.env = {
      state,
      clock: this.clock,
      pageSize: config.pageSize,
      armPageSize: config.armPageSize,
      baseUrl: "",
      onWrite: () => this.schedulePersist(),
    };
    // Moving the clock ends schedules, times out approvals and purges old requests.
    this.clock.onChange(() => sweep(this.env));
  }

  get state(): EmulatorState {
    return this.env.state;
  }

  private loadInitialState(): EmulatorState {
    const p = this.config.statePath;
    if (p && existsSync(p)) return loadStateFile(p);
    return buildState(this.config.seed, this.clock.now());
  }

  reset(): void {
    this.env.state = buildState(this.config.seed, this.clock.now());
    this.faults.clear();
    this.clearLog();
    this.schedulePersist();
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    // A malformed request line must not take the process down.
    server.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.config.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.env.baseUrl = this.baseUrl;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.flushPersist();
    const s = this.server;
    this.server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      for (const sock of this.sockets) sock.destroy();
    });
  }

  // ------------------------------------------------------------------ persistence

  private schedulePersist(): void {
    if (!this.config.statePath || this.persistTimer) return;
    this.persistTimer = setTimeout(() => this.flushPersist(), 200);
    this.persistTimer.unref();
  }

  private flushPersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = null;
    const p = this.config.statePath;
    if (!p) return;
    const tmp = `${p}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.env.state.snapshot()));
    renameSync(tmp, p);
  }

  // ------------------------------------------------------------------ log and counters

  log(): LogEntry[] {
    return [...this.logEntries];
  }

  clearLog(): void {
    this.logEntries = [];
    this.stats = { requests: 0, reads: 0, writes: 0, byRoute: {} };
  }

  counters(): { requests: number; reads: number; writes: number; byRoute: Record<string, number> } {
    return { ...this.stats, byRoute: { ...this.stats.byRoute } };
  }

  private count(method: string, routeKey: string | null): void {
    if (method === "GET") this.stats.reads++;
    else this.stats.writes++;
    if (routeKey) this.stats.byRoute[routeKey] = (this.stats.byRoute[routeKey] ?? 0) + 1;
  }

  // ------------------------------------------------------------------ tokens

  userToken(
    upn: string,
    opts: {
      mfa?: boolean;
      authContexts?: string[];
      scopes?: string[];
      notBefore?: Date;
      audience?: Audience;
    } = {},
  ): string {
    const user = this.state.findUser(upn);
    if (!user) throw new Error(`userToken: no user '${upn}' in the emulator`);
    return this.signer.sign(userTokenClaims(this.state, user, undefined, opts));
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    let pathOnly = "/";
    let logIt = true;
    let status = 0;
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      pathOnly = url.pathname;
      if (pathOnly.startsWith("/_emulator")) {
        logIt = false;
        status = await this.handleAdmin(req, res, method, url);
        return;
      }
      const fault = this.faults.pick(method, pathOnly);
      if (fault?.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === "latency") await sleep(fault.latencyMs ?? 1000);
      let raw: string;
      try {
        raw = await readBody(req);
      } catch (e) {
        if (!(e instanceof BodyTooLarge)) throw e;
        const rid = randomUUID();
        status = send(res, {
          status: 413,
          headers: { ...baseHeaders(rid, rid), Connection: "close" },
          body: envelope(
            new GraphError(413, "RequestEntityTooLarge", "The request body is too large."),
            rid,
            rid,
            innerErrorDate(this.clock.now()),
          ),
        });
        return;
      }
      if (
        fault &&
        (fault.kind === "throttle" || fault.kind === "unavailable" || fault.kind === "gatewayTimeout")
      ) {
        const r = faultReply(
          fault,
          this.clock.now(),
          String(req.headers["client-request-id"] ?? randomUUID()),
        );
        if (isGraphPath(pathOnly)) this.countHttp(method, pathOnly);
        status = send(res, r);
        return;
      }
      const segs = pathOnly.split("/").filter(Boolean);
      let reply: ReplyOut;
      if (segs.length === 4 && segs[1] === "oauth2" && segs[2] === "v2.0" && segs[3] === "token") {
        reply = this.handleToken(method, segs[0]!, raw);
      } else if (
        segs.length === 4 &&
        segs[1] === "v2.0" &&
        segs[2] === ".well-known" &&
        segs[3] === "openid-configuration"
      ) {
        reply = {
          status: 200,
          headers: { "Content-Type": "application/json" },
          body: this.openIdConfig(segs[0]!),
        };
      } else if (isArmPath(pathOnly)) {
        reply = this.arm(method, url, raw, req.headers.authorization);
      } else {
        reply = await this.graph(method, url, headersOf(req), raw, req.headers.authorization);
      }
      if (fault?.kind === "commitThenDrop") {
        // The write is applied; the client never learns. Used to test idempotent retries (§3.6).
        req.socket.destroy();
        return;
      }
      status = send(res, reply);
    } catch (e) {
      // Last resort: never leak a stack trace to the client. A client that hung up is not an error.
      const aborted = req.destroyed || (e as NodeJS.ErrnoException).code === "ECONNRESET";
      if (!aborted) console.error("[pim-emulator] unexpected error", e);
      if (!res.headersSent && !res.destroyed) {
        const rid = randomUUID();
        status = send(res, {
          status: 500,
          headers: baseHeaders(rid, rid),
          body: envelope(
            new GraphError(500, "UnknownError", "An error has occurred."),
            rid,
            rid,
            innerErrorDate(this.clock.now()),
          ),
        });
      }
    } finally {
      if (logIt)
        this.logEntries.push({
          method,
          path: pathOnly,
          status,
          ms: Math.round((performance.now() - started) * 1000) / 1000,
        });
      if (this.logEntries.length > 100_000) this.logEntries.splice(0, this.logEntries.length - 100_000);
    }
  }

  private countHttp(method: string, path: string): void {
    this.stats.requests++;
    const m = this.resolveRoute(method, path.split("/").filter(Boolean).slice(1));
    this.count(method, m ? `${method} ${m.route.pattern}` : null);
  }

  private openIdConfig(tenant: string): unknown {
    const t = this.state.tenant.id;
    return {
      token_endpoint: `${this.baseUrl}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post"],
      issuer: `https://login.microsoftonline.com/${t}/v2.0`,
      authorization_endpoint: `${this.baseUrl}/${t}/oauth2/v2.0/authorize`,
      jwks_uri: `${this.baseUrl}/${t}/discovery/v2.0/keys`,
      response_types_supported: ["code", "id_token", "token"],
      tenant_region_scope: "EU",
      requested_tenant: tenant,
    };
  }

  private handleToken(method: string, tenant: string, raw: string): ReplyOut {
    if (method !== "POST")
      return {
        status: 405,
        headers: { "Content-Type": "application/json" },
        body: {
          error: "invalid_request",
          error_description: "AADSTS900561: The endpoint only accepts POST requests.",
        },
      };
    const r = tokenEndpoint(this.state, this.signer, tenant, new URLSearchParams(raw));
    return {
      status: r.status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store, no-cache" },
      body: r.body,
    };
  }

  private resolveRoute(
    method: string,
    segs: string[],
  ): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const params = matchRoute(route, segs);
      if (params) return { route, params };
    }
    return null;
  }

  /** One Graph request (also used for each $batch item). */
  private async graph(
    method: string,
    url: URL,
    headers: Record<string, string | undefined>,
    raw: string,
    authorization: string | undefined,
    inBatch = false,
  ): Promise<ReplyOut> {
    const requestId = randomUUID();
    const clientRequestId = headers["client-request-id"] ?? randomUUID();
    const hdrs = baseHeaders(requestId, clientRequestId);
    const now = this.clock.now();
    const fail = (e: GraphError): ReplyOut => ({
      status: e.status,
      headers: { ...hdrs, ...e.headers },
      body: envelope(e, requestId, clientRequestId, innerErrorDate(now)),
    });
    let rawSegs: string[];
    try {
      rawSegs = url.pathname
        .split("/")
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
    } catch {
      return fail(new GraphError(400, "BadRequest", "The request URI is malformed."));
    }
    const version = rawSegs[0] ?? "";
    if (!inBatch) this.stats.requests++;
    if (!VERSIONS.has(version)) {
      this.count(method, null);
      return fail(new GraphError(404, "NotFound", `Invalid version: ${version || "(none)"}.`));
    }
    // Time passes on a flowing clock too: bring the tenant up to date at most once a second.
    if (!this.clock.isFrozen() && Date.now() - this.lastSweep > 1000) {
      this.lastSweep = Date.now();
      sweep(this.env);
    }
    const segs = rawSegs.slice(1);
    if (segs.length === 1 && segs[0] === "$batch" && !inBatch) {
      // The envelope counts as a request and a route; its items count as reads/writes (README).
      this.stats.byRoute["POST /$batch"] = (this.stats.byRoute["POST /$batch"] ?? 0) + 1;
      if (method !== "POST")
        return fail(
          new GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request uri."),
        );
      const auth = this.authenticate(authorization);
      if (auth instanceof GraphError) return fail(auth);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return fail(invalidJson());
      }
      try {
        const subs = parseBatch(body);
        const responses = await runBatch(subs, (r) => this.batchItem(r, version, authorization, headers));
        return { status: 200, headers: hdrs, body: { responses } };
      } catch (e) {
        if (e instanceof GraphError) return fail(e);
        throw e;
      }
    }
    const match = this.resolveRoute(method, segs);
    this.count(method, match ? `${method} ${match.route.pattern}` : null);
    if (match && version === "beta" && !match.route.beta)
      return fail(
        new GraphError(
          400,
          "BadRequest",
          `The emulator serves '${segs.join("/")}' under /v1.0 only; /beta is served for roleAssignmentApprovals alone.`,
        ),
      );
    if (!match) {
      const other = ROUTES.some((r) => matchRoute(r, segs) && (version === "v1.0" || r.beta));
      if (other)
        return fail(
          new GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request uri."),
        );
      const bad = segs.find(
        (s, i) =>
          !ROUTES.some(
            (r) =>
              r.segs.length > i &&
              (r.segs[i]!.startsWith(":") ||
                r.segs[i]!.toLowerCase() === s.toLowerCase() ||
                (r.segs[i]!.endsWith("()") && s.startsWith(r.segs[i]!.slice(0, -2)))),
          ),
      );
      return fail(
        new GraphError(
          400,
          "BadRequest",
          `Resource not found for the segment '${bad ?? segs[segs.length - 1] ?? ""}'.`,
        ),
      );
    }
    const caller = this.authenticate(authorization);
    if (caller instanceof GraphError) return fail(caller);
    let body: unknown = undefined;
    if (raw.trim() !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(invalidJson());
      }
    }
    const ctx: Ctx = {
      method,
      // Raw (still URL-encoded) path below the version, reused verbatim in @odata.nextLink.
      path: url.pathname.slice(url.pathname.indexOf(version) + version.length).replace(/\/+$/, ""),
      version,
      params: match.params,
      query: url.searchParams,
      headers,
      body,
      caller,
      env: this.env,
      requestId,
    };
    try {
      const r: Reply = await match.route.handler(ctx);
      if (r.text !== undefined)
        return {
          status: r.status,
          headers: { ...hdrs, "Content-Type": "text/plain;charset=utf-8" },
          text: r.text,
        };
      return {
        status: r.status,
        headers: { ...hdrs, ...(r.headers ?? {}) },
        body: r.status === 204 ? undefined : r.body,
      };
    } catch (e) {
      if (e instanceof GraphError) return fail(e);
      console.error("[pim-emulator] handler error", method, url.pathname, e);
      return fail(new GraphError(500, "UnknownError", "An error has occurred."));
    }
  }

  private async batchItem(
    r: SubRequest,
    version: string,
    authorization: string | undefined,
    outer: Record<string, string | undefined>,
  ): Promise<SubResponse> {
    // The SDK's BatchRequestContent keeps the version in the url ("/v1.0/me"); accept both forms.
    const rel = r.url.replace(/^\/?(v1\.0|beta)(?=\/)/, "");
    const url = new URL(`/${version}${rel.startsWith("/") ? "" : "/"}${rel}`, "http://127.0.0.1");
    // "Requests in a batch are evaluated individually against the applicable throttling limits" (§7).
    const fault = this.faults.pick(r.method, url.pathname);
    if (fault?.kind === "latency") await sleep(fault.latencyMs ?? 1000);
    if (
      fault &&
      (fault.kind === "throttle" || fault.kind === "unavailable" || fault.kind === "gatewayTimeout")
    ) {
      const f = faultReply(fault, this.clock.now(), randomUUID());
      return {
        id: r.id,
        status: f.status,
        headers: { ...pick(f.headers, ["Retry-After"]), "Content-Type": "application/json" },
        body: f.body,
      };
    }
    const headers: Record<string, string | undefined> = { ...outer, ...r.headers };
    const raw =
      r.body === undefined || r.body === null
        ? ""
        : typeof r.body === "string"
          ? r.body
          : JSON.stringify(r.body);
    const out = await this.graph(r.method, url, headers, raw, authorization, true);
    const resp: SubResponse = {
      id: r.id,
      status: out.status,
      headers: { "Content-Type": out.text !== undefined ? "text/plain" : "application/json" },
    };
    if (out.body !== undefined) resp.body = out.body;
    if (out.text !== undefined) resp.body = out.text;
    return resp;
  }

  /** One Azure Resource Manager request (routes/arm.ts): ARM's token audience, CloudError bodies. */
  private arm(method: string, url: URL, raw: string, authorization: string | undefined): ReplyOut {
    const requestId = randomUUID();
    const headers = {
      "Content-Type": "application/json; charset=utf-8",
      "x-ms-request-id": requestId,
      "x-ms-correlation-request-id": requestId,
    };
    this.stats.requests++;
    this.count(method, `${method} ${armRouteKey(url.pathname)}`);
    const done = (r: ArmReply): ReplyOut => ({ status: r.status, headers, body: r.body });
    const caller = this.authenticateArm(authorization);
    if (caller instanceof GraphError) return done(cloudError(caller));
    let body: unknown = undefined;
    if (raw.trim() !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        return done(
          cloudError(
            new GraphError(
              400,
              "InvalidRequestContent",
              "The request content was invalid and could not be deserialized.",
            ),
          ),
        );
      }
    }
    return done(armRequest(this.env, caller, method, url, body));
  }

  /** ARM's 401s, in ARM's codes and wording; a Graph token is refused for its audience. */
  private authenticateArm(authorization: string | undefined): ArmCaller | GraphError {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
    if (!this.config.auth) {
      const c = uncheckedCaller(this.state);
      return {
        objectId: c.servicePrincipalId ?? "",
        clientName: c.appId,
        displayName: c.appDisplayName,
        unchecked: true,
      };
    }
    if (!m)
      return new GraphError(
        401,
        "AuthenticationFailed",
        "Authentication failed. The 'Authorization' header is missing.",
      );
    try {
      const c = callerFromClaims(this.state, this.signer.verify(m[1]!.trim(), "arm"));
      return c.user
        ? {
            objectId: c.user.id,
            clientName: c.user.userPrincipalName,
            displayName: c.user.displayName,
            unchecked: false,
          }
        : {
            objectId: c.servicePrincipalId ?? "",
            clientName: c.appId,
            displayName: c.appDisplayName,
            unchecked: false,
          };
    } catch (e) {
      if (e instanceof WrongAudience)
        return new GraphError(
          401,
          "InvalidAuthenticationTokenAudience",
          `The access token has been obtained for wrong audience or resource '${e.audience}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
        );
      if (e instanceof GraphError && /expired|not yet valid/.test(e.message))
        return new GraphError(
          401,
          "ExpiredAuthenticationToken",
          "The access token is expired or not yet valid.",
        );
      return new GraphError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    }
  }

  private authenticate(authorization: string | undefined): Caller | GraphError {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
    if (!this.config.auth) {
      if (m) {
        try {
          const c = callerFromClaims(this.state, this.signer.verify(m[1]!.trim()));
          return { ...c, unchecked: true };
        } catch {
          /* --no-auth: ignore a bad token */
        }
      }
      return uncheckedCaller(this.state);
    }
    if (!m) return invalidToken("Access token is empty.");
    try {
      const token = m[1]!.trim();
      const claims = this.signer.verify(token);
      // The same token arrives thousands of times in a run; reuse its caller while the state is the same.
      const hit = this.callers.get(token);
      if (hit && hit.state === this.state) return hit.caller;
      const caller = callerFromClaims(this.state, claims);
      if (this.callers.size > 1000) this.callers.clear();
      this.callers.set(token, { state: this.state, caller });
      return caller;
    } catch (e) {
      if (e instanceof GraphError) return e;
      return invalidToken("Access token validation failure.");
    }
  }

  // ------------------------------------------------------------------ admin API (/_emulator)

  private async handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<number> {
    const json = (status: number, body: unknown): number =>
      send(res, { status, headers: { "Content-Type": "application/json" }, body });
    const refusal = adminRefusal(req, method);
    if (refusal) return json(refusal.status, { error: refusal.error });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an admin API JSON body as sent; each command checks its own fields
    let body: any = undefined;
    try {
      const raw = await readBody(req);
      body = raw.trim() ? JSON.parse(raw) : {};
    } catch (e) {
      return json(e instanceof BodyTooLarge ? 413 : 400, {
        error: e instanceof BodyTooLarge ? "body too large" : "invalid JSON body",
      });
    }
    const path = url.pathname.replace(/\/+$/, "");
    const route = `${method} ${path}`;
    try {
      switch (true) {
        case route === "GET /_emulator":
          return json(200, {
            tenantId: this.state.tenant.id,
            baseUrl: this.baseUrl,
            graph: `${this.baseUrl}/v1.0`,
            token: `${this.baseUrl}/${this.state.tenant.id}/oauth2/v2.0/token`,
            auth: this.config.auth,
            pageSize: this.env.pageSize,
            now: iso(this.clock.now()),
          });
        case route === "GET /_emulator/clock":
          return json(200, { now: iso(this.clock.now()), frozen: this.clock.isFrozen() });
        case route === "POST /_emulator/clock": {
          if (typeof body.set === "string") this.clock.set(new Date(body.set));
          if (typeof body.advanceMs === "number") this.clock.advance(body.advanceMs);
          if (typeof body.advance === "string") {
            const ms = parseDuration(body.advance);
            if (ms === null)
              return json(400, { error: "advance must be an ISO-8601 duration such as PT1H or P46D" });
            this.clock.advance(ms);
          }
          return json(200, { now: iso(this.clock.now()) });
        }
        case route === "GET /_emulator/faults":
          return json(200, { value: this.faults.describe() });
        case route === "POST /_emulator/faults": {
          const spec: FaultSpec = {
            ...body,
            path: typeof body.pathRegex === "string" ? new RegExp(body.pathRegex) : body.path,
          };
          delete (spec as unknown as Record<string, unknown>).pathRegex;
          return json(201, { id: this.faults.add(spec) });
        }
        case route === "DELETE /_emulator/faults":
          this.faults.clear();
          return json(200, { cleared: true });
        case method === "DELETE" && path.startsWith("/_emulator/faults/"):
          return json(this.faults.remove(path.split("/").pop()!) ? 200 : 404, {});
        case route === "GET /_emulator/log":
          return json(200, { value: this.log() });
        case route === "DELETE /_emulator/log":
          this.clearLog();
          return json(200, { cleared: true });
        case route === "GET /_emulator/counters":
          return json(200, this.counters());
        case route === "POST /_emulator/reset":
          this.reset();
          return json(200, { reset: true });
        case route === "GET /_emulator/credentials": {
          const app = url.searchParams.get("app") ?? undefined;
          return json(200, this.clientCredentials(app));
        }
        case route === "POST /_emulator/token": {
          return json(200, {
            access_token: this.userToken(String(body.upn ?? ""), {
              mfa: !!body.mfa,
              authContexts: Array.isArray(body.authContexts) ? body.authContexts.map(String) : [],
              audience: body.audience === "arm" ? "arm" : "graph",
            }),
          });
        }
        case route === "POST /_emulator/settings": {
          if (body.policyErrorMessageFormat === "text" || body.policyErrorMessageFormat === "list")
            this.state.settings.policyErrorMessageFormat = body.policyErrorMessageFormat;
          if (Number.isInteger(body.pageSize) && body.pageSize > 0) this.env.pageSize = body.pageSize;
          if (Number.isInteger(body.groupPolicyLagMs) && body.groupPolicyLagMs >= 0)
            this.state.settings.groupPolicyLagMs = body.groupPolicyLagMs;
          return json(200, { ...this.state.settings, pageSize: this.env.pageSize });
        }
        case route === "GET /_emulator/state":
          return json(200, this.state.snapshot());
        default:
          return json(404, { error: `unknown admin route ${route}` });
      }
    } catch (e) {
      return json(400, { error: (e as Error).message });
    }
  }

  clientCredentials(appName?: string): { tenantId: string; clientId: string; clientSecret: string } {
    const sps = [...this.state.servicePrincipals.values()].filter((s) => s._clientSecret);
    const sp = appName ? sps.find((s) => s.displayName === appName) : sps[0];
    if (!sp)
      throw new Error(
        appName
          ? `no app '${appName}' with a client secret in the emulator seed`
          : "the emulator seed has no app with a client secret",
      );
    return { tenantId: this.state.tenant.id, clientId: sp.appId, clientSecret: sp._clientSecret! };
  }
}

interface ReplyOut {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The admin API moves the clock, resets the tenant and hands out credentials, so only this machine's own
 * tools may use it: the socket must be loopback, the Host header must name a loopback host (a DNS-rebinding
 * page reaches 127.0.0.1 under its own host name), a browser's Origin must be loopback too, and every write
 * must be `application/json`, which a cross-origin page cannot send without a CORS preflight that this
 * server never answers.
 */
function adminRefusal(req: IncomingMessage, method: string): { status: number; error: string } | null {
  const remote = req.socket.remoteAddress ?? "";
  if (!["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(remote))
    return { status: 403, error: "the admin API is loopback-only" };
  const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
  if (!LOOPBACK_HOSTS.has(host))
    return {
      status: 403,
      error: `the admin API answers only requests addressed to 127.0.0.1, localhost or [::1], not '${req.headers.host ?? ""}'`,
    };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost = "";
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      /* "null" or garbage: refused below */
    }
    if (!LOOPBACK_HOSTS.has(originHost) && !LOOPBACK_HOSTS.has(`[${originHost}]`))
      return { status: 403, error: `the admin API refuses cross-origin requests (Origin '${origin}')` };
  }
  if (method !== "GET" && method !== "HEAD") {
    const type = String(req.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim()
      .toLowerCase();
    if (type !== "application/json")
      return {
        status: 415,
        error: `admin API writes need 'Content-Type: application/json' (got '${type || "none"}')`,
      };
  }
  return null;
}

/** ARM paths start with /subscriptions/ or /providers/; Graph's with /v1.0/ or /beta/. */
function isArmPath(p: string): boolean {
  return /^\/(subscriptions|providers)\//i.test(p);
}

/** The route an ARM path belongs to, for the counters: ids and names replaced by placeholders. */
function armRouteKey(path: string): string {
  return path
    .replace(/^\/providers\/Microsoft\.Subscription(?=\/subscriptions\/)/i, "")
    .replace(/\/subscriptions\/[^/]+/i, "/subscriptions/{s}")
    .replace(/\/resourceGroups\/[^/]+/i, "/resourceGroups/{rg}")
    .replace(/(\/roleManagementPolicies)\/[^/]+$/i, "$1/{name}");
}

function isGraphPath(p: string): boolean {
  return p.startsWith("/v1.0/") || p.startsWith("/beta/");
}

const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: "Local", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "pim-emulator" },
});

function baseHeaders(requestId: string, clientRequestId: string): Record<string, string> {
  return {
    "Content-Type": JSON_TYPE,
    "request-id": requestId,
    "client-request-id": clientRequestId,
    "x-ms-ags-diagnostic": AGS_DIAGNOSTIC,
    "Cache-Control": "no-cache",
  };
}

function faultReply(f: FaultSpec, now: Date, clientRequestId: string): ReplyOut {
  const rid = randomUUID();
  const headers = baseHeaders(rid, clientRequestId);
  const date = innerErrorDate(now);
  if (f.kind === "throttle") {
    headers["Retry-After"] = String(f.retryAfterSeconds ?? 1);
    // Body per the throttling.md sample (innerError carries code/status/message too).
    return {
      status: 429,
      headers,
      body: envelope(
        new GraphError(
          429,
          "TooManyRequests",
          "Please retry again later.",
          {},
          { code: "429", message: "Please retry after", status: "429" },
        ),
        rid,
        clientRequestId,
        date,
      ),
    };
  }
  if (f.kind === "unavailable") {
    headers["Retry-After"] = String(f.retryAfterSeconds ?? 1);
    return {
      status: 503,
      headers,
      body: envelope(
        new GraphError(503, "serviceNotAvailable", "Service unavailable."),
        rid,
        clientRequestId,
        date,
      ),
    };
  }
  return {
    status: 504,
    headers,
    body: envelope(new GraphError(504, "UnknownError", "Gateway timeout."), rid, clientRequestId, date),
  };
}

function send(res: ServerResponse, r: ReplyOut): number {
  if (res.destroyed) return 0;
  const payload = r.text !== undefined ? r.text : r.body === undefined ? "" : JSON.stringify(r.body);
  const headers: Record<string, string | number> = { ...r.headers };
  if (payload === "") delete headers["Content-Type"];
  headers["Content-Length"] = Buffer.byteLength(payload);
  res.writeHead(r.status, headers);
  res.end(payload);
  return r.status;
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers))
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function pick(h: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (h[k] !== undefined) out[k] = h[k]!;
  return out;
}

/** The body was longer than MAX_BODY. */
class BodyTooLarge extends Error {}

/**
 * Read the body. Past MAX_BODY the rest is read and thrown away (not buffered) so that the client, still
 * sending, receives the 413 instead of a reset connection; past 16 × MAX_BODY the socket is closed.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 16 * MAX_BODY) req.destroy();
      else if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () =>
      size > MAX_BODY ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

/** Read a `--state` file; anything but a snapshot this emulator wrote is a StateFileError naming the file. */
export function loadStateFile(path: string): EmulatorState {
  const hint = "delete it (the emulator starts again from its seed) or pass another --state file";
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new StateFileError(`state file ${path} is not valid JSON (${(e as Error).message}): ${hint}`);
  }
  try {
    return EmulatorState.restore(raw);
  } catch (e) {
    if (e instanceof StateFileError)
      throw new StateFileError(`state file ${path} is not an emulator state: ${e.message}; ${hint}`);
    throw e;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, 120_000))));
}
