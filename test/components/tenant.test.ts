import { beforeAll, describe, expect, it } from "vitest";
import type { TenantModel } from "../../model";
import { resourceNames } from "../../components/names";
import type { TenantArgs } from "../../components/tenant";
import { installMocks, settle, TYPES, type Harness } from "./harness";
import { oid, resolveFake, unitModel } from "./fixtures";

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

const model = (tenant = TENANT, grants = GRANTS): TenantModel => unitModel(tenant, grants);

let h: Harness;
let components: typeof import("../../components");
let tenant: InstanceType<typeof components.Tenant>;

const PARIS = "0a0a0a0a-1111-4111-8111-00000000aaaa";
const fake = { objects: { paris: { id: PARIS, type: "administrativeUnit" as const } } };
const build = (name: string, m: TenantModel, extra: Partial<TenantArgs> = {}) => {
  const { directory, breakGlass, problems } = resolveFake(m, fake);
  expect(problems).toEqual([]);
  return new components.Tenant(name, { model: m, directory, breakGlass, ...extra });
};

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
  tenant = build("t", model());
  await settle();
});

const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const grantName = (kind: string, role: string, principal: string, scope = "/") =>
  resourceNames.grant("t", {
    kind: kind as "eligible",
    roleId: role,
    principal,
    identity: `${kind}|directory:${role}|${scope}|${principal.toLowerCase()}`,
  });

describe("Tenant", () => {
  it("composes approver group, PIM group, settings, break-glass and the live grants, named by what they govern", () => {
    expect(h.children("t")).toEqual([
      ["pim:entra:ApproverGroup", "t-approvers-helpdesk-leads"],
      ["pim:entra:BreakGlass", "t-break-glass"],
      ["pim:index:Grant", "t-grant-eligible-729827e3-782b4b0a-a20b3b76"],
      ["pim:index:Grant", "t-grant-eligible-fe930be7-53d91b4b-efcd972a"],
      ["pim:entra:PimGroup", "t-group-ops"],
      ["pim:entra:RoleSettings", `t-role-${USER_ADMIN}`],
    ]);
    // The literal names above follow the identity: kind, role id, principal id (or created group) and scope.
    expect(grantName("eligible", HELPDESK_ADMIN, oid("ada.lovelace@contoso.com"), `au:${PARIS}`)).toBe(
      "t-grant-eligible-729827e3-782b4b0a-a20b3b76",
    );
    expect(grantName("eligible", USER_ADMIN, "pimGroup:ops")).toBe(
      "t-grant-eligible-fe930be7-53d91b4b-efcd972a",
    );
    expect(tenant.expired.map((g) => g.id)).toEqual(["ada-old"]);
    expect(h.resources.some((r) => r.name.includes("ada-old"))).toBe(false);
    expect(h.invokes).toEqual([]);
  });

  it("aliases every resource to the name the file-name and display-name scheme gave it", () => {
    const aliases = (name: string) => h.byName(name).aliases;
    expect(aliases("t-grant-eligible-729827e3-782b4b0a-a20b3b76")).toEqual(["t-grant-ada-helpdesk-paris"]);
    expect(aliases("t-grant-eligible-729827e3-782b4b0a-a20b3b76-schedule")).toEqual([
      "t-grant-ada-helpdesk-paris-schedule",
    ]);
    expect(aliases("t-grant-eligible-fe930be7-53d91b4b-efcd972a")).toEqual(["t-grant-ops-user-admin"]);
    expect(aliases(`t-role-${USER_ADMIN}`)).toEqual(["t-role-user-administrator"]);
    expect(aliases(`t-role-${USER_ADMIN}-settings`)).toEqual(["t-role-user-administrator-settings"]);
    expect(aliases(`t-approvers-helpdesk-leads-member-${oid("approver.two@contoso.com")}`)).toEqual([
      "t-approvers-helpdesk-leads-member-approver-two-contoso-com",
    ]);
    // Named by their declaration already: nothing to alias.
    expect(aliases("t-group-ops")).toEqual([]);
    expect(aliases("t-approvers-helpdesk-leads")).toEqual([]);
  });

  it("resolves approvers to the created approver group and waits for it and its members", () => {
    const s = h.byName(`t-role-${USER_ADMIN}-settings`);
    expect(s.inputs["approverIds"]).toEqual({
      "user:approver.one@contoso.com": oid("approver.one@contoso.com"),
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
    const s = h.byName("t-grant-eligible-fe930be7-53d91b4b-efcd972a-schedule");
    expect(s.inputs["principalId"]).toBe("oid-t-group-ops-group");
    expect(s.dependencies).toEqual(
      [h.byName("t-group-ops-group").urn, h.byName(`t-role-${USER_ADMIN}-settings`).urn].sort(),
    );
  });

  it("passes the resolved administrative-unit scope; a role without declared settings has no settings dependency", () => {
    const s = h.byName("t-grant-eligible-729827e3-782b4b0a-a20b3b76-schedule");
    expect(s.inputs["directoryScopeId"]).toBe(`/administrativeUnits/${PARIS}`);
    expect(s.inputs["principalId"]).toBe(oid("ada.lovelace@contoso.com"));
    expect(s.dependencies).toEqual([]);
  });

  it("gives every PIM membership its resolved object id, and records the verified break-glass accounts", () => {
    // Named from the principal's object id (a UPN can be renamed), on the project's GroupSchedule.
    const m = h.byName(`t-group-ops-member-eligible-${oid("ada.lovelace@contoso.com")}`);
    expect(m.type).toBe(TYPES.groupSchedule);
    expect(m.inputs["principalId"]).toBe(oid("ada.lovelace@contoso.com"));
    expect(h.byName("t-break-glass").inputs).toEqual({
      accounts: [
        {
          upn: "bg@contoso.onmicrosoft.com",
          objectId: oid("bg@contoso.onmicrosoft.com"),
          assignmentInstanceId: `instance-${oid("bg@contoso.onmicrosoft.com")}`,
        },
      ],
    });
  });

  it("refuses, before registering anything, a model that breaks break-glass isolation by any spelling", async () => {
    const bgId = oid("bg@contoso.onmicrosoft.com");
    const bad = model(TENANT.replace("approver.three@contoso.com", "BG@contoso.onmicrosoft.com"), {
      "bg-ga": `principal: ${bgId}\nrole: Global Administrator\nkind: eligible\nend: 2027-03-31\njustification: x\n`,
    });
    const before = h.resources.length;
    expect(() => build("t-bad", bad)).toThrow(
      "stacks/unit: 2 problem(s) with what the declarations name; nothing was changed.\n" +
        `  - stacks/unit/grants/bg-ga.yaml: break-glass account bg@contoso.onmicrosoft.com (named here as ${bgId}) must not receive grants; its Global Administrator comes from breakGlass only\n` +
        '  - approver group "Helpdesk Leads": break-glass account bg@contoso.onmicrosoft.com must never approve',
    );
    await settle();
    expect(h.resources.length).toBe(before);
  });

  it("refuses Azure role settings without their ARM policy name, with the key and how to find it", async () => {
    const azure = model(
      `${TENANT.replace("roleSettings:\n", "roleSettings:\n  azureRoles:\n    - scope: /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f\n      role: Owner\n")}`,
      {},
    );
    const before = h.resources.length;
    expect(() => build("t-azure", azure)).toThrow(
      '"azure:/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f:8e3af657-a8ff-443c-a75c-2fe8c4bcb635": <policy GUID>',
    );
    // Refused before any child was constructed: nothing named t-azure-* was started.
    await settle();
    expect(h.resources.slice(before).map((r) => r.name)).toEqual(["t-azure"]);
  });
});
