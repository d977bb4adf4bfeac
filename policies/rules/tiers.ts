/**
 * Role tiers and role selectors, shared by every rule (baselines.md §6.4).
 *
 * The privileged set drifts (Microsoft adds roles to its PRIVILEGED label), so neither the tiers nor a rule's role
 * scope is hard-coded: both are parameters. Tier config lives in `safeDefaults.rules.tiers.params` (pim check) and
 * in each pack policy's `tiers` config; a rule's scope is a list of selectors such as `["tier0", "cisa"]` or role
 * names.
 */
import { z } from "zod";
import { findAzureRole, findDirectoryRole } from "../../model/catalog";
import type { RoleInfo, RoleTier } from "./input";

/** Proposed Tier-0 (baselines.md §6.4): the roles that can take over the tenant or its admins' credentials. */
export const DEFAULT_TIER0 = [
  "Global Administrator",
  "Privileged Role Administrator",
  "Privileged Authentication Administrator",
  "Security Administrator",
  "Conditional Access Administrator",
  "Hybrid Identity Administrator",
  "Application Administrator",
  "Cloud Application Administrator",
  "User Administrator",
  "Authentication Administrator",
  "Domain Name Administrator",
  "External Identity Provider Administrator",
  "Intune Administrator",
  "Partner Tier2 Support",
] as const;

/** CISA SCuBA "highly privileged roles" (MS.AAD.7, baselines.md §1.1). Exchange and SharePoint are on it. */
export const DEFAULT_CISA_HIGHLY_PRIVILEGED = [
  "Global Administrator",
  "Privileged Role Administrator",
  "User Administrator",
  "SharePoint Administrator",
  "Exchange Administrator",
  "Hybrid Identity Administrator",
  "Application Administrator",
  "Cloud Application Administrator",
] as const;

/** Keywords a selector may use instead of role names. */
export const SELECTOR_KEYWORDS = ["all", "tier0", "tier1", "tier2", "privileged", "cisa"] as const;

/** A role display name or id (directory or Azure). */
const roleRef = z
  .string()
  .trim()
  .min(1)
  .refine((v) => resolveRoleRef(v) !== null, {
    message: "is not a role in the catalog (use a display name such as Global Administrator, or a role id)",
  });

export const tiersSchema = z.strictObject({
  tier0: z.array(roleRef).default([...DEFAULT_TIER0]),
  /** Roles treated as privileged (tier1) on top of Microsoft's PRIVILEGED label. */
  privileged: z.array(roleRef).default([]),
  cisaHighlyPrivileged: z.array(roleRef).default([...DEFAULT_CISA_HIGHLY_PRIVILEGED]),
});
export type TiersConfig = z.output<typeof tiersSchema>;

/** Role selectors: keywords or role names/ids. */
export const roleSelectors = z.array(
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (v) => (SELECTOR_KEYWORDS as readonly string[]).includes(v.toLowerCase()) || resolveRoleRef(v) !== null,
      {
        message: `is neither a role in the catalog nor one of ${SELECTOR_KEYWORDS.join(", ")}`,
      },
    ),
);

function resolveRoleRef(ref: string): string | null {
  const d = findDirectoryRole(ref);
  if (d.ok) return d.role.id.toLowerCase();
  const a = findAzureRole(ref);
  return a.ok ? a.role.id.toLowerCase() : null;
}

export interface ResolvedTiers {
  tier0: ReadonlySet<string>;
  privileged: ReadonlySet<string>;
  cisa: ReadonlySet<string>;
}

export function resolveTiers(cfg: TiersConfig = tiersSchema.parse({})): ResolvedTiers {
  const ids = (xs: string[]) =>
    new Set(xs.map((x) => resolveRoleRef(x)).filter((x): x is string => x !== null));
  return { tier0: ids(cfg.tier0), privileged: ids(cfg.privileged), cisa: ids(cfg.cisaHighlyPrivileged) };
}

export const DEFAULT_TIERS: ResolvedTiers = resolveTiers();

/** Classifies a role: tier0 if listed, tier1 if privileged (label, CISA list or configured), tier2 otherwise. */
export function classifyRole(
  role: { id: string; kind: "directory" | "azure"; displayName: string; isPrivileged: boolean },
  tiers: ResolvedTiers = DEFAULT_TIERS,
): RoleInfo {
  const id = role.id.toLowerCase();
  const cisa = tiers.cisa.has(id);
  const tier: RoleTier = tiers.tier0.has(id)
    ? "tier0"
    : role.isPrivileged || cisa || tiers.privileged.has(id)
      ? "tier1"
      : "tier2";
  return { ...role, isPrivileged: role.isPrivileged, tier, cisaHighlyPrivileged: cisa };
}

/** True when the role matches any selector. `privileged` means tier0 or tier1. */
export function matchesRole(role: RoleInfo, selectors: readonly string[]): boolean {
  return selectors.some((raw) => {
    const s = raw.trim().toLowerCase();
    switch (s) {
      case "all":
        return true;
      case "tier0":
      case "tier1":
      case "tier2":
        return role.tier === s;
      case "privileged":
        return role.tier !== "tier2";
      case "cisa":
        return role.cisaHighlyPrivileged;
      default:
        return (
          s === role.id.toLowerCase() ||
          s === role.displayName.toLowerCase() ||
          resolveRoleRef(s) === role.id.toLowerCase()
        );
    }
  });
}
