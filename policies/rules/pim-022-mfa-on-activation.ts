/** PIM-022: activation requires MFA or a Conditional Access authentication context. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { activationOf, defineRule, highestTier, policiesInScope, policyKey } from "./rule";

export const pim022 = defineRule({
  id: "PIM-022",
  title: "MFA or authentication context required on activation",
  source:
    "Microsoft Learn: Best practices for Microsoft Entra roles (#3); PIM alert NoMfaOnRoleActivationAlert",
  severity: "high",
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  docs:
    "Activation must prove the person is present: Azure MFA, or an authentication context whose Conditional " +
    "Access policy requires strong authentication (Graph refuses both together, so either satisfies the rule). " +
    "High for Tier-0 roles, medium for the other roles in scope.",
  evaluate(input, p) {
    return policiesInScope(input, (r) => matchesRole(r, p.roles))
      .filter(({ policy }) => {
        const mfa =
          policy.rules.Enablement_EndUser_Assignment?.enabledRules.includes("MultiFactorAuthentication");
        const ctx = policy.rules.AuthenticationContext_EndUser_Assignment;
        return !mfa && !(ctx?.isEnabled && ctx.claimValue);
      })
      .map((sp) => ({
        object: sp.policy.label,
        message: `${activationOf(sp)} requires neither MFA nor a Conditional Access authentication context`,
        fix: "set activation.requireMfa: true, or activation.authenticationContext: <id> bound to a Conditional Access policy that requires phishing-resistant MFA",
        ...(highestTier(sp.roles) === "tier0" ? {} : { severity: "medium" as const }),
        ...(sp.policy.source ? { source: sp.policy.source } : {}),
        subject: policyKey(sp.policy),
      }));
  },
});
