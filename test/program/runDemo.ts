/**
 * Runs the real program (stacks/index.ts) under mocks at a fixed instant, reading the offline tenant (the
 * emulator, seeded like the demo tenant) exactly as it reads a real one before it registers anything. Stack
 * config as stacks/Pulumi.demo.yaml sets it, warnings captured, `PIM_NOW` set for the run (the demo's grants end
 * on real dates) and removed by `restoreClock` afterwards.
 *
 * Groups the program creates get the object id the emulator holds for a group of that display name (the demo
 * seed has them), so that inputs naming them are real ids when a scenario then drives the providers.
 */
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { installMocks, settle, type Harness } from "../components/harness";
import { DEMO_TENANT, startEmulatorTenant, type EmulatorTenant } from "./emulatorTenant";

export const SUB = "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

/** stacks/Pulumi.demo.yaml, as the engine hands it to the program. */
export const DEMO_CONFIG: Record<string, string> = {
  "pim:declarations": "demo",
  "azuread:tenantId": DEMO_TENANT,
  "azure-native:tenantId": DEMO_TENANT,
  "pim:azureRolePolicies": JSON.stringify({
    [`azure:${SUB}:${OWNER}`]: "0fe50d9c-dc71-5607-8b66-9471e74b7413",
  }),
};

export type Program = typeof import("../../stacks/index");
export type Outputs = Awaited<ReturnType<Program>>;

export interface ProgramHarness {
  h: Harness;
  t: EmulatorTenant;
  program: Program;
  /** Every pulumi.log.warn message, in order. */
  warnings: string[];
  /** Runs the program once: its outputs, or the error it stopped with. Registrations are added to `h.resources`. */
  run(opts?: {
    now?: string;
    config?: Record<string, string>;
    root?: string;
  }): Promise<{ outputs?: Outputs; error?: unknown }>;
}

export async function startProgram(
  opts: { stack?: string; tenant?: EmulatorTenant } = {},
): Promise<ProgramHarness> {
  const t = opts.tenant ?? (await startEmulatorTenant());
  const h = installMocks({
    project: "pim",
    stack: opts.stack ?? "demo",
    groupObjectId: (inputs) =>
      [...t.emu.state.groups.values()].find((g) => g.displayName === inputs["displayName"])?.id,
  });
  const warnings: string[] = [];
  vi.spyOn(pulumi.log, "warn").mockImplementation(async (msg: string) => {
    warnings.push(msg);
  });
  const program = (await import("../../stacks/index.js")).default as Program;
  return {
    h,
    t,
    program,
    warnings,
    async run(o = {}) {
      pulumi.runtime.setAllConfig(o.config ?? DEMO_CONFIG);
      process.env["PIM_NOW"] = o.now ?? "2026-11-23T12:00:00.000Z";
      try {
        const outputs = await program(o.root ? { root: o.root } : {});
        await settle();
        return { outputs };
      } catch (error) {
        await settle();
        return { error };
      } finally {
        delete process.env["PIM_NOW"];
      }
    },
  };
}

/** The demo stack run once at `now`: the shared set-up of the demo program tests. */
export async function runDemoProgram(now: string): Promise<ProgramHarness & { outputs: Outputs }> {
  const p = await startProgram();
  const { outputs, error } = await p.run({ now });
  if (error) throw error;
  return { ...p, outputs: outputs! };
}
