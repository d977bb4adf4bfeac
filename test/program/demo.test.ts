/**
 * The program for the demo stack, under mocks, at a fixed instant.
 *
 * Time: the program reads `PIM_NOW` (test-only, and it warns when set) because the demo's grants end on real
 * dates; with the wall clock this test would change its resource count as the calendar moves. 2026-11-23 is
 * inside every demo grant's window except the contractor's, which starts on 2026-11-20.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TYPES, type Harness } from "../components/harness";
import { restoreClock, runDemoProgram, SUB, type DemoRun } from "./runDemo";

const NOW = "2026-11-23T12:00:00.000Z";
const BREAK_GLASS = ["bg-alpha@contoso.onmicrosoft.com", "bg-bravo@contoso.onmicrosoft.com"];

let h: Harness;
let program: DemoRun["program"];
let warnings: string[];

beforeAll(async () => {
  ({ h, program, warnings } = await runDemoProgram(NOW));
});

afterAll(restoreClock);

const schedules = () => h.ofType(TYPES.schedule);

describe("program: demo stack", () => {
  it("registers exactly the expected resources", () => {
    const count = (type: string) => h.ofType(type).length;
    expect({
      total: h.resources.length,
      tenant: count("pim:index:Tenant"),
      approverGroups: count("pim:entra:ApproverGroup"),
      pimGroups: count("pim:entra:PimGroup"),
      roleSettings: count("pim:entra:RoleSettings"),
      azureRoleSettings: count("pim:azure:AzureRoleSettings"),
      breakGlass: count("pim:entra:BreakGlass"),
      grants: count("pim:index:Grant"),
      groups: count(TYPES.group),
      groupMembers: count(TYPES.groupMember),
      directoryRoleAssignments: count(TYPES.directoryRoleAssignment),
      groupPolicies: count(TYPES.groupPolicy),
      groupEligibility: count(TYPES.groupEligibility),
      groupAssignment: count(TYPES.groupAssignment),
      directorySettings: count(TYPES.settings),
      directorySchedules: count(TYPES.schedule),
      armPolicies: count(TYPES.armPolicy),
      armEligibility: count(TYPES.armEligibility),
    }).toEqual({
      total: 54,
      tenant: 1,
      approverGroups: 1,
      pimGroups: 1,
      roleSettings: 8,
      azureRoleSettings: 1,
      breakGlass: 1,
      grants: 10,
      groups: 2,
      groupMembers: 3,
      directoryRoleAssignments: 3, // 2 break-glass + the PIM group's Helpdesk Administrator
      groupPolicies: 2,
      groupEligibility: 2,
      groupAssignment: 0,
      directorySettings: 8,
      directorySchedules: 10,
      armPolicies: 1,
      armEligibility: 0,
    });
  });

  it("gives every resource a unique name and URN, all under the Tenant", () => {
    const names = h.resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(h.resources.map((r) => r.urn)).size).toBe(h.resources.length);
    const tenant = h.byName("demo");
    expect(tenant.type).toBe("pim:index:Tenant");
    // Walk the parent URNs (the mock's URNs carry only the immediate parent's type, so the chain is the proof).
    const byUrn = new Map(h.resources.map((r) => [r.urn, r]));
    const root = (r: (typeof h.resources)[number]): string =>
      byUrn.has(r.parent) ? root(byUrn.get(r.parent)!) : r.urn;
    for (const r of h.resources) expect(root(r), r.name).toBe(tenant.urn);
    expect(tenant.parent).toBe("");
  });

  it("provisions every grant with its declared end date, eligible, with justification and ticket", () => {
    const byGrant = Object.fromEntries(
      schedules().map((s) => [
        s.name.replace(/^demo-grant-/, "").replace(/-schedule$/, ""),
        [s.inputs["kind"], s.inputs["end"], s.inputs["start"]],
      ]),
    );
    expect(byGrant).toEqual({
      "ada-lovelace-security-reader": ["eligible", "2027-11-01T00:00:00.000Z", null],
      "ada-lovelace-user-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "alan-turing-helpdesk-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "alan-turing-user-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "barbara-liskov-conditional-access-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "barbara-liskov-security-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "c-jordan-lee-global-administrator": [
        "eligible",
        "2027-01-01T00:00:00.000Z",
        "2026-11-20T00:00:00.000Z",
      ],
      "edsger-dijkstra-privileged-role-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "grace-hopper-exchange-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
      "ken-thompson-global-administrator": ["eligible", "2027-05-01T00:00:00.000Z", null],
    });
    const jordan = h.byName("demo-grant-c-jordan-lee-global-administrator-schedule").inputs;
    expect(jordan["principalId"]).toBe("oid-user-c-jordan.lee@contoso.com");
    expect(jordan["roleDefinitionId"]).toBe("62e90394-69f5-4237-9190-012177145e10");
    expect(jordan["directoryScopeId"]).toBe("/");
    expect(jordan["justification"]).toBe("Fabrikam tenant-to-tenant migration, statement of work 2026-114");
    expect(jordan["ticket"]).toEqual({ system: "ServiceNow", number: "CHG0031337" });
  });

  it("orders every grant after its role's settings", () => {
    const settingsByRole = new Map(
      h.ofType(TYPES.settings).map((s) => [s.inputs["roleDefinitionId"] as string, s.urn]),
    );
    expect(schedules()).toHaveLength(10);
    for (const s of schedules()) {
      const settingsUrn = settingsByRole.get(s.inputs["roleDefinitionId"] as string);
      expect(settingsUrn, `${s.name} has no settings`).toBeDefined();
      expect(s.dependencies, s.name).toContain(settingsUrn);
    }
  });

  it("applies Tier-0 settings only after the approver group and its members exist", () => {
    const approverGroup = h.resources
      .filter((r) => r.parent === h.byName("demo-approvers-pim-approvers-tier-0").urn)
      .map((r) => r.urn)
      .sort();
    expect(approverGroup).toHaveLength(4);
    for (const role of ["global-administrator", "privileged-role-administrator"]) {
      const s = h.byName(`demo-role-${role}-settings`);
      expect(s.dependencies).toEqual(approverGroup);
      expect(s.inputs["approverIds"]).toEqual({
        "group:pim approvers - tier 0": "oid-demo-approvers-pim-approvers-tier-0-group",
      });
      expect(s.inputs["settings"].activation.approval.required).toBe(true);
      expect(s.inputs["settings"].activation.maximumDuration).toBe("PT1H");
    }
    // The approver group approves privileged roles, so only privileged admins may change who is in it.
    expect(h.byName("demo-approvers-pim-approvers-tier-0-group").inputs["assignableToRole"]).toBe(true);
  });

  it("never makes a break-glass account eligible, and protects its permanent Global Administrator", () => {
    const ids = BREAK_GLASS.map((u) => `oid-user-${u}`);
    const mentions = h.resources.filter((r) =>
      Object.values(r.inputs).some((v) => typeof v === "string" && ids.includes(v)),
    );
    expect(mentions.map((r) => r.name).sort()).toEqual([
      "demo-break-glass-bg-alpha-contoso-onmicrosoft-com",
      "demo-break-glass-bg-bravo-contoso-onmicrosoft-com",
    ]);
    for (const r of mentions) {
      expect(r.type).toBe(TYPES.directoryRoleAssignment);
      expect(r.inputs["roleId"]).toBe("62e90394-69f5-4237-9190-012177145e10");
      expect(r.protect).toBe(true);
      expect(r.retainOnDelete).toBe(true);
    }
    const eligible = [
      ...schedules().filter((s) => s.inputs["kind"] === "eligible"),
      ...h.ofType(TYPES.groupEligibility),
      ...h.ofType(TYPES.armEligibility),
    ];
    expect(eligible.filter((r) => ids.includes(r.inputs["principalId"]))).toEqual([]);
  });

  it("applies the PIM group's member and owner policies and its eligible memberships with end dates", () => {
    const member = h.byName("demo-group-tier-1-helpdesk-operators-member-eligible-grace-hopper-contoso-com");
    expect(member.inputs).toEqual({
      groupId: "oid-demo-group-tier-1-helpdesk-operators-group",
      principalId: "oid-user-grace.hopper@contoso.com",
      assignmentType: "member",
      expirationDate: "2027-05-01T00:00:00.000Z",
      permanentAssignment: false,
      justification: "Second-line support rota",
    });
    const policy = h.byName("demo-group-tier-1-helpdesk-operators-member-policy").inputs;
    expect(policy["activationRules"]).toEqual({
      maximumDuration: "PT4H",
      requireApproval: false,
      requireJustification: true,
      requireTicketInfo: true,
      requireMultifactorAuthentication: true,
    });
    expect(policy["eligibleAssignmentRules"]).toEqual({ expirationRequired: true, expireAfter: "P180D" });
    expect(policy["notificationRules"].eligibleAssignments.adminNotifications).toEqual({
      notificationLevel: "All",
      defaultRecipients: true,
      additionalRecipients: ["pim-alerts@contoso.com"],
    });
  });

  it("applies the Azure Owner settings to the declared policy", () => {
    const p = h.byName(`demo-azure-owner-subscriptions-5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f-policy`);
    expect(p.inputs["scope"]).toBe(SUB);
    expect(p.inputs["roleManagementPolicyName"]).toBe("9a5c1d2e-0000-4000-8000-00000000a001");
    expect(p.inputs["rules"]).toHaveLength(17);
  });

  it("looks each distinct principal up once", () => {
    const upns = h.invokes
      .filter((i) => i.token === "azuread:index/getUser:getUser")
      .map((i) => String(i.inputs["userPrincipalName"]).toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    expect(upns.sort()).toEqual(
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
        "katherine.johnson@contoso.com",
        "ken.thompson@contoso.com",
        "margaret.hamilton@contoso.com",
      ].sort(),
    );
    expect(h.invokes.every((i) => i.token === "azuread:index/getUser:getUser")).toBe(true);
  });

  it("exports the managed roles and every grant with its end date", () => {
    expect(program.roles.map((r) => r.role)).toEqual([
      "Global Administrator",
      "Privileged Role Administrator",
      "Security Administrator",
      "Conditional Access Administrator",
      "User Administrator",
      "Helpdesk Administrator",
      "Exchange Administrator",
      "Security Reader",
      "Tier-1 Helpdesk Operators (member)",
      "Tier-1 Helpdesk Operators (owner)",
      `Owner on ${SUB}`,
    ]);
    expect(program.roles[0]).toEqual({
      role: "Global Administrator",
      target: "directory",
      profile: "tier0",
      activationMaximum: "1h",
      requireMfa: true,
      authenticationContext: null,
      requireJustification: true,
      requireTicket: true,
      approvalRequired: true,
      approvers: ["group:PIM Approvers - Tier 0"],
      escalationApprovers: [],
      eligibleMaximum: "180d",
      activeMaximum: "15d",
    });
    expect(program.grants).toHaveLength(10);
    expect(program.grants.find((g) => g.id === "c-jordan-lee-global-administrator")).toEqual({
      id: "c-jordan-lee-global-administrator",
      principal: "c-jordan.lee@contoso.com",
      role: "Global Administrator",
      scope: "/",
      kind: "eligible",
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      daysLeft: 39,
    });
    expect(program.expiredGrants).toEqual([]);
    expect(program.breakGlass).toEqual(BREAK_GLASS);
    expect(program.evaluatedAt).toBe(NOW);
  });

  it("warns that the clock is overridden and about nothing expired", () => {
    expect(warnings.filter((w) => w.includes("PIM_NOW"))).toEqual([
      "the clock is overridden: PIM_NOW=2026-11-23T12:00:00.000Z; expiry is judged against that instant, not the current time",
    ]);
    expect(warnings.filter((w) => w.includes("expired"))).toEqual([]);
  });
});

describe("loadDeclarations", () => {
  it("turns declaration errors into one clean RunError listing each with its place and fix", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-program-"));
    fs.mkdirSync(path.join(root, "stacks", "broken", "grants"), { recursive: true });
    fs.copyFileSync(
      path.join(__dirname, "../../stacks/demo/tenant.yaml"),
      path.join(root, "stacks", "broken", "tenant.yaml"),
    );
    fs.writeFileSync(
      path.join(root, "stacks", "broken", "grants", "typo.yaml"),
      "principal: ada.lovelace@contoso.com\nrole: Global Adminstrator\nkind: eligible\nend: 2027-01-31\njustification: x\n",
    );
    let error: unknown;
    try {
      program.loadDeclarations(root, "broken", new Date(NOW));
    } catch (e) {
      error = e;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "stacks/broken: 1 problem(s) in the declarations; nothing was changed.\n\n" +
        'stacks/broken/grants/typo.yaml:2:7: error [unknown-role] role: "Global Adminstrator" is not an Entra built-in role\n' +
        '    fix: did you mean "Global Administrator"?\n\n' +
        "Run `npm run pim -- check --stack broken` to see them again without Pulumi.",
    );
  });

  it("names the known stacks when the declarations folder does not exist", () => {
    expect(() => program.loadDeclarations(path.resolve(__dirname, "../.."), "nope", new Date(NOW))).toThrow(
      'no stack named "nope": stacks/nope/tenant.yaml does not exist (stacks here: demo). Set the stack config pim:declarations to the folder under stacks/ that holds tenant.yaml.',
    );
  });

  it("refuses to deploy a stack with a mandatory safe-default finding, even without the policy pack", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-program-"));
    fs.mkdirSync(path.join(root, "stacks", "nobg", "grants"), { recursive: true });
    const demo = fs.readFileSync(path.join(__dirname, "../../stacks/demo/tenant.yaml"), "utf8");
    // The classic mistake: no break-glass accounts (the section removed, nothing else changed).
    const withoutBreakGlass = demo.replace(/\nbreakGlass:\n(?: {2}.*\n)+/, "\n");
    expect(withoutBreakGlass).not.toContain("breakGlass:");
    fs.writeFileSync(path.join(root, "stacks", "nobg", "tenant.yaml"), withoutBreakGlass);
    const model = program.loadDeclarations(root, "nobg", new Date(NOW));
    let error: unknown;
    try {
      program.refuseUnsafe(model, new Date(NOW));
    } catch (e) {
      error = e;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^stacks\/nobg: \d+ mandatory safe-default finding\(s\); nothing was changed\.\n\n/,
    );
    expect(message).toContain("PIM-006");
    expect(message).toMatch(/`npm run pim -- check --stack nobg` shows the same list\.$/);
    // The demo itself passes.
    expect(() =>
      program.refuseUnsafe(
        program.loadDeclarations(path.resolve(__dirname, "../.."), "demo", new Date(NOW)),
        new Date(NOW),
      ),
    ).not.toThrow();
  });

  it("refuses an unreadable PIM_NOW", () => {
    expect(() => program.programClock({ PIM_NOW: "yesterday" })).toThrow(
      'PIM_NOW="yesterday" is not a date-time; unset it (it is for tests only)',
    );
    expect(program.programClock({}).getTime()).toBeGreaterThan(Date.parse("2026-01-01"));
  });
});
