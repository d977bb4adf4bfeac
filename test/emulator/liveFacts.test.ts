// The facts only a live tenant has, through the official Graph client: users' on-premises synchronisation,
// Conditional Access policies and authentication contexts, and role assignments made outside PIM next to the
// PIM-made ones (what tells them apart: no start and no createdUsing on the schedule side).
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import { DIR, EXCHANGE_ADMIN, GLOBAL_ADMIN, NOW, appToken, graphClient, graphError } from "./helpers";

const TENANT = "3f2b8c1d-6e4a-4f7b-9c2d-1a0e5b7c9d31";
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString().replace(".000Z", "Z");

const LIVE_SEED: EmulatorSeed = {
  tenant: { id: TENANT, displayName: "Fabrikam", domains: [{ name: "fabrikam.com", isDefault: true }] },
  users: [
    { upn: "ann@fabrikam.com", displayName: "Ann Cloud" },
    {
      upn: "sam@fabrikam.com",
      displayName: "Sam Synced",
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: "-PT2H",
    },
    {
      upn: "ida@fabrikam.com",
      displayName: "Ida Anchor",
      onPremisesSyncEnabled: true,
      onPremisesImmutableId: "aWRhLWFuY2hvcg==",
    },
    { upn: "bg@fabrikam.onmicrosoft.com", displayName: "Break Glass" },
  ],
  groups: [{ displayName: "CA Exclusions", members: ["bg@fabrikam.onmicrosoft.com"] }],
  applications: [
    {
      displayName: "reader",
      clientSecret: "reader-secret",
      permissions: ["User.Read.All", "Policy.Read.All", "RoleManagement.Read.Directory", "AuditLog.Read.All"],
    },
    {
      displayName: "contexts-only",
      clientSecret: "contexts-secret",
      permissions: ["Policy.Read.ConditionalAccess"],
    },
    {
      displayName: "writer",
      clientSecret: "writer-secret",
      permissions: ["RoleManagement.ReadWrite.Directory"],
    },
  ],
  assignments: [{ principal: "bg@fabrikam.onmicrosoft.com", role: "Global Administrator", start: "-P100D" }],
  directAssignments: [
    { principal: "sam@fabrikam.com", role: "Global Administrator", created: "-P40D" },
    { principal: "ann@fabrikam.com", role: "Exchange Administrator" },
  ],
  conditionalAccess: {
    authenticationContexts: [
      { id: "c2", displayName: "Tier 0 activation", description: "Phishing-resistant step-up" },
      { id: "c1", displayName: "Unpublished", isAvailable: false },
    ],
    policies: [
      {
        displayName: "Tier 0 activation needs phishing-resistant MFA",
        state: "enabled",
        users: {
          include: ["All"],
          exclude: ["bg@fabrikam.onmicrosoft.com"],
          excludeGroups: ["CA Exclusions"],
        },
        applications: { authenticationContexts: ["c2"] },
        grant: { authenticationStrength: "phishingResistant" },
        created: "-P10D",
      },
      {
        displayName: "Admins MFA (report-only)",
        state: "enabledForReportingButNotEnforced",
        users: { include: [], includeRoles: ["Global Administrator", "Exchange Administrator"] },
        grant: { operator: "AND", builtInControls: ["mfa", "compliantDevice"] },
      },
      { displayName: "Old block", state: "disabled", grant: { builtInControls: ["block"] } },
    ],
  },
};

let emu: RunningEmulator;
let reader: Client;
let writer: Client;
const ids: Record<string, string> = {};
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: NOW, seed: LIVE_SEED });
  const r = await appToken(emu, "reader");
  const w = await appToken(emu, "writer");
  reader = graphClient(emu, async () => r);
  writer = graphClient(emu, async () => w);
  for (const u of emu.state.users.values()) ids[u.userPrincipalName] = u.id;
});
afterAll(async () => {
  await emu.stop();
});

describe("users' on-premises synchronisation", () => {
  const select = "userPrincipalName,onPremisesSyncEnabled,onPremisesImmutableId,onPremisesLastSyncDateTime";

  it("are returned on $select only, null for cloud-only accounts", async () => {
    const plain = await reader.api(`/users/${ids["sam@fabrikam.com"]}`).get();
    expect(Object.keys(plain)).not.toContain("onPremisesSyncEnabled");
    const sam = await reader.api(`/users/${ids["sam@fabrikam.com"]}`).select(select).get();
    expect(sam).toMatchObject({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: at(-2 * HOUR) });
    expect(sam.onPremisesImmutableId).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const ida = await reader.api(`/users/ida@fabrikam.com`).select(select).get();
    expect(ida).toMatchObject({
      onPremisesSyncEnabled: true,
      onPremisesImmutableId: "aWRhLWFuY2hvcg==",
      onPremisesLastSyncDateTime: at(-0.5 * HOUR),
    });
    const ann = await reader.api(`/users/ann@fabrikam.com`).select(select).get();
    expect(ann).toMatchObject({
      onPremisesSyncEnabled: null,
      onPremisesImmutableId: null,
      onPremisesLastSyncDateTime: null,
    });
  });

  it("derive a stable immutable id per user and filter on onPremisesSyncEnabled", async () => {
    const again = await startEmulator({ port: 0, now: NOW, seed: LIVE_SEED });
    try {
      expect(again.state.findUser("sam@fabrikam.com")!.onPremisesImmutableId).toBe(
        emu.state.findUser("sam@fabrikam.com")!.onPremisesImmutableId,
      );
    } finally {
      await again.stop();
    }
    const synced = await reader.api("/users").filter("onPremisesSyncEnabled eq true").select(select).get();
    expect(synced.value.map((u: any) => u.userPrincipalName).sort()).toEqual([
      "ida@fabrikam.com",
      "sam@fabrikam.com",
    ]);
  });
});

describe("Conditional Access", () => {
  it("lists policies in Graph's shape with names resolved to ids", async () => {
    const res = await reader.api("/identity/conditionalAccess/policies").orderby("displayName").get();
    expect(res.value.map((p: any) => [p.displayName, p.state])).toEqual([
      ["Admins MFA (report-only)", "enabledForReportingButNotEnforced"],
      ["Old block", "disabled"],
      ["Tier 0 activation needs phishing-resistant MFA", "enabled"],
    ]);
    const tier0 = res.value[2];
    expect(tier0.createdDateTime).toBe(at(-240 * HOUR));
    expect(tier0.conditions.applications).toEqual({
      includeApplications: [],
      excludeApplications: [],
      includeUserActions: [],
      includeAuthenticationContextClassReferences: ["c2"],
      applicationFilter: null,
    });
    expect(tier0.conditions.users).toEqual({
      includeUsers: ["All"],
      excludeUsers: [ids["bg@fabrikam.onmicrosoft.com"]],
      includeGroups: [],
      excludeGroups: [[...emu.state.groups.values()][0]!.id],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
      excludeGuestsOrExternalUsers: null,
    });
    expect(tier0.grantControls).toMatchObject({
      operator: "OR",
      builtInControls: [],
      authenticationStrength: {
        id: "00000000-0000-0000-0000-000000000004",
        displayName: "Phishing-resistant MFA",
        allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
      },
    });
    const admins = res.value[0];
    expect(admins.conditions.users.includeRoles).toEqual([GLOBAL_ADMIN, EXCHANGE_ADMIN]);
    expect(admins.conditions.applications.includeApplications).toEqual(["All"]);
    expect(admins.grantControls).toMatchObject({
      operator: "AND",
      builtInControls: ["mfa", "compliantDevice"],
      authenticationStrength: null,
    });
  });

  it("gets one policy, filters on state, refuses what it cannot filter", async () => {
    const enabled = await reader
      .api("/identity/conditionalAccess/policies")
      .filter("state eq 'enabled'")
      .select("id,displayName")
      .get();
    expect(enabled.value).toHaveLength(1);
    const one = await reader.api(`/identity/conditionalAccess/policies/${enabled.value[0].id}`).get();
    expect(one.displayName).toBe("Tier 0 activation needs phishing-resistant MFA");
    const missing = await graphError(
      reader.api("/identity/conditionalAccess/policies/0c0c0c0c-0000-4000-8000-000000000000").get(),
    );
    expect([missing.statusCode, missing.code]).toEqual([404, "ResourceNotFound"]);
    const bad = await graphError(reader.api("/identity/conditionalAccess/policies").filter("state eq").get());
    expect(bad.statusCode).toBe(400);
    const unsupported = await graphError(
      reader.api("/identity/conditionalAccess/policies").filter("modifiedDateTime eq null").get(),
    );
    expect(unsupported.statusCode).toBe(400);
  });

  it("lists authentication contexts c1 … c99 in order, with Policy.Read.ConditionalAccess too", async () => {
    const token = await appToken(emu, "contexts-only");
    const c = graphClient(emu, async () => token);
    const res = await c.api("/identity/conditionalAccess/authenticationContextClassReferences").get();
    expect(res.value).toEqual([
      { id: "c1", displayName: "Unpublished", description: null, isAvailable: false },
      {
        id: "c2",
        displayName: "Tier 0 activation",
        description: "Phishing-resistant step-up",
        isAvailable: true,
      },
    ]);
    const c2 = await c.api("/identity/conditionalAccess/authenticationContextClassReferences/c2").get();
    expect(c2.displayName).toBe("Tier 0 activation");
    // Policies need Policy.Read.All: Conditional Access answers with its own 403.
    const e = await graphError(c.api("/identity/conditionalAccess/policies").get());
    expect([e.statusCode, e.code, e.message]).toEqual([
      403,
      "AccessDenied",
      "You cannot perform the requested operation, required scopes are missing in the token.",
    ]);
  });
});

describe("role assignments made outside PIM", () => {
  it("roleAssignments lists PIM-made and direct assignments alike", async () => {
    const res = await reader
      .api(`${DIR}/roleAssignments`)
      .filter(`roleDefinitionId eq '${GLOBAL_ADMIN}'`)
      .get();
    expect(res.value.map((a: any) => a.principalId).sort()).toEqual(
      [ids["bg@fabrikam.onmicrosoft.com"], ids["sam@fabrikam.com"]].sort(),
    );
    for (const a of res.value) {
      expect(Object.keys(a).sort()).toEqual([
        "appScopeId",
        "condition",
        "directoryScopeId",
        "id",
        "principalId",
        "roleDefinitionId",
      ]);
      expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}-1$/);
    }
    const withPrincipal = await reader
      .api(`${DIR}/roleAssignments`)
      .filter(`principalId eq '${ids["ann@fabrikam.com"]}'`)
      .expand("principal")
      .get();
    expect(withPrincipal.value).toHaveLength(1);
    expect(withPrincipal.value[0]).toMatchObject({
      roleDefinitionId: EXCHANGE_ADMIN,
      principal: { "@odata.type": "#microsoft.graph.user", userPrincipalName: "ann@fabrikam.com" },
    });
  });

  it("schedules and instances show no start and no createdUsing for a direct assignment", async () => {
    const schedules = await reader
      .api(`${DIR}/roleAssignmentSchedules`)
      .filter(`roleDefinitionId eq '${GLOBAL_ADMIN}'`)
      .get();
    const byPrincipal = Object.fromEntries(schedules.value.map((s: any) => [s.principalId, s]));
    const direct = byPrincipal[ids["sam@fabrikam.com"]!];
    const pim = byPrincipal[ids["bg@fabrikam.onmicrosoft.com"]!];
    expect(direct).toMatchObject({
      createdUsing: null,
      createdDateTime: at(-40 * 24 * HOUR),
      assignmentType: "Assigned",
      memberType: "Direct",
      status: "Provisioned",
      scheduleInfo: { startDateTime: null, expiration: { type: "noExpiration", endDateTime: null } },
    });
    expect(pim.createdUsing).toBe(pim.id);
    expect(pim.scheduleInfo.startDateTime).toBe(at(-100 * 24 * HOUR));
    const instances = await reader
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`principalId eq '${ids["sam@fabrikam.com"]}'`)
      .get();
    expect(instances.value).toHaveLength(1);
    expect(instances.value[0]).toMatchObject({
      startDateTime: null,
      endDateTime: null,
      assignmentType: "Assigned",
    });
    const all = await reader
      .api(`${DIR}/roleAssignments`)
      .filter(`principalId eq '${ids["sam@fabrikam.com"]}'`)
      .get();
    expect(all.value[0].id).toBe(instances.value[0].id);
  });

  it("POST makes one (audited as outside PIM), a duplicate is a conflict, DELETE removes only direct ones", async () => {
    const made = await writer.api(`${DIR}/roleAssignments`).post({
      "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
      principalId: ids["ida@fabrikam.com"],
      roleDefinitionId: EXCHANGE_ADMIN,
      directoryScopeId: "/",
    });
    expect(made).toMatchObject({
      principalId: ids["ida@fabrikam.com"],
      roleDefinitionId: EXCHANGE_ADMIN,
      directoryScopeId: "/",
    });
    const dup = await graphError(
      writer
        .api(`${DIR}/roleAssignments`)
        .post({ principalId: ids["ida@fabrikam.com"], roleDefinitionId: EXCHANGE_ADMIN }),
    );
    expect([dup.statusCode, dup.code]).toEqual([400, "Request_BadRequest"]);
    const audit = emu.state.audits.at(-1)!;
    expect(audit).toMatchObject({
      activityDisplayName: "Add member to role outside of PIM (permanent)",
      loggedByService: "PIM",
      operationType: "Assign",
      initiatedBy: { app: { displayName: "writer" }, user: null },
    });
    expect(audit.targetResources.map((t) => [t.type, t.displayName])).toEqual([
      ["Role", "Exchange Administrator"],
      ["User", "Ida Anchor"],
    ]);
    const bgAssignment = (
      await reader
        .api(`${DIR}/roleAssignments`)
        .filter(`principalId eq '${ids["bg@fabrikam.onmicrosoft.com"]}'`)
        .get()
    ).value[0];
    const pimMade = await graphError(writer.api(`${DIR}/roleAssignments/${bgAssignment.id}`).delete());
    expect([pimMade.statusCode, pimMade.code]).toEqual([400, "Request_BadRequest"]);
    await writer.api(`${DIR}/roleAssignments/${made.id}`).delete();
    expect(emu.state.audits.at(-1)!.activityDisplayName).toBe("Remove permanent direct role assignment");
    const gone = await graphError(reader.api(`${DIR}/roleAssignments/${made.id}`).get());
    expect([gone.statusCode, gone.code]).toEqual([404, "Request_ResourceNotFound"]);
  });

  it("the reader cannot write; a PIM adminAssign over a direct assignment is RoleAssignmentExists", async () => {
    const e = await graphError(
      reader
        .api(`${DIR}/roleAssignments`)
        .post({ principalId: ids["ida@fabrikam.com"], roleDefinitionId: EXCHANGE_ADMIN }),
    );
    expect([e.statusCode, e.code]).toEqual([403, "Authorization_RequestDenied"]);
    const token = await appToken(emu, "writer");
    const res = await fetch(`${emu.baseUrl}/v1.0${DIR}/roleAssignmentScheduleRequests`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        action: "adminAssign",
        principalId: ids["sam@fabrikam.com"],
        roleDefinitionId: GLOBAL_ADMIN,
        directoryScopeId: "/",
        justification: "x",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("RoleAssignmentExists");
  });

  it("a PIM adminRemove removes a direct assignment", async () => {
    const token = await appToken(emu, "writer");
    const res = await fetch(`${emu.baseUrl}/v1.0${DIR}/roleAssignmentScheduleRequests`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        action: "adminRemove",
        principalId: ids["ann@fabrikam.com"],
        roleDefinitionId: EXCHANGE_ADMIN,
        directoryScopeId: "/",
      }),
    });
    expect(res.status).toBe(201);
    const left = await reader
      .api(`${DIR}/roleAssignments`)
      .filter(`principalId eq '${ids["ann@fabrikam.com"]}'`)
      .get();
    expect(left.value).toEqual([]);
  });
});
