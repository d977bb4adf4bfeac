/**
 * Identity over resolved ids: declarations that resolve to one object are one object, whatever their spelling.
 * Duplicates (a UPN and the same user's object id, two spellings of one name) are refused naming both places;
 * break-glass accounts are found by object id in grants, approver stages, approver groups and PIM groups;
 * previous group names must not collide; a grant to a renamed group keeps its identity through aliases.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { breakGlassIsolation, duplicateGrants, identityProblems } from "../../components/identity";
import type { TenantModel } from "../../model";
import { installMocks, settle, type Harness } from "./harness";
import { oid, resolveFake, unitModel } from "./fixtures";

const BG = "bg@contoso.onmicrosoft.com";
const BG_ID = oid(BG);
const ADA_ID = oid("ada.lovelace@contoso.com");

const tenantYaml = (extra = "") => `
tenant: { id: 11111111-1111-4111-8111-111111111111, name: Unit }
roleSettings:
  directoryRoles:
    - role: User Administrator
      activation:
        approval:
          required: true
          stages:
            - approvers: [ { user: approver.one@contoso.com }, { group: Helpdesk Leads } ]
approverGroups:
  - name: Helpdesk Leads
    members: [approver.two@contoso.com, approver.three@contoso.com]
    approves: [User Administrator]
pimGroups:
  - name: Ops
    roles: [Helpdesk Administrator]
    members:
      eligible:
        - { principal: grace.hopper@contoso.com, end: 2027-03-31, justification: rota }
${extra}
breakGlass:
  - upn: ${BG}
`;

const grantYaml = (principal: string, role = "Security Reader", kind = "eligible") =>
  `principal: "${principal}"\nrole: ${role}\nkind: ${kind}\nend: 2027-03-31\njustification: j\n`;

const model = (tenant: string, grants: Record<string, string> = {}): TenantModel => unitModel(tenant, grants);

const problemsOf = (m: TenantModel) => {
  const { directory, breakGlass, problems } = resolveFake(m);
  expect(problems).toEqual([]);
  return identityProblems(m, directory, breakGlass);
};

describe("duplicates after resolution", () => {
  it("refuses a grant declared by UPN and again by the same user's object id, naming both files", () => {
    const m = model(tenantYaml(), {
      "ada-security-reader": grantYaml("ada.lovelace@contoso.com"),
      "by-object-id": grantYaml(ADA_ID.toUpperCase()),
      "other-role": grantYaml("ada.lovelace@contoso.com", "Helpdesk Administrator"),
    });
    const { directory } = resolveFake(m);
    expect(duplicateGrants(m, directory)).toEqual([
      `stacks/unit/grants/ada-security-reader.yaml and stacks/unit/grants/by-object-id.yaml declare one assignment: ` +
        `eligible Security Reader tenant-wide for ada.lovelace@contoso.com, ${ADA_ID.toUpperCase()}, which is one principal (${ADA_ID}). ` +
        "Two resources would govern one schedule, and deleting either file would remove the access the other declares. Fix: keep one of the files.",
    ]);
  });

  it("refuses a group named by display name and by object id; the same principal in another kind is another grant", () => {
    const ops = "0c0c0c0c-0000-4000-8000-0000000000cc";
    const m = model(tenantYaml(), {
      a: grantYaml("Helpdesk Operators"),
      b: `principal: ${ops}\nprincipalType: group\nrole: Security Reader\nkind: eligible\nend: 2027-03-31\njustification: j\n`,
      c: grantYaml("Helpdesk Operators", "Security Reader", "active"),
    });
    const { directory } = resolveFake(m, { objects: { "helpdesk operators": { id: ops, type: "group" } } });
    expect(duplicateGrants(m, directory)).toEqual([
      "stacks/unit/grants/a.yaml and stacks/unit/grants/b.yaml declare one assignment: eligible Security Reader " +
        `tenant-wide for Helpdesk Operators, ${ops}, which is one principal (${ops}). Two resources would govern one ` +
        "schedule, and deleting either file would remove the access the other declares. Fix: keep one of the files.",
    ]);
  });

  it("refuses one account listed twice in a PIM group list by UPN and by object id", () => {
    const m = model(
      tenantYaml().replace(
        "        - { principal: grace.hopper@contoso.com, end: 2027-03-31, justification: rota }",
        `        - { principal: grace.hopper@contoso.com, end: 2027-03-31, justification: rota }\n        - { principal: ${oid("grace.hopper@contoso.com")}, end: 2027-03-31, justification: again }`,
      ),
    );
    expect(problemsOf(m)).toEqual([
      `stacks/unit/tenant.yaml: PIM group "Ops" members.eligible lists grace.hopper@contoso.com and ${oid("grace.hopper@contoso.com")}, which are one principal (${oid("grace.hopper@contoso.com")}). Fix: keep one.`,
    ]);
  });
});

describe("break-glass isolation by object id", () => {
  it("finds a break-glass account named by object id in a grant, an approver stage, an approver group and a PIM group", () => {
    const m = model(
      tenantYaml(`  - name: Tier 0 Ops
    owners:
      active:
        - { principal: ${BG_ID}, end: 2026-12-31, justification: never }`)
        .replace("{ user: approver.one@contoso.com }", `{ user: ${BG_ID} }`)
        .replace("approver.three@contoso.com", BG.toUpperCase()),
      { "bg-ga": grantYaml(BG_ID, "Global Administrator", "active") },
    );
    const { directory, breakGlass } = resolveFake(m);
    expect(breakGlassIsolation(m, directory, breakGlass)).toEqual([
      `stacks/unit/grants/bg-ga.yaml: break-glass account ${BG} (named here as ${BG_ID}) must not receive grants; its Global Administrator comes from breakGlass only`,
      `approver group "Helpdesk Leads": break-glass account ${BG} must never approve`,
      `settings of User Administrator: break-glass account ${BG} (named here as ${BG_ID}) must never approve`,
      `PIM group "Tier 0 Ops": break-glass account ${BG} (named here as ${BG_ID}) must not be a PIM member or owner`,
    ]);
  });

  it("finds one named by its UPN in a PIM group member list", () => {
    const m = model(tenantYaml().replace("principal: grace.hopper@contoso.com", `principal: ${BG}`));
    expect(problemsOf(m)).toEqual([
      `PIM group "Ops": break-glass account ${BG} must not be a PIM member or owner`,
    ]);
  });

  it("passes a model that keeps break-glass accounts apart", () => {
    expect(problemsOf(model(tenantYaml(), { ada: grantYaml("ada.lovelace@contoso.com") }))).toEqual([]);
  });
});

describe("previous group names", () => {
  it("refuses a previous name that is another group's name today, or that two groups claim", () => {
    const m = model(
      tenantYaml()
        .replace(
          "  - name: Helpdesk Leads\n",
          "  - name: Helpdesk Leads\n    previousNames: [Ops, Old Leads]\n",
        )
        .replace("  - name: Ops\n", "  - name: Ops\n    previousNames: [old leads]\n"),
    );
    expect(problemsOf(m)).toEqual([
      'stacks/unit/tenant.yaml: group "Helpdesk Leads" lists previousNames "Ops", which is group "Ops" today. Fix: remove it from previousNames.',
      'stacks/unit/tenant.yaml: groups "Helpdesk Leads" and "Ops" both list previousNames "old leads". Fix: keep it on the group that had that name.',
    ]);
  });
});

describe("a grant to a group this program creates", () => {
  let h: Harness;
  let components: typeof import("../../components");
  beforeAll(async () => {
    h = installMocks();
    components = await import("../../components/index.js");
  });

  it("keeps its identity when the group is renamed: the pre-rename name is an alias", async () => {
    const before = model(tenantYaml(), { "ops-reader": grantYaml("Ops") });
    const after = model(
      tenantYaml().replace("  - name: Ops\n", "  - name: Operators\n    previousNames: [Ops]\n"),
      {
        "ops-reader": grantYaml("Operators"),
      },
    );
    const names = (m: TenantModel, t: string) => {
      const { directory, breakGlass } = resolveFake(m);
      new components.Tenant(t, { model: m, directory, breakGlass });
    };
    names(before, "r1");
    names(after, "r2");
    await settle();
    const grantOf = (t: string) =>
      h.resources.find((r) => r.type === "pim:index:Grant" && r.name.startsWith(`${t}-`))!;
    const oldName = grantOf("r1").name.replace(/^r1-/, "r2-");
    expect(grantOf("r2").aliases).toEqual(["r2-grant-ops-reader", oldName]);
    expect(h.byName(`${grantOf("r2").name}-schedule`).aliases).toEqual([
      "r2-grant-ops-reader-schedule",
      `${oldName}-schedule`,
    ]);
    expect(h.byName("r2-group-operators").aliases).toEqual(["r2-group-ops"]);
  });
});
