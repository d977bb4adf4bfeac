/**
 * The one "unknown role" diagnostic. Roles are named in five places (role settings for Entra and Azure roles,
 * approver groups, PIM groups, grants); each looks its role up here, so every miss reads the same and carries the
 * same help: the right name in the wrong catalog first ("Reader" is an Azure role, not "Global Reader"), then a
 * near miss, then what the catalog holds.
 */
import { azureCatalog, findAzureRole, findDirectoryRole } from "../catalog";
import type { AzureRole, DirectoryRole } from "../types";
import { quote } from "../untrustedText";
import type { Problem, Report } from "./diagnostics";

export type RoleLookup<T> = { ok: true; role: T } | { ok: false; problem: Problem };

/**
 * An Entra role by display name or id, or the problem to report at `path`. `azureFix` says what to change when
 * the name is an Azure role (e.g. "set scope to an Azure scope such as /subscriptions/<id>").
 */
export function lookUpEntraRole(
  name: string,
  path: ReadonlyArray<PropertyKey>,
  azureFix: string,
): RoleLookup<DirectoryRole> {
  const hit = findDirectoryRole(name);
  if (hit.ok) return hit;
  const hint = findAzureRole(name).ok
    ? `${name} is an Azure role: ${azureFix}`
    : hit.suggestions.length
      ? `did you mean "${hit.suggestions[0]}"?`
      : "use the role's display name from the Entra built-in roles, or a custom role definition id";
  return { ok: false, problem: unknownRole(`${quote(name)} is not an Entra built-in role`, path, hint) };
}

/** An Azure role by display name or id, or the problem to report at `path`; `entraFix` as above. */
export function lookUpAzureRole(
  name: string,
  path: ReadonlyArray<PropertyKey>,
  entraFix: string,
): RoleLookup<AzureRole> {
  const hit = findAzureRole(name);
  if (hit.ok) return hit;
  const known = azureCatalog().map((r) => r.displayName);
  const hint = findDirectoryRole(name).ok
    ? `${name} is an Entra role: ${entraFix}`
    : hit.suggestions.length
      ? `did you mean "${hit.suggestions[0]}"?`
      : `use ${known.join(", ")}, or a role definition id`;
  return {
    ok: false,
    problem: unknownRole(`${quote(name)} is not an Azure role in the catalog`, path, hint),
  };
}

/** A list of Entra roles at `path` (holes skipped): the roles found, each miss reported at its index. */
export function lookUpEntraRoles(
  names: ReadonlyArray<string | undefined>,
  path: ReadonlyArray<PropertyKey>,
  azureFix: string,
  report: Report,
): DirectoryRole[] {
  return names.flatMap((name, j) => {
    if (name === undefined) return [];
    const hit = lookUpEntraRole(name, [...path, j], azureFix);
    if (hit.ok) return [hit.role];
    report(hit.problem);
    return [];
  });
}

function unknownRole(message: string, path: ReadonlyArray<PropertyKey>, hint: string): Problem {
  return { code: "unknown-role", path, message, hint };
}
