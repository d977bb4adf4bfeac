/**
 * The demo program as `pulumi preview` runs it: `@pulumi/pulumi/cmd/run` started by the engine double with the
 * language host's arguments and environment, in `stacks/` (the folder of `main`), ts-node type-checking the program
 * as it does for a user, registering against the double's resource monitor. Then the policy pack as the engine runs
 * it, `cmd/run-policy-pack` started in `policies/`, over what the program registered. One program run, one pack.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyName } from "../../emulator/armModel";
import type { RunningEmulator } from "../../emulator/index";
import { preview, type DeployResult } from "../../engineDouble/deploy";
import type { Registration } from "../../engineDouble/monitor";
import { analyzedResource, startPolicyPack, type RunningPolicyPack } from "../../engineDouble/policyPack";
import { allPolicies } from "../../policies/policies";
import { SHIM_MARKER } from "../../providers/shim/index";
import {
  demoDeploy,
  NOW,
  POLICIES,
  PROGRAM_TIMEOUT_MS,
  ROOT,
  startDemoEmulator,
  STACKS,
  TYPES,
} from "./helpers";

let emu: RunningEmulator;
let run: DeployResult;
let pack: RunningPolicyPack;

beforeAll(async () => {
  emu = await startDemoEmulator();
  [run, pack] = await Promise.all([
    preview(demoDeploy(emu)),
    startPolicyPack({ packDir: POLICIES, project: "pim", stack: "demo", dryRun: true }),
  ]);
}, PROGRAM_TIMEOUT_MS);

afterAll(async () => {
  await pack?.stop();
  await emu?.stop();
});

const byName = (name: string): Registration => {
  const hit = run.registrations.find((r) => r.name === name);
  if (!hit) throw new Error(`no registration named ${name}`);
  return hit;
};
const user = (upn: string) => emu.state.findUser(upn)!.id;

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const DEMO_SUB = "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const APPROVERS = [
  "dorothy.vaughan@contoso.com",
  "katherine.johnson@contoso.com",
  "margaret.hamilton@contoso.com",
];
/** The eight Entra roles the demo manages, by template id (settings are named by role id). */
const ROLE_IDS = {
  "conditional-access-administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
  "exchange-administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "global-administrator": "62e90394-69f5-4237-9190-012177145e10",
  "helpdesk-administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "privileged-role-administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "security-administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "security-reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
  "user-administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
} as const;

/**
 * The demo's grants: file, role, principal, and the last 8 characters of the name (a SHA-256 of the whole identity,
 * components/names.ts). The name is `tenant-grant-<kind>-<role id, 8>-<principal object id, 8>-<hash>`.
 */
const GRANTS: Array<{ file: string; role: keyof typeof ROLE_IDS; upn: string; hash: string }> = [
  {
    file: "ada-lovelace-security-reader",
    role: "security-reader",
    upn: "ada.lovelace@contoso.com",
    hash: "d86ab619",
  },
  {
    file: "ada-lovelace-user-administrator",
    role: "user-administrator",
    upn: "ada.lovelace@contoso.com",
    hash: "84233bed",
  },
  {
    file: "alan-turing-helpdesk-administrator",
    role: "helpdesk-administrator",
    upn: "alan.turing@contoso.com",
    hash: "89f84191",
  },
  {
    file: "alan-turing-user-administrator",
    role: "user-administrator",
    upn: "alan.turing@contoso.com",
    hash: "cd6b40e7",
  },
  {
    file: "barbara-liskov-conditional-access-administrator",
    role: "conditional-access-administrator",
    upn: "barbara.liskov@contoso.com",
    hash: "e855a5a2",
  },
  {
    file: "barbara-liskov-security-administrator",
    role: "security-administrator",
    upn: "barbara.liskov@contoso.com",
    hash: "29bcea7a",
  },
  {
    file: "c-jordan-lee-global-administrator",
    role: "global-administrator",
    upn: "c-jordan.lee@contoso.com",
    hash: "41e5bcf8",
  },
  {
    file: "edsger-dijkstra-privileged-role-administrator",
    role: "privileged-role-administrator",
    upn: "edsger.dijkstra@contoso.com",
    hash: "36f60326",
  },
  {
    file: "grace-hopper-exchange-administrator",
    role: "exchange-administrator",
    upn: "grace.hopper@contoso.com",
    hash: "31e9e263",
  },
  {
    file: "ken-thompson-global-administrator",
    role: "global-administrator",
    upn: "ken.thompson@contoso.com",
    hash: "af4db1a1",
  },
];
const grantName = (g: (typeof GRANTS)[number]) =>
  `tenant-grant-eligible-${ROLE_IDS[g.role].slice(0, 8)}-${user(g.upn).slice(0, 8)}-${g.hash}`;
const byPolicyName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe("the demo program under cmd/run, started as the Node language host starts it", () => {
  it("is invoked with the language host's arguments, environment and working directory", () => {
    const inv = run.program!.invocation;
    expect(inv.cwd).toBe(STACKS);
    expect(inv.args).toEqual([
      path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run/index.js"),
      "--monitor",
      expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      "--engine",
      expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      "--organization",
      "organization",
      "--project",
      "pim",
      "--root-directory",
      ROOT,
      "--stack",
      "demo",
      "--pwd",
      STACKS,
      "--dry-run",
      "--parallel",
      "2147483647",
      "index.ts",
    ]);
    expect(Object.keys(inv.addedEnv)).toEqual([
      "PULUMI_CONFIG",
      "PULUMI_CONFIG_SECRET_KEYS",
      "PULUMI_NODEJS_TYPESCRIPT",
    ]);
    expect(JSON.parse(inv.addedEnv["PULUMI_CONFIG"]!)).toEqual({
      "pim:config:declarations": "demo",
      "pim:config:graphBaseUrl": emu.baseUrl,
      "azuread:config:tenantId": "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
      "azure-native:config:tenantId": "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
      // The demo's Owner policy name is the one the emulator derives for that scope and role.
      "pim:config:azureRolePolicies": JSON.stringify({
        [`azure:${DEMO_SUB}:${OWNER}`]: policyName(DEMO_SUB, OWNER),
      }),
    });
  });

  it("compiles with type checking and finishes without an error", () => {
    expect(run.program!.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.monitor.unhandledInvokes).toEqual([]);
    expect(run.monitor.logs.filter((l) => l.severity === "warning").map((l) => l.message)).toEqual([
      `the clock is overridden: PIM_NOW=${NOW}; expiry is judged against that instant, not the current time`,
    ]);
  });

  it("registers exactly the expected resources, named from what each governs", () => {
    const t = "urn:pulumi:demo::pim::pim:index:Tenant";
    expect(run.registrations.map((r) => r.urn).sort()).toEqual(
      [
        "urn:pulumi:demo::pim::pulumi:pulumi:Stack::pim-demo",
        `${t}::tenant`,
        // Owner on the demo subscription: the role id and a hash of the normalized ARM scope.
        `${t}$pim:azure:AzureRoleSettings$azure-native:authorization:RoleManagementPolicy::tenant-azure-${OWNER}-56eaf74a-policy`,
        `${t}$pim:azure:AzureRoleSettings::tenant-azure-${OWNER}-56eaf74a`,
        `${t}$pim:entra:ApproverGroup$azuread:index/group:Group::tenant-approvers-pim-approvers-tier-0-group`,
        ...APPROVERS.map(
          (upn) =>
            `${t}$pim:entra:ApproverGroup$azuread:index/groupMember:GroupMember::tenant-approvers-pim-approvers-tier-0-member-${user(upn)}`,
        ),
        `${t}$pim:entra:ApproverGroup::tenant-approvers-pim-approvers-tier-0`,
        // Verified by reading, never written: no assignment resource, only the component's record.
        `${t}$pim:entra:BreakGlass::tenant-break-glass`,
        `${t}$pim:entra:PimGroup$azuread:index/group:Group::tenant-group-tier-1-helpdesk-operators-group`,
        // The group's policies, memberships (named from the principal's object id) and role: the project's
        // providers, no azuread PIM-for-Groups resource.
        `${t}$pim:entra:PimGroup$${TYPES.schedule}::tenant-group-tier-1-helpdesk-operators-role-helpdesk-administrator`,
        `${t}$pim:entra:PimGroup$${TYPES.groupPolicy}::tenant-group-tier-1-helpdesk-operators-member-policy`,
        `${t}$pim:entra:PimGroup$${TYPES.groupPolicy}::tenant-group-tier-1-helpdesk-operators-owner-policy`,
        `${t}$pim:entra:PimGroup$${TYPES.groupSchedule}::tenant-group-tier-1-helpdesk-operators-member-eligible-f3cb2708-ec61-59a1-92f1-f14622a18687`,
        `${t}$pim:entra:PimGroup$${TYPES.groupSchedule}::tenant-group-tier-1-helpdesk-operators-owner-eligible-3170d3fe-9305-5ffd-9b13-567134efff03`,
        `${t}$pim:entra:PimGroup::tenant-group-tier-1-helpdesk-operators`,
        ...Object.values(ROLE_IDS).flatMap((id) => [
          `${t}$pim:entra:RoleSettings$${TYPES.settings}::tenant-role-${id}-settings`,
          `${t}$pim:entra:RoleSettings::tenant-role-${id}`,
        ]),
        ...GRANTS.flatMap((g) => [
          `${t}$pim:index:Grant$${TYPES.schedule}::${grantName(g)}-schedule`,
          `${t}$pim:index:Grant::${grantName(g)}`,
        ]),
      ].sort(),
    );
    expect(new Set(run.registrations.map((r) => r.urn)).size).toBe(53);
  });

  it("declares the names earlier releases gave as aliases, so an existing stack moves without a replacement", () => {
    const aliases = (name: string) => byName(name).options.aliases.map((a) => ("urn" in a ? a.urn : a.name));
    expect(aliases("tenant")).toEqual(["demo"]);
    for (const g of GRANTS) {
      expect(aliases(grantName(g)), g.file).toEqual([`demo-grant-${g.file}`]);
      expect(aliases(`${grantName(g)}-schedule`), g.file).toEqual([`demo-grant-${g.file}-schedule`]);
    }
    expect(aliases(`tenant-role-${ROLE_IDS["global-administrator"]}-settings`)).toEqual([
      "demo-role-global-administrator-settings",
    ]);
    expect(aliases("tenant-break-glass")).toEqual(["demo-break-glass"]);
  });

  it("registers the key inputs the providers act on", () => {
    const jordan = GRANTS.find((g) => g.file === "c-jordan-lee-global-administrator")!;
    const { __provider: _p, ...grant } = byName(`${grantName(jordan)}-schedule`).inputs;
    expect(grant).toEqual({
      kind: "eligible",
      principalId: user("c-jordan.lee@contoso.com"),
      principalName: "c-jordan.lee@contoso.com",
      roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
      roleName: "Global Administrator",
      directoryScopeId: "/",
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      justification: "Fabrikam tenant-to-tenant migration, statement of work 2026-114",
      ticket: { system: "ServiceNow", number: "CHG0031337" },
      label: "eligible Global Administrator for c-jordan.lee@contoso.com (c-jordan-lee-global-administrator)",
    });
    const ga = byName(`tenant-role-${ROLE_IDS["global-administrator"]}-settings`);
    expect(ga.inputs["roleDefinitionId"]).toBe("62e90394-69f5-4237-9190-012177145e10");
    expect(ga.inputs["roleName"]).toBe("Global Administrator");
    // In a preview of a new stack the approver group does not exist yet: its object id is unknown.
    expect(ga.inputs["approverIds"]).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    // The break-glass accounts as the program verified them by reading: object id and the permanent assignment.
    const bg = byName("tenant-break-glass");
    const instanceOf = (upn: string) => {
      const s = [...emu.state.schedules.values()].find(
        (x) =>
          x._kind === "assignment" &&
          x._target === ROLE_IDS["global-administrator"] &&
          x.principalId === user(upn),
      )!;
      return `${s._instanceKey}-1`;
    };
    expect(bg.inputs["accounts"]).toEqual(
      ["bg-alpha@contoso.onmicrosoft.com", "bg-bravo@contoso.onmicrosoft.com"].map((upn) => ({
        upn,
        objectId: user(upn),
        assignmentInstanceId: instanceOf(upn),
      })),
    );
  });

  it("stores the same small shim in every dynamic resource of a type", () => {
    for (const type of Object.values(TYPES)) {
      const codes = new Set(
        run.registrations.filter((r) => r.type === type).map((r) => r.inputs["__provider"]),
      );
      expect(codes.size).toBe(1);
      const [code] = [...codes] as string[];
      expect(code!.length).toBeLessThanOrEqual(2048);
      expect(code).toContain(`"${SHIM_MARKER}"`);
    }
  });

  it("previews every dynamic resource as a create: check ran in the provider host, nothing was written", () => {
    expect(run.counts[TYPES.settings]).toEqual({ create: 8 });
    expect(run.counts[TYPES.schedule]).toEqual({ create: 11 });
    expect(run.counts[TYPES.groupPolicy]).toEqual({ create: 2 });
    expect(run.counts[TYPES.groupSchedule]).toEqual({ create: 2 });
    expect(emu.counters().writes).toBe(0);
  });
});

describe("the policy pack under cmd/run-policy-pack, started in policies/", () => {
  it("serves the pack's policies", async () => {
    const info = await pack.info();
    expect([info.name, info.version]).toEqual(["pim-safe-defaults", "0.1.0"]);
    // Exactly the pack's policies, each at the level the pure module declares.
    const declared = allPolicies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel }));
    expect([...info.policies].sort(byPolicyName)).toEqual(declared.sort(byPolicyName));
  });

  it("passes every resource of the demo, alone and as a stack", async () => {
    const resources = run.registrations.map((r) => analyzedResource(r));
    const each = await Promise.all(resources.map((r) => pack.analyze(r)));
    expect(each.flat()).toEqual([]);
    expect(await pack.analyzeStack(resources)).toEqual([]);
  });

  it("reports a permanent active Global Administrator assignment as a mandatory violation", async () => {
    const ken = GRANTS.find((g) => g.file === "ken-thompson-global-administrator")!;
    const grant = byName(`${grantName(ken)}-schedule`);
    const unsafe = analyzedResource({
      ...grant,
      name: "forever",
      urn: grant.urn.replace(/::[^:]*$/, "::forever"),
      inputs: { ...grant.inputs, kind: "active", end: null, label: "active Global Administrator (forever)" },
    });
    const who = "ken.thompson@contoso.com";
    expect(await pack.analyze(unsafe)).toEqual([
      {
        policyName: "pim-004-no-permanent-active-role-assignments",
        policyPackName: "pim-safe-defaults",
        enforcementLevel: "mandatory",
        // The analyzer puts the policy's description first (as the engine shows it); the finding follows.
        message: expect.stringContaining(
          `[PIM-004 critical] active Global Administrator (forever): ${who} holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ${who} is an emergency access account, declare it under breakGlass; if it is a service account that cannot activate, declare it under safeDefaults.serviceAccounts with the role and the reason.`,
        ),
        urn: "",
      },
    ]);
  });
});
