// Fuzz: thousands of random and malformed requests; the server must keep answering, never with a
// 500 or a stack trace, and every error must be in Graph's envelope. Bounded and seeded (reproducible).
import { request } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DIR, PIMG, appToken, startHarness, type Harness } from "./helpers";

const REQUESTS = 5000;
let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness({ pageSize: 5 });
  token = await appToken(h.emu);
});
afterAll(async () => {
  await h.emu.stop();
});

// Small deterministic PRNG (mulberry32) so a failure can be replayed.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  "/v1.0/users",
  "/v1.0/users/ada.lovelace@contoso.com",
  "/v1.0/groups",
  "/v1.0/groups/x",
  "/v1.0/servicePrincipals",
  "/v1.0/$batch",
  `/v1.0${DIR}/roleDefinitions`,
  `/v1.0${DIR}/roleEligibilityScheduleRequests`,
  `/v1.0${DIR}/roleAssignmentScheduleRequests`,
  `/v1.0${DIR}/roleEligibilitySchedules`,
  `/v1.0${DIR}/roleAssignmentScheduleInstances`,
  `/v1.0${DIR}/roleAssignmentApprovals/x/stages/y`,
  `/v1.0${PIMG}/eligibilityScheduleRequests`,
  `/v1.0${PIMG}/assignmentSchedules`,
  "/v1.0/policies/roleManagementPolicies",
  "/v1.0/policies/roleManagementPolicyAssignments",
  "/v1.0/policies/roleManagementPolicies/DirectoryRole_x/rules/Expiration_EndUser_Assignment",
  "/v1.0/auditLogs/directoryAudits",
  "/beta/users",
  "/v2/users",
  "/",
  "/v1.0",
  "/v1.0/%E0%A4%A",
  "/v1.0/users/%00",
  "/7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47/oauth2/v2.0/token",
  `/v1.0${DIR}/roleEligibilitySchedules/filterByCurrentUser(on='principal')`,
  `/v1.0${DIR}/roleEligibilityScheduleRequests/abc/cancel`,
];
const QUERIES = [
  "",
  "?$filter=",
  "?$filter=principalId eq 'x'",
  "?$filter=(((",
  "?$filter=a eq 'b' or",
  "?$top=-1",
  "?$top=5",
  "?$select=id,nope",
  "?$expand=rules",
  "?$expand=policy($expand=rules",
  "?$skiptoken=zzz",
  "?$count=maybe",
  "?$orderby=x desc",
  "?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'",
  "?$filter=" + "x eq 'y' and ".repeat(300) + "z eq 'w'",
  "?$search=a",
  "?$filter=targetResources/any(t: t/id eq 'x')",
  "?$filter=isof(principal,'microsoft.graph.user')",
  "?$filter=startswith(displayName,'A')",
  "?$filter=displayName in ('a','b')",
];
// Weighted towards the methods the paths accept, so most requests reach the handlers.
const METHODS = ["GET", "GET", "GET", "GET", "GET", "POST", "POST", "POST", "PATCH", "DELETE", "PUT"];

function randomJson(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * 8);
  if (depth > 3 || k < 2)
    return [
      null,
      true,
      0,
      -1.5,
      "",
      "x".repeat(Math.floor(r() * 50)),
      "adminAssign",
      "2026-01-01T00:00:00Z",
      "PT8H",
      "🙂",
    ][Math.floor(r() * 10)];
  if (k < 4) return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
  const keys = [
    "action",
    "principalId",
    "roleDefinitionId",
    "directoryScopeId",
    "scheduleInfo",
    "expiration",
    "type",
    "duration",
    "justification",
    "ticketInfo",
    "rules",
    "@odata.type",
    "id",
    "requests",
    "url",
    "method",
    "body",
    "dependsOn",
    "groupId",
    "accessId",
    "__proto__",
    "constructor",
  ];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < 1 + Math.floor(r() * 5); i++)
    o[keys[Math.floor(r() * keys.length)]!] = randomJson(r, depth + 1);
  return o;
}

/** A valid schedule request with one random mutation (a field removed, retyped or replaced). */
function mutatedRequest(r: () => number): string {
  const users = [...h.emu.state.users.values()];
  const roles = [...h.emu.state.roleDefinitions.values()];
  const b: Record<string, unknown> = {
    action: [
      "adminAssign",
      "adminRemove",
      "adminUpdate",
      "adminExtend",
      "adminRenew",
      "selfActivate",
      "selfDeactivate",
      "AdminAssign",
    ][Math.floor(r() * 8)],
    principalId: users[Math.floor(r() * users.length)]!.id,
    roleDefinitionId: roles[Math.floor(r() * roles.length)]!.id,
    directoryScopeId: "/",
    justification: "fuzz",
    scheduleInfo: {
      startDateTime: "2026-09-01T09:00:00Z",
      expiration: {
        type: ["afterDuration", "afterDateTime", "noExpiration", "bogus"][Math.floor(r() * 4)],
        duration: "PT2H",
        endDateTime: "2026-09-02T09:00:00Z",
      },
    },
  };
  const keys = Object.keys(b);
  const k = keys[Math.floor(r() * keys.length)]!;
  const m = Math.floor(r() * 4);
  if (m === 0) delete b[k];
  else if (m === 1) b[k] = randomJson(r);
  else if (m === 2) b[`${k}X`] = 1;
  return JSON.stringify(b);
}

function body(r: () => number): string | undefined {
  const k = Math.floor(r() * 8);
  if (k >= 6) return mutatedRequest(r);
  if (k === 0) return undefined;
  if (k === 1) return "{ not json";
  if (k === 2) return Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))).toString("latin1");
  return JSON.stringify(randomJson(r));
}

function send(
  method: string,
  path: string,
  payload: string | undefined,
  auth: string | undefined,
): Promise<{ status: number; text: string }> {
  const url = new URL(h.emu.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: url.port,
        method,
        path,
        headers: {
          ...(auth ? { Authorization: auth } : {}),
          ...(payload !== undefined
            ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

it(`answers ${REQUESTS} random/malformed requests without a 500 or a stack trace`, async () => {
  const r = rng(20260901);
  const statuses = new Map<number, number>();
  let sent = 0;
  for (let i = 0; i < REQUESTS; i += 20) {
    const batch = Array.from({ length: 20 }, () => {
      if (r() < 0.25) {
        // Targeted: a mutated but mostly valid schedule request to a real collection.
        const coll = r() < 0.5 ? "roleEligibilityScheduleRequests" : "roleAssignmentScheduleRequests";
        return {
          method: "POST",
          path: `/v1.0${DIR}/${coll}`,
          payload: mutatedRequest(r),
          auth: `Bearer ${token}`,
        };
      }
      const method = METHODS[Math.floor(r() * METHODS.length)]!;
      const path =
        PATHS[Math.floor(r() * PATHS.length)]! +
        QUERIES[Math.floor(r() * QUERIES.length)]!.replace(/ /g, "%20");
      const auth = [
        undefined,
        `Bearer ${token}`,
        `Bearer ${token}`,
        `Bearer ${token}`,
        "Bearer x.y.z",
        "Basic abc",
      ][Math.floor(r() * 6)];
      return { method, path, payload: method === "GET" || method === "DELETE" ? undefined : body(r), auth };
    });
    const results = await Promise.all(batch.map((b) => send(b.method, b.path, b.payload, b.auth)));
    results.forEach((res, j) => {
      sent++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const ctx = `${batch[j]!.method} ${batch[j]!.path} → ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, ctx).toBeGreaterThanOrEqual(200);
      expect(res.status, ctx).toBeLessThan(500);
      expect(res.text, ctx).not.toMatch(/\n\s+at |TypeError|ReferenceError|SyntaxError: Unexpected/);
      if (res.status >= 400 && batch[j]!.path.startsWith("/v1.0")) {
        const err = JSON.parse(res.text).error;
        expect(typeof err.code, ctx).toBe("string");
        expect(typeof err.message, ctx).toBe("string");
        expect(err.innerError?.["request-id"], ctx).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  }
  // The server still answers normally afterwards.
  expect((await send("GET", "/v1.0/users?$top=1", undefined, `Bearer ${token}`)).status).toBe(200);
  console.log(
    `fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
  );
  expect(sent).toBe(REQUESTS);
});
