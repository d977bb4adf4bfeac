// Seed `azure`: the tenant's subscriptions, who holds which Azure role where, and the role settings that differ
// from an untouched Azure role's defaults. Every role of the Azure catalog (model/catalog/azure-roles.json) gets
// a policy at the subscription and at each resource group; `policies` overrides rules in the same vocabulary as
// the Graph seed's `roles.policies` (rule id → PATCH properties without `@odata.type`).
import { z } from "zod";
import {
  policyName,
  resourceGroupScope,
  scopeKey,
  subscriptionScope,
  type AzureAccess,
  type AzureState,
} from "./armModel";
import type { AzureCatalogRole } from "./catalog";
import {
  applyOverrides,
  defaultRules,
  validatePolicy,
  type NameLookup,
  type RuleOverrides,
} from "./policyEngine";

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID");
const overrides = z.record(z.string(), z.record(z.string(), z.unknown()));

export const azureSeed = z
  .object({
    subscriptions: z
      .array(
        z
          .object({
            id: guid,
            displayName: z.string().min(1),
            resourceGroups: z.array(z.string().min(1)).default([]),
            /** `identity`: UPN, group or app display name, or object id; `scope`: default the subscription. */
            access: z
              .array(
                z
                  .object({
                    identity: z.string().min(1),
                    role: z.string().min(1),
                    scope: z.string().optional(),
                  })
                  .strict(),
              )
              .default([]),
            policies: z
              .array(
                z
                  .object({ role: z.string().min(1), scope: z.string().optional(), rules: overrides })
                  .strict(),
              )
              .default([]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type AzureSeed = z.output<typeof azureSeed>;

export interface AzureSeedResolvers {
  principal(ref: string, label: string): string;
  lookup: NameLookup;
}

/** Build the ARM part of the state; problems are appended with their seed path, as the rest of the seed does. */
export function buildAzure(
  seed: AzureSeed | undefined,
  catalog: AzureCatalogRole[],
  r: AzureSeedResolvers,
  problems: string[],
): AzureState {
  const azure: AzureState = {
    subscriptions: [],
    roles: catalog.map((c) => ({ guid: c.guid, roleName: c.roleName, description: c.description })),
    access: [],
    policies: [],
  };
  const roleGuid = (ref: string, label: string): string | null => {
    const hit = catalog.find(
      (c) => c.guid === ref.toLowerCase() || c.roleName.toLowerCase() === ref.toLowerCase(),
    );
    if (!hit)
      problems.push(
        `${label}: unknown Azure role '${ref}' (known: ${catalog.map((c) => c.roleName).join(", ")})`,
      );
    return hit?.guid ?? null;
  };
  (seed?.subscriptions ?? []).forEach((s, si) => {
    const at = `azure.subscriptions[${si}]`;
    const id = s.id.toLowerCase();
    if (azure.subscriptions.some((x) => x.id === id))
      problems.push(`${at}.id: subscription ${id} appears twice`);
    azure.subscriptions.push({ id, displayName: s.displayName, resourceGroups: s.resourceGroups });
    const scopes = [subscriptionScope(id), ...s.resourceGroups.map((g) => resourceGroupScope(id, g))];
    const scopeOf = (raw: string | undefined, label: string): string | null => {
      if (raw === undefined) return scopes[0]!;
      const hit = scopes.find((x) => scopeKey(x) === scopeKey(raw));
      if (!hit)
        problems.push(
          `${label}: '${raw}' is neither this subscription nor one of its resourceGroups (${scopes.join(", ")})`,
        );
      return hit ?? null;
    };
    s.access.forEach((a, ai) => {
      const label = `${at}.access[${ai}]`;
      const g = roleGuid(a.role, `${label}.role`);
      const scope = scopeOf(a.scope, `${label}.scope`);
      const principalId = r.principal(a.identity, `${label}.identity`);
      if (g && scope) azure.access.push({ principalId, roleGuid: g, scope } satisfies AzureAccess);
    });
    const overridesAt = new Map<string, RuleOverrides>();
    s.policies.forEach((p, pi) => {
      const label = `${at}.policies[${pi}]`;
      const g = roleGuid(p.role, `${label}.role`);
      const scope = scopeOf(p.scope, `${label}.scope`);
      if (!g || !scope) return;
      const key = `${scopeKey(scope)}|${g}`;
      if (overridesAt.has(key)) problems.push(`${label}: a second policy for ${p.role} at ${scope}`);
      overridesAt.set(key, p.rules);
    });
    for (const scope of scopes)
      for (const role of catalog) {
        const o = overridesAt.get(`${scopeKey(scope)}|${role.guid}`);
        try {
          const rules = applyOverrides(defaultRules("azure"), o, r.lookup);
          validatePolicy(rules);
          azure.policies.push({
            name: policyName(scope, role.guid),
            scope,
            roleGuid: role.guid,
            rules,
            lastModifiedBy: null,
            lastModifiedDateTime: null,
          });
        } catch (e) {
          problems.push(`${at}.policies (${role.roleName} at ${scope}): ${(e as Error).message}`);
        }
      }
  });
  return azure;
}
