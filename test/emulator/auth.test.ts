// Token endpoint, 401/403 and the error envelope (graph-pim.md §5, §6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import {
  DIR,
  USER_ADMIN,
  appToken,
  graphClient,
  graphError,
  raw,
  startHarness,
  type Harness,
} from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

async function token(form: Record<string, string>, tenant = h.emu.tenantId) {
  const res = await fetch(`${h.emu.baseUrl}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("token endpoint", () => {
  it("issues a client-credentials token carrying the app's granted permissions as roles", async () => {
    const c = h.emu.clientCredentials();
    expect(c).toEqual({
      tenantId: "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
      clientId: c.clientId,
      clientSecret: "emulator-only-secret",
    });
    const r = await token({
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    const claims = JSON.parse(Buffer.from(r.body.access_token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      tid: h.emu.tenantId,
      appid: c.clientId,
      idtyp: "app",
      app_displayname: "pim-as-code-deployer",
    });
    expect(claims.roles).toContain("RoleManagementPolicy.ReadWrite.Directory");
    expect(JSON.parse(Buffer.from(r.body.access_token.split(".")[0], "base64url").toString())).toMatchObject({
      alg: "HS256",
      typ: "JWT",
    });
  });

  it("also accepts the tenant's domain name", async () => {
    const c = h.emu.clientCredentials();
    const r = await token(
      {
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      },
      "contoso.onmicrosoft.com",
    );
    expect(r.status).toBe(200);
  });

  it.each([
    ["wrong secret", { client_secret: "nope" }, 401, "invalid_client", 7000215],
    [
      "unknown client",
      { client_id: "00000000-0000-0000-0000-000000000001" },
      400,
      "unauthorized_client",
      700016,
    ],
    ["scope without /.default", { scope: "User.Read" }, 400, "invalid_scope", 1002012],
    ["unsupported grant", { grant_type: "authorization_code" }, 400, "unsupported_grant_type", 70003],
  ])("%s → %i %s", async (_n, patch, status, error, code) => {
    const c = h.emu.clientCredentials();
    const r = await token({
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope: "https://graph.microsoft.com/.default",
      ...patch,
    });
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(error);
    expect(r.body.error_codes).toEqual([code]);
    expect(r.body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  });

  it("unknown tenant", async () => {
    const r = await token({ grant_type: "client_credentials" }, "fabrikam.com");
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_request");
  });

  it("password grant gives a user token with MFA and auth-context claims on request", async () => {
    const r = await token({
      grant_type: "password",
      username: "ada.lovelace@contoso.com",
      password: "x",
      emulator_mfa: "true",
      emulator_acrs: "c1",
    });
    const claims = JSON.parse(Buffer.from(r.body.access_token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({
      idtyp: "user",
      upn: "ada.lovelace@contoso.com",
      amr: ["pwd", "mfa"],
      acrs: ["c1"],
    });
    expect(typeof claims.scp).toBe("string");
  });
});

describe("401 and 403 in Graph's envelope", () => {
  it("no token → 401 InvalidAuthenticationToken with innerError and request-id header", async () => {
    const r = await raw(h.emu, "GET", "/v1.0/users", {
      headers: { "client-request-id": "11111111-2222-3333-4444-555555555555" },
    });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(r.json).toEqual({
      error: {
        code: "InvalidAuthenticationToken",
        message: "Access token is empty.",
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
          "request-id": r.headers.get("request-id"),
          "client-request-id": "11111111-2222-3333-4444-555555555555",
        },
      },
    });
    expect(r.headers.get("client-request-id")).toBe("11111111-2222-3333-4444-555555555555");
  });

  it.each([
    ["garbage", "abc"],
    ["bad signature", "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJl"],
  ])("a %s token → 401", async (_n, t) => {
    const e = await graphError(
      graphClient(h.emu, async () => t)
        .api("/users")
        .get(),
    );
    expect(e.statusCode).toBe(401);
    expect(e.code).toBe("InvalidAuthenticationToken");
  });

  it("a token of another emulator instance (other key) → 401", async () => {
    const other = await startEmulator({ port: 0 });
    const t = await appToken(other);
    await other.stop();
    const e = await graphError(
      graphClient(h.emu, async () => t)
        .api("/users")
        .get(),
    );
    expect(e.statusCode).toBe(401);
  });

  // Each Graph service writes its own 403 (emulator/auth.ts `missingPermission`): the PIM service wraps a
  // PermissionScopeNotGranted JSON naming the permissions it accepts; directory objects answer like AAD Graph.
  const pimDenied = (perms: string) =>
    JSON.stringify({
      errorCode: "PermissionScopeNotGranted",
      message: `Authorization failed due to missing permission scope ${perms}.`,
      instanceAnnotations: [],
    });
  it.each([
    [
      "POST eligibility request",
      (c: any) => c.api(`${DIR}/roleEligibilityScheduleRequests`).post({ action: "adminAssign" }),
      "UnknownError",
      pimDenied("RoleEligibilitySchedule.ReadWrite.Directory,RoleManagement.ReadWrite.Directory"),
    ],
    [
      "GET eligibility requests (needs ReadWrite, §6)",
      (c: any) => c.api(`${DIR}/roleEligibilityScheduleRequests`).get(),
      "UnknownError",
      pimDenied("RoleEligibilitySchedule.ReadWrite.Directory,RoleManagement.ReadWrite.Directory"),
    ],
    [
      "POST assignment request",
      (c: any) => c.api(`${DIR}/roleAssignmentScheduleRequests`).post({ action: "adminAssign" }),
      "UnknownError",
      pimDenied("RoleAssignmentSchedule.ReadWrite.Directory,RoleManagement.ReadWrite.Directory"),
    ],
    [
      "POST group",
      (c: any) =>
        c
          .api("/groups")
          .post({ displayName: "x", mailNickname: "x", mailEnabled: false, securityEnabled: true }),
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    ],
    [
      "POST role assignment (outside PIM)",
      (c: any) =>
        c.api("/roleManagement/directory/roleAssignments").post({
          principalId: "00000000-0000-4000-8000-000000000001",
          roleDefinitionId: USER_ADMIN,
          directoryScopeId: "/",
        }),
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    ],
  ])("the reader app gets 403 on %s", async (_n, call, code, message) => {
    const e = await graphError(call(h.reader));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the reader app can read schedules, instances, role definitions, audits and (Directory.Read.All) service principals", async () => {
    for (const p of [
      `${DIR}/roleEligibilitySchedules`,
      `${DIR}/roleAssignmentScheduleInstances`,
      `${DIR}/roleDefinitions`,
      "/auditLogs/directoryAudits",
      "/users",
      "/groups",
      "/servicePrincipals",
    ]) {
      await expect(h.reader.api(p).get(), p).resolves.toHaveProperty("value");
    }
  });

  it("a delegated admin action needs an active Privileged Role Administrator / Global Administrator", async () => {
    const body = {
      action: "adminAssign",
      principalId: h.userId("ken.thompson@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      justification: "x",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
    };
    const e = await graphError(
      h
        .user("grace.hopper@contoso.com", { mfa: true })
        .api(`${DIR}/roleEligibilityScheduleRequests`)
        .post(body),
    );
    expect(e.statusCode).toBe(403);
    const ok = await h
      .user("barbara.liskov@contoso.com", { mfa: true })
      .api(`${DIR}/roleEligibilityScheduleRequests`)
      .post(body);
    expect(ok.createdBy.user.id).toBe(h.userId("barbara.liskov@contoso.com"));
  });
});

describe("--no-auth", () => {
  it("serves without a token", async () => {
    const open = await startEmulator({ port: 0, auth: false });
    try {
      const r = await raw(open, "GET", "/v1.0/users?$top=1");
      expect(r.status).toBe(200);
      expect(r.json.value).toHaveLength(1);
    } finally {
      await open.stop();
    }
  });
});
