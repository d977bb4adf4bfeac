// Azure resource roles (ARM) in the emulator: the subscriptions of the tenant, who holds which Azure role where
// (Azure RBAC decides who may read or change PIM settings, not Graph permissions), and one role management
// policy per role and scope. Plain data, kept in the state and its snapshot; routes/arm.ts serves it.
import { stableGuid } from "./ids";
import type { Rule } from "./policyEngine";

export interface AzureSubscription {
  /** Lowercase GUID. */
  id: string;
  displayName: string;
  resourceGroups: string[];
}

export interface AzureRoleDefinition {
  /** Lowercase GUID: the role definition's `name`. */
  guid: string;
  roleName: string;
  description: string | null;
}

/** An Azure role held by a principal at a scope (a role at the subscription covers its resource groups). */
export interface AzureAccess {
  principalId: string;
  roleGuid: string;
  /** Canonical scope: `/subscriptions/{s}` or `/subscriptions/{s}/resourceGroups/{rg}`. */
  scope: string;
}

/** One role management policy: the 17 rules in the emulator's Graph spelling (armSpelling.ts converts). */
export interface ArmPolicy {
  /** GUID derived from scope and role (`policyName`), so seeds, state files and runs agree. */
  name: string;
  scope: string;
  roleGuid: string;
  rules: Rule[];
  lastModifiedBy: string | null;
  lastModifiedDateTime: string | null;
}

export interface AzureState {
  subscriptions: AzureSubscription[];
  roles: AzureRoleDefinition[];
  access: AzureAccess[];
  policies: ArmPolicy[];
}

export const emptyAzureState = (): AzureState => ({ subscriptions: [], roles: [], access: [], policies: [] });

export const subscriptionScope = (subscriptionId: string): string => `/subscriptions/${subscriptionId}`;
export const resourceGroupScope = (subscriptionId: string, resourceGroup: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

/** Scopes compare case-insensitively in ARM. */
export const scopeKey = (scope: string): string => scope.toLowerCase().replace(/\/+$/, "");

export function policyName(scope: string, roleGuid: string): string {
  return stableGuid(`armPolicy:${scopeKey(scope)}:${roleGuid.toLowerCase()}`);
}

/** Role definitions are addressed at the subscription even when read at a resource group (as ARM answers). */
export const roleDefinitionId = (subscriptionId: string, roleGuid: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;

export const policyId = (p: ArmPolicy): string =>
  `${p.scope}/providers/Microsoft.Authorization/roleManagementPolicies/${p.name}`;

/**
 * The description, actions and not-actions of the built-in roles the catalog names (Azure built-in roles
 * reference, by role definition GUID, which is the same in every tenant). A role not listed grants nothing here.
 */
export const ROLE_PERMISSIONS: Record<
  string,
  { description: string; actions: string[]; notActions: string[] }
> = {
  // Owner
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": {
    description:
      "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    actions: ["*"],
    notActions: [],
  },
  // Contributor
  "b24988ac-6180-42a0-ab88-20f7382dd24c": {
    description:
      "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
    ],
  },
  // Reader
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": {
    description: "View all resources, but does not allow you to make any changes.",
    actions: ["*/read"],
    notActions: [],
  },
  // User Access Administrator
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": {
    description: "Lets you manage user access to Azure resources.",
    actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
    notActions: [],
  },
  // Role Based Access Control Administrator: role assignments only, not role management policies.
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": {
    description:
      "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.",
    actions: [
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/roleAssignments/delete",
      "*/read",
      "Microsoft.Support/*",
    ],
    notActions: [],
  },
};

/** ARM action patterns: `*` spans any characters, case-insensitively. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

export function roleAllows(roleGuid: string, action: string): boolean {
  const p = ROLE_PERMISSIONS[roleGuid.toLowerCase()];
  if (!p) return false;
  return (
    p.actions.some((a) => actionMatches(a, action)) && !p.notActions.some((a) => actionMatches(a, action))
  );
}

/** True when a role held at `held` applies at `target` (the same scope or one below it). */
export function scopeCovers(held: string, target: string): boolean {
  const h = scopeKey(held);
  const t = scopeKey(target);
  return t === h || t.startsWith(`${h}/`);
}

/** May any of `principalIds` (the caller and the groups it belongs to) perform `action` at `scope`? */
export function mayPerform(
  azure: AzureState,
  principalIds: string[],
  action: string,
  scope: string,
): boolean {
  const ids = new Set(principalIds.map((p) => p.toLowerCase()));
  return azure.access.some(
    (a) =>
      ids.has(a.principalId.toLowerCase()) && scopeCovers(a.scope, scope) && roleAllows(a.roleGuid, action),
  );
}
