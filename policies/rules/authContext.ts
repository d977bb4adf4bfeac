/**
 * Whether an authentication context asks for anything: only a Conditional Access policy that is on, targets the
 * context, applies to everyone who activates, and requires MFA or an authentication strength makes it a proof of
 * presence (baselines.md PIM-023). Shared by PIM-023; the rule input's facts and declarations feed it.
 */
import type { ConditionalAccessPolicyFact, RuleInput } from "./input";
import { list, principalName } from "./rule";

/** Microsoft's built-in "Phishing-resistant MFA" authentication strength. */
export const PHISHING_RESISTANT_STRENGTH = "00000000-0000-0000-0000-000000000004";

export type Backing =
  { backed: true; policy: ConditionalAccessPolicyFact | null } | { backed: false; why: string };

const STATE: Record<ConditionalAccessPolicyFact["state"], string> = {
  enabled: "on",
  disabled: "off",
  enabledForReportingButNotEnforced: "report-only",
};

/** Why the policy does not enforce the context for `holders`, or null when it does. */
export function enforcementGap(
  input: RuleInput,
  p: ConditionalAccessPolicyFact,
  holders: ReadonlySet<string>,
): string | null {
  const name = `Conditional Access policy "${p.displayName}"`;
  if (p.state !== "enabled") return `${name} is ${STATE[p.state] ?? p.state}, so it enforces nothing`;
  if (!p.requiresMfa && !p.authenticationStrength)
    return `${name} requires neither MFA nor an authentication strength`;
  if (p.includeRoles.length)
    return `${name} is scoped to directory roles, so it does not apply to someone who is activating one`;
  if (!p.includeUsers.some((u) => u.toLowerCase() === "all")) return `${name} does not apply to all users`;
  const excluded = [...holders].filter(
    (h) =>
      p.excludeUsers.some((u) => u.toLowerCase() === h) || p.excludeGroups.some((g) => g.toLowerCase() === h),
  );
  if (excluded.length)
    return `${name} excludes ${list(excluded.map((id) => principalName(input, id)).sort())}, who can activate the role`;
  return null;
}

const named = (p: ConditionalAccessPolicyFact, ref: string) =>
  p.id.toLowerCase() === ref.trim().toLowerCase() ||
  p.displayName.trim().toLowerCase() === ref.trim().toLowerCase();

/** Whether an enforcing policy backs context `claim` for the people in `holders`. */
export function contextBacking(input: RuleInput, claim: string, holders: ReadonlySet<string>): Backing {
  const known = input.facts.conditionalAccess;
  const declared = input.authenticationContexts[claim.toLowerCase()]?.conditionalAccessPolicy ?? null;
  const candidates = known.policies.filter(
    (p) =>
      p.authenticationContexts.some((c) => c.toLowerCase() === claim.toLowerCase()) ||
      (declared !== null && named(p, declared)),
  );
  const gaps = candidates.map((p) => ({ p, gap: enforcementGap(input, p, holders) }));
  const enforcing = gaps.find((g) => g.gap === null);
  if (enforcing) return { backed: true, policy: enforcing.p };
  if (gaps.length) return { backed: false, why: gaps[0]!.gap! };
  if (declared !== null && !known.complete) return { backed: true, policy: null };
  if (declared !== null)
    return {
      backed: false,
      why: `Conditional Access policy "${declared}", which tenant.yaml names, does not exist`,
    };
  return {
    backed: false,
    why: known.complete
      ? `no Conditional Access policy targets authentication context ${claim}`
      : `authentication context ${claim} is not declared under authenticationContexts with the Conditional Access policy that enforces it`,
  };
}
