// Files of the repository the emulator reads at runtime. The built-in role catalog is owned by the product
// (model/catalog/entra-roles.json); the emulator reads the file instead of importing product code, so it
// stays independent of model/.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface CatalogRole {
  displayName: string;
  templateId: string;
  isPrivileged: boolean;
  description?: string;
}

/** The repository root: the nearest ancestor of this file holding a package.json. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "emulator"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`emulator: cannot find the repository root above ${from}`);
    dir = up;
  }
}

/** The default seed: the Contoso demo tenant before the product runs. */
export function defaultSeedPath(): string {
  return join(repoRoot(), "emulator", "seeds", "demo.yaml");
}

export function catalogPath(): string {
  return join(repoRoot(), "model", "catalog", "entra-roles.json");
}

export function loadRoleCatalog(path: string = catalogPath()): CatalogRole[] {
  if (!existsSync(path)) throw new Error(`emulator: role catalog not found at ${path}`);
  const raw = JSON.parse(readFileSync(path, "utf8")) as unknown;
  const arr = Array.isArray(raw)
    ? raw
    : Array.isArray((raw as { roles?: unknown })?.roles)
      ? (raw as { roles: unknown[] }).roles
      : null;
  if (!arr) throw new Error(`emulator: ${path} is not an array of roles`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a role catalog read from JSON; each field is checked on the next lines
  return arr.map((r: any, i: number) => {
    const displayName = r.displayName ?? r.name;
    if (typeof displayName !== "string" || typeof r.templateId !== "string")
      throw new Error(`emulator: ${path}[${i}] needs displayName and templateId`);
    return {
      displayName,
      templateId: r.templateId.toLowerCase(),
      isPrivileged: !!(r.isPrivileged ?? r.privileged),
      description: typeof r.description === "string" ? r.description : undefined,
    };
  });
}

/** An Azure built-in role (model/catalog/azure-roles.json): ARM's role definition name is its GUID. */
export interface AzureCatalogRole {
  roleName: string;
  /** Lowercase GUID: the role definition's `name`. */
  guid: string;
  description: string | null;
}

export function azureCatalogPath(): string {
  return join(repoRoot(), "model", "catalog", "azure-roles.json");
}

export function loadAzureRoleCatalog(path: string = azureCatalogPath()): AzureCatalogRole[] {
  if (!existsSync(path)) throw new Error(`emulator: Azure role catalog not found at ${path}`);
  const raw = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (!Array.isArray(raw)) throw new Error(`emulator: ${path} is not an array of roles`);
  return raw.map((r: unknown, i: number) => {
    const o = (r ?? {}) as Record<string, unknown>;
    if (typeof o.displayName !== "string" || typeof o.roleDefinitionId !== "string")
      throw new Error(`emulator: ${path}[${i}] needs displayName and roleDefinitionId`);
    return {
      roleName: o.displayName,
      guid: o.roleDefinitionId.toLowerCase(),
      description: typeof o.description === "string" ? o.description : null,
    };
  });
}
