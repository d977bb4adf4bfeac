/** PIM-022: activation requires MFA or a Conditional Access authentication context. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import {
  activationOf,
  defineRule,
  highestTier,
  policiesInScope,
  policyKey,
  rolesFloor,
  sourceOf,
  type ScopedPolicy,
} from "./rule";

/**
 * High where a missing proof of presence matters most: Tier-0 roles and the CISA highly privileged roles (Exchange
 * and SharePoint Administrator are on CISA's list without Microsoft's PRIVILEGED label). Shared with PIM-023, whose
 * finding stands in for this one when the authentication context is not backed.
 */
export function presenceSeverity(sp: ScopedPolicy): "high" | "medium" {
  return highestTier(sp.roles) === "tier0" || sp.roles.some((r) => r.cisaHighlyPrivileged)
    ? "high"
    : "medium";
}

export const pim022 = defineRule({
  id: "PIM-022",
  title: "MFA or authentication context required on activation",
  source:
    "Microsoft Learn: Best practices for Microsoft Entra roles (#3); PIM alert NoMfaOnRoleActivationAlert",
  severity: "high",
  severities: ["high", "medium"],
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["tier0", "cisa"], ctx),
  docs:
    "Activation must prove the person is present: Azure MFA, or an authentication context whose Conditional " +
    "Access policy requires strong authentication (Graph refuses both together, so either satisfies the rule; " +
    "PIM-023 checks that the context is backed). High for Tier-0 roles and the CISA highly privileged roles, " +
    "medium for the other roles in scope.",
  evaluate(input, p) {
    return policiesInScope(input, (r) => matchesRole(r, p.roles))
      .filter(({ policy }) => {
        const mfa =
          policy.rules.Enablement_EndUser_Assignment?.enabledRules.includes("MultiFactorAuthentication");
        const ctx = policy.rules.AuthenticationContext_EndUser_Assignment;
        return !mfa && !(ctx?.isEnabled && ctx.claimValue);
      })
      .map((sp) => {
        const source = sourceOf(sp.policy, "activation.requireMfa");
        return {
          object: sp.policy.label,
          message: `${activationOf(sp)} requires neither MFA nor a Conditional Access authentication context`,
          fix: "set activation.requireMfa: true, or activation.authenticationContext: <id> bound to a Conditional Access policy that requires phishing-resistant MFA",
          severity: presenceSeverity(sp),
          ...(source ? { source } : {}),
          subject: policyKey(sp.policy),
        };
      });
  },
});
