/**
 * Resource names. A resource's logical name is part of its URN, and the engine meets a changed URN by creating the
 * new resource first and deleting the old one afterwards. For PIM that order is the danger: the create adopts the
 * live schedule or policy, then the delete removes the schedule or restores the rules the policy had before it was
 * managed. So a name comes only from what the resource governs, resolved to ids before anything is registered:
 *
 * - a grant: kind, role id, principal object id and scope (an administrative unit's or application's object id).
 *   The name shows the kind and the first 8 characters of the role id and of the principal's object id (enough to
 *   find them again: `62e90394` is Global Administrator) and ends with 8 hex characters of a SHA-256 of the whole
 *   identity, so it is bounded (about 40 characters after the stack name) and two identities never share a name
 *   unless they are the same assignment. Nothing a person edits without changing the assignment is in it: not the
 *   file name or folder, not the UPN or display name as spelled, not the role's display name (the catalog may
 *   rename a role; its template id stays).
 * - settings: the directory role id; an Azure role id and a hash of the normalized ARM scope.
 * - groups this program creates (approver groups, PIM groups): their declaration (the display name), because no
 *   object id exists before the first run; `previousNames` in tenant.yaml turns a rename into aliases.
 * - the Tenant itself: always `tenant` (`TENANT_NAME`), the prefix of every other name. The URN already carries
 *   the project and the stack; the folder holding the declarations (`pim:declarations`, formerly the prefix) is
 *   in no name, so moving the declarations to another folder renames nothing.
 *
 * Names the previous release produced (from file names and display names) become `aliases`, so an existing stack
 * moves to these names without a replacement (`legacy*` below). Never change a function here without an alias from
 * what it produced before.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { isObjectId } from "../model/ids";
import { azureScopeKey } from "../model/keys";
import { slug } from "../model/slug";

/** The first `length` hex characters of the SHA-256 of `text`: stable across runs, machines and releases. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** An object id's first 8 characters; for a principal named by declaration (a created group), a hash of it. */
const tag = (idOrKey: string) =>
  isObjectId(idOrKey) ? idOrKey.trim().toLowerCase().slice(0, 8) : shortHash(idOrKey);

/** The Tenant component's name, whatever the stack or its declarations folder is called. */
export const TENANT_NAME = "tenant";

export interface GrantNameParts {
  kind: "eligible" | "active";
  roleId: string;
  /** The principal's object id, or the declaration key of a group this program creates. */
  principal: string;
  /** The grant's identity key (`grantKey` over resolved ids). */
  identity: string;
}

export const resourceNames = {
  grant: (tenant: string, g: GrantNameParts) =>
    `${tenant}-grant-${g.kind}-${tag(g.roleId)}-${tag(g.principal)}-${shortHash(g.identity)}`,
  directorySettings: (tenant: string, roleId: string) => `${tenant}-role-${roleId.toLowerCase()}`,
  azureSettings: (tenant: string, roleId: string, scope: string) =>
    `${tenant}-azure-${roleId.toLowerCase()}-${shortHash(azureScopeKey(scope))}`,
  approverGroup: (tenant: string, name: string) => `${tenant}-approvers-${slug(name)}`,
  pimGroup: (tenant: string, name: string) => `${tenant}-group-${slug(name)}`,
  approverMember: (group: string, memberObjectId: string) =>
    `${group}-member-${memberObjectId.toLowerCase()}`,
  breakGlass: (tenant: string) => `${tenant}-break-glass`,
};

/**
 * What the release before identity-based names called the same resources (file names, display names, UPNs), under
 * the prefix it used: the declarations folder.
 */
export const legacyNames = {
  grant: (tenant: string, fileId: string) => `${tenant}-grant-${slug(fileId)}`,
  directorySettings: (tenant: string, roleName: string) => `${tenant}-role-${slug(roleName)}`,
  azureSettings: (tenant: string, roleName: string, scope: string) =>
    `${tenant}-azure-${slug(roleName)}-${slug(scope)}`,
  approverMember: (group: string, upn: string) => `${group}-member-${slug(upn)}`,
};

/** `{ name }` aliases for every previous name that differs from the current one, each once. */
export function nameAliases(current: string, previous: readonly string[]): pulumi.Alias[] {
  return [...new Set(previous)].filter((p) => p !== current).map((name) => ({ name }));
}

/** The previous names a component was given through `opts.aliases` (`{ name }` aliases only). */
export function previousNamesOf(opts: pulumi.ResourceOptions | undefined): string[] {
  return (opts?.aliases ?? []).flatMap((a) =>
    typeof a === "object" && a !== null && "name" in a && typeof a.name === "string" ? [a.name] : [],
  );
}

/**
 * Aliases of a child named `<parent>-<suffix>` under each previous parent name (`<previous>-<suffix>`), plus its
 * own previous names: when a component is renamed, its children keep their URNs' history too.
 */
export function childAliases(
  child: string,
  parent: string,
  parentPrevious: readonly string[],
  ownPrevious: readonly string[] = [],
): pulumi.Alias[] {
  const suffixOf = (name: string) => (name.startsWith(parent) ? name.slice(parent.length) : null);
  const mine = suffixOf(child);
  const underOld = (name: string) => {
    const s = suffixOf(name);
    return s === null ? [] : parentPrevious.map((p) => `${p}${s}`);
  };
  return nameAliases(child, [
    ...ownPrevious,
    ...(mine === null ? [] : underOld(child)),
    ...ownPrevious.flatMap(underOld),
  ]);
}

/**
 * Hands out names and refuses a second claim. Pulumi's mocks never notice duplicate URNs and the engine only
 * fails late, so two declarations that would share a name are caught here, naming both.
 */
export class NameRegistry {
  private readonly owners = new Map<string, string>();

  claim(name: string, what: string): string {
    const prior = this.owners.get(name);
    if (prior !== undefined) {
      throw new Error(`resource name "${name}" is claimed by both ${prior} and ${what}; rename one of them`);
    }
    this.owners.set(name, what);
    return name;
  }
}
