/**
 * The built-in role catalog: Entra directory roles (all of them, see SOURCES.md) and the Azure roles people put
 * under PIM most. Names resolve case-insensitively; a miss comes back with the closest names for "did you mean".
 */
import entraRoles from "./entra-roles.json";
import azureRoles from "./azure-roles.json";
import { GUID_PATTERN as GUID } from "../ids";
import type { AzureRole, DirectoryRole } from "../types";

interface EntraEntry {
  displayName: string;
  templateId: string;
  isPrivileged: boolean;
}
interface AzureEntry {
  displayName: string;
  roleDefinitionId: string;
  isPrivileged: boolean;
}

const ENTRA = entraRoles as EntraEntry[];
const AZURE = azureRoles as AzureEntry[];
const entraByName = new Map(ENTRA.map((r) => [r.displayName.toLowerCase(), r]));
const entraById = new Map(ENTRA.map((r) => [r.templateId.toLowerCase(), r]));
const azureByName = new Map(AZURE.map((r) => [r.displayName.toLowerCase(), r]));
const azureById = new Map(AZURE.map((r) => [r.roleDefinitionId.toLowerCase(), r]));

export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
export const PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";

export function entraCatalog(): readonly EntraEntry[] {
  return ENTRA;
}

export function azureCatalog(): readonly AzureEntry[] {
  return AZURE;
}

export type Lookup<T> = { ok: true; role: T } | { ok: false; suggestions: string[] };

/** Entra role by display name (case-insensitive) or template id; an unknown GUID is taken as a custom role. */
export function findDirectoryRole(nameOrId: string): Lookup<DirectoryRole> {
  const key = nameOrId.trim().toLowerCase();
  const hit = entraByName.get(key) ?? entraById.get(key);
  if (hit) {
    return {
      ok: true,
      role: {
        kind: "directory",
        name: hit.displayName,
        id: hit.templateId,
        builtIn: true,
        isPrivileged: hit.isPrivileged,
      },
    };
  }
  if (GUID.test(key)) {
    // Custom roles are not in the catalog; treat as privileged until proven otherwise, the safe assumption.
    return {
      ok: true,
      role: { kind: "directory", name: nameOrId, id: key, builtIn: false, isPrivileged: true },
    };
  }
  return {
    ok: false,
    suggestions: closest(
      nameOrId,
      ENTRA.map((r) => r.displayName),
    ),
  };
}

export function findAzureRole(nameOrId: string): Lookup<AzureRole> {
  const key = nameOrId.trim().toLowerCase();
  const hit = azureByName.get(key) ?? azureById.get(key);
  if (hit) return { ok: true, role: { kind: "azure", name: hit.displayName, id: hit.roleDefinitionId } };
  if (GUID.test(key)) return { ok: true, role: { kind: "azure", name: nameOrId, id: key } };
  return {
    ok: false,
    suggestions: closest(
      nameOrId,
      AZURE.map((r) => r.displayName),
    ),
  };
}

export function entraRoleById(templateId: string): DirectoryRole | undefined {
  const hit = entraById.get(templateId.toLowerCase());
  return hit
    ? {
        kind: "directory",
        name: hit.displayName,
        id: hit.templateId,
        builtIn: true,
        isPrivileged: hit.isPrivileged,
      }
    : undefined;
}

/** Beyond this length an input is not a near miss, and the edit distance would cost length × candidates. */
const MAX_SUGGESTION_INPUT = 100;

/** Up to three candidates within a small edit distance, best first. */
export function closest(input: string, candidates: readonly string[]): string[] {
  if (input.length > MAX_SUGGESTION_INPUT) return [];
  const a = input.toLowerCase();
  const limit = Math.max(3, Math.floor(a.length / 3));
  return candidates
    .map((c) => {
      const b = c.toLowerCase();
      const d = b.includes(a) || a.includes(b) ? Math.abs(a.length - b.length) / 4 : levenshtein(a, b);
      return { c, d };
    })
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, 3)
    .map((x) => x.c);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
