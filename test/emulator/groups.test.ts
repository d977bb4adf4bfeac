// PIM for Groups (graph-pim.md §4) and the directory objects the product resolves names against.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  Group,
  PrivilegedAccessGroupEligibilityScheduleRequest,
  UnifiedRoleDefinition,
  User,
} from "@microsoft/microsoft-graph-types";
import {
  GLOBAL_ADMIN,
  NOW,
  PIMG,
  appToken,
  graphClient,
  graphError,
  inHours,
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

const isoZ = (d: Date | string) => new Date(d).toISOString().replace(".000Z", "Z");

describe("PIM for Groups requests, schedules and instances", () => {
  let req: PrivilegedAccessGroupEligibilityScheduleRequest;

  it("lists require a groupId or principalId filter", async () => {
    const token = await appToken(h.emu);
    for (const coll of [
      "eligibilityScheduleRequests",
      "eligibilitySchedules",
      "eligibilityScheduleInstances",
      "assignmentScheduleRequests",
      "assignmentSchedules",
      "assignmentScheduleInstances",
    ]) {
      const r = await raw(h.emu, "GET", `/v1.0${PIMG}/${coll}`, { token });
      expect(r.status, coll).toBe(400);
      expect(r.json.error.code).toBe("InvalidFilter");
    }
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const ok = await h.app.api(`${PIMG}/eligibilitySchedules`).filter(`groupId eq '${gid}'`).get();
    expect(ok["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/privilegedAccess/group/eligibilitySchedules",
    );
    expect(ok.value.map((s: any) => s.principalId).sort()).toEqual(
      [h.userId("alan.turing@contoso.com"), h.userId("c-jordan.lee@contoso.com")].sort(),
    );
    expect(ok.value[0]).toMatchObject({
      accessId: "member",
      groupId: gid,
      memberType: "direct",
      status: "Provisioned",
    });
  });

  it("eligibilityScheduleRequests adminAssign (PascalCase as in the docs) answers 201 with {groupId}_{accessId}_{requestId}", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    req = await h.app.api(`${PIMG}/eligibilityScheduleRequests`).post({
      accessId: "member",
      principalId: h.userId("grace.hopper@contoso.com"),
      groupId: gid,
      action: "AdminAssign",
      scheduleInfo: {
        startDateTime: NOW.toISOString(),
        expiration: { type: "AfterDateTime", endDateTime: inHours(24 * 60) },
      },
      justification: "Helpdesk rota",
    });
    expect(req).toMatchObject({
      "@odata.context":
        "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/privilegedAccess/group/eligibilityScheduleRequests/$entity",
      status: "Provisioned",
      action: "adminAssign",
      accessId: "member",
      groupId: gid,
      targetScheduleId: `${gid}_member_${req.id}`,
      scheduleInfo: {
        startDateTime: isoZ(NOW),
        recurrence: null,
        expiration: { type: "afterDateTime", endDateTime: isoZ(inHours(24 * 60)), duration: null },
      },
    });
    const inst = await h.app
      .api(`${PIMG}/eligibilityScheduleInstances`)
      .filter(`groupId eq '${gid}' and principalId eq '${req.principalId}'`)
      .get();
    expect(inst.value).toEqual([
      {
        id: `${gid}_member_${req.id}`,
        startDateTime: isoZ(NOW),
        endDateTime: isoZ(inHours(24 * 60)),
        accessId: "member",
        principalId: req.principalId,
        memberType: "direct",
        groupId: gid,
        eligibilityScheduleId: `${gid}_member_${req.id}`,
      },
    ]);
  });

  it("permanent assignment under the group default policy violates the expiration rule (§2)", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const e = await graphError(
      h.app.api(`${PIMG}/assignmentScheduleRequests`).post({
        accessId: "owner",
        principalId: h.userId("barbara.liskov@contoso.com"),
        groupId: gid,
        action: "adminAssign",
        justification: "x",
        scheduleInfo: { startDateTime: NOW.toISOString(), expiration: { type: "noExpiration" } },
      }),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(e.message).toMatch(/ExpirationRule/);
  });

  it("a member activates; membership follows the active assignment and ends with it", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const grace = h.user("grace.hopper@contoso.com");
    const r = await grace.api(`${PIMG}/assignmentScheduleRequests`).post({
      accessId: "member",
      principalId: h.userId("grace.hopper@contoso.com"),
      groupId: gid,
      action: "selfActivate",
      justification: "Ticket backlog",
      scheduleInfo: {
        startDateTime: NOW.toISOString(),
        expiration: { type: "afterDuration", duration: "PT2H" },
      },
    });
    expect(r.status).toBe("Provisioned");
    const inst = await h.app
      .api(`${PIMG}/assignmentScheduleInstances`)
      .filter(`principalId eq '${r.principalId}'`)
      .get();
    expect(inst.value[0]).toMatchObject({
      assignmentType: "activated",
      accessId: "member",
      assignmentScheduleId: `${gid}_member_${r.id}`,
    });
    const members = await h.app.api(`/groups/${gid}/members`).get();
    expect(members.value.map((m: any) => m.id)).toContain(r.principalId);
    const mine = await grace
      .api(`${PIMG}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`)
      .get();
    expect(mine.value).toHaveLength(1);
    h.emu.clock.advance(2 * 3_600_000 + 1000);
    const after = await h.app.api(`/groups/${gid}/members`).get();
    expect(after.value.map((m: any) => m.id)).not.toContain(r.principalId);
  });

  it("an owner assignment by an app with a timed schedule; removal within five minutes is refused", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const body = {
      accessId: "owner",
      principalId: h.userId("dorothy.vaughan@contoso.com"),
      groupId: gid,
      action: "adminAssign",
      justification: "cover",
      scheduleInfo: {
        startDateTime: h.emu.clock.now().toISOString(),
        expiration: { type: "afterDuration", duration: "P30D" },
      },
    };
    const r = await h.app.api(`${PIMG}/assignmentScheduleRequests`).post(body);
    expect(r.status).toBe("Provisioned");
    const owners = await h.app.api(`/groups/${gid}/owners`).get();
    expect(owners.value.map((o: any) => o.id)).toContain(body.principalId);
    const rm = { accessId: "owner", principalId: body.principalId, groupId: gid, action: "adminRemove" };
    const e = await graphError(h.app.api(`${PIMG}/assignmentScheduleRequests`).post(rm));
    expect(e.code).toBe("ActiveDurationTooShort");
    h.emu.clock.advance(5 * 60_000);
    expect((await h.app.api(`${PIMG}/assignmentScheduleRequests`).post(rm)).status).toBe("Revoked");
  });

  it("the reader app can read but not write group schedules", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    await expect(
      h.reader.api(`${PIMG}/eligibilitySchedules`).filter(`groupId eq '${gid}'`).get(),
    ).resolves.toBeTruthy();
    const e = await graphError(
      h.reader.api(`${PIMG}/eligibilityScheduleRequests`).post({
        accessId: "member",
        principalId: h.userId("ken.thompson@contoso.com"),
        groupId: gid,
        action: "adminAssign",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      }),
    );
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe("UnknownError");
    expect(e.message).toMatch(/"errorCode":"PermissionScopeNotGranted"/);
  });

  it("a request onboards a not-yet-onboarded group; its policy ids change", async () => {
    const gid = h.groupId("PIM Approvers - Tier 0");
    const before = h.emu.state.policyForGroup(gid, "member")!.id;
    await h.app.api(`${PIMG}/eligibilityScheduleRequests`).post({
      accessId: "owner",
      principalId: h.userId("ken.thompson@contoso.com"),
      groupId: gid,
      action: "adminAssign",
      justification: "x",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
    });
    expect(h.emu.state.policyForGroup(gid, "member")!.id).not.toBe(before);
  });

  it("bad accessId and missing scheduleInfo", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const e = await graphError(
      h.app.api(`${PIMG}/eligibilityScheduleRequests`).post({
        accessId: "admin",
        principalId: h.userId("ken.thompson@contoso.com"),
        groupId: gid,
        action: "adminAssign",
        scheduleInfo: {},
      }),
    );
    expect(e.message).toBe("Requested value 'admin' was not found.");
    const e2 = await graphError(
      h.app.api(`${PIMG}/eligibilityScheduleRequests`).post({
        accessId: "member",
        principalId: h.userId("ken.thompson@contoso.com"),
        groupId: gid,
        action: "adminAssign",
      }),
    );
    expect(e2.code).toBe("InvalidRoleAssignmentRequest");
  });
});

describe("directory objects", () => {
  it("users by id, by UPN (also a guest #EXT# UPN) and by $filter on userPrincipalName", async () => {
    const ada: User = await h.app.api("/users/ada.lovelace@contoso.com").get();
    expect(ada).toMatchObject({
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
      displayName: "Ada Lovelace",
      userPrincipalName: "ada.lovelace@contoso.com",
      id: h.userId("ada.lovelace@contoso.com"),
    });
    expect((ada as any).userType).toBeUndefined();
    const byId = await h.app.api(`/users/${ada.id}`).select("id,userType,accountEnabled").get();
    expect(byId).toEqual({
      "@odata.context":
        "https://graph.microsoft.com/v1.0/$metadata#users(id,userType,accountEnabled)/$entity",
      id: ada.id,
      userType: "Member",
      accountEnabled: true,
    });
    const guest = await h.app
      .api(`/users/${encodeURIComponent("guest.partner_fabrikam.com#EXT#@contoso.onmicrosoft.com")}`)
      .select("userType,displayName")
      .get();
    expect(guest.userType).toBe("Guest");
    const f = await h.app.api("/users").filter("userPrincipalName eq 'c-jordan.lee@contoso.com'").get();
    expect(f.value.map((u: User) => u.displayName)).toEqual(["Jordan Lee (Contractor, Fabrikam)"]);
    const missing = await graphError(h.app.api("/users/nobody@contoso.com").get());
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("Request_ResourceNotFound");
  });

  it("groups: get, filter by displayName, create (role-assignable needs RoleManagement.ReadWrite.Directory), members and owners with $ref", async () => {
    const f = await h.app.api("/groups").filter("displayName eq 'PIM Approvers - Tier 0'").get();
    const g = f.value[0] as Group;
    expect(g).toMatchObject({
      displayName: "PIM Approvers - Tier 0",
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: false,
    });
    const members = await h.app.api(`/groups/${g.id}/members`).get();
    expect(members.value.map((m: any) => m.userPrincipalName).sort()).toEqual([
      "dorothy.vaughan@contoso.com",
      "katherine.johnson@contoso.com",
      "margaret.hamilton@contoso.com",
    ]);
    expect(members.value[0]["@odata.type"]).toBe("#microsoft.graph.user");
    const bad = await graphError(h.app.api("/groups/not-a-guid").get());
    expect(bad.statusCode).toBe(400);
    expect(bad.message).toBe("Invalid object identifier 'not-a-guid'.");

    const e = await graphError(
      h.app.api("/groups").post({
        displayName: "Tier-0 Operators",
        mailEnabled: false,
        mailNickname: "tier0ops",
        securityEnabled: true,
        isAssignableToRole: true,
      }),
    );
    expect(e.statusCode).toBe(403);
    const created = await h.app.api("/groups").post({
      displayName: "Contractor Approvers",
      mailEnabled: false,
      mailNickname: "contractor-approvers",
      securityEnabled: true,
    });
    expect(created["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#groups/$entity");
    const missing = await graphError(
      h.app.api("/groups").post({ displayName: "x", mailEnabled: false, securityEnabled: true }),
    );
    expect(missing.code).toBe("Request_BadRequest");
    expect(missing.message).toBe("Invalid value specified for property 'mailNickname' of resource 'Group'.");

    const ref = {
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${h.userId("ada.lovelace@contoso.com")}`,
    };
    await h.app.api(`/groups/${created.id}/members/$ref`).post(ref);
    const dup = await graphError(h.app.api(`/groups/${created.id}/members/$ref`).post(ref));
    expect(dup.message).toBe(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    await h.app.api(`/groups/${created.id}/owners/$ref`).post({
      "@odata.id": `https://graph.microsoft.com/v1.0/users/${h.userId("ken.thompson@contoso.com")}`,
    });
    expect((await h.app.api(`/groups/${created.id}/owners`).get()).value).toHaveLength(1);
    await h.app.api(`/groups/${created.id}/members/${h.userId("ada.lovelace@contoso.com")}/$ref`).delete();
    expect((await h.app.api(`/groups/${created.id}/members`).get()).value).toEqual([]);
    await h.app.api(`/groups/${created.id}`).delete();
    expect((await graphError(h.app.api(`/groups/${created.id}`).get())).statusCode).toBe(404);
  });

  it("service principals, applications, administrative units, organization", async () => {
    const sp = await h.app.api("/servicePrincipals").filter("displayName eq 'pim-as-code-deployer'").get();
    expect(sp.value[0]).toMatchObject({
      displayName: "pim-as-code-deployer",
      servicePrincipalType: "Application",
      appId: h.emu.clientCredentials().clientId,
    });
    expect(JSON.stringify(sp.value[0])).not.toContain("emulator-only-secret");
    const apps = await h.app
      .api("/applications")
      .filter(`appId eq '${h.emu.clientCredentials().clientId}'`)
      .get();
    expect(apps.value).toHaveLength(1);
    const au = await h.app.api("/administrativeUnits").get();
    expect(au.value.map((a: any) => a.displayName)).toEqual(["Helpdesk AU"]);
    const org = await h.app.api("/organization").get();
    expect(org.value[0]).toMatchObject({ id: h.emu.tenantId, displayName: "Contoso" });
    expect(org.value[0].verifiedDomains.find((d: any) => d.isDefault).name).toBe("contoso.com");
  });

  it("roleDefinitions: all catalog roles, filters, and `or` is refused as Graph does", async () => {
    const ga: UnifiedRoleDefinition = await h.app
      .api(`/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}`)
      .get();
    expect(ga).toMatchObject({
      id: GLOBAL_ADMIN,
      templateId: GLOBAL_ADMIN,
      displayName: "Global Administrator",
      isBuiltIn: true,
      isEnabled: true,
    });
    const byName = await h.app
      .api("/roleManagement/directory/roleDefinitions")
      .filter("displayName eq 'Teams Administrator'")
      .get();
    expect(byName.value).toHaveLength(1);
    const all = await h.app.api("/roleManagement/directory/roleDefinitions").top(999).get();
    expect(all.value.length).toBeGreaterThan(100);
    const e = await graphError(
      h.app
        .api("/roleManagement/directory/roleDefinitions")
        .filter("displayName eq 'A' or displayName eq 'B'")
        .get(),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("Request_UnsupportedQuery");
    expect(e.message).toBe("Or operator not supported for this entity set.");
  });

  it("a user token only reaches what its scopes allow", async () => {
    const limited = graphClient(h.emu, () =>
      h.emu.userToken("ada.lovelace@contoso.com", { scopes: ["User.Read.All"] }),
    );
    await expect(limited.api("/users").get()).resolves.toBeTruthy();
    const e = await graphError(limited.api("/auditLogs/directoryAudits").get());
    expect(e.statusCode).toBe(403);
  });
});
