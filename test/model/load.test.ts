/**
 * The loader on the demo stack and on small variations of it: exact facts, not shapes. `now` is fixed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GLOBAL_ADMINISTRATOR,
  StackNotFoundError,
  graphDefaults,
  listStacks,
  loadStack,
  loadStackFiles,
  type Grant,
  type LoadResult,
  type ResolvedSettings,
} from "../../model";
import { parseYamlSource, topLevelLocator } from "../../model/load/yamlSource";
import { NOW, REPO } from "./badCases";
import { GRAPH_ACCEPTS, loadGroupPolicyStack } from "./groupPolicyStack";

const demo = () => loadStack({ root: REPO, stack: "demo", now: NOW });
const DEMO_TENANT = fs.readFileSync(path.join(REPO, "stacks/demo/tenant.yaml"), "utf8");

/** The demo tenant with the given grant files (name → text). */
function withGrants(grants: Record<string, string>, now: Date = NOW, tenant = DEMO_TENANT): LoadResult {
  return loadStackFiles(
    "demo",
    [
      { path: "stacks/demo/tenant.yaml", text: tenant },
      ...Object.entries(grants).map(([name, text]) => ({ path: `stacks/demo/grants/${name}.yaml`, text })),
    ],
    now,
  );
}

const grant = (fields: Record<string, string>) =>
  Object.entries({
    principal: "ada.lovelace@contoso.com",
    role: "Security Reader",
    kind: "eligible",
    justification: "Test",
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");

const byId = (grants: Grant[], id: string) => grants.find((g) => g.id === id)!;

describe("the demo stack", () => {
  it("loads clean: no diagnostics, every file read", () => {
    const r = demo();
    expect(r.diagnostics).toEqual([]);
    expect(r.model).not.toBeNull();
    expect(r.files).toEqual([
      "stacks/demo/tenant.yaml",
      "stacks/demo/grants/ada-lovelace-security-reader.yaml",
      "stacks/demo/grants/ada-lovelace-user-administrator.yaml",
      "stacks/demo/grants/alan-turing-helpdesk-administrator.yaml",
      "stacks/demo/grants/alan-turing-user-administrator.yaml",
      "stacks/demo/grants/barbara-liskov-conditional-access-administrator.yaml",
      "stacks/demo/grants/barbara-liskov-security-administrator.yaml",
      "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
      "stacks/demo/grants/edsger-dijkstra-privileged-role-administrator.yaml",
      "stacks/demo/grants/grace-hopper-exchange-administrator.yaml",
      "stacks/demo/grants/ken-thompson-global-administrator.yaml",
    ]);
  });

  it("tenant, contractors, break-glass, safe defaults, evaluation instant", () => {
    const m = demo().model!;
    expect(m.stack).toBe("demo");
    expect(m.tenant).toEqual({ id: "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47", name: "Contoso (demo)" });
    expect(m.contractors).toEqual(["c-*@contoso.com"]);
    expect(m.breakGlass).toEqual([
      {
        upn: "bg-alpha@contoso.onmicrosoft.com",
        description: "Emergency access 1 (FIDO2 key in the safe, site A)",
        source: { file: "stacks/demo/tenant.yaml", line: 123, column: 5 },
      },
      {
        upn: "bg-bravo@contoso.onmicrosoft.com",
        description: "Emergency access 2 (FIDO2 key in the safe, site B)",
        source: { file: "stacks/demo/tenant.yaml", line: 125, column: 5 },
      },
    ]);
    expect(m.safeDefaults).toEqual({
      profile: "cisa",
      rules: {},
      ruleSources: {},
      exemptions: [],
      serviceAccounts: [],
      source: { file: "stacks/demo/tenant.yaml", line: 128, column: 1 },
    });
    expect(m.evaluatedAt).toBe("2026-11-23T12:00:00.000Z");
  });

  it("ten grants, each with its end instant, status and days left at the fixed now", () => {
    const m = demo().model!;
    expect(
      m.grants.map((g) => [g.id, g.role.name, g.kind, g.start, g.end, g.status, g.daysLeft, g.principal.ref]),
    ).toEqual([
      [
        "ada-lovelace-security-reader",
        "Security Reader",
        "eligible",
        null,
        "2027-11-01T00:00:00.000Z",
        "current",
        343,
        "ada.lovelace@contoso.com",
      ],
      [
        "ada-lovelace-user-administrator",
        "User Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "ada.lovelace@contoso.com",
      ],
      [
        "alan-turing-helpdesk-administrator",
        "Helpdesk Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "alan.turing@contoso.com",
      ],
      [
        "alan-turing-user-administrator",
        "User Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "alan.turing@contoso.com",
      ],
      [
        "barbara-liskov-conditional-access-administrator",
        "Conditional Access Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "barbara.liskov@contoso.com",
      ],
      [
        "barbara-liskov-security-administrator",
        "Security Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "barbara.liskov@contoso.com",
      ],
      [
        "c-jordan-lee-global-administrator",
        "Global Administrator",
        "eligible",
        "2026-11-20T00:00:00.000Z",
        "2027-01-01T00:00:00.000Z",
        "current",
        39,
        "c-jordan.lee@contoso.com",
      ],
      [
        "edsger-dijkstra-privileged-role-administrator",
        "Privileged Role Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "edsger.dijkstra@contoso.com",
      ],
      [
        "grace-hopper-exchange-administrator",
        "Exchange Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "grace.hopper@contoso.com",
      ],
      [
        "ken-thompson-global-administrator",
        "Global Administrator",
        "eligible",
        null,
        "2027-05-01T00:00:00.000Z",
        "current",
        159,
        "ken.thompson@contoso.com",
      ],
    ]);
  });

  it("the contractor grant in full: date-only start and end, ticket, requester, key, source", () => {
    const g = byId(demo().model!.grants, "c-jordan-lee-global-administrator");
    expect(g).toEqual({
      id: "c-jordan-lee-global-administrator",
      key: `eligible|directory:${GLOBAL_ADMINISTRATOR}|/|c-jordan.lee@contoso.com`,
      file: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
      principal: { ref: "c-jordan.lee@contoso.com", type: "user" },
      role: {
        kind: "directory",
        name: "Global Administrator",
        id: GLOBAL_ADMINISTRATOR,
        builtIn: true,
        isPrivileged: true,
      },
      scope: { type: "tenant" },
      kind: "eligible",
      // start: 2026-11-20 is the start of that UTC day; end: 2026-12-31 is access through that day.
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      justification: "Fabrikam tenant-to-tenant migration, statement of work 2026-114",
      ticket: { system: "ServiceNow", number: "CHG0031337" },
      requestedBy: "ken.thompson@contoso.com",
      status: "current",
      daysLeft: 39,
      source: { file: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml", line: 3, column: 1 },
    });
    // 42 days, as the comment in the file says.
    expect((Date.parse(g.end!) - Date.parse(g.start!)) / 86_400_000).toBe(42);
  });

  it("role settings: keys, labels, profiles and where each is declared", () => {
    const m = demo().model!;
    expect(m.roleSettings.map((r) => [r.key, r.label, r.profile, r.source.line])).toEqual([
      [`directory:${GLOBAL_ADMINISTRATOR}`, "Global Administrator", "tier0", 65],
      ["directory:e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", "tier0", 67],
      ["directory:194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", "tightened", 69],
      ["directory:b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator", "tightened", 71],
      ["directory:fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", "tightened", 73],
      ["directory:729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", "tightened", 75],
      ["directory:29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", "tightened", 78],
      ["directory:5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", "baseline", 80],
      ["group:tier-1 helpdesk operators:member", "Tier-1 Helpdesk Operators (member)", "tightened", 83],
      ["group:tier-1 helpdesk operators:owner", "Tier-1 Helpdesk Operators (owner)", "tightened", 86],
      [
        "azure:/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f:8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "Owner on /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
        "tightened",
        90,
      ],
    ]);
    expect(m.roleSettings.map((r) => r.target.kind)).toEqual([
      ...Array(8).fill("directory"),
      "group",
      "group",
      "azure",
    ]);
    const owner = m.roleSettings[10]!.target;
    expect(owner).toEqual({
      kind: "azure",
      role: { kind: "azure", name: "Owner", id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" },
      scope: "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
    });
  });

  it("Global Administrator resolves field by field: defaults ← baseline ← tightened ← tier0, plus the approver group", () => {
    const ga = demo().model!.roleSettings.find((r) => r.label === "Global Administrator")!;
    const alerts = {
      level: "all",
      defaultRecipients: true,
      additionalRecipients: ["pim-alerts@contoso.com"],
    };
    const plain = { level: "all", defaultRecipients: true, additionalRecipients: [] };
    const expected: ResolvedSettings = {
      activation: {
        maximumDuration: "PT1H", // tier0 (tightened PT4H, baseline PT8H, default PT8H)
        requireMfa: true, // baseline
        authenticationContext: null, // default
        requireJustification: true, // baseline
        requireTicket: true, // tightened
        approval: {
          required: true, // tier0
          requiredForExtension: true, // tier0
          stages: [
            {
              // Not declared on the role: added because the approver group lists Global Administrator.
              approvers: [{ type: "group", ref: "PIM Approvers - Tier 0" }],
              timeoutDays: 1,
              approverJustification: true,
              escalation: null,
            },
          ],
        },
      },
      eligibleAssignment: {
        allowPermanent: false, // baseline
        maximumDuration: "P180D", // tightened (baseline P365D)
        requireMfa: false, // default
        requireJustification: false, // default
      },
      activeAssignment: {
        allowPermanent: false, // baseline
        maximumDuration: "P15D", // tightened (baseline P30D, default P180D)
        requireMfa: false, // baseline (app-only deployments carry no MFA claim)
        requireJustification: true, // baseline
      },
      notifications: {
        eligibleAssignment: { admin: alerts, requestor: plain, approver: plain },
        activeAssignment: { admin: alerts, requestor: plain, approver: plain },
        activation: { admin: alerts, requestor: plain, approver: plain },
      } as ResolvedSettings["notifications"],
    };
    expect(ga.settings).toEqual(expected);
  });

  it("profile tiers: what each layer changes", () => {
    const m = demo().model!;
    const pick = (label: string) => {
      const s = m.roleSettings.find((r) => r.label === label)!.settings;
      return {
        activation: s.activation.maximumDuration,
        ticket: s.activation.requireTicket,
        approval: s.activation.approval.required,
        approvers: s.activation.approval.stages[0]!.approvers.length,
        eligible: s.eligibleAssignment.maximumDuration,
        active: s.activeAssignment.maximumDuration,
        permanentEligible: s.eligibleAssignment.allowPermanent,
      };
    };
    const untouched = graphDefaults("directory");
    expect(untouched.activation.maximumDuration).toBe("PT8H");
    expect(untouched.eligibleAssignment.allowPermanent).toBe(true);
    expect(pick("Security Reader")).toEqual({
      activation: "PT8H",
      ticket: false,
      approval: false,
      approvers: 0,
      eligible: "P365D",
      active: "P30D",
      permanentEligible: false,
    });
    expect(pick("Security Administrator")).toEqual({
      activation: "PT4H",
      ticket: true,
      approval: false,
      approvers: 0,
      eligible: "P180D",
      active: "P15D",
      permanentEligible: false,
    });
    expect(pick("Privileged Role Administrator")).toEqual({
      activation: "PT1H",
      ticket: true,
      approval: true,
      approvers: 1,
      eligible: "P180D",
      active: "P15D",
      permanentEligible: false,
    });
    // Groups start from the group defaults (no MFA on activation) and get it from baseline.
    const member = m.roleSettings.find((r) => r.label === "Tier-1 Helpdesk Operators (member)")!.settings;
    expect(graphDefaults("group").activation.requireMfa).toBe(false);
    expect(member.activation.requireMfa).toBe(true);
  });

  it("approver group and PIM group", () => {
    const m = demo().model!;
    expect(m.approverGroups).toEqual([
      {
        name: "PIM Approvers - Tier 0",
        previousNames: [],
        description: "Approves activation of the roles that control the tenant. Members hold none of them.",
        members: [
          "margaret.hamilton@contoso.com",
          "katherine.johnson@contoso.com",
          "dorothy.vaughan@contoso.com",
        ],
        approves: [
          {
            kind: "directory",
            name: "Global Administrator",
            id: GLOBAL_ADMINISTRATOR,
            builtIn: true,
            isPrivileged: true,
          },
          {
            kind: "directory",
            name: "Privileged Role Administrator",
            id: "e8611ab8-c189-46e8-94e1-60213ab1f814",
            builtIn: true,
            isPrivileged: true,
          },
        ],
        source: { file: "stacks/demo/tenant.yaml", line: 95, column: 5 },
      },
    ]);
    expect(m.pimGroups).toHaveLength(1);
    const g = m.pimGroups[0]!;
    expect(g.roleAssignable).toBe(true);
    expect(g.roles.map((r) => r.name)).toEqual(["Helpdesk Administrator"]);
    expect(g.members).toEqual({
      eligible: [
        {
          principal: "grace.hopper@contoso.com",
          start: null,
          end: "2027-05-01T00:00:00.000Z",
          justification: "Second-line support rota",
          status: "current",
        },
      ],
      active: [],
    });
    expect(g.owners.eligible.map((o) => [o.principal, o.end])).toEqual([
      ["ken.thompson@contoso.com", "2027-05-01T00:00:00.000Z"],
    ]);
  });
});

describe("time", () => {
  it("date-only end means through that day: 2026-12-31 ends at 2027-01-01T00:00:00.000Z", () => {
    const r = withGrants({ g: grant({ end: "2026-12-31" }) });
    expect(r.diagnostics).toEqual([]);
    expect(byId(r.model!.grants, "g")).toMatchObject({
      start: null,
      end: "2027-01-01T00:00:00.000Z",
      daysLeft: 39,
    });
  });

  it("a date-time end keeps its instant, converted to UTC", () => {
    const r = withGrants({ g: grant({ end: "2026-12-31T18:00:00+02:00" }) });
    expect(byId(r.model!.grants, "g").end).toBe("2026-12-31T16:00:00.000Z");
  });

  it("a duration is turned into an end from the start", () => {
    const r = withGrants({ g: grant({ start: "2026-12-01", duration: "P42D" }) });
    expect(r.diagnostics).toEqual([]);
    expect(byId(r.model!.grants, "g")).toMatchObject({
      start: "2026-12-01T00:00:00.000Z",
      end: "2027-01-12T00:00:00.000Z",
      status: "pending",
      daysLeft: 50,
    });
  });

  it("status follows now: pending before start, current inside, expired at the end instant exactly", () => {
    const text = grant({ start: "2026-12-01", end: "2026-12-31" });
    const at = (iso: string) => byId(withGrants({ g: text }, new Date(iso)).model!.grants, "g");
    expect(at("2026-11-30T23:59:59.999Z")).toMatchObject({ status: "pending", daysLeft: 32 });
    expect(at("2026-12-01T00:00:00.000Z")).toMatchObject({ status: "current", daysLeft: 31 });
    expect(at("2026-12-31T23:59:59.999Z")).toMatchObject({ status: "current", daysLeft: 1 });
    expect(at("2027-01-01T00:00:00.000Z")).toMatchObject({ status: "expired", daysLeft: 0 });
  });

  it("the demo contractor grant expires on 2027-01-01 and becomes a warning, not an error", () => {
    const r = loadStack({ root: REPO, stack: "demo", now: new Date("2027-01-01T00:00:00Z") });
    expect(r.model).not.toBeNull();
    expect(r.diagnostics).toEqual([
      {
        severity: "warning",
        code: "grant-expired",
        file: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
        line: 7,
        column: 6,
        field: "end",
        message: "expired on 2027-01-01T00:00:00.000Z (0 days ago); it will not be provisioned",
        hint: "delete this declaration in a pull request, or extend end if the access is still needed",
      },
    ]);
    expect(byId(r.model!.grants, "c-jordan-lee-global-administrator").status).toBe("expired");
  });

  it("the role's maximum is inclusive: exactly 180 days passes, one day more fails", () => {
    const ok = withGrants({
      g: grant({ role: "Security Administrator", start: "2026-12-01", end: "2027-05-29" }),
    });
    expect(ok.diagnostics).toEqual([]);
    expect(byId(ok.model!.grants, "g").end).toBe("2027-05-30T00:00:00.000Z");
    const late = withGrants({
      g: grant({ role: "Security Administrator", start: "2026-12-01", end: "2027-05-30" }),
    });
    expect(late.diagnostics.map((x) => [x.code, x.line, x.column, x.message, x.hint])).toEqual([
      [
        "end-beyond-maximum",
        6,
        6,
        "lasts 181 days from its start, beyond the 180d maximum for eligible assignments of Security Administrator",
        "end on or before 2027-05-30, or raise eligibleAssignment.maximumDuration in the role's settings",
      ],
    ]);
  });

  it("a role without declared settings is checked against Graph's defaults (permanent eligible allowed)", () => {
    const r = withGrants({ g: grant({ role: "Reports Reader" }) });
    expect(r.diagnostics).toEqual([]);
    expect(byId(r.model!.grants, "g")).toMatchObject({ end: null, daysLeft: null, status: "current" });
  });
});

describe("grants: identity, scopes, principals", () => {
  it("scopes: tenant, /, administrative unit, application", () => {
    const r = withGrants({
      a: grant({ role: "User Administrator", scope: "tenant", end: "2027-01-31" }),
      b: grant({ role: "Helpdesk Administrator", scope: "/", end: "2027-01-31" }),
      c: grant({ role: "User Administrator", scope: "{ administrativeUnit: Finance }", end: "2027-01-31" }),
      d: grant({ role: "Application Administrator", scope: "{ application: Payroll }", end: "2027-01-31" }),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.grants.map((g) => [g.id, g.scope, g.key])).toEqual([
      [
        "a",
        { type: "tenant" },
        "eligible|directory:fe930be7-5e62-47db-91af-98c3a49a38b1|/|ada.lovelace@contoso.com",
      ],
      [
        "b",
        { type: "tenant" },
        "eligible|directory:729827e3-9c14-49f7-bb1b-9608f156bbb8|/|ada.lovelace@contoso.com",
      ],
      [
        "c",
        { type: "administrativeUnit", ref: "Finance" },
        "eligible|directory:fe930be7-5e62-47db-91af-98c3a49a38b1|au:finance|ada.lovelace@contoso.com",
      ],
      [
        "d",
        { type: "application", ref: "Payroll" },
        "eligible|directory:9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3|app:payroll|ada.lovelace@contoso.com",
      ],
    ]);
  });

  it("an Azure grant is refused offline, and still held to the settings of its role on that scope (case and trailing slash ignored)", () => {
    const within = grant({
      role: "Owner",
      scope: "/subscriptions/5F1C2D3E-4B5A-4C6D-8E7F-9A0B1C2D3E4F/",
      end: "2027-01-31",
    });
    const beyond = grant({
      role: "Owner",
      scope: "/subscriptions/5F1C2D3E-4B5A-4C6D-8E7F-9A0B1C2D3E4F/",
      end: "2027-12-31",
    });
    expect(withGrants({ e: within }).diagnostics.map((x) => [x.code, x.field])).toEqual([
      ["azure-grant-unsupported", "scope"],
    ]);
    expect(withGrants({ e: beyond }).diagnostics.map((x) => [x.code, x.field])).toEqual([
      ["azure-grant-unsupported", "scope"],
      ["end-beyond-maximum", "end"],
    ]);
  });

  it("the same role on two scopes is two grants, not a duplicate", () => {
    const r = withGrants({
      a: grant({ role: "User Administrator", end: "2027-01-31" }),
      b: grant({ role: "User Administrator", scope: "{ administrativeUnit: Finance }", end: "2027-01-31" }),
      c: grant({ role: "User Administrator", kind: "active", end: "2026-12-01" }),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.grants).toHaveLength(3);
  });

  it("principal types: UPN is a user, a name is unknown until resolved, principalType wins", () => {
    const r = withGrants({
      a: grant({ end: "2027-01-31" }),
      b: grant({ principal: "SOC Analysts", end: "2027-01-31" }),
      // Active: Entra takes only active grants for a service principal (an eligible one is refused).
      c: grant({
        principal: "Payroll Sync",
        principalType: "servicePrincipal",
        kind: "active",
        end: "2026-12-01",
      }),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.grants.map((g) => g.principal)).toEqual([
      { ref: "ada.lovelace@contoso.com", type: "user" },
      { ref: "SOC Analysts", type: null },
      { ref: "Payroll Sync", type: "servicePrincipal" },
    ]);
  });

  it("role names resolve case-insensitively and by template id; unknown GUIDs are custom roles", () => {
    const r = withGrants({
      a: grant({ role: "security READER", end: "2027-01-31" }),
      b: grant({ role: GLOBAL_ADMINISTRATOR, end: "2027-01-31", principal: "x@contoso.com" }),
      c: grant({ role: "11111111-2222-3333-4444-555555555555", end: "2027-01-31" }),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.grants.map((g) => g.role)).toEqual([
      {
        kind: "directory",
        name: "Security Reader",
        id: "5d6b6bb7-de71-4623-b4af-96380a352509",
        builtIn: true,
        isPrivileged: true,
      },
      {
        kind: "directory",
        name: "Global Administrator",
        id: GLOBAL_ADMINISTRATOR,
        builtIn: true,
        isPrivileged: true,
      },
      {
        kind: "directory",
        name: "11111111-2222-3333-4444-555555555555",
        id: "11111111-2222-3333-4444-555555555555",
        builtIn: false,
        isPrivileged: true,
      },
    ]);
  });

  it("a break-glass account's permanent active grant is allowed; with an end it is still checked", () => {
    const r = withGrants({
      bg: grant({
        principal: "BG-Bravo@contoso.onmicrosoft.com",
        role: "Global Administrator",
        kind: "active",
      }),
      bg2: grant({
        principal: "bg-alpha@contoso.onmicrosoft.com",
        role: "Global Administrator",
        kind: "active",
        end: "2027-11-01",
      }),
    });
    expect(r.diagnostics.map((x) => [x.file, x.code])).toEqual([
      ["stacks/demo/grants/bg2.yaml", "end-beyond-maximum"],
    ]);
  });

  it("when tenant.yaml is broken, grant files are still checked on their own", () => {
    const r = withGrants({ g: grant({ role: "Global Adminstrator", end: "2027-01-31" }) }, NOW, "tenant: [");
    expect(r.model).toBeNull();
    expect(r.diagnostics.map((x) => [x.file, x.code])).toEqual([
      ["stacks/demo/grants/g.yaml", "unknown-role"],
      ["stacks/demo/tenant.yaml", "yaml-syntax"],
    ]);
  });
});

describe("the role a PIM group holds", () => {
  it("is refused offline when the role's settings require active assignments to end, at the group's role", () => {
    const tenant = DEMO_TENANT.replace(
      "      activeAssignment: { allowPermanent: true } # held permanently, through PIM, by the PIM group below\n",
      "",
    );
    expect(tenant).not.toBe(DEMO_TENANT);
    const r = withGrants({}, NOW, tenant);
    expect(r.model).toBeNull();
    expect(
      r.diagnostics.map((d) => [d.code, d.file, `${d.line}:${d.column}`, d.field, d.message, d.hint]),
    ).toEqual([
      [
        "group-role-must-expire",
        "stacks/demo/tenant.yaml",
        "109:9",
        "pimGroups[0].roles[0]",
        '"Tier-1 Helpdesk Operators" holds Helpdesk Administrator through a permanent active PIM assignment, and Helpdesk Administrator\'s settings require active assignments to end (maximum P15D)',
        "set activeAssignment.allowPermanent: true in Helpdesk Administrator's roleSettings entry (the members' access is bounded by the group's own PIM settings), or remove the role from the group",
      ],
    ]);
  });
});

describe("PIM-for-Groups settings: Graph's limits, not azuread's", () => {
  const TOO_MUCH = [
    "      eligibleAssignment: { maximumDuration: P4000D }",
    "      activation:",
    "        approval:",
    "          required: true",
    "          stages:",
    "            - approvers: [{ user: margaret.hamilton@contoso.com }]",
    "              escalation: { afterMinutes: 60, approvers: [{ user: katherine.johnson@contoso.com }] }",
    "            - approvers: [{ user: dorothy.vaughan@contoso.com }]",
    "",
  ].join("\n");

  it("refuses what Entra refuses or drops on a group's policy, at the line that declares it, as for a directory role", () => {
    const r = loadGroupPolicyStack(TOO_MUCH);
    expect(r.model).toBeNull();
    expect(
      r.diagnostics.map((d) => [d.code, d.file, `${d.line}:${d.column}`, d.field, d.message, d.hint]),
    ).toEqual([
      [
        "invalid-value",
        "stacks/demo/tenant.yaml",
        "86:46",
        "roleSettings.groups[0].eligibleAssignment.maximumDuration",
        "Tier-1 Helpdesk Operators (member): longer than ten years",
        "use at most P3650D",
      ],
      [
        "escalation-approvers-dropped",
        "stacks/demo/tenant.yaml",
        "92:27",
        "roleSettings.groups[0].activation.approval.stages[0].escalation",
        "Tier-1 Helpdesk Operators (member): stage 1 names escalation approvers; Entra accepts them on a directory role's or group's policy and keeps none",
        "remove escalation (set it to null) and add those approvers to the stage itself",
      ],
      [
        "second-approval-stage",
        "stacks/demo/tenant.yaml",
        "93:15",
        "roleSettings.groups[0].activation.approval.stages[1]",
        "Tier-1 Helpdesk Operators (member): declares 2 approval stages; Entra keeps one stage on a directory role's or group's policy",
        "declare a single stage (put every approver in it)",
      ],
    ]);
    // The same check, once, for both families: the directory role's entry gets the same findings.
    const role = "    - role: Security Reader\n      profile: baseline\n";
    const onRole = withGrants({}, NOW, DEMO_TENANT.replace(role, role + TOO_MUCH));
    expect(onRole.diagnostics.map((d) => [d.code, d.field])).toEqual([
      ["invalid-value", "roleSettings.directoryRoles[7].eligibleAssignment.maximumDuration"],
      [
        "escalation-approvers-dropped",
        "roleSettings.directoryRoles[7].activation.approval.stages[0].escalation",
      ],
      ["second-approval-stage", "roleSettings.directoryRoles[7].activation.approval.stages[1]"],
    ]);
  });

  it("loads what azuread could not express and Graph accepts, value for value", () => {
    const r = loadGroupPolicyStack(GRAPH_ACCEPTS);
    expect(r.diagnostics).toEqual([]);
    const member = r.model!.roleSettings.find((d) => d.label === "Tier-1 Helpdesk Operators (member)")!;
    const s = member.settings;
    expect(s.activation.maximumDuration).toBe("PT10H45M");
    expect(s.eligibleAssignment).toMatchObject({ allowPermanent: false, maximumDuration: "P200D" });
    expect(s.activeAssignment).toMatchObject({ allowPermanent: false, maximumDuration: "P45D" });
    expect(s.notifications.activation.approver).toEqual({
      level: "none",
      defaultRecipients: false,
      additionalRecipients: [],
    });
    expect(s.notifications.eligibleAssignment.requestor).toEqual({
      level: "none",
      defaultRecipients: true,
      additionalRecipients: [],
    });
    // The owner's entry keeps the profile's values: the edit reached the member's policy only.
    const owner = r.model!.roleSettings.find((d) => d.label === "Tier-1 Helpdesk Operators (owner)")!;
    expect(owner.settings.activation.maximumDuration).toBe("PT4H");
    expect(owner.settings.notifications.activation.approver.level).toBe("all");
  });
});

describe("loadStack on disk", () => {
  it("lists stacks that have a tenant.yaml", () => {
    expect(listStacks(REPO)).toContain("demo");
    expect(listStacks(path.join(os.tmpdir(), "no-such-repo-here"))).toEqual([]);
  });

  it("an unknown stack or a path-like name is a StackNotFoundError naming the stacks that exist", () => {
    expect(() => loadStack({ root: REPO, stack: "nope", now: NOW })).toThrow(StackNotFoundError);
    expect(() => loadStack({ root: path.join(REPO, "stacks", "demo"), stack: "..", now: NOW })).toThrow(
      StackNotFoundError,
    );
    expect(() => loadStack({ root: REPO, stack: "../stacks/demo", now: NOW })).toThrow(
      /no stack named "\.\.\/stacks\/demo": stacks\/\.\.\/stacks\/demo\/tenant\.yaml does not exist \(stacks here: .*demo/,
    );
  });

  it("reads only .yaml/.yml files under grants/, sorted, no folder named like one, and warns about the rest", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-load-"));
    try {
      const dir = path.join(root, "stacks", "t");
      fs.mkdirSync(path.join(dir, "grants"), { recursive: true });
      fs.writeFileSync(path.join(dir, "tenant.yaml"), DEMO_TENANT);
      fs.writeFileSync(path.join(dir, "grants", "b.yml"), grant({ end: "2027-01-31" }));
      fs.writeFileSync(
        path.join(dir, "grants", "a.yaml"),
        grant({ role: "Global Reader", end: "2027-01-31" }),
      );
      fs.writeFileSync(path.join(dir, "grants", "README.md"), "# not a grant");
      fs.writeFileSync(path.join(dir, "grants", "c.yaml.txt"), grant({ end: "2027-01-31" }));
      fs.mkdirSync(path.join(dir, "grants", "archive.yaml"));
      const r = loadStack({ root, stack: "t", now: NOW });
      expect(r.files).toEqual(["stacks/t/tenant.yaml", "stacks/t/grants/a.yaml", "stacks/t/grants/b.yml"]);
      expect(r.model!.grants.map((g) => g.id)).toEqual(["a", "b"]);
      // What is not read is said, never dropped silently (a README is expected and not mentioned).
      expect(r.diagnostics.filter((d) => d.code === "ignored-file")).toEqual([
        {
          severity: "warning",
          code: "ignored-file",
          file: "stacks/t/grants/archive.yaml/",
          line: 1,
          column: 1,
          field: "(file)",
          message:
            "archive.yaml/ is a folder under grants/ and is not read: grants are only read from grants/ itself",
          hint: "move its grant files up into grants/",
        },
        {
          severity: "warning",
          code: "ignored-file",
          file: "stacks/t/grants/c.yaml.txt",
          line: 1,
          column: 1,
          field: "(file)",
          message: "c.yaml.txt is not a .yaml or .yml file, so it is not read as a grant",
          hint: "rename it to end in .yaml, or remove it",
        },
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("positions", () => {
  it("the top-level locator kept for grants answers exactly as the full document does", () => {
    const texts = fs
      .readdirSync(path.join(REPO, "stacks/demo/grants"))
      .map((f) => fs.readFileSync(path.join(REPO, "stacks/demo/grants", f), "utf8"));
    texts.push("principal: a@b.com\nticket:\n  system: X\n  number: Y\nrole:\nkind: eligible\n");
    let checked = 0;
    for (const text of texts) {
      const full = parseYamlSource("g.yaml", text);
      const compact = topLevelLocator(full);
      expect(compact.locate([])).toEqual(full.locate([]));
      expect(compact.locate(["missing"])).toEqual(full.locate(["missing"]));
      for (const key of Object.keys(full.value as object)) {
        expect(compact.locate([key]), key).toEqual(full.locate([key]));
        expect(compact.locate([key], "key"), key).toEqual(full.locate([key], "key"));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
