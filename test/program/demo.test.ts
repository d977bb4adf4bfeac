/**
 * The program for the demo stack, under mocks, at a fixed instant, reading the offline tenant (the emulator seeded
 * as the demo tenant) before it registers anything.
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
import { policyName } from "../../emulator/armModel";
import { TYPES, type Harness } from "../components/harness";
import type { EmulatorTenant } from "./emulatorTenant";
import { runDemoProgram, OWNER, SUB, type Outputs, type ProgramHarness } from "./runDemo";

const NOW = "2026-11-23T12:00:00.000Z";
const BREAK_GLASS = ["bg-alpha@contoso.onmicrosoft.com", "bg-bravo@contoso.onmicrosoft.com"];
const GA = "62e90394-69f5-4237-9190-012177145e10";

let h: Harness;
let t: EmulatorTenant;
let program: ProgramHarness["program"];
let outputs: Outputs;
let warnings: string[];
let reads: ReturnType<EmulatorTenant["emu"]["counters"]>;

beforeAll(async () => {
  ({ h, t, program, warnings, outputs } = await runDemoProgram(NOW));
  reads = t.emu.counters();
});

afterAll(async () => t?.stop());

/** The grants' schedules (a PIM group's role is a schedule too, under the PimGroup). */
const schedules = () => h.ofType(TYPES.schedule).filter((s) => !s.urn.includes("pim:entra:PimGroup$"));
/** A grant's schedule by its file name (the label ends with it). */
const scheduleOf = (file: string) => {
  const hits = schedules().filter((s) => String(s.inputs["label"]).endsWith(`(${file})`));
  expect(hits, file).toHaveLength(1);
  return hits[0]!;
};

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
      azureadGroupPolicies: count(TYPES.groupPolicy),
      azureadGroupEligibility: count(TYPES.groupEligibility),
      azureadGroupAssignment: count(TYPES.groupAssignment),
      groupPolicies: count(TYPES.groupPolicyDynamic),
      groupSchedules: count(TYPES.groupSchedule),
      directorySettings: count(TYPES.settings),
      directorySchedules: count(TYPES.schedule),
      armPolicies: count(TYPES.armPolicy),
      armEligibility: count(TYPES.armEligibility),
    }).toEqual({
      total: 52,
      tenant: 1,
      approverGroups: 1,
      pimGroups: 1,
      roleSettings: 8,
      azureRoleSettings: 1,
      breakGlass: 1,
      grants: 10,
      groups: 2,
      groupMembers: 3,
      directoryRoleAssignments: 0, // break-glass accounts are never written; the PIM group's role is a PIM schedule
      // No azuread PIM-for-Groups policy or schedule: the group's policies and memberships are on the project's providers.
      azureadGroupPolicies: 0,
      azureadGroupEligibility: 0,
      azureadGroupAssignment: 0,
      groupPolicies: 2,
      groupSchedules: 2,
      directorySettings: 8,
      directorySchedules: 11, // ten grants, and the PIM group's Helpdesk Administrator
      armPolicies: 1,
      armEligibility: 0,
    });
  });

  it("gives every resource a unique name and URN, all under the Tenant", () => {
    const names = h.resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(h.resources.map((r) => r.urn)).size).toBe(h.resources.length);
    const tenant = h.byName("tenant");
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
        /\(([^)]+)\)$/.exec(String(s.inputs["label"]))![1],
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
    const jordan = scheduleOf("c-jordan-lee-global-administrator").inputs;
    expect(jordan["principalId"]).toBe(t.user("c-jordan.lee@contoso.com"));
    expect(jordan["roleDefinitionId"]).toBe("62e90394-69f5-4237-9190-012177145e10");
    expect(jordan["directoryScopeId"]).toBe("/");
    expect(jordan["justification"]).toBe("Fabrikam tenant-to-tenant migration, statement of work 2026-114");
    expect(jordan["ticket"]).toEqual({ system: "ServiceNow", number: "CHG0031337" });
  });

  it("names every grant by what it governs, with the file-name name as an alias", () => {
    const jordan = scheduleOf("c-jordan-lee-global-administrator");
    const jordanId = t.user("c-jordan.lee@contoso.com");
    expect(jordan.name).toMatch(
      new RegExp(`^tenant-grant-eligible-62e90394-${jordanId.slice(0, 8)}-[0-9a-f]{8}-schedule$`),
    );
    // What the file-name scheme under the folder prefix called it: an existing stack moves without a replacement.
    expect(jordan.aliases).toEqual(["demo-grant-c-jordan-lee-global-administrator-schedule"]);
    const grant = h.byName(jordan.name.replace(/-schedule$/, ""));
    expect(grant.aliases).toEqual(["demo-grant-c-jordan-lee-global-administrator"]);
    expect(h.byName(`tenant-role-${GA}`).aliases).toEqual(["demo-role-global-administrator"]);
    expect(h.byName(`tenant-role-${GA}-settings`).aliases).toEqual([
      "demo-role-global-administrator-settings",
    ]);
    expect(h.byName("tenant").aliases).toEqual(["demo"]);
    expect(h.byName("tenant-approvers-pim-approvers-tier-0").aliases).toEqual([
      "demo-approvers-pim-approvers-tier-0",
    ]);
    expect(h.byName("tenant-approvers-pim-approvers-tier-0-group").aliases).toEqual([
      "demo-approvers-pim-approvers-tier-0-group",
    ]);
    expect(h.byName("tenant-group-tier-1-helpdesk-operators-member-policy").aliases).toEqual([
      "demo-group-tier-1-helpdesk-operators-member-policy",
    ]);
    expect(h.byName("tenant-break-glass").aliases).toEqual(["demo-break-glass"]);
    // A member is named by object id under a renamed parent: its old name is the UPN under the old parent.
    const margaret = t.user("margaret.hamilton@contoso.com");
    expect(h.byName(`tenant-approvers-pim-approvers-tier-0-member-${margaret}`).aliases).toEqual([
      "tenant-approvers-pim-approvers-tier-0-member-margaret-hamilton-contoso-com",
      `demo-approvers-pim-approvers-tier-0-member-${margaret}`,
      "demo-approvers-pim-approvers-tier-0-member-margaret-hamilton-contoso-com",
    ]);
    // Every other resource has exactly one alias: the name it had in a stack deployed before.
    for (const r of h.resources.filter((x) => !/^tenant-approvers-.*-member-/.test(x.name)))
      expect(r.aliases, r.name).toHaveLength(1);
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
      .filter((r) => r.parent === h.byName("tenant-approvers-pim-approvers-tier-0").urn)
      .map((r) => r.urn)
      .sort();
    expect(approverGroup).toHaveLength(4);
    for (const role of [GA, "e8611ab8-c189-46e8-94e1-60213ab1f814"]) {
      const s = h.byName(`tenant-role-${role}-settings`);
      expect(s.dependencies).toEqual(approverGroup);
      expect(s.inputs["approverIds"]).toEqual({
        "group:pim approvers - tier 0": t.group("PIM Approvers - Tier 0"),
      });
      expect(s.inputs["settings"].activation.approval.required).toBe(true);
      expect(s.inputs["settings"].activation.maximumDuration).toBe("PT1H");
    }
    // The approver group approves privileged roles, so only privileged admins may change who is in it.
    expect(h.byName("tenant-approvers-pim-approvers-tier-0-group").inputs["assignableToRole"]).toBe(true);
  });

  it("never names a break-glass account in a resource, and records the verified ones", () => {
    const ids = BREAK_GLASS.map((u) => t.user(u));
    const mentions = h.resources.filter((r) => JSON.stringify(r.inputs).match(new RegExp(ids.join("|"))));
    expect(mentions.map((r) => r.name)).toEqual(["tenant-break-glass"]);
    expect(h.byName("tenant-break-glass").inputs).toEqual({
      accounts: BREAK_GLASS.map((upn) => ({
        upn,
        objectId: t.user(upn),
        assignmentInstanceId: expect.stringMatching(/-1$/),
      })),
    });
    expect(h.children("tenant-break-glass")).toEqual([]);
  });

  it("applies the PIM group's member and owner policies and its eligible memberships with end dates", () => {
    // A membership is named from group, access, kind and the principal's object id; it is a GroupSchedule.
    const grace = t.user("grace.hopper@contoso.com");
    const member = h.byName(`tenant-group-tier-1-helpdesk-operators-member-eligible-${grace}`);
    expect(member.type).toBe(TYPES.groupSchedule);
    const { __provider: _serialized, ...inputs } = member.inputs;
    void _serialized;
    expect(inputs).toEqual({
      kind: "eligible",
      access: "member",
      groupId: t.group("Tier-1 Helpdesk Operators"),
      principalId: grace,
      start: null,
      end: "2027-05-01T00:00:00.000Z",
      justification: "Second-line support rota",
      ticket: null,
      label: "eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com",
      groupName: "Tier-1 Helpdesk Operators",
      principalName: "grace.hopper@contoso.com",
    });
    const policy = h.byName("tenant-group-tier-1-helpdesk-operators-member-policy");
    expect(policy.type).toBe(TYPES.groupPolicyDynamic);
    expect(policy.inputs["groupId"]).toBe(t.group("Tier-1 Helpdesk Operators"));
    expect(policy.inputs["access"]).toBe("member");
    const settings = policy.inputs["settings"];
    expect(settings.activation).toMatchObject({
      maximumDuration: "PT4H",
      requireMfa: true,
      requireJustification: true,
      requireTicket: true,
      approval: { required: false },
    });
    expect(settings.eligibleAssignment).toMatchObject({ allowPermanent: false, maximumDuration: "P180D" });
    expect(settings.notifications.eligibleAssignment.admin).toEqual({
      level: "all",
      defaultRecipients: true,
      additionalRecipients: ["pim-alerts@contoso.com"],
    });
  });

  it("gives the PIM group its role through PIM: permanent, active, after its policies and the role's settings", () => {
    const role = h.byName("tenant-group-tier-1-helpdesk-operators-role-helpdesk-administrator");
    expect(role.type).toBe(TYPES.schedule);
    expect([
      role.inputs["kind"],
      role.inputs["principalId"],
      role.inputs["start"],
      role.inputs["end"],
    ]).toEqual(["active", t.group("Tier-1 Helpdesk Operators"), null, null]);
    const helpdesk = h
      .ofType(TYPES.settings)
      .filter((s) => s.inputs["roleDefinitionId"] === "729827e3-9c14-49f7-bb1b-9608f156bbb8");
    expect(helpdesk.map((s) => s.inputs["heldByPimGroups"])).toEqual([["Tier-1 Helpdesk Operators"]]);
    expect(helpdesk[0]!.inputs["settings"].activeAssignment.allowPermanent).toBe(true);
    expect(role.dependencies).toEqual(
      [
        h.byName("tenant-group-tier-1-helpdesk-operators-group").urn,
        h.byName("tenant-group-tier-1-helpdesk-operators-member-policy").urn,
        h.byName("tenant-group-tier-1-helpdesk-operators-owner-policy").urn,
        helpdesk[0]!.urn,
      ].sort(),
    );
  });

  it("applies the Azure Owner settings to the declared policy", () => {
    const name = h.ofType("pim:azure:AzureRoleSettings").map((r) => r.name);
    expect(name).toEqual(["tenant-azure-8e3af657-a8ff-443c-a75c-2fe8c4bcb635-56eaf74a"]);
    const p = h.byName(`${name[0]}-policy`);
    expect(p.aliases).toEqual(["demo-azure-owner-subscriptions-5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f-policy"]);
    expect(p.inputs["scope"]).toBe(SUB);
    // stacks/Pulumi.demo.yaml names the policy the emulator derives for the subscription's Owner.
    expect(p.inputs["roleManagementPolicyName"]).toBe(policyName(SUB, OWNER));
    expect(p.inputs["rules"]).toHaveLength(17);
  });

  it("reads each distinct principal once, in $batch, and writes nothing before registering", () => {
    expect(h.invokes).toEqual([]);
    expect(reads.writes).toBe(0);
    expect(reads.byRoute).toEqual({
      "POST /$batch": 2,
      // 7 people with grants, 3 approvers, 2 break-glass accounts (the PIM group's members have grants too).
      "GET /users/:id": 12,
      // Each break-glass account's Global Administrator: its assignment instances and eligibility schedules.
      "GET /roleManagement/directory/roleAssignmentScheduleInstances": 2,
      "GET /roleManagement/directory/roleEligibilitySchedules": 2,
    });
  });

  it("exports the managed roles and every grant with its end date", () => {
    expect(outputs.roles.map((r) => r.role)).toEqual([
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
    expect(outputs.roles[0]).toEqual({
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
    expect(outputs.grants).toHaveLength(10);
    expect(outputs.grants.find((g) => g.id === "c-jordan-lee-global-administrator")).toEqual({
      id: "c-jordan-lee-global-administrator",
      principal: "c-jordan.lee@contoso.com",
      role: "Global Administrator",
      scope: "/",
      kind: "eligible",
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      daysLeft: 39,
    });
    expect(outputs.expiredGrants).toEqual([]);
    expect(outputs.breakGlass).toEqual(BREAK_GLASS);
    expect(outputs.evaluatedAt).toBe(NOW);
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
