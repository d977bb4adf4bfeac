/**
 * The offline tenant the program reads before it registers anything: the demo seed (the Contoso tenant the demo
 * stack declares) plus the objects the identity and break-glass tests need, served by the emulator, with the Graph
 * layer pointed at it through the environment exactly as a stack would point it (base URL, client credentials).
 */
import {
  defaultSeedPath,
  startEmulator,
  type EmulatorSeed,
  type RunningEmulator,
} from "../../emulator/index";
import { readSeedFile } from "../../emulator/seed";

export const DEMO_TENANT = "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47";
export const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
/** The emulator's clock: inside every demo grant's window (see test/program/demo.test.ts). */
export const EMULATOR_NOW = new Date("2026-11-23T12:00:00Z");

/** The demo seed with `edit` applied to a copy. */
export function demoSeed(
  edit: (
    s: Required<Pick<EmulatorSeed, "users" | "groups" | "applications">> & EmulatorSeed,
  ) => void = () => {},
): EmulatorSeed {
  const s = readSeedFile(defaultSeedPath()) as EmulatorSeed;
  const copy = JSON.parse(JSON.stringify(s)) as EmulatorSeed;
  copy.users ??= [];
  copy.groups ??= [];
  copy.applications ??= [];
  edit(copy as Parameters<typeof edit>[0]);
  return copy;
}

export interface EmulatorTenant {
  emu: RunningEmulator;
  /** Object id of a user by UPN, of a group or an application by display name. */
  user(upn: string): string;
  group(name: string): string;
  stop(): Promise<void>;
}

const ENV = ["PIM_GRAPH_BASE_URL", "PIM_GRAPH_TENANT_ID", "PIM_GRAPH_CLIENT_ID", "PIM_GRAPH_CLIENT_SECRET"];

/** Starts the emulator and points the Graph layer at it as the deployer app; `stop` restores the environment. */
export async function startEmulatorTenant(seed: EmulatorSeed = demoSeed()): Promise<EmulatorTenant> {
  const emu = await startEmulator({ port: 0, seed, now: EMULATOR_NOW });
  const cc = emu.clientCredentials("pim-as-code-deployer");
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  Object.assign(process.env, {
    PIM_GRAPH_BASE_URL: emu.baseUrl,
    PIM_GRAPH_TENANT_ID: cc.tenantId,
    PIM_GRAPH_CLIENT_ID: cc.clientId,
    PIM_GRAPH_CLIENT_SECRET: cc.clientSecret,
  });
  return {
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
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await emu.stop();
    },
  };
}
