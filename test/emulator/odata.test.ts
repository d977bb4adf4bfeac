// OData query options, paging through the SDK's PageIterator, audit queries and JSON $batch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchRequestContent, BatchResponseContent, PageIterator } from "@microsoft/microsoft-graph-client";
import type { DirectoryAudit, User } from "@microsoft/microsoft-graph-types";
import {
  DIR,
  NOW,
  USER_ADMIN,
  appToken,
  filterPath,
  graphError,
  inHours,
  raw,
  startHarness,
  type Harness,
} from "./helpers";

let h: Harness;
beforeAll(async () => {
  // A small page size so paging is exercised with the demo data.
  h = await startHarness({ pageSize: 3 });
});
afterAll(async () => {
  await h.emu.stop();
});

describe("paging", () => {
  it("PageIterator follows @odata.nextLink over every user exactly once", async () => {
    const first = await h.app.api("/users").select("id,userPrincipalName").get();
    expect(first.value).toHaveLength(3);
    expect(first["@odata.nextLink"]).toMatch(
      new RegExp(`^${h.emu.baseUrl}/v1.0/users\\?\\$select=id%2CuserPrincipalName&\\$skiptoken=`),
    );
    const seen: string[] = [];
    const it = new PageIterator(h.app, first, (u: User) => {
      seen.push(u.userPrincipalName!);
      return true;
    });
    await it.iterate();
    expect(seen).toHaveLength(h.emu.state.users.size);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("paging keeps the $filter of the first page", async () => {
    const first = await h.app.api(`${DIR}/roleEligibilitySchedules`).filter("directoryScopeId eq '/'").get();
    const all: any[] = [];
    await new PageIterator(h.app, first, (s) => {
      all.push(s);
      return true;
    }).iterate();
    expect(all.length).toBe(
      [...h.emu.state.schedules.values()].filter(
        (s) => s._kind === "eligibility" && s._scope === "directory" && s.directoryScopeId === "/",
      ).length,
    );
    expect(all.every((s) => s.directoryScopeId === "/")).toBe(true);
  });

  it("$top sets the page size; a tampered $skiptoken is refused", async () => {
    const r = await h.app.api("/roleManagement/directory/roleDefinitions").top(50).get();
    expect(r.value).toHaveLength(50);
    const token = await appToken(h.emu);
    const bad = await raw(h.emu, "GET", "/v1.0/users?$skiptoken=abc", { token });
    expect(bad.status).toBe(400);
    const top = await raw(h.emu, "GET", "/v1.0/users?$top=0", { token });
    expect(top.status).toBe(400);
  });

  it("$count on directory objects needs ConsistencyLevel: eventual", async () => {
    const e = await graphError(h.app.api("/users").count(true).get());
    expect(e.statusCode).toBe(400);
    const ok = await h.app.api("/users").header("ConsistencyLevel", "eventual").count(true).get();
    expect(ok["@odata.count"]).toBe(h.emu.state.users.size);
    const token = await appToken(h.emu);
    const plain = await raw(h.emu, "GET", "/v1.0/users/$count", {
      token,
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(plain.text).toBe(String(h.emu.state.users.size));
  });
});

describe("$filter and $select", () => {
  it.each([
    [
      "/v1.0/users",
      "jobTitle eq 'CISO'",
      "Request_UnsupportedQuery",
      "Unsupported or invalid query filter clause specified for property 'jobTitle' of resource 'User'.",
    ],
    [
      "/v1.0/users",
      "endswith(mail,'x')",
      "BadRequest",
      "Invalid filter clause: function 'endswith' is not supported.",
    ],
    ["/v1.0/users", "displayName eq", "BadRequest", /^Invalid filter clause: /],
    ["/v1.0/users", "displayName eq 'unterminated", "BadRequest", /unterminated string/],
    ["/v1.0" + DIR + "/roleEligibilitySchedules", "principalId gt 'x'", "BadRequest", /principalId/],
    ["/v1.0" + DIR + "/roleEligibilitySchedules", "not (principalId eq 'x')", "BadRequest", /not/],
    ["/v1.0/auditLogs/directoryAudits", "result ge 'x'", "BadRequest", /result/],
  ])("%s ?$filter=%s → 400 %s", async (path, filter, code, message) => {
    const r = await raw(h.emu, "GET", filterPath(path, filter), { token: await appToken(h.emu) });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(code);
    if (typeof message === "string") expect(r.json.error.message).toBe(message);
    else expect(r.json.error.message).toMatch(message);
  });

  it("in, startswith and or on users", async () => {
    const r = await h.app
      .api("/users")
      .filter(
        "startswith(displayName,'Ka') or userPrincipalName in ('ada.lovelace@contoso.com','alan.turing@contoso.com')",
      )
      .top(10)
      .get();
    expect(r.value.map((u: User) => u.userPrincipalName).sort()).toEqual([
      "ada.lovelace@contoso.com",
      "alan.turing@contoso.com",
      "katherine.johnson@contoso.com",
    ]);
  });

  it("$select of an unknown property is refused", async () => {
    const e = await graphError(h.app.api("/users").select("shoeSize").get());
    expect(e.statusCode).toBe(400);
    expect(e.message).toBe("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  });

  it("unknown system query option and unknown segment", async () => {
    const token = await appToken(h.emu);
    const q = await raw(h.emu, "GET", "/v1.0/users?$search=ada", { token });
    expect(q.status).toBe(400);
    const s = await raw(h.emu, "GET", "/v1.0/roleManagement/directory/roleThings", { token });
    expect(s.status).toBe(400);
    expect(s.json.error.message).toBe("Resource not found for the segment 'roleThings'.");
    const m = await raw(h.emu, "DELETE", "/v1.0/users", { token });
    expect(m.status).toBe(405);
  });
});

describe("audit logs (§8)", () => {
  it("has seeded PIM history, filters on loggedByService, activityDateTime and initiator, orders by date", async () => {
    const res = await h.app
      .api("/auditLogs/directoryAudits")
      .filter(
        `loggedByService eq 'PIM' and activityDateTime ge ${new Date(NOW.getTime() - 4 * 86_400_000).toISOString()}`,
      )
      .orderby("activityDateTime desc")
      .top(10)
      .get();
    const a = res.value as DirectoryAudit[];
    expect(a.length).toBe(3);
    expect(a.map((x) => x.activityDateTime)).toEqual([...a.map((x) => x.activityDateTime!)].sort().reverse());
    expect(a[0]).toMatchObject({
      loggedByService: "PIM",
      category: "RoleManagement",
      activityDisplayName: "Add member to role completed (PIM activation)",
      result: "success",
    });
    expect(a[0]!.id).toMatch(new RegExp(`^PIM_[0-9a-f-]{36}_${h.emu.tenantId}_\\d+$`));
    expect(a[0]!.targetResources![0]).toMatchObject({ type: "Role", displayName: "Exchange Administrator" });
    expect(a[0]!.additionalDetails).toContainEqual({
      key: "Justification",
      value: "INC-7781 mail flow outage",
    });
    const failed = await h.app
      .api("/auditLogs/directoryAudits")
      .filter("result eq 'failure' and initiatedBy/user/userPrincipalName eq 'edsger.dijkstra@contoso.com'")
      .get();
    expect(failed.value).toHaveLength(1);
    expect(failed.value[0].resultReason).toMatch(/MfaRule/);
  });

  it("records operations with initiator, target, justification, result and failure reason", async () => {
    const body = {
      action: "adminAssign",
      principalId: h.userId("ken.thompson@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
    };
    await graphError(
      h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post({ ...body, action: "adminRemove" }),
    );
    await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post({ ...body, justification: "CHG-77" });
    const res = await h.app
      .api("/auditLogs/directoryAudits")
      .filter(
        `targetResources/any(t: t/id eq '${body.principalId}') and activityDateTime ge ${NOW.toISOString()}`,
      )
      .get();
    const byName = Object.fromEntries(
      (res.value as DirectoryAudit[]).map((a) => [`${a.activityDisplayName}|${a.result}`, a]),
    );
    expect(
      byName["Remove eligible member from role in PIM requested (permanent)|failure"]!.resultReason,
    ).toBe("The Role assignment does not exist.");
    const done = byName["Add eligible member to role in PIM completed (timebound)|success"]!;
    expect(done.initiatedBy!.app!.displayName).toBe("pim-as-code-deployer");
    expect(done.targetResources!.map((t) => t.type)).toEqual(["Role", "User"]);
    expect(done.additionalDetails).toContainEqual({ key: "Justification", value: "CHG-77" });
  });
});

describe("$batch (§7)", () => {
  it("runs requests with dependsOn through BatchRequestContent and reports per-request status", async () => {
    const base = `${h.emu.baseUrl}/v1.0`;
    const batch = new BatchRequestContent([
      { id: "1", request: new Request(`${base}/users/ada.lovelace@contoso.com`, { method: "GET" }) },
      {
        id: "2",
        request: new Request(`${base}${DIR}/roleEligibilityScheduleRequests`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            action: "adminAssign",
            principalId: h.userId("barbara.liskov@contoso.com"),
            roleDefinitionId: USER_ADMIN,
            directoryScopeId: "/",
            justification: "batch",
            scheduleInfo: {
              startDateTime: NOW.toISOString(),
              expiration: { type: "afterDateTime", endDateTime: inHours(48) },
            },
          }),
        }),
        dependsOn: ["1"],
      },
    ]);
    const body = await batch.getContent();
    // The SDK keeps the version in the relative url ("/v1.0/users/…"); Graph accepts both forms.
    expect(body.requests[0]!.url).toBe("/v1.0/users/ada.lovelace@contoso.com");
    const res = await h.app.api("/$batch").post(body);
    const content = new BatchResponseContent(res);
    expect(content.getResponseById("1").status).toBe(200);
    const created = content.getResponseById("2");
    expect(created.status).toBe(201);
    expect(((await created.json()) as { status: string }).status).toBe("Provisioned");
    // A failed dependency answers 424 (a "serial" batch, as the SDK's dependency rules allow).
    const serial = new BatchRequestContent([
      { id: "3", request: new Request(`${base}/users/nobody@contoso.com`, { method: "GET" }) },
      {
        id: "4",
        request: new Request(`${base}/users/ada.lovelace@contoso.com`, { method: "GET" }),
        dependsOn: ["3"],
      },
    ]);
    const res2 = new BatchResponseContent(await h.app.api("/$batch").post(await serial.getContent()));
    expect(res2.getResponseById("3").status).toBe(404);
    const dep = res2.getResponseById("4");
    expect(dep.status).toBe(424);
    expect(((await dep.json()) as { error: { code: string } }).error.code).toBe("FailedDependency");
  });

  it("answers 429 for one request when a throttle fault matches it, the others succeed", async () => {
    h.emu.faults.add({
      path: "/v1.0/users/*",
      method: "GET",
      kind: "throttle",
      count: 1,
      retryAfterSeconds: 7,
    });
    const res = await h.app.api("/$batch").post({
      requests: [
        { id: "a", method: "GET", url: "/users/ada.lovelace@contoso.com" },
        { id: "b", method: "GET", url: "/users/alan.turing@contoso.com" },
      ],
    });
    const byId = Object.fromEntries(res.responses.map((r: any) => [r.id, r]));
    const counters = h.emu.counters();
    expect(counters.byRoute["POST /$batch"]).toBeGreaterThan(0);
    expect(byId.a.status).toBe(429);
    expect(byId.a.headers["Retry-After"]).toBe("7");
    expect(byId.a.body.error.code).toBe("TooManyRequests");
    expect(byId.b.status).toBe(200);
    h.emu.faults.clear();
  });

  it("refuses more than 20 requests, duplicate ids and bodies without Content-Type", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/users" }));
    const e = await graphError(h.app.api("/$batch").post({ requests: many }));
    expect(e.statusCode).toBe(400);
    const dup = await graphError(
      h.app.api("/$batch").post({
        requests: [
          { id: "1", method: "GET", url: "/users" },
          { id: "1", method: "GET", url: "/users" },
        ],
      }),
    );
    expect(dup.statusCode).toBe(400);
    const res = await h.app
      .api("/$batch")
      .post({ requests: [{ id: "1", method: "POST", url: "/groups", body: { displayName: "x" } }] });
    expect(res.responses[0].status).toBe(400);
  });
});
