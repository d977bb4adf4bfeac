import { beforeAll, describe, expect, it } from "vitest";
import { loadStackFiles, type TenantModel } from "../../model";
import { installMocks, settle, type Harness } from "./harness";

const NOW = new Date("2026-11-23T12:00:00Z");

const TENANT = `
tenant: { id: 11111111-1111-4111-8111-111111111111, name: Unit }
roleSettings:
  directoryRoles:
    - role: User Administrator
      activation:
        maximumDuration: PT2H
        approval:
          required: true
          stages:
            - approvers: [ { user: approver.one@contoso.com } ]
approverGroups:
  - name: Helpdesk Leads
    members: [approver.two@contoso.com, approver.three@contoso.com]
    approves: [User Administrator]
pimGroups:
  - name: Ops
    roles: [Helpdesk Administrator]
    members:
      eligible:
        - { principal: ada.lovelace@contoso.com, end: 2027-03-31, justification: rota }
breakGlass:
  - upn: bg@contoso.onmicrosoft.com
`;

const GRANTS: Record<string, string> = {
  "ops-user-admin":
    "principal: Ops\nprincipalType: group\nrole: User Administrator\nkind: eligible\nend: 2027-03-31\njustification: group holds it\n",
  "ada-helpdesk-paris":
    "principal: ada.lovelace@contoso.com\nrole: Helpdesk Administrator\nscope: { administrativeUnit: Paris }\nkind: eligible\nend: 2027-03-31\njustification: Paris desk\n",
  "ada-old":
    "principal: ada.lovelace@contoso.com\nrole: Security Reader\nkind: eligible\nend: 2026-01-31\njustification: gone\n",
};

function model(tenant = TENANT, grants = GRANTS): TenantModel {
  const files = [
    { path: "stacks/unit/tenant.yaml", text: tenant },
    ...Object.entries(grants).map(([id, text]) => ({ path: `stacks/unit/grants/${id}.yaml`, text })),
  ];
  const r = loadStackFiles("unit", files, NOW);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.model || errors.length) throw new Error(JSON.stringify(errors, null, 2));
  return r.model;
}

let h: Harness;
let components: typeof import("../../components");
let tenant: InstanceType<typeof components.Tenant>;

beforeAll(async () => {
  h = installMocks({ directory: { administrativeUnits: { Paris: "oid-au-paris" } } });
  components = await import("../../components/index.js");
  tenant = new components.Tenant("t", { model: model() });
  await settle();
});

describe("Tenant", () => {
  it("composes approver group, PIM group, settings, break-glass and the live grants", () => {
    expect(h.children("t")).toEqual([
      ["pim:entra:ApproverGroup", "t-approvers-helpdesk-leads"],
      ["pim:entra:BreakGlass", "t-break-glass"],
      ["pim:index:Grant", "t-grant-ada-helpdesk-paris"],
      ["pim:index:Grant", "t-grant-ops-user-admin"],
      ["pim:entra:PimGroup", "t-group-ops"],
      ["pim:entra:RoleSettings", "t-role-user-administrator"],
    ]);
    expect(tenant.expired.map((g) => g.id)).toEqual(["ada-old"]);
    expect(h.resources.some((r) => r.name.includes("ada-old"))).toBe(false);
  });

  it("resolves approvers to the created approver group and waits for it and its members", () => {
    const s = h.byName("t-role-user-administrator-settings");
    expect(s.inputs["approverIds"]).toEqual({
      "user:approver.one@contoso.com": "oid-user-approver.one@contoso.com",
      "group:helpdesk leads": "oid-t-approvers-helpdesk-leads-group",
    });
    const approverGroup = h.resources
      .filter((r) => r.parent === h.byName("t-approvers-helpdesk-leads").urn)
      .map((r) => r.urn);
    expect(approverGroup).toHaveLength(3);
    expect(s.dependencies).toEqual([...approverGroup].sort());
    // User Administrator is privileged in the catalog, so the group approving it is role-assignable.
    expect(h.byName("t-approvers-helpdesk-leads-group").inputs["assignableToRole"]).toBe(true);
  });

  it("gives a grant naming a declared group that group's object id, after the role's settings", () => {
    const s = h.byName("t-grant-ops-user-admin-schedule");
    expect(s.inputs["principalId"]).toBe("oid-t-group-ops-group");
    expect(s.dependencies).toEqual(
      [h.byName("t-group-ops-group").urn, h.byName("t-role-user-administrator-settings").urn].sort(),
    );
  });

  it("resolves an administrative-unit scope, and a role without declared settings has no settings dependency", () => {
    const s = h.byName("t-grant-ada-helpdesk-paris-schedule");
    expect(s.inputs["directoryScopeId"]).toBe("/administrativeUnits/oid-au-paris");
    expect(s.inputs["principalId"]).toBe("oid-user-ada.lovelace@contoso.com");
    expect(s.dependencies).toEqual([]);
  });

  it("looks each distinct principal up once across grants, memberships and approvers", () => {
    const keys = h.invokes.map(
      (i) => `${i.token}|${String(i.inputs["userPrincipalName"] ?? i.inputs["displayName"]).toLowerCase()}`,
    );
    expect(keys.sort()).toEqual(
      [
        "azuread:index/getAdministrativeUnit:getAdministrativeUnit|paris",
        "azuread:index/getUser:getUser|ada.lovelace@contoso.com",
        "azuread:index/getUser:getUser|approver.one@contoso.com",
        "azuread:index/getUser:getUser|approver.three@contoso.com",
        "azuread:index/getUser:getUser|approver.two@contoso.com",
        "azuread:index/getUser:getUser|bg@contoso.onmicrosoft.com",
      ].sort(),
    );
  });

  it("refuses a model that breaks break-glass isolation, listing every violation", () => {
    const bad = model(TENANT.replace("approver.three@contoso.com", "bg@contoso.onmicrosoft.com"), {
      "bg-ga":
        "principal: bg@contoso.onmicrosoft.com\nrole: Global Administrator\nkind: eligible\nend: 2027-03-31\njustification: x\n",
    });
    expect(components.breakGlassIsolation(bad)).toEqual([
      "stacks/unit/grants/bg-ga.yaml: break-glass account bg@contoso.onmicrosoft.com must not receive grants; its Global Administrator comes from breakGlass only",
      'approver group "Helpdesk Leads": break-glass account bg@contoso.onmicrosoft.com must never approve',
    ]);
    expect(() => new components.Tenant("t-bad", { model: bad })).toThrow(
      /^`model` breaks break-glass isolation:\n {2}- stacks\/unit\/grants\/bg-ga.yaml/,
    );
    expect(components.breakGlassIsolation(model())).toEqual([]);
  });

  it("refuses Azure role settings without their ARM policy name, with the key and how to find it", async () => {
    const azure = model(
      `${TENANT.replace("roleSettings:\n", "roleSettings:\n  azureRoles:\n    - scope: /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f\n      role: Owner\n")}`,
      {},
    );
    const before = h.resources.length;
    expect(() => new components.Tenant("t-azure", { model: azure })).toThrow(
      '"azure:/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f:8e3af657-a8ff-443c-a75c-2fe8c4bcb635": <policy GUID>',
    );
    // Refused before any child was constructed: nothing named t-azure-* was started.
    await settle();
    expect(h.resources.slice(before).map((r) => r.name)).toEqual(["t-azure"]);
  });
});
