// What Graph refuses, the emulator refuses the same way instead of failing: oversized bodies, unparseable
// $filter, tokens before their nbf, a corrupt --state file, and admin calls that are not this machine's own.
import { request } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { runEmulatorCli } from "../../emulator/cli";
import { appToken, captured, graphClient, graphError, raw, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

/** node:http, because fetch does not let a test choose the Host header. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; json: any }> {
  const url = new URL(h.emu.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: url.port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += String(d)));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("requests Graph refuses", () => {
  it("a body over 4 MB is a 413 in Graph's envelope, and the connection still answers", async () => {
    const token = await appToken(h.emu);
    const big = JSON.stringify({ displayName: "x".repeat(5 * 1024 * 1024) });
    const r = await raw(h.emu, "POST", "/v1.0/groups", { token, body: big });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe("RequestEntityTooLarge");
    expect(r.json.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const admin = await raw(h.emu, "POST", "/_emulator/settings", { body: big });
    expect([admin.status, admin.json]).toEqual([413, { error: "body too large" }]);
    expect((await raw(h.emu, "GET", "/v1.0/users?$top=1", { token })).status).toBe(200);
  });

  it.each([
    "/v1.0/auditLogs/directoryAudits",
    "/v1.0/roleManagement/directory/roleAssignments",
    "/v1.0/identity/conditionalAccess/policies",
  ])("an unparseable $filter on %s is a 400, never a 500", async (path) => {
    const token = await appToken(h.emu);
    for (const f of ["activityDateTime ge", "(principalId eq 'x'", "id eq 'unterminated", "eq eq eq"]) {
      const r = await raw(h.emu, "GET", `${path}?$filter=${encodeURIComponent(f)}`, { token });
      expect([f, r.status, r.json.error.code]).toEqual([f, 400, "BadRequest"]);
    }
  });

  it("a token used before its nbf is a 401 like an expired one", async () => {
    const early = await h.emu.userToken("ada.lovelace@contoso.com", {
      notBefore: new Date(Date.now() + 120_000),
    });
    const e = await graphError(
      graphClient(h.emu, async () => early)
        .api("/users")
        .get(),
    );
    expect([e.statusCode, e.code, e.message]).toEqual([
      401,
      "InvalidAuthenticationToken",
      "Lifetime validation failed, the token is not yet valid.",
    ]);
    const now = await h.emu.userToken("ada.lovelace@contoso.com");
    await expect(
      graphClient(h.emu, async () => now)
        .api("/users")
        .get(),
    ).resolves.toHaveProperty("value");
  });
});

describe("a corrupt --state file", () => {
  const dir = mkdtempSync(join(tmpdir(), "pim-emu-state-"));

  it.each([
    [
      "truncated JSON",
      '{"version":1,"tenant":',
      /^state file .*truncated\.json is not valid JSON \(.+\): delete it/,
    ],
    [
      "another version",
      '{"version":7}',
      /is not an emulator state: unsupported or missing version 7 \(expected 1\); delete it/,
    ],
    [
      "a missing collection",
      JSON.stringify({ version: 1, tenant: { id: "t", domains: [] }, users: [] }),
      /is not an emulator state: 'groups' must be a list; delete it/,
    ],
    [
      "an object without id",
      () => {
        // A copy: snapshot() shares the live objects.
        const snap = JSON.parse(JSON.stringify(h.emu.state.snapshot())) as {
          schedules: Record<string, unknown>[];
        };
        delete snap.schedules[0]!.id;
        return JSON.stringify(snap);
      },
      /'schedules\[0\]' has no string id/,
    ],
  ])("%s: startEmulator rejects with a message naming the file", async (name, text, message) => {
    const p = join(dir, `${name.split(" ")[0]}.json`);
    writeFileSync(p, typeof text === "function" ? text() : text);
    await expect(startEmulator({ port: 0, statePath: p })).rejects.toThrow(message);
  });

  it("the CLI prints one line and exits 1, no stack trace", async () => {
    const p = join(dir, "cli.json");
    writeFileSync(p, "not json at all");
    const { result, text } = await captured("stderr", () => runEmulatorCli(["--port", "0", "--state", p]));
    expect(result).toBe(1);
    expect(text).toMatch(
      new RegExp(`^pim emulator: state file ${p.replace(/[.\\]/g, "\\$&")} is not valid JSON `),
    );
    expect(text.trim().split("\n")).toHaveLength(1);
    expect(text).not.toMatch(/\n\s+at /);
  });
});

describe("the admin API answers this machine's own tools only", () => {
  const port = () => new URL(h.emu.baseUrl).port;

  it.each(["127.0.0.1", "localhost", "[::1]"])("Host %s is answered", async (host) => {
    const r = await send("GET", "/_emulator", { host: `${host}:${port()}` });
    expect(r.status).toBe(200);
    expect(r.json.tenantId).toBe(h.emu.tenantId);
  });

  it("a DNS-rebinding Host is refused, even for reads", async () => {
    const r = await send("GET", "/_emulator/credentials", { host: `attacker.example:${port()}` });
    expect(r.status).toBe(403);
    expect(r.json.error).toBe(
      `the admin API answers only requests addressed to 127.0.0.1, localhost or [::1], not 'attacker.example:${port()}'`,
    );
  });

  it("a cross-origin page is refused, and writes must be application/json", async () => {
    const fromPage = await send(
      "POST",
      "/_emulator/reset",
      { host: `127.0.0.1:${port()}`, origin: "https://attacker.example", "content-type": "application/json" },
      "{}",
    );
    expect([fromPage.status, fromPage.json.error]).toEqual([
      403,
      "the admin API refuses cross-origin requests (Origin 'https://attacker.example')",
    ]);
    const form = await send(
      "POST",
      "/_emulator/clock",
      { host: `127.0.0.1:${port()}`, "content-type": "text/plain" },
      '{"advance":"P1D"}',
    );
    expect([form.status, form.json.error]).toEqual([
      415,
      "admin API writes need 'Content-Type: application/json' (got 'text/plain')",
    ]);
    const none = await send("DELETE", "/_emulator/log", { host: `127.0.0.1:${port()}` });
    expect([none.status, none.json.error]).toEqual([
      415,
      "admin API writes need 'Content-Type: application/json' (got 'none')",
    ]);
    const local = await send(
      "POST",
      "/_emulator/clock",
      {
        host: `localhost:${port()}`,
        origin: `http://localhost:${port()}`,
        "content-type": "application/json; charset=utf-8",
      },
      "{}",
    );
    expect(local.status).toBe(200);
    expect(h.emu.clock.now().toISOString()).toBe("2026-09-01T09:00:00.000Z");
  });
});
