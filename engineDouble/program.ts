/**
 * Runs a Pulumi program exactly as the Node language host (`pulumi-language-nodejs`) runs it, for Pulumi 3.248
 * (pulumi/pulumi `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`: `Run`, `execNodejs`, `constructArguments`,
 * `constructConfig`, `parseOptions`):
 *
 *   node [nodeargs] <@pulumi/pulumi/cmd/run resolved from the program directory>
 *        --monitor <addr> --engine <addr> --organization <org> --project <name> --root-directory <root>
 *        --stack <stack> --pwd <program directory> [--dry-run] --parallel <n> <entry point>
 *
 * in the working directory the engine gives every plugin (the program directory, `plugin.go` `execPlugin`), with
 * the CLI's environment plus `PULUMI_CONFIG` (keys rewritten to the legacy `<ns>:config:<key>` form, as
 * `constructConfig` does), `PULUMI_CONFIG_SECRET_KEYS`, and from Pulumi.yaml `runtime.options`
 * `PULUMI_NODEJS_TYPESCRIPT=true` (`typescript` defaults to true) and `PULUMI_NODEJS_TSCONFIG_PATH` (`tsconfig`).
 * `cmd/run` then chdirs to `--pwd` and registers ts-node with type checking unless the tsconfig says `noCheck`
 * (`sdk/nodejs/cmd/run/run.ts`).
 *
 * Left out on purpose: `--sync` (the pipes for synchronous invokes; this project makes none) and `--tracing`.
 */
import { spawn } from "node:child_process";
import type { ProjectInfo } from "./project";

/** `pulumi up`'s default `--parallel` (unbounded, sent as math.MaxInt32). */
export const DEFAULT_PARALLEL = 2147483647;

/** The DIY backend's organization name; Pulumi Cloud sends the stack's organization instead. */
export const DEFAULT_ORGANIZATION = "organization";

export interface RunProgramOptions {
  project: ProjectInfo;
  stack: string;
  organization?: string;
  /** `ns:key` → value, as `readStackConfig` returns it. */
  config: Record<string, string>;
  secretKeys?: string[];
  monitorAddress: string;
  engineAddress: string;
  dryRun: boolean;
  parallel?: number;
  /** The CLI's environment (default: this process's, without the test runner's loader options). */
  env?: NodeJS.ProcessEnv;
}

export interface Invocation {
  command: string;
  args: string[];
  cwd: string;
  /** Only what the language host adds to the CLI's environment. */
  addedEnv: Record<string, string>;
}

export interface ProgramResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  invocation: Invocation;
}

/** The environment a user's shell would give the CLI: this process's, minus what a test runner injects. */
export function cliEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k === "NODE_OPTIONS" || k.startsWith("VITEST") || k === "TSX_TSCONFIG_PATH") delete env[k];
  }
  return { ...env, ...extra };
}

/** `constructConfig`: the language host still hands the program config keys in the old `<ns>:config:<key>` form. */
export function legacyConfigJson(config: Record<string, string>): string {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const i = k.indexOf(":");
    if (i < 0) throw new Error(`config key ${k} has no namespace`);
    out[`${k.slice(0, i)}:config:${k.slice(i + 1)}`] = v;
  }
  return JSON.stringify(out);
}

/** shlex-like split of `runtime.options.nodeargs` (whitespace, single and double quotes). */
function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

export function programInvocation(opts: RunProgramOptions): Invocation {
  const { project } = opts;
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [project.programDirectory] });
  const o = project.runtimeOptions;
  const addedEnv: Record<string, string> = {
    PULUMI_CONFIG: legacyConfigJson(opts.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(opts.secretKeys ?? []),
  };
  if (o["typescript"] !== false) addedEnv["PULUMI_NODEJS_TYPESCRIPT"] = "true";
  if (typeof o["tsconfig"] === "string" && o["tsconfig"])
    addedEnv["PULUMI_NODEJS_TSCONFIG_PATH"] = o["tsconfig"];
  const args = [
    ...splitArgs(typeof o["nodeargs"] === "string" ? o["nodeargs"] : ""),
    runPath,
    "--monitor",
    opts.monitorAddress,
    "--engine",
    opts.engineAddress,
    "--organization",
    opts.organization ?? DEFAULT_ORGANIZATION,
    "--project",
    project.name,
    "--root-directory",
    project.rootDirectory,
    "--stack",
    opts.stack,
    "--pwd",
    project.programDirectory,
    ...(opts.dryRun ? ["--dry-run"] : []),
    "--parallel",
    String(opts.parallel ?? DEFAULT_PARALLEL),
    project.entryPoint,
  ];
  return { command: process.execPath, args, cwd: project.programDirectory, addedEnv };
}

export function runProgram(opts: RunProgramOptions): Promise<ProgramResult> {
  const invocation = programInvocation(opts);
  const child = spawn(invocation.command, invocation.args, {
    cwd: invocation.cwd,
    env: { ...(opts.env ?? cliEnvironment()), ...invocation.addedEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += String(d)));
  child.stderr.on("data", (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve({ exitCode, stdout, stderr, invocation }));
  });
}
