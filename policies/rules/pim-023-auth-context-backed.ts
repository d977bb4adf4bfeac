/** PIM-023: an authentication context required on activation is enforced by a Conditional Access policy. */
import { z } from "zod";
import { contextBacking } from "./authContext";
import { presenceSeverity } from "./pim-022-mfa-on-activation";
import { matchesRole, roleSelectors } from "./tiers";
import type { RuleInput } from "./input";
import {
  activationOf,
  defineRule,
  highestTier,
  peopleBehind,
  policiesInScope,
  policyKey,
  rolesFloor,
  sourceOf,
  type RuleFinding,
  type ScopedPolicy,
} from "./rule";

/**
 * The people who activate what the policy governs, and so meet its authentication context: those eligible for the
 * role (directly or through a group), or the group's eligible members. A permanent holder (a break-glass account,
 * which Conditional Access policies usually exclude) never activates.
 */
function activators(input: RuleInput, sp: ScopedPolicy): Set<string> {
  const t = sp.policy.target;
  const out = new Set<string>();
  if (t.kind === "group") {
    for (const m of input.groups[t.groupId]?.members ?? [])
      if (m.kind === "eligible") for (const p of peopleBehind(input, m.principalId)) out.add(p);
    return out;
  }
  for (const a of input.assignments) {
    if (a.roleId !== t.roleId) continue;
    if (a.kind === "eligible") for (const p of peopleBehind(input, a.principalId)) out.add(p);
    else if (input.groups[a.principalId])
      for (const m of input.groups[a.principalId]!.members)
        if (m.kind === "eligible") for (const p of peopleBehind(input, m.principalId)) out.add(p);
  }
  return out;
}

export const pim023 = defineRule({
  id: "PIM-023",
  title: "Authentication context on activation is enforced by Conditional Access",
  source:
    "Microsoft Learn: Configure Microsoft Entra role settings in PIM (authentication context); CISA SCuBA MS.AAD.3.6v1",
  severity: "high",
  severities: ["high", "medium"],
  scope: "stack",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["tier0", "cisa"], ctx),
  docs:
    "An authentication context replaces MFA on activation (PIM-022 accepts either), but on its own it asks for " +
    "nothing: a Conditional Access policy must be on (not report-only), target the context, apply to all users " +
    "without excluding anyone who can activate, not be scoped to directory roles, and require MFA or an " +
    "authentication strength. Offline the policy named for the context under `authenticationContexts` is trusted; " +
    "the live tenant and the policy pack (azuread ConditionalAccessPolicy resources) show the policy itself. " +
    "High for Tier-0 and CISA highly privileged roles, as for PIM-022, medium otherwise; a Tier-0 context whose " +
    "policy asks for MFA but no authentication strength is medium (phishing-resistant MFA is the recommendation).",
  evaluate(input, p) {
    const out: RuleFinding[] = [];
    for (const sp of policiesInScope(input, (r) => matchesRole(r, p.roles))) {
      const rules = sp.policy.rules;
      const ctx = rules.AuthenticationContext_EndUser_Assignment;
      if (rules.Enablement_EndUser_Assignment?.enabledRules.includes("MultiFactorAuthentication")) continue;
      if (!ctx?.isEnabled || !ctx.claimValue) continue;
      const backing = contextBacking(input, ctx.claimValue, activators(input, sp));
      const source = sourceOf(sp.policy, "activation.authenticationContext");
      const at = { object: sp.policy.label, ...(source ? { source } : {}), subject: policyKey(sp.policy) };
      if (!backing.backed) {
        out.push({
          ...at,
          severity: presenceSeverity(sp),
          message: `${activationOf(sp)} requires authentication context ${ctx.claimValue}, which asks for nothing: ${backing.why}`,
          fix: `back ${ctx.claimValue} with an enabled Conditional Access policy for all users that requires MFA or an authentication strength, and name it under authenticationContexts; or set activation.requireMfa: true instead`,
        });
      } else if (
        backing.policy &&
        !backing.policy.authenticationStrength &&
        highestTier(sp.roles) === "tier0"
      ) {
        out.push({
          ...at,
          severity: "medium",
          message: `${activationOf(sp)} requires authentication context ${ctx.claimValue}, whose Conditional Access policy "${backing.policy.displayName}" asks for MFA but no authentication strength, so any MFA method will do`,
          fix: `require the Phishing-resistant MFA authentication strength in "${backing.policy.displayName}"`,
        });
      }
    }
    return out;
  },
});
