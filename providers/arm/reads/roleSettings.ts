/**
 * The Azure resource role settings of one scope (a subscription, a resource group), read from ARM in three lists —
 * the most ARM allows, and the fewest: the role definitions (names), the role management policy assignments (which
 * policy governs which role) and the role management policies (their rules), each one paged GET. A policy's rules
 * come back in Graph's spelling (`fromArmRules`), so the one mapping (`model/settings/graphRules.ts`) reads them.
 *
 * Every failure — a refusal, an unknown subscription, a policy the assignments name that the list lacks — is a
 * `LiveReadError` naming the scope and what to grant; a caller never sees part of a scope.
 *
 * Shapes: learn.microsoft.com/rest/api/authorization — Role Definitions "List" (2022-04-01), Role Management
 * Policies "List For Scope" and Role Management Policy Assignments "List For Scope" (2020-10-01).
 */
import { azureScopeKey, azureScopeSpelling } from "../../../model/keys";
import { fromArmRules } from "../../../model/settings/armRules";
import type { GraphRule } from "../../../model/settings/graphRules";
import { LiveReadError } from "../../graph/reads/live/errors";
import type { ArmApi } from "../client";
import { azureRoleFor, isArmError } from "../errors";

export const ROLE_DEFINITIONS_API = "2022-04-01";
export const ROLE_MANAGEMENT_POLICIES_API = "2020-10-01";

export interface RawArmRoleDefinition {
  id: string;
  name: string;
  properties?: { roleName?: string; type?: string } | null;
}

export interface RawArmPolicyAssignment {
  id?: string;
  name?: string;
  properties?: { scope?: string; roleDefinitionId?: string; policyId?: string } | null;
}

export interface RawArmPolicy {
  id?: string;
  name: string;
  properties?: { scope?: string; rules?: unknown } | null;
}

/** One Azure role's settings at one scope, as ARM holds them. */
export interface AzureRolePolicy {
  /** As the stack writes it: `/subscriptions/<id>` (ARM's spelling of the scope, trailing slash removed). */
  scope: string;
  /** The role definition's GUID, lower-cased. */
  roleDefinitionId: string;
  roleName: string;
  /** The role management policy's name (a GUID): what `pim:azureRolePolicies` records. */
  policyName: string;
  rules: GraphRule[];
}

/** The last segment of an ARM resource id, lower-cased: a role definition's or a policy's name. */
const lastSegment = (id: string): string => id.replace(/\/+$/, "").split("/").pop()!.toLowerCase();

const authorization = (scope: string, collection: string, api: string) =>
  `${scope}/providers/Microsoft.Authorization/${collection}?api-version=${api}`;

/** The three list URLs of `scope`, in the order they are read (what the tests assert). */
export function azureRoleSettingsUrls(scope: string): string[] {
  return [
    authorization(scope, "roleDefinitions", ROLE_DEFINITIONS_API),
    authorization(scope, "roleManagementPolicyAssignments", ROLE_MANAGEMENT_POLICIES_API),
    authorization(scope, "roleManagementPolicies", ROLE_MANAGEMENT_POLICIES_API),
  ];
}

/** Runs one ARM read; an ARM failure becomes a LiveReadError naming it, the scope and the role to grant. */
async function armReading<T>(what: string, scope: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (!isArmError(e)) throw e;
    const refused = e.status === 401 || e.status === 403;
    throw new LiveReadError(
      `${what} of ${scope}`,
      e.status,
      e.summary,
      refused ? azureRoleFor("GET", scope) : null,
      "arm",
    );
  }
}

/** Every Azure role's settings at `scope` (sorted by role definition id), or a LiveReadError. */
export async function readAzureRoleSettings(arm: ArmApi, scope: string): Promise<AzureRolePolicy[]> {
  const at = azureScopeSpelling(scope);
  const [defsUrl, assignmentsUrl, policiesUrl] = azureRoleSettingsUrls(at);
  const [definitions, assignments, policies] = await Promise.all([
    armReading("the Azure role definitions", at, () => arm.listAll<RawArmRoleDefinition>(defsUrl!)),
    armReading("the Azure role settings assignments", at, () =>
      arm.listAll<RawArmPolicyAssignment>(assignmentsUrl!),
    ),
    armReading("the Azure role settings", at, () => arm.listAll<RawArmPolicy>(policiesUrl!)),
  ]);
  const names = new Map(definitions.map((d) => [lastSegment(d.name || d.id), d.properties?.roleName ?? ""]));
  const byName = new Map(policies.map((p) => [p.name.toLowerCase(), p]));
  const out: AzureRolePolicy[] = [];
  for (const a of assignments) {
    const p = a.properties ?? {};
    // An assignment inherited from a management group is governed there, not at this scope.
    if (p.scope && azureScopeKey(p.scope) !== azureScopeKey(at)) continue;
    if (!p.roleDefinitionId || !p.policyId)
      throw new LiveReadError(
        `the Azure role settings of ${at}`,
        200,
        `ARM returned a policy assignment without roleDefinitionId or policyId (${a.name ?? a.id ?? "unnamed"})`,
        null,
        "arm",
      );
    const roleDefinitionId = lastSegment(p.roleDefinitionId);
    const policyName = lastSegment(p.policyId);
    const policy = byName.get(policyName);
    if (!policy)
      throw new LiveReadError(
        `the Azure role settings of ${at}`,
        200,
        `the policy assignment of role ${roleDefinitionId} names policy ${policyName}, which the policy list of the scope lacks`,
        null,
        "arm",
      );
    out.push({
      scope: at,
      roleDefinitionId,
      roleName: names.get(roleDefinitionId) || roleDefinitionId,
      policyName: policy.name,
      rules: fromArmRules(policy.properties?.rules),
    });
  }
  return out.sort((x, y) => (x.roleDefinitionId < y.roleDefinitionId ? -1 : 1));
}
