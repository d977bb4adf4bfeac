/**
 * What the CLI reads before it starts anything: `Pulumi.yaml` (name, `main`, `runtime.options`, `stackConfigDir`,
 * project-level config defaults) and `Pulumi.<stack>.yaml`, turned into the facts the language host and the
 * engine pass on.
 *
 * - Program directory and entry point follow `getPwdMain` (pulumi/pulumi `pkg/engine/project.go`): `main` names a
 *   file, so the program directory is its folder and the entry point its base name; a folder is the program
 *   directory with entry point ".". The engine starts the language host, and with it the dynamic-provider host, in
 *   that directory (`sdk/go/common/resource/plugin/plugin.go` `execPlugin`, `cmd.Dir = pwd`; pulumi/pulumi#5455).
 * - Config: every key namespaced (`<project>:<key>` when Pulumi.yaml omits the namespace), project defaults applied
 *   where the stack file is silent, objects and lists JSON-encoded as the CLI stores them. Encrypted (`secure:`)
 *   values cannot be decrypted here and are refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface ProjectInfo {
  /** The folder holding Pulumi.yaml (the engine's root directory). */
  rootDirectory: string;
  name: string;
  programDirectory: string;
  entryPoint: string;
  /** `runtime.options` as written (typescript, tsconfig, nodeargs, packagemanager). */
  runtimeOptions: Record<string, unknown>;
  stackConfigDir: string;
}

export function readProject(rootDirectory: string): ProjectInfo {
  const file = path.join(rootDirectory, "Pulumi.yaml");
  const doc = parse(fs.readFileSync(file, "utf8")) as {
    name: string;
    main?: string;
    runtime?: string | { name: string; options?: Record<string, unknown> };
    stackConfigDir?: string;
  };
  const runtimeOptions = typeof doc.runtime === "object" ? (doc.runtime.options ?? {}) : {};
  let programDirectory = rootDirectory;
  let entryPoint = ".";
  if (doc.main) {
    if (path.isAbsolute(doc.main)) throw new Error(`${file}: project 'main' must be a relative path`);
    const main = path.resolve(rootDirectory, doc.main);
    if (!main.startsWith(path.resolve(rootDirectory)))
      throw new Error(`${file}: project 'main' must be a subfolder`);
    if (fs.statSync(main).isDirectory()) {
      programDirectory = main;
    } else {
      programDirectory = path.dirname(main);
      entryPoint = path.basename(main);
    }
  }
  return {
    rootDirectory,
    name: doc.name,
    programDirectory,
    entryPoint,
    runtimeOptions,
    stackConfigDir: path.resolve(rootDirectory, doc.stackConfigDir ?? "."),
  };
}

function configValue(key: string, v: unknown): string {
  if (v && typeof v === "object" && !Array.isArray(v) && "secure" in v)
    throw new Error(`config ${key} is encrypted (secure:); the engine double cannot decrypt it`);
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The stack's config as the engine hands it to the program and the providers: `ns:key` → string. */
export function readStackConfig(project: ProjectInfo, stack: string): Record<string, string> {
  const out: Record<string, string> = {};
  const projectDoc = parse(fs.readFileSync(path.join(project.rootDirectory, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, { default?: unknown } | unknown>;
  };
  const qualify = (k: string) => (k.includes(":") ? k : `${project.name}:${k}`);
  for (const [k, spec] of Object.entries(projectDoc.config ?? {})) {
    // The long form declares a type (and maybe a default); the short form `key: value` is the default itself.
    const long = spec !== null && typeof spec === "object" && ("type" in spec || "default" in spec);
    if (!long) out[qualify(k)] = configValue(k, spec);
    else if ("default" in spec) out[qualify(k)] = configValue(k, (spec as { default: unknown }).default);
  }
  const stackFile = path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(stackFile)) {
    const doc = parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> };
    for (const [k, v] of Object.entries(doc.config ?? {})) out[qualify(k)] = configValue(k, v);
  }
  return out;
}
