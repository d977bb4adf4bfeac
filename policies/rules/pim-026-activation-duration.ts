/** PIM-026: the longest activation is bounded per tier. */
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
} from "./rule";
import { matchesRole } from "./tiers";

const EIGHT_HOURS = 8 * 3_600_000;

export const pim026 = defineRule({
  id: "PIM-026",
  title: "Activation duration bounded per tier",
  source: "Microsoft Learn: Plan a PIM deployment (example settings: 1 h Global Administrator, 8 h Helpdesk)",
  severity: "medium",
  scope: "resource",
  params: z.strictObject({
    tier0Max: durationParam.default("PT4H"),
    max: durationParam.default("PT8H"),
    /** Per-role limits by role name or id, e.g. { "Global Administrator": "PT1H" }; the lowest applicable wins. */
    perRole: z.record(z.string(), durationParam).default({}),
  }),
  strict: { tier0Max: "PT2H", perRole: { "Global Administrator": "PT1H" } },
  docs:
    "An activation lasts at most `tier0Max` for Tier-0 roles and `max` for every other role; `perRole` sets a " +
    "tighter limit for named roles. Microsoft's values (1 h Global Administrator, 2 h Exchange, 8 h Helpdesk) are " +
    "examples, hence parameters. High when a Tier-0 role allows more than 8 hours, medium otherwise.",
  evaluate(input, p) {
    return policiesInScope(input, () => true).flatMap((sp) => {
      const declared = sp.policy.rules.Expiration_EndUser_Assignment?.maximumDuration;
      if (declared === undefined) return [];
      const limits = sp.roles.map((r) => {
        const own = Object.entries(p.perRole).find(([k]) => matchesRole(r, [k]));
        return own ? own[1] : r.tier === "tier0" ? p.tier0Max : p.max;
      });
      const limit = limits.reduce((a, b) => (ms(b)! < ms(a)! ? b : a));
      const actual = ms(declared) ?? Infinity;
      if (actual <= ms(limit)!) return [];
      const tier0 = highestTier(sp.roles) === "tier0";
      return [
        {
          object: sp.policy.label,
          message: `${activationOf(sp)} may last up to ${human(declared)}; at most ${human(limit)} is allowed${tier0 ? " for Tier-0 roles" : ""}`,
          fix: `set activation.maximumDuration to ${limit} or less`,
          ...(tier0 && actual > EIGHT_HOURS ? { severity: "high" as const } : {}),
          ...(sp.policy.source ? { source: sp.policy.source } : {}),
          subject: policyKey(sp.policy),
        },
      ];
    });
  },
});
