/**
 * A stack's Pulumi configuration (`stacks/Pulumi.<stack>.yaml`, the project's `stackConfigDir`) read as the Graph
 * layer's `ConfigSource`, so a command that reads the live tenant reaches it exactly as `pulumi up` would
 * (`pim:graphBaseUrl`, `azuread:tenantId`) without the Pulumi CLI. Secrets (`secure:` values) are never read here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { ConfigSource } from "../../providers/graph";
import { CliError } from "./errors";
import { EXIT } from "./io";

export interface StackConfig extends ConfigSource {
  /** The file read, relative to the root. */
  file: string;
}

export function stackConfigPath(root: string, stack: string): string {
  return path.join(root, "stacks", `Pulumi.${stack}.yaml`);
}

/** The plain (non-secret) values of the stack file; a missing or unreadable file is a CliError naming it. */
export function readStackConfig(root: string, stack: string): StackConfig {
  const file = stackConfigPath(root, stack);
  const rel = path.relative(root, file).split(path.sep).join("/");
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT"
        ? `${rel} does not exist`
        : `${rel} cannot be read: ${(e as Error).message.split("\n")[0]}`,
      code === "ENOENT" ? EXIT.usage : EXIT.invalid,
      code === "ENOENT"
        ? `create it (pim init --stack ${stack} writes one), or pass the stack's exact name`
        : undefined,
    );
  }
  const config = (doc as { config?: unknown } | null)?.config;
  const values = new Map<string, string>();
  if (config && typeof config === "object")
    for (const [k, v] of Object.entries(config as Record<string, unknown>))
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") values.set(k, String(v));
  return { file: rel, get: (key) => values.get(key) };
}
