/**
 * Runs the real program (stacks/index.ts) for the demo stack under mocks at a fixed instant, the set-up every
 * program test shares: stack config as stacks/Pulumi.demo.yaml sets it, warnings captured, `PIM_NOW` set for the
 * run (the demo's grants end on real dates) and removed by `restoreClock` afterwards.
 */
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { installMocks, settle, type Harness } from "../components/harness";

export const SUB = "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export interface DemoRun {
  h: Harness;
  program: typeof import("../../stacks/index");
  /** Every pulumi.log.warn message, in order. */
  warnings: string[];
}

export async function runDemoProgram(now: string): Promise<DemoRun> {
  const h = installMocks({ project: "pim", stack: "demo" });
  pulumi.runtime.setAllConfig({
    "pim:declarations": "demo",
    "pim:azureRolePolicies": JSON.stringify({
      [`azure:${SUB}:${OWNER}`]: "9a5c1d2e-0000-4000-8000-00000000a001",
    }),
  });
  const warnings: string[] = [];
  vi.spyOn(pulumi.log, "warn").mockImplementation(async (msg: string) => {
    warnings.push(msg);
  });
  process.env["PIM_NOW"] = now;
  const program = await import("../../stacks/index.js");
  await settle();
  return { h, program, warnings };
}

export function restoreClock(): void {
  delete process.env["PIM_NOW"];
}
