// `emulator --seed stacks/<name>/tenant.yaml`: a stack's declarations become a tenant holding what the stack
// names, with ids derived from the names (the same ids the default seed derives for the same tenant).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { DIR, GLOBAL_ADMIN, NOW, appToken, graphClient } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const DEMO_STACK = join(ROOT, "stacks", "demo", "tenant.yaml");

describe("a stack's tenant.yaml as a seed", () => {
  it("the demo stack: its users, groups and break-glass accounts, with the default seed's ids", async () => {
    const stack = await startEmulator({ port: 0, now: NOW, seed: DEMO_STACK });
    const demo = await startEmulator({ port: 0, now: NOW });
    try {
      const token = await appToken(stack, "pim-as-code-deployer");
      const c = graphClient(stack, async () => token);
      const users = (await c.api("/users").select("userPrincipalName,displayName,id").get()).value;
      expect(users.map((u: any) => u.userPrincipalName).sort()).toEqual([
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
      ]);
      expect(users.find((u: any) => u.userPrincipalName === "ada.lovelace@contoso.com").displayName).toBe(
        "Ada Lovelace",
      );
      for (const u of users)
        expect([u.userPrincipalName, u.id]).toEqual([
          u.userPrincipalName,
          demo.state.findUser(u.userPrincipalName)!.id,
        ]);
      const groups = (await c.api("/groups").select("displayName,isAssignableToRole,id").get()).value;
      expect(groups.map((g: any) => [g.displayName, g.isAssignableToRole])).toEqual([
        ["PIM Approvers - Tier 0", false],
        ["Tier-1 Helpdesk Operators", true],
      ]);
      expect(groups[0].id).toBe("6b276617-4c68-5aac-b44a-2640f564e89d");
      const org = (await c.api("/organization").get()).value[0];
      expect(org).toMatchObject({
        id: "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
        displayName: "Contoso (demo)",
      });
      expect(org.verifiedDomains.map((d: any) => [d.name, d.isDefault])).toEqual([
        ["contoso.com", true],
        ["contoso.onmicrosoft.com", false],
      ]);
      // Break-glass accounts exist with permanent active Global Administrator; nothing else is granted yet.
      const active = (await c.api(`${DIR}/roleAssignmentSchedules`).get()).value;
      expect(
        active.map((s: any) => [
          stack.state.displayName(s.principalId),
          s.roleDefinitionId,
          s.scheduleInfo.expiration.type,
        ]),
      ).toEqual([
        ["Bg Alpha", GLOBAL_ADMIN, "noExpiration"],
        ["Bg Bravo", GLOBAL_ADMIN, "noExpiration"],
      ]);
      expect((await c.api(`${DIR}/roleEligibilitySchedules`).get()).value).toEqual([]);
    } finally {
      await stack.stop();
      await demo.stop();
    }
  });

  it("reads approvers, service principals, synchronised accounts and authentication contexts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pim-stack-"));
    mkdirSync(join(dir, "grants"));
    writeFileSync(
      join(dir, "tenant.yaml"),
      [
        "tenant: { id: 2b4d6f81-3a5c-4e7d-9f1b-2c4e6a8b0d13, name: Woodgrove Bank }",
        "synchronizedAccounts: ['*@corp.woodgrove.com']",
        "authenticationContexts:",
        "  - { id: c3, conditionalAccessPolicy: Tier 0 step-up, description: Tier 0 activation }",
        "  - { id: c4, conditionalAccessPolicy: 5a1c2e3f-4b6d-4e8f-9a0b-1c2d3e4f5a6b }",
        "profiles:",
        "  tier0:",
        "    activation:",
        "      approval:",
        "        required: true",
        "        stages:",
        "          - approvers: [{ user: rita.reviewer@woodgrove.com }, { group: Security Leads }]",
        "            escalation: { afterMinutes: 60, approvers: [{ user: eve.escalation@woodgrove.com }] }",
        "breakGlass: [{ upn: emergency-1@woodgrove.onmicrosoft.com }]",
        "safeDefaults:",
        "  serviceAccounts: [{ principal: sync-daemon, roles: [Directory Synchronization Accounts], justification: cannot activate }]",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "grants", "a.yaml"),
      "principal: omar.ops@corp.woodgrove.com\nrole: User Administrator\nrequestedBy: rita.reviewer@woodgrove.com\n",
    );
    writeFileSync(
      join(dir, "grants", "b.yaml"),
      "principal: Platform Operators\nrole: Helpdesk Administrator\n",
    );
    writeFileSync(
      join(dir, "grants", "c.yaml"),
      "principal: backup-app\nprincipalType: servicePrincipal\nrole: Exchange Administrator\n",
    );
    writeFileSync(
      join(dir, "grants", "d.yaml"),
      "principal: 0d0d0d0d-1111-4222-8333-444444444444\nrole: Exchange Administrator\n",
    );
    const emu = await startEmulator({ port: 0, now: NOW, seed: join(dir, "tenant.yaml") });
    try {
      const s = emu.state;
      expect([...s.users.values()].map((u) => [u.userPrincipalName, u.onPremisesSyncEnabled]).sort()).toEqual(
        [
          ["emergency-1@woodgrove.onmicrosoft.com", null],
          ["eve.escalation@woodgrove.com", null],
          ["omar.ops@corp.woodgrove.com", true],
          ["rita.reviewer@woodgrove.com", null],
        ],
      );
      expect(s.tenant.domains).toEqual([
        { name: "woodgrove.com", isDefault: true },
        { name: "corp.woodgrove.com", isDefault: false },
        { name: "woodgrove.onmicrosoft.com", isDefault: false },
      ]);
      expect([...s.groups.values()].map((g) => [g.displayName, g.isAssignableToRole]).sort()).toEqual([
        ["Platform Operators", true],
        ["Security Leads", false],
      ]);
      expect([...s.servicePrincipals.values()].map((p) => p.displayName).sort()).toEqual([
        "backup-app",
        "pim-as-code-deployer",
        "pim-reader",
        "sync-daemon",
      ]);
      expect([...s.authenticationContexts.values()]).toEqual([
        { id: "c3", displayName: "Tier 0 activation", description: null, isAvailable: true },
        { id: "c4", displayName: "Authentication context c4", description: null, isAvailable: true },
      ]);
      const [policy, ...others] = [...s.conditionalAccessPolicies.values()];
      expect(others).toEqual([]);
      expect(policy).toMatchObject({
        displayName: "Tier 0 step-up",
        state: "enabled",
        conditions: {
          applications: { includeApplications: [], includeAuthenticationContextClassReferences: ["c3"] },
          users: {
            includeUsers: ["All"],
            excludeUsers: [s.findUser("emergency-1@woodgrove.onmicrosoft.com")!.id],
          },
        },
        grantControls: { authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } },
      });
    } finally {
      await emu.stop();
    }
  });

  it("`pim emulator --seed stacks/demo/tenant.yaml` starts (it used to be refused as an invalid seed)", async () => {
    const child = spawn(
      process.execPath,
      ["bin/pim.js", "emulator", "--port", "0", "--seed", "stacks/demo/tenant.yaml"],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += String(d)));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.includes("\n")) resolve(out);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
      setTimeout(() => reject(new Error("timeout")), 25_000);
    });
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const info = await (await fetch(`${line.trim().slice("listening on ".length)}/_emulator`)).json();
    expect((info as { tenantId: string }).tenantId).toBe("7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47");
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });
});
