// The reads the program makes before it registers anything (graph-pim.md §3.5), through the official client:
// a user's onPremisesSyncEnabled, administrative units under /directory, Global Administrator assignment
// instances and eligibility schedules of one principal, and the token's tenant claim.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GLOBAL_ADMIN, TENANT, appToken, startHarness, type Harness } from "./helpers";
import { defaultSeedPath } from "../../emulator/index";
import { readSeedFile } from "../../emulator/seed";

let h: Harness;
beforeAll(async () => {
  const seed = readSeedFile(defaultSeedPath());
  seed.users = [
    ...(seed.users ?? []),
    { upn: "synced.admin@contoso.com", displayName: "Synced Admin", onPremisesSyncEnabled: true },
  ];
  h = await startHarness({ seed });
});
afterAll(async () => {
  await h.emu.stop();
});

const gaFilter = (principalId: string) =>
  `principalId eq '${principalId}' and roleDefinitionId eq '${GLOBAL_ADMIN}'`;

describe("reads behind break-glass verification", () => {
  it("returns onPremisesSyncEnabled only when $select names it, null for a cloud-only account", async () => {
    const plain = await h.app.api("/users/bg-alpha@contoso.onmicrosoft.com").get();
    expect(plain).not.toHaveProperty("onPremisesSyncEnabled");
    const cloud = await h.app
      .api("/users/bg-alpha@contoso.onmicrosoft.com")
      .select(["id", "userPrincipalName", "onPremisesSyncEnabled"])
      .get();
    expect(cloud).toEqual({
      "@odata.context":
        "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,onPremisesSyncEnabled)/$entity",
      id: h.userId("bg-alpha@contoso.onmicrosoft.com"),
      userPrincipalName: "bg-alpha@contoso.onmicrosoft.com",
      onPremisesSyncEnabled: null,
    });
    const synced = await h.app
      .api("/users/synced.admin@contoso.com")
      .select(["id", "onPremisesSyncEnabled"])
      .get();
    expect(synced.onPremisesSyncEnabled).toBe(true);
  });

  it("lists a break-glass account's permanent, direct, assigned Global Administrator instance", async () => {
    const id = h.userId("bg-alpha@contoso.onmicrosoft.com");
    const res = await h.app
      .api("/roleManagement/directory/roleAssignmentScheduleInstances")
      .filter(gaFilter(id))
      .get();
    expect(res.value).toHaveLength(1);
    expect(res.value[0]).toMatchObject({
      principalId: id,
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: "/",
      endDateTime: null,
      assignmentType: "Assigned",
      memberType: "Direct",
    });
    const eligible = await h.app
      .api("/roleManagement/directory/roleEligibilitySchedules")
      .filter(gaFilter(id))
      .get();
    expect(eligible.value).toEqual([]);
  });

  it("lists an eligible-only Global Administrator's eligibility schedule and no assignment instance", async () => {
    const id = h.userId("margaret.hamilton@contoso.com");
    const active = await h.app
      .api("/roleManagement/directory/roleAssignmentScheduleInstances")
      .filter(gaFilter(id))
      .get();
    expect(active.value).toEqual([]);
    const eligible = await h.app
      .api("/roleManagement/directory/roleEligibilitySchedules")
      .filter(gaFilter(id))
      .get();
    expect(eligible.value.map((s: { principalId: string }) => s.principalId)).toEqual([id]);
  });

  it("serves administrative units under /directory, by id and by display name", async () => {
    const byName = await h.app
      .api("/directory/administrativeUnits")
      .filter("displayName eq 'Helpdesk AU'")
      .get();
    expect(byName.value.map((a: { id: string }) => a.id)).toEqual(["d2473b03-728b-50c3-a0a3-188e7c272e21"]);
    const byId = await h.app.api("/directory/administrativeUnits/d2473b03-728b-50c3-a0a3-188e7c272e21").get();
    expect(byId.displayName).toBe("Helpdesk AU");
  });

  it("issues tokens whose tid claim is the tenant's id", async () => {
    const token = await appToken(h.emu, "pim-as-code-deployer");
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
    expect(claims.tid).toBe(TENANT);
  });
});
