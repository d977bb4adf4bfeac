/** PIM-026: the longest activation is bounded per tier, and within what Entra accepts. */
import { z } from "zod";
import {
  activationOf,
  defineRule,
  durationParam,
  highestTier,
  human,
  ms,
  policiesInScope,
  policyKey,
  sourceOf,
} from "./rule";
import { matchesRole } from "./tiers";

const HOUR = 3_600_000;
/** Past this a Tier-0 window is a mandatory finding whatever the parameters say. */
const TIER0_HIGH = 8 * HOUR;
/** The longest activation Entra accepts (role settings: 1 to 24 hours, in half hours). */
export const ENTRA_MAX_ACTIVATION = 24 * HOUR;

export const pim026 = defineRule({
  id: "PIM-026",
  title: "Activation duration bounded per tier",
  source: "Microsoft Learn: Plan a PIM deployment (example settings: 1 h Global Administrator, 8 h Helpdesk)",
  severity: "medium",
  severities: ["high", "medium"],
  scope: "resource",
  params: z.strictObject({
    tier0Max: durationParam.default("PT4H"),
    max: durationParam.default("PT8H"),
    /** Per-role limits by role name or id, e.g. { "Global Administrator": "PT1H" }; the lowest applicable wins. */
    perRole: z.record(z.string(), durationParam).default({}),
  }),
  profiles: { strict: { tier0Max: "PT2H", perRole: { "Global Administrator": "PT1H" } } },
  floor: (p) => [
    ...((ms(p.tier0Max) ?? 0) > TIER0_HIGH
      ? [`tier0Max ${p.tier0Max} is above 8 hours, past which a Tier-0 window is a mandatory finding`]
      : []),
    ...Object.entries(p.perRole)
      .filter(([, v]) => (ms(v) ?? 0) > TIER0_HIGH)
      .map(
        ([role, v]) => `perRole ${role}: ${v} is above 8 hours, which would lift the limit for a Tier-0 role`,
      ),
  ],
  docs:
    "An activation lasts at most `tier0Max` for Tier-0 roles and `max` for every other role; `perRole` sets a " +
    "tighter limit for named roles. Microsoft's values (1 h Global Administrator, 2 h Exchange, 8 h Helpdesk) are " +
    "examples, hence parameters. High when a Tier-0 role allows more than 8 hours, medium otherwise; high for any " +
    "role beyond 24 hours, which Entra does not accept. A policy without the rule is not configured: it may allow " +
    "the full 24 hours.",
  evaluate(input, p) {
    return policiesInScope(input, () => true).flatMap((sp) => {
      const declared = sp.policy.rules.Expiration_EndUser_Assignment?.maximumDuration;
      const source = sourceOf(sp.policy, "activation.maximumDuration");
      const at = { object: sp.policy.label, ...(source ? { source } : {}), subject: policyKey(sp.policy) };
      const tier0 = highestTier(sp.roles) === "tier0";
      const limitOf = () =>
        sp.roles
          .map((r) => {
            const own = Object.entries(p.perRole).find(([k]) => matchesRole(r, [k]));
            return own ? own[1] : r.tier === "tier0" ? p.tier0Max : p.max;
          })
          .reduce((a, b) => (ms(b)! < ms(a)! ? b : a));
      if (declared === undefined) {
        // A missing rule is not configured: the window is whatever the tenant holds, up to the 24 hours Entra allows.
        const limit = limitOf();
        return [
          {
            ...at,
            severity: tier0 ? ("high" as const) : ("medium" as const),
            message: `${activationOf(sp)} has no maximum duration configured, so it may last up to 24 hours; at most ${human(limit)} is allowed${tier0 ? " for Tier-0 roles" : ""}`,
            fix: `set activation.maximumDuration to ${limit} or less`,
          },
        ];
      }
      const actual = ms(declared) ?? Infinity;
      if (actual > ENTRA_MAX_ACTIVATION) {
        return [
          {
            ...at,
            severity: "high" as const,
            message: `${activationOf(sp)} may last up to ${human(declared)}, more than the 24 hours Entra accepts`,
            fix: "set activation.maximumDuration to PT24H or less (Entra accepts 30 minutes to 24 hours)",
          },
        ];
      }
      const limit = limitOf();
      if (actual <= ms(limit)!) return [];
      return [
        {
          ...at,
          severity: tier0 && actual > TIER0_HIGH ? ("high" as const) : ("medium" as const),
          message: `${activationOf(sp)} may last up to ${human(declared)}; at most ${human(limit)} is allowed${tier0 ? " for Tier-0 roles" : ""}`,
          fix: `set activation.maximumDuration to ${limit} or less`,
        },
      ];
    });
  },
});
