// The permission checks Graph applies beyond "has the scope": whose requests a user may cancel, who may change
// role settings, and each service's own 403 when a permission is missing (emulator/auth.ts `missingPermission`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  DIR,
  GLOBAL_ADMIN,
  NOW,
  PIMG,
  USER_ADMIN,
  appToken,
  graphClient,
  graphError,
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

const activation = (upn: string) => ({
  action: "selfActivate",
  principalId: h.userId(upn),
  roleDefinitionId: GLOBAL_ADMIN,
  directoryScopeId: "/",
  justification: "CHG-9 rotate the tenant key",
  scheduleInfo: { startDateTime: NOW.toISOString(), expiration: { type: "afterDuration", duration: "PT1H" } },
});

describe("cancelling a schedule request", () => {
  it("a signed-in user cancels only the requests they made; an app with the permission cancels any", async () => {
    const margaret = h.user("margaret.hamilton@contoso.com", { mfa: true });
    const pending = await margaret
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activation("margaret.hamilton@contoso.com"));
    expect(pending.status).toBe("PendingApproval");
    // Barbara holds Privileged Role Administrator permanently: the role does not let her cancel someone else's request.
    for (const upn of ["ada.lovelace@contoso.com", "barbara.liskov@contoso.com"]) {
      const e = await graphError(
        h.user(upn, { mfa: true }).api(`${DIR}/roleAssignmentScheduleRequests/${pending.id}/cancel`).post({}),
      );
      expect([upn, e.statusCode, e.code]).toEqual([upn, 403, "Authorization_RequestDenied"]);
    }
    expect(h.emu.state.requests.get(pending.id)!.status).toBe("PendingApproval");
    await margaret.api(`${DIR}/roleAssignmentScheduleRequests/${pending.id}/cancel`).post({});
    expect(h.emu.state.requests.get(pending.id)!.status).toBe("Canceled");
    const again = await margaret
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activation("margaret.hamilton@contoso.com"));
    await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${again.id}/cancel`).post({});
    expect(h.emu.state.requests.get(again.id)!.status).toBe("Canceled");
  });
});

describe("changing role settings", () => {
  const rule = {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    id: "Expiration_EndUser_Assignment",
    isExpirationRequired: true,
    maximumDuration: "PT3H",
  };
  const policyId = () => h.emu.state.policyForRole(USER_ADMIN)!.id;
  const delegated = [
    "RoleManagementPolicy.ReadWrite.Directory",
    "RoleManagementPolicy.ReadWrite.AzureADGroup",
    "RoleManagementPolicy.Read.Directory",
  ];

  it("a signed-in user needs the permission and an active Privileged Role Administrator or Global Administrator", async () => {
    const url = `/policies/roleManagementPolicies/${policyId()}/rules/Expiration_EndUser_Assignment`;
    // Ada is only eligible for Privileged Role Administrator: the scope alone is not enough.
    const ada = graphClient(h.emu, () =>
      h.emu.userToken("ada.lovelace@contoso.com", { mfa: true, scopes: delegated }),
    );
    const e = await graphError(ada.api(url).patch(rule));
    expect([e.statusCode, e.code]).toEqual([403, "Authorization_RequestDenied"]);
    const barbara = graphClient(h.emu, () =>
      h.emu.userToken("barbara.liskov@contoso.com", { mfa: true, scopes: delegated }),
    );
    const done = await barbara.api(url).patch(rule);
    expect(done.maximumDuration).toBe("PT3H");
    // The role without the scope: the PIM service's 403 names the permission.
    const noScope = graphClient(h.emu, () =>
      h.emu.userToken("barbara.liskov@contoso.com", {
        mfa: true,
        scopes: ["RoleManagementPolicy.Read.Directory", "RoleManagement.ReadWrite.Directory"],
      }),
    );
    const e2 = await graphError(noScope.api(url).patch(rule));
    expect([e2.statusCode, e2.code, JSON.parse(e2.message).message]).toEqual([
      403,
      "UnknownError",
      "Authorization failed due to missing permission scope RoleManagementPolicy.ReadWrite.Directory.",
    ]);
  });

  it("a group's settings: its owner may change them unless the group is role-assignable", async () => {
    const approvers = h.groupId("PIM Approvers - Tier 0");
    const helpdesk = h.groupId("Tier-1 Helpdesk Operators");
    h.emu.state.groups.get(approvers)!._owners.push(h.userId("grace.hopper@contoso.com"));
    const grace = graphClient(h.emu, () =>
      h.emu.userToken("grace.hopper@contoso.com", { mfa: true, scopes: delegated }),
    );
    const ken = graphClient(h.emu, () =>
      h.emu.userToken("ken.thompson@contoso.com", { mfa: true, scopes: delegated }),
    );
    const patch = (c: typeof grace, groupId: string) =>
      c
        .api(
          `/policies/roleManagementPolicies/${h.emu.state.policyForGroup(groupId, "member")!.id}/rules/Expiration_EndUser_Assignment`,
        )
        .patch(rule);
    await expect(patch(grace, approvers)).resolves.toMatchObject({ maximumDuration: "PT3H" });
    // Ken owns the role-assignable Tier-1 group: owning it is not enough there.
    const e = await graphError(patch(ken, helpdesk));
    expect([e.statusCode, e.code]).toEqual([403, "Authorization_RequestDenied"]);
  });
});

describe("each service's 403 names what is missing", () => {
  let bare: RunningEmulator;
  beforeAll(async () => {
    bare = await startEmulator({
      port: 0,
      now: NOW,
      seed: {
        tenant: {
          id: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
          displayName: "Bare",
          domains: [{ name: "bare.com" }],
        },
        applications: [
          { displayName: "nothing", clientSecret: "nothing-secret", permissions: ["Directory.Read.All"] },
          {
            displayName: "per-type readers",
            clientSecret: "per-type-secret",
            permissions: ["User.Read.All", "Group.Read.All", "Application.Read.All"],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await bare.stop();
  });

  it.each([
    [
      `${DIR}/roleEligibilitySchedules`,
      "UnknownError",
      /missing permission scope RoleEligibilitySchedule\.Read\.Directory,RoleEligibilitySchedule\.ReadWrite\.Directory,RoleManagement\.Read\.Directory,RoleManagement\.Read\.All,RoleManagement\.ReadWrite\.Directory\./,
    ],
    [
      `${DIR}/roleAssignmentScheduleInstances`,
      "UnknownError",
      /missing permission scope RoleAssignmentSchedule\.Read\.Directory,/,
    ],
    [
      `${PIMG}/eligibilitySchedules?$filter=groupId eq '00000000-0000-0000-0000-000000000001'`,
      "UnknownError",
      /missing permission scope PrivilegedEligibilitySchedule\.Read\.AzureADGroup,/,
    ],
    [
      "/policies/roleManagementPolicies?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'",
      "UnknownError",
      /missing permission scope RoleManagementPolicy\.Read\.Directory,/,
    ],
    // Directory.Read.All does not include audit data.
    [
      "/auditLogs/directoryAudits",
      "Authentication_MSGraphPermissionMissing",
      /^Calling principal does not have required MSGraph permissions AuditLog\.Read\.All$/,
    ],
    [
      "/identity/conditionalAccess/policies",
      "AccessDenied",
      /^You cannot perform the requested operation, required scopes are missing in the token\.$/,
    ],
    [
      "/identity/conditionalAccess/authenticationContextClassReferences",
      "AccessDenied",
      /required scopes are missing/,
    ],
  ])("GET %s → 403 %s", async (path, code, message) => {
    const token = await appToken(bare, "nothing");
    const e = await graphError(
      graphClient(bare, async () => token)
        .api(path)
        .get(),
    );
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("Directory.Read.All still reads directory objects and role assignments", async () => {
    const token = await appToken(bare, "nothing");
    const c = graphClient(bare, async () => token);
    await expect(c.api("/users").get()).resolves.toHaveProperty("value");
    await expect(c.api(`${DIR}/roleAssignments`).get()).resolves.toHaveProperty("value");
  });

  it("directory objects by id need Directory.Read.All, as directoryobject-getbyids and -get list: per-type reads do not do", async () => {
    const asApp = async (app: string) => {
      const token = await appToken(bare, app);
      return graphClient(bare, async () => token);
    };
    const id = [...bare.state.servicePrincipals.values()].find((p) => p.displayName === "nothing")!.id;
    const perType = await asApp("per-type readers");
    for (const call of [
      perType.api("/directoryObjects/getByIds").post({ ids: [id] }),
      perType.api(`/directoryObjects/${id}`).get(),
    ]) {
      const e = await graphError(call);
      expect([e.statusCode, e.code, e.message]).toEqual([
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      ]);
    }
    await expect(perType.api("/servicePrincipals").get()).resolves.toHaveProperty("value");
    const directory = await asApp("nothing");
    const found = await directory.api("/directoryObjects/getByIds").post({ ids: [id] });
    expect(found.value.map((o: { id: string }) => o.id)).toEqual([id]);
    await expect(directory.api(`/directoryObjects/${id}`).get()).resolves.toMatchObject({ id });
  });
});
