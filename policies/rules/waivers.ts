/**
 * PIM-043: no silent way around a mandatory rule. An override under `safeDefaults.rules` waives a rule for every
 * object and for ever, so each one that would weaken a rule with mandatory findings is itself a mandatory finding:
 * switching it off, lowering its severity, parameters past the baseline's floor (each rule's `floor`), or a `tiers`
 * override that takes the roles the project treats as critical out of Tier 0 or off the CISA list.
 */
import azureCatalog from "../../model/catalog/azure-roles.json";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, entraCatalog } from "../../model/catalog";
import type { RuleOverride } from "../../model/types";
import { isMandatory } from "./engine";
import type { RoleInfo } from "./input";
import { severitiesOf, type AnyRule, type FloorContext } from "./rule";
import {
  DEFAULT_CISA_HIGHLY_PRIVILEGED,
  classifyRole,
  matchesRole,
  resolveTiers,
  type ResolvedTiers,
  type TiersConfig,
} from "./tiers";

/** Every role selectors can match: the Entra and Azure catalogs, and a custom role (taken as privileged). */
function probes(tiers: ResolvedTiers): RoleInfo[] {
  const entra = entraCatalog().map((r) =>
    classifyRole(
      { id: r.templateId, kind: "directory", displayName: r.displayName, isPrivileged: r.isPrivileged },
      tiers,
    ),
  );
  const azure = (
    azureCatalog as Array<{ displayName: string; roleDefinitionId: string; isPrivileged: boolean }>
  ).map((r) =>
    classifyRole(
      { id: r.roleDefinitionId, kind: "azure", displayName: r.displayName, isPrivileged: r.isPrivileged },
      tiers,
    ),
  );
  const custom = classifyRole(
    { id: "custom-role", kind: "directory", displayName: "custom roles", isPrivileged: true },
    tiers,
  );
  return [...entra, ...azure, custom];
}

export function floorContext(tiers: ResolvedTiers): FloorContext {
  const all = probes(tiers);
  return {
    uncovered: (selectors, baseline) =>
      all.filter((r) => matchesRole(r, baseline) && !matchesRole(r, selectors)).map((r) => r.displayName),
  };
}

/** Why an override weakens `rule` (empty when it does not): the reasons of one PIM-043 finding. */
export function overrideWeakens(
  rule: Pick<AnyRule, "id" | "severity" | "severities" | "floor">,
  override: RuleOverride | undefined,
  params: Record<string, unknown>,
  ctx: FloorContext,
): string[] {
  if (!override) return [];
  const mandatory = severitiesOf(rule as AnyRule).some(isMandatory);
  if (!mandatory) return [];
  if (override.enabled === false) return ["the override switches it off"];
  const out: string[] = [];
  if (override.severity !== undefined && !isMandatory(override.severity))
    out.push(`the override lowers it to ${override.severity}`);
  if (override.params && rule.floor) out.push(...rule.floor(params as never, ctx));
  return out;
}

/** The critical roles a `tiers` override must keep in Tier 0, and the CISA list it must keep whole. */
export function tiersWeaken(cfg: TiersConfig): string[] {
  const tiers = resolveTiers(cfg);
  const out: string[] = [];
  const name = (id: string) => entraCatalog().find((r) => r.templateId === id)?.displayName ?? id;
  for (const id of [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR]) {
    if (!tiers.tier0.has(id)) out.push(`tier0 no longer holds ${name(id)}`);
  }
  const cisa = resolveTiers({ ...cfg, cisaHighlyPrivileged: [...DEFAULT_CISA_HIGHLY_PRIVILEGED] }).cisa;
  const dropped = [...cisa].filter((id) => !tiers.cisa.has(id)).map(name);
  if (dropped.length) out.push(`cisaHighlyPrivileged no longer holds ${dropped.join(", ")}`);
  return out;
}
