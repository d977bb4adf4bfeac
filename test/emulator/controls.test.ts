// Faults, clock, log and counters (programmatic and over /_emulator), state file, CLI.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DIR,
  NOW,
  USER_ADMIN,
  appToken,
  captured,
  graphError,
  raw,
  startHarness,
  type Harness,
} from "./helpers";
import { startEmulator } from "../../emulator";
import { runEmulatorCli } from "../../emulator/cli";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

const assign = () => ({
  action: "adminAssign",
  principalId: h.userId("ken.thompson@contoso.com"),
  roleDefinitionId: USER_ADMIN,
  directoryScopeId: "/",
  justification: "x",
  scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
});

describe("faults", () => {
  it("throttle → 429 TooManyRequests with Retry-After, then recovers after `count`", async () => {
    h.emu.faults.add({ path: "/v1.0/users", kind: "throttle", retryAfterSeconds: 3, count: 2 });
    const token = await appToken(h.emu);
    const a = await raw(h.emu, "GET", "/v1.0/users", { token });
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toBe("3");
    expect(a.json.error).toMatchObject({
      code: "TooManyRequests",
      message: "Please retry again later.",
      innerError: { code: "429", status: "429" },
    });
    expect((await raw(h.emu, "GET", "/v1.0/users", { token })).status).toBe(429);
    expect((await raw(h.emu, "GET", "/v1.0/users", { token })).status).toBe(200);
  });

  it("unavailable → 503 with Retry-After; gatewayTimeout → 504; method and glob matching", async () => {
    h.emu.faults.add({ path: "/v1.0/roleManagement/**", method: "POST", kind: "unavailable", count: 1 });
    h.emu.faults.add({ path: "/v1.0/groups/*", kind: "gatewayTimeout", count: 1 });
    const token = await appToken(h.emu);
    expect((await raw(h.emu, "GET", `/v1.0${DIR}/roleEligibilitySchedules`, { token })).status).toBe(200);
    const u = await raw(h.emu, "POST", `/v1.0${DIR}/roleEligibilityScheduleRequests`, { token, body: "{}" });
    expect(u.status).toBe(503);
    expect(u.headers.get("retry-after")).toBe("1");
    const g = await raw(h.emu, "GET", `/v1.0/groups/${h.groupId("Tier-1 Helpdesk Operators")}`, { token });
    expect(g.status).toBe(504);
    h.emu.faults.clear();
  });

  it("latency delays the answer; RegExp paths; rate 0 never fires", async () => {
    h.emu.faults.add({ path: /^\/v1\.0\/organization$/, kind: "latency", latencyMs: 150, count: 1 });
    h.emu.faults.add({ path: "/v1.0/users", kind: "throttle", rate: 0 });
    const token = await appToken(h.emu);
    const t0 = Date.now();
    expect((await raw(h.emu, "GET", "/v1.0/organization", { token })).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await raw(h.emu, "GET", "/v1.0/users", { token })).status).toBe(200);
    h.emu.faults.clear();
  });

  it("reset destroys the connection", async () => {
    h.emu.faults.add({ path: "/v1.0/users", kind: "reset", count: 1 });
    await expect(fetch(`${h.emu.baseUrl}/v1.0/users`)).rejects.toThrow();
    expect((await raw(h.emu, "GET", "/v1.0/users", { token: await appToken(h.emu) })).status).toBe(200);
  });

  it("commitThenDrop applies the write and drops the answer; the retry sees RoleAssignmentExists", async () => {
    h.emu.faults.add({
      path: `/v1.0${DIR}/roleEligibilityScheduleRequests`,
      method: "POST",
      kind: "commitThenDrop",
      count: 1,
    });
    const token = await appToken(h.emu);
    await expect(
      fetch(`${h.emu.baseUrl}/v1.0${DIR}/roleEligibilityScheduleRequests`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(assign()),
      }),
    ).rejects.toThrow();
    const s = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(`principalId eq '${assign().principalId}' and roleDefinitionId eq '${USER_ADMIN}'`)
      .get();
    expect(s.value).toHaveLength(1);
    const again = await graphError(h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(assign()));
    expect(again.code).toBe("RoleAssignmentExists");
  });

  it("refuses invalid fault specs", () => {
    expect(() => h.emu.faults.add({ path: "/x", kind: "explode" as never })).toThrow(/kind/);
    expect(() => h.emu.faults.add({ path: "/x", kind: "throttle", rate: 2 })).toThrow(/rate/);
  });
});

describe("log and counters", () => {
  it("counts Graph calls by route and logs method, path, status and duration", async () => {
    h.emu.log.clear();
    await h.app.api("/users").get();
    await h.app.api(`${DIR}/roleEligibilitySchedules`).get();
    await graphError(h.app.api("/users/nobody@contoso.com").get());
    const c = h.emu.counters();
    expect(c).toMatchObject({ requests: 3, reads: 3, writes: 0 });
    expect(c.byRoute).toEqual({
      "GET /users": 1,
      "GET /roleManagement/directory/roleEligibilitySchedules": 1,
      "GET /users/:id": 1,
    });
    const log = h.emu.log.entries();
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([
      ["GET", "/v1.0/users", 200],
      ["GET", `/v1.0${DIR}/roleEligibilitySchedules`, 200],
      ["GET", "/v1.0/users/nobody@contoso.com", 404],
    ]);
    expect(log.every((e) => typeof e.ms === "number" && e.ms >= 0)).toBe(true);
  });
});

describe("counters with $batch", () => {
  it("one HTTP request; its items count as reads/writes and by route", async () => {
    h.emu.log.clear();
    await h.app.api("/$batch").post({
      requests: [
        { id: "1", method: "GET", url: "/users/ada.lovelace@contoso.com" },
        { id: "2", method: "GET", url: "/users/alan.turing@contoso.com" },
      ],
    });
    expect(h.emu.counters()).toEqual({
      requests: 1,
      reads: 2,
      writes: 0,
      byRoute: { "POST /$batch": 1, "GET /users/:id": 2 },
    });
  });
});

describe("admin API over HTTP (/_emulator)", () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${h.emu.baseUrl}/_emulator${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as any };
  };

  it("clock: read, set and advance", async () => {
    const now = (await admin("GET", "/clock")).json.now;
    expect(now).toBe(h.emu.clock.now().toISOString().replace(".000Z", "Z"));
    await admin("POST", "/clock", { set: "2026-10-01T00:00:00Z" });
    expect(h.emu.clock.now().toISOString()).toBe("2026-10-01T00:00:00.000Z");
    const adv = await admin("POST", "/clock", { advance: "PT1H" });
    expect(adv.json.now).toBe("2026-10-01T01:00:00Z");
    expect((await admin("POST", "/clock", { advance: "soon" })).status).toBe(400);
  });

  it("faults: add (glob or regex), list, delete", async () => {
    const added = await admin("POST", "/faults", { path: "/v1.0/organization", kind: "throttle", count: 1 });
    expect(added.status).toBe(201);
    expect((await admin("GET", "/faults")).json.value).toHaveLength(1);
    expect((await raw(h.emu, "GET", "/v1.0/organization", { token: await appToken(h.emu) })).status).toBe(
      429,
    );
    await admin("POST", "/faults", { pathRegex: "^/v1\\.0/organization$", kind: "unavailable" });
    expect((await raw(h.emu, "GET", "/v1.0/organization", { token: await appToken(h.emu) })).status).toBe(
      503,
    );
    await admin("DELETE", "/faults");
    expect((await admin("GET", "/faults")).json.value).toEqual([]);
    expect((await admin("POST", "/faults", { path: "/x", kind: "nope" })).status).toBe(400);
  });

  it("log, counters, credentials, user token, settings, reset", async () => {
    await admin("DELETE", "/log");
    await h.app.api("/organization").get();
    expect((await admin("GET", "/log")).json.value).toHaveLength(1);
    expect((await admin("GET", "/counters")).json.requests).toBe(1);
    expect((await admin("GET", "/credentials?app=pim-reader")).json.clientSecret).toBe(
      "emulator-only-reader-secret",
    );
    const t = (await admin("POST", "/token", { upn: "ada.lovelace@contoso.com", mfa: true })).json
      .access_token;
    expect((await raw(h.emu, "GET", "/v1.0/users", { token: t })).status).toBe(200);
    expect(
      (await admin("POST", "/settings", { policyErrorMessageFormat: "list", pageSize: 5 })).json,
    ).toEqual({ policyErrorMessageFormat: "list", pageSize: 5 });
    await h.app
      .api("/groups")
      .post({ displayName: "Temp", mailNickname: "temp", mailEnabled: false, securityEnabled: true });
    expect((await admin("POST", "/reset")).status).toBe(200);
    const groups = await h.app.api("/groups").filter("displayName eq 'Temp'").get();
    expect(groups.value).toEqual([]);
    expect((await admin("GET", "/nope")).status).toBe(404);
  });
});

describe("state file and seeds", () => {
  it("keeps state between runs with statePath", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pim-emu-"));
    const statePath = join(dir, "state.json");
    const a = await startEmulator({ port: 0, now: NOW, statePath });
    const token = await appToken(a);
    const r = await raw(a, "POST", `/v1.0/groups`, {
      token,
      body: JSON.stringify({
        displayName: "Persisted",
        mailNickname: "persisted",
        mailEnabled: false,
        securityEnabled: true,
      }),
    });
    expect(r.status).toBe(201);
    await a.stop();
    expect(existsSync(statePath)).toBe(true);
    const b = await startEmulator({ port: 0, now: NOW, statePath });
    try {
      const t2 = await appToken(b);
      const g = await raw(
        b,
        "GET",
        `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Persisted'")}`,
        { token: t2 },
      );
      expect(g.json.value).toHaveLength(1);
      expect(JSON.parse(readFileSync(statePath, "utf8")).version).toBe(1);
    } finally {
      await b.stop();
    }
  });

  it("reads JSON seeds and reports every seed problem at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pim-emu-"));
    const p = join(dir, "bad.json");
    writeFileSync(
      p,
      JSON.stringify({
        tenant: { id: "nope", displayName: "X", domains: [] },
        users: [{ upn: "a@x.com" }],
        extra: 1,
      }),
    );
    await expect(startEmulator({ port: 0, seed: p })).rejects.toThrow(
      /tenant\.id: must be a GUID[\s\S]*tenant\.domains[\s\S]*users\.0\.displayName[\s\S]*extra/,
    );
    const refs = {
      tenant: { id: "11111111-2222-3333-4444-555555555555", displayName: "T", domains: [{ name: "t.com" }] },
      eligibilities: [
        { principal: "ghost@t.com", role: "Global Administrator" },
        { principal: "ghost2@t.com", role: "Nope Administrator" },
      ],
    };
    await expect(startEmulator({ port: 0, seed: refs })).rejects.toThrow(
      /eligibilities\[0\]\.principal[\s\S]*eligibilities\[1\]\.role: unknown role 'Nope Administrator'/,
    );
  });
});

describe("CLI", () => {
  it.each([
    [["--port"], /--port needs a number/],
    [["--port", "x"], /--port needs a number/],
    [["--page-size", "0"], /--page-size/],
    [["--bogus"], /unknown argument '--bogus'/],
  ])("usage error %j → 2", async (argv, msg) => {
    const { result, text } = await captured("stderr", () => runEmulatorCli(argv as string[]));
    expect(result).toBe(2);
    expect(text).toMatch(msg);
  });

  it("--help prints usage and returns 0", async () => {
    const { result, text } = await captured("stdout", () => runEmulatorCli(["--help"]));
    expect(result).toBe(0);
    expect(text).toMatch(/--no-auth/);
  });

  it("starts, prints exactly the listening line, serves, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      // The command users run: `npm run pim -- emulator` is `node bin/pim.js emulator`.
      ["bin/pim.js", "emulator", "--port", "0", "--no-auth"],
      { cwd: join(__dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.includes("\n")) resolve(out);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      setTimeout(() => reject(new Error("timeout")), 25_000);
    });
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const base = line.trim().slice("listening on ".length);
    const r = await fetch(`${base}/v1.0/users?$top=1`);
    expect(r.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });
});
