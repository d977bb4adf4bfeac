/**
 * The demo program as `pulumi preview` runs it: `@pulumi/pulumi/cmd/run` started by the engine double with the
 * language host's arguments and environment, in `stacks/` (the folder of `main`), ts-node type-checking the program
 * as it does for a user, registering against the double's resource monitor. Then the policy pack as the engine runs
 * it, `cmd/run-policy-pack` started in `policies/`, over what the program registered. One program run, one pack.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
      "pim:config:azureRolePolicies":
        '{"azure:/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f:8e3af657-a8ff-443c-a75c-2fe8c4bcb635":"9a5c1d2e-0000-4000-8000-00000000a001"}',
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

  it("registers exactly the expected resources", () => {
    const t = "urn:pulumi:demo::pim::pim:index:Tenant";
    expect(run.registrations.map((r) => r.urn).sort()).toEqual(
      [
        "urn:pulumi:demo::pim::pulumi:pulumi:Stack::pim-demo",
        `${t}::demo`,
        `${t}$pim:azure:AzureRoleSettings$azure-native:authorization:RoleManagementPolicy::demo-azure-owner-subscriptions-5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f-policy`,
        `${t}$pim:azure:AzureRoleSettings::demo-azure-owner-subscriptions-5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f`,
        `${t}$pim:entra:ApproverGroup$azuread:index/group:Group::demo-approvers-pim-approvers-tier-0-group`,
        `${t}$pim:entra:ApproverGroup$azuread:index/groupMember:GroupMember::demo-approvers-pim-approvers-tier-0-member-dorothy-vaughan-contoso-com`,
        `${t}$pim:entra:ApproverGroup$azuread:index/groupMember:GroupMember::demo-approvers-pim-approvers-tier-0-member-katherine-johnson-contoso-com`,
        `${t}$pim:entra:ApproverGroup$azuread:index/groupMember:GroupMember::demo-approvers-pim-approvers-tier-0-member-margaret-hamilton-contoso-com`,
        `${t}$pim:entra:ApproverGroup::demo-approvers-pim-approvers-tier-0`,
        `${t}$pim:entra:BreakGlass$azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::demo-break-glass-bg-alpha-contoso-onmicrosoft-com`,
        `${t}$pim:entra:BreakGlass$azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::demo-break-glass-bg-bravo-contoso-onmicrosoft-com`,
        `${t}$pim:entra:BreakGlass::demo-break-glass`,
        `${t}$pim:entra:PimGroup$azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::demo-group-tier-1-helpdesk-operators-role-helpdesk-administrator`,
        `${t}$pim:entra:PimGroup$azuread:index/group:Group::demo-group-tier-1-helpdesk-operators-group`,
        `${t}$pim:entra:PimGroup$azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy::demo-group-tier-1-helpdesk-operators-member-policy`,
        `${t}$pim:entra:PimGroup$azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy::demo-group-tier-1-helpdesk-operators-owner-policy`,
        `${t}$pim:entra:PimGroup$azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule::demo-group-tier-1-helpdesk-operators-member-eligible-grace-hopper-contoso-com`,
        `${t}$pim:entra:PimGroup$azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule::demo-group-tier-1-helpdesk-operators-owner-eligible-ken-thompson-contoso-com`,
        `${t}$pim:entra:PimGroup::demo-group-tier-1-helpdesk-operators`,
        ...[
          "conditional-access-administrator",
          "exchange-administrator",
          "global-administrator",
          "helpdesk-administrator",
          "privileged-role-administrator",
          "security-administrator",
          "security-reader",
          "user-administrator",
        ].flatMap((role) => [
          `${t}$pim:entra:RoleSettings$${TYPES.settings}::demo-role-${role}-settings`,
          `${t}$pim:entra:RoleSettings::demo-role-${role}`,
        ]),
        ...[
          "ada-lovelace-security-reader",
          "alan-turing-helpdesk-administrator",
          "alan-turing-user-administrator",
          "barbara-liskov-conditional-access-administrator",
          "barbara-liskov-security-administrator",
          "c-jordan-lee-global-administrator",
          "edsger-dijkstra-privileged-role-administrator",
          "grace-hopper-exchange-administrator",
          "ken-thompson-global-administrator",
        ].flatMap((grant) => [
          `${t}$pim:index:Grant$${TYPES.schedule}::demo-grant-${grant}-schedule`,
          `${t}$pim:index:Grant::demo-grant-${grant}`,
        ]),
      ].sort(),
    );
    expect(new Set(run.registrations.map((r) => r.urn)).size).toBe(53);
  });

  it("registers the key inputs the providers act on", () => {
    const { __provider: _p, ...grant } = byName(
      "demo-grant-c-jordan-lee-global-administrator-schedule",
    ).inputs;
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
    const ga = byName("demo-role-global-administrator-settings");
    expect(ga.inputs["roleDefinitionId"]).toBe("62e90394-69f5-4237-9190-012177145e10");
    expect(ga.inputs["roleName"]).toBe("Global Administrator");
    // In a preview of a new stack the approver group does not exist yet: its object id is unknown.
    expect(ga.inputs["approverIds"]).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    const bg = byName("demo-break-glass-bg-alpha-contoso-onmicrosoft-com");
    expect([bg.inputs["principalObjectId"], bg.options.protect, bg.options.retainOnDelete]).toEqual([
      user("bg-alpha@contoso.onmicrosoft.com"),
      true,
      true,
    ]);
  });

  it("stores the same small shim in every dynamic resource of a type", () => {
    for (const type of [TYPES.settings, TYPES.schedule]) {
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
    expect(run.counts[TYPES.schedule]).toEqual({ create: 9 });
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
    const grant = byName("demo-grant-ken-thompson-global-administrator-schedule");
    const unsafe = analyzedResource({
      ...grant,
      name: "forever",
      urn: grant.urn.replace(/::[^:]*$/, "::forever"),
      inputs: { ...grant.inputs, kind: "active", end: null, label: "active Global Administrator (forever)" },
    });
    const id = user("ken.thompson@contoso.com");
    expect(await pack.analyze(unsafe)).toEqual([
      {
        policyName: "pim-004-no-permanent-active-assignment-to-privileged-roles",
        policyPackName: "pim-safe-defaults",
        enforcementLevel: "mandatory",
        message: expect.stringContaining(
          `[PIM-004] active Global Administrator (forever): ${id} holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a privileged role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ${id} is an emergency access account, declare it under breakGlass.`,
        ),
        urn: "",
      },
    ]);
  });
});
