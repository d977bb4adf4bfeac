/**
 * Shared set-up for the provider tests: an emulator per test file (port 0), its client credentials in the
 * environment the Graph layer reads at call time, and a small seed tenant.
 */
import { startEmulator, type RunningEmulator, type EmulatorSeed } from "../../emulator/index";

export const TENANT_ID = "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47";
export const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
export const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
export const HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
export const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";

/** A fixed instant for the emulator clock: tests never depend on the host clock. */
export const NOW = new Date("2026-11-23T12:00:00Z");

/** The secret of the deployment app in the seed; the serialization guard asserts it never appears. */
export const CLIENT_SECRET = "emu-secret-Zq8vN3kP5wR7tY2x";

export function seed(extra: Partial<EmulatorSeed> = {}): EmulatorSeed {
  return {
    tenant: {
      id: TENANT_ID,
      displayName: "Contoso (test)",
      domains: [{ name: "contoso.com", isDefault: true }],
    },
    users: [
      { upn: "ken.thompson@contoso.com", displayName: "Ken Thompson" },
      { upn: "ada.lovelace@contoso.com", displayName: "Ada Lovelace" },
      { upn: "alan.turing@contoso.com", displayName: "Alan Turing" },
      { upn: "grace.hopper@contoso.com", displayName: "Grace Hopper" },
      { upn: "c-jordan.lee@contoso.com", displayName: "Jordan Lee (contractor)" },
      { upn: "bg-01@contoso.com", displayName: "Break Glass 01" },
    ],
    groups: [
      { displayName: "Tier-0 Approvers", members: ["ken.thompson@contoso.com", "grace.hopper@contoso.com"] },
    ],
    applications: [
      {
        displayName: "pim-as-code",
        clientSecret: CLIENT_SECRET,
        // Least privilege for the two providers (graph-pim.md §6).
        permissions: [
          "RoleManagementPolicy.ReadWrite.Directory",
          "RoleEligibilitySchedule.ReadWrite.Directory",
          "RoleAssignmentSchedule.ReadWrite.Directory",
        ],
      },
    ],
    administrativeUnits: [{ displayName: "Paris office" }],
    // The break-glass account keeps the tenant from losing its last active Global Administrator.
    assignments: [{ principal: "bg-01@contoso.com", role: "Global Administrator" }],
    ...extra,
  };
}

export interface Harness {
  emu: RunningEmulator;
  /** Object id of a seeded user by UPN. */
  user(upn: string): string;
  group(name: string): string;
  /** The progress lines the providers' bounded waits printed. */
  progress: string[];
  /** Sets the providers' clock (PIM_NOW) to the emulator's, after a test moves the emulator's clock. */
  syncClock(): void;
  stop(): Promise<void>;
}

/** Starts the emulator and points the Graph layer at it through the environment (read at call time). */
export async function startHarness(opts: { seed?: EmulatorSeed; pageSize?: number } = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, seed: opts.seed ?? seed(), now: NOW, pageSize: opts.pageSize });
  const cc = emu.clientCredentials("pim-as-code");
  process.env["PIM_GRAPH_BASE_URL"] = emu.baseUrl;
  process.env["PIM_GRAPH_TENANT_ID"] = cc.tenantId;
  process.env["PIM_GRAPH_CLIENT_ID"] = cc.clientId;
  process.env["PIM_GRAPH_CLIENT_SECRET"] = cc.clientSecret;
  process.env["PIM_PROJECT_ROOT"] = process.cwd();
  // The providers' clock is the emulator's (PIM_NOW), and their bounded waits (Entra's five minutes before an active
  // assignment may be removed, a new group's policies) pass on the emulator's clock, instantly.
  const syncClock = () => (process.env["PIM_NOW"] = emu.clock.now().toISOString());
  syncClock();
  const progress: string[] = [];
  const restoreWaits = providerModule<typeof import("../../providers/pim/wait")>(
    "providers/pim/wait.ts",
  ).setWaitHooks({
    now: () => emu.clock.now().getTime(),
    sleep: async (ms) => {
      emu.clock.advance(ms);
      syncClock();
    },
    progress: (line) => void progress.push(line),
  });
  return {
    progress,
    syncClock,
    emu,
    user: (upn) => {
      const u = emu.state.findUser(upn);
      if (!u) throw new Error(`no user ${upn}`);
      return u.id;
    },
    group: (name) => {
      const g = [...emu.state.groups.values()].find((x) => x.displayName === name);
      if (!g) throw new Error(`no group ${name}`);
      return g.id;
    },
    stop: async () => {
      restoreWaits();
      delete process.env["PIM_NOW"];
      await emu.stop();
    },
  };
}

/**
 * A module of the project exactly as the dynamic providers load it at call time (Node's require, through tsx), so a
 * test reaches the same instance, and the same process-wide caches, as the provider under test.
 */
export function providerModule<T>(relative: string): T {
  const path = require("node:path") as typeof import("node:path");
  if (!require.extensions[".ts"]) (require("tsx/cjs/api") as typeof import("tsx/cjs/api")).register();
  return require(path.resolve(process.cwd(), relative)) as T;
}

/** Requests the emulator received since `since` (its counters), by route, e.g. `PATCH /policies/...`. */
export function delta(
  before: ReturnType<RunningEmulator["counters"]>,
  after: ReturnType<RunningEmulator["counters"]>,
) {
  const byRoute: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byRoute)) {
    const d = v - (before.byRoute[k] ?? 0);
    if (d) byRoute[k] = d;
  }
  return {
    requests: after.requests - before.requests,
    writes: after.writes - before.writes,
    reads: after.reads - before.reads,
    byRoute,
  };
}
