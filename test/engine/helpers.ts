/**
 * Shared set-up of the engine-path tests: the demo stack run through the engine double, the way `pulumi up` runs
 * it, against the emulator seeded with the demo tenant (emulator/seeds/demo.yaml), at a pinned instant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import type { DeployOptions } from "../../engineDouble/deploy";
import { directoryOutputs } from "../../engineDouble/emulatorDirectory";
import { cliEnvironment } from "../../engineDouble/program";
import { readProject, readStackConfig } from "../../engineDouble/project";

export const ROOT = path.resolve(__dirname, "..", "..");
export const STACKS = path.join(ROOT, "stacks");
export const POLICIES = path.join(ROOT, "policies");

/** Inside every demo grant's window (the contractor's starts on 2026-11-20). */
export const NOW = "2026-11-23T12:00:00.000Z";

/** Program runs type-check the whole program with ts-node, as for a user: tens of seconds on a loaded machine. */
export const PROGRAM_TIMEOUT_MS = 240_000;

export const TYPES = {
  settings: "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings",
  schedule: "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
  groupPolicy: "pulumi-nodejs:dynamic/pim:GroupPolicy",
  groupSchedule: "pulumi-nodejs:dynamic/pim:GroupSchedule",
} as const;

export async function startDemoEmulator(): Promise<RunningEmulator> {
  return startEmulator({ port: 0, now: new Date(NOW) });
}

/**
 * The CLI's environment for a run against the emulator: the deployer app's client credentials, `PIM_NOW`, and
 * neither PIM_PROJECT_ROOT nor PIM_GRAPH_BASE_URL (the providers must find the project and the Graph URL on
 * their own, from the folder they run in and the stack config).
 */
export function demoEnvironment(emu: RunningEmulator): NodeJS.ProcessEnv {
  const cc = emu.clientCredentials("pim-as-code-deployer");
  const env = cliEnvironment({
    PIM_NOW: NOW,
    PIM_GRAPH_CLIENT_ID: cc.clientId,
    PIM_GRAPH_CLIENT_SECRET: cc.clientSecret,
  });
  for (const k of ["PIM_PROJECT_ROOT", "PIM_GRAPH_BASE_URL", "PIM_GRAPH_TENANT_ID"]) delete env[k];
  return env;
}

/**
 * Deploy options for the demo stack: its stack file (`azuread:tenantId` is the demo tenant, as the program requires)
 * with the emulator's URL for `pim:graphBaseUrl`. The program's reads and the providers' writes both go there.
 */
export function demoDeploy(emu: RunningEmulator, projectDir = ROOT): DeployOptions {
  const project = readProject(projectDir);
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-engine-")), "state.json");
  return {
    projectDir,
    stack: "demo",
    statePath,
    config: { ...readStackConfig(project, "demo"), "pim:graphBaseUrl": emu.baseUrl },
    env: demoEnvironment(emu),
    externalOutputs: directoryOutputs(emu),
  };
}

/** The Graph requests the emulator logged from entry `from` on, as `METHOD path` (token requests left out). */
export function graphRequests(emu: RunningEmulator, from = 0): string[] {
  return emu.log
    .entries()
    .slice(from)
    .map((e) => `${e.method} ${e.path}`)
    .filter((r) => !r.includes("/oauth2/"));
}

/**
 * A copy of the project's sources and config in `dest`, with `node_modules` linked: what a clone holds after
 * `npm ci`, for runs whose `stacks/` must hold declarations of their own. The program, its tsconfig and the demo's
 * stack file are copied; no declarations.
 */
export function copyProject(dest: string): void {
  for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json"])
    fs.copyFileSync(path.join(ROOT, f), path.join(dest, f));
  for (const d of ["model", "components", "providers", "policies"])
    fs.cpSync(path.join(ROOT, d), path.join(dest, d), { recursive: true });
  fs.mkdirSync(path.join(dest, "stacks"));
  for (const f of fs.readdirSync(path.join(ROOT, "stacks")))
    if (f.endsWith(".ts") || f === "tsconfig.json" || f === "Pulumi.demo.yaml")
      fs.copyFileSync(path.join(ROOT, "stacks", f), path.join(dest, "stacks", f));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
}
