// The default seed (emulator/seeds/demo.yaml) is a contract other tests and the demo rely on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIR, GLOBAL_ADMIN, TENANT, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

describe("default seed", () => {
  it("is the Contoso tenant with its two domains", async () => {
    expect(h.emu.tenantId).toBe(TENANT);
    const org = await h.app.api("/organization").get();
    expect(org.value[0].displayName).toBe("Contoso");
    expect(org.value[0].verifiedDomains.map((d: any) => [d.name, d.isDefault])).toEqual([
      ["contoso.com", true],
      ["contoso.onmicrosoft.com", false],
    ]);
  });

  it("has the named users, one guest, with deterministic ids", async () => {
    const users = await h.app.api("/users").select("userPrincipalName,displayName,userType").top(100).get();
    const upns = users.value.map((u: any) => u.userPrincipalName).sort();
    expect(upns).toEqual(
      [
        "ada.lovelace@contoso.com",
        "alan.turing@contoso.com",
        "barbara.liskov@contoso.com",
        "bg-alpha@contoso.onmicrosoft.com",
        "bg-bravo@contoso.onmicrosoft.com",
        "c-jordan.lee@contoso.com",
        "dorothy.vaughan@contoso.com",
        "edsger.dijkstra@contoso.com",
        "grace.hopper@contoso.com",
        "guest.partner_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        "katherine.johnson@contoso.com",
        "ken.thompson@contoso.com",
        "margaret.hamilton@contoso.com",
      ].sort(),
    );
    expect(users.value.find((u: any) => u.userPrincipalName.includes("#EXT#")).userType).toBe("Guest");
    expect(users.value.find((u: any) => u.userPrincipalName === "ada.lovelace@contoso.com").displayName).toBe(
      "Ada Lovelace",
    );
    expect(users.value.find((u: any) => u.userPrincipalName === "c-jordan.lee@contoso.com").displayName).toBe(
      "Jordan Lee (Contractor, Fabrikam)",
    );
    // Same ids in a second instance.
    const again = await startHarness();
    try {
      expect(again.userId("ada.lovelace@contoso.com")).toBe(h.userId("ada.lovelace@contoso.com"));
      expect(again.groupId("Tier-1 Helpdesk Operators")).toBe(h.groupId("Tier-1 Helpdesk Operators"));
    } finally {
      await again.emu.stop();
    }
  });

  it("has the approver group and the role-assignable group", async () => {
    const approvers = await h.app.api(`/groups/${h.groupId("PIM Approvers - Tier 0")}`).get();
    expect(approvers).toMatchObject({ securityEnabled: true, isAssignableToRole: false });
    const tier1 = await h.app.api(`/groups/${h.groupId("Tier-1 Helpdesk Operators")}`).get();
    expect(tier1.isAssignableToRole).toBe(true);
    const owners = await h.app.api(`/groups/${tier1.id}/owners`).get();
    expect(owners.value.map((o: any) => o.userPrincipalName)).toEqual(["ken.thompson@contoso.com"]);
  });

  it("has the deployer and reader apps, with a non-secret-looking secret", () => {
    expect(h.emu.clientCredentials()).toMatchObject({ clientSecret: "emulator-only-secret" });
    const deployer = [...h.emu.state.servicePrincipals.values()].find(
      (s) => s.displayName === "pim-as-code-deployer",
    )!;
    expect(deployer._permissions).toEqual(
      expect.arrayContaining([
        "RoleManagementPolicy.ReadWrite.Directory",
        "RoleEligibilitySchedule.ReadWrite.Directory",
        "RoleAssignmentSchedule.ReadWrite.Directory",
        "RoleManagement.Read.Directory",
        "RoleManagementPolicy.ReadWrite.AzureADGroup",
        "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
        "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
        "Group.ReadWrite.All",
        "User.Read.All",
        "AuditLog.Read.All",
      ]),
    );
    expect(h.emu.clientCredentials("pim-reader").clientSecret).toBe("emulator-only-reader-secret");
  });

  it("holds bg-alpha and bg-bravo as permanent active Global Administrators", async () => {
    const res = await h.app
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`roleDefinitionId eq '${GLOBAL_ADMIN}'`)
      .expand("principal")
      .get();
    const rows = res.value
      .map((i: any) => [i.principal.userPrincipalName, i.assignmentType, i.endDateTime])
      .sort();
    expect(rows).toEqual([
      ["bg-alpha@contoso.onmicrosoft.com", "Assigned", null],
      ["bg-bravo@contoso.onmicrosoft.com", "Assigned", null],
    ]);
  });

  it("has the Helpdesk AU, every catalog role and seeded audit events", async () => {
    const au = await h.app.api("/administrativeUnits").get();
    expect(au.value.map((a: any) => a.displayName)).toEqual(["Helpdesk AU"]);
    expect(h.emu.state.roleDefinitions.size).toBe(h.emu.state.policies.size - 2 * h.emu.state.groups.size);
    const audits = await h.app.api("/auditLogs/directoryAudits").filter("loggedByService eq 'PIM'").get();
    expect(audits.value.length).toBeGreaterThanOrEqual(4);
  });
});
