/** PIM-037: activation is not so short that people re-activate all day, and not below what Entra accepts. */
import { z } from "zod";
import type { RoleTier } from "./input";
import {
  activationOf,
  defineRule,
  durationParam,
  human,
  ms,
  policiesInScope,
  policyKey,
  sourceOf,
  type RuleFinding,
} from "./rule";

/** The shortest activation Entra accepts (role settings: 30 minutes to 24 hours). */
export const ENTRA_MIN_ACTIVATION = 30 * 60_000;

export const pim037 = defineRule({
  id: "PIM-037",
  title: "Activation long enough to work with",
  source: "Project guidance (PIM alert SequentialActivationRenewalsAlert: roles activated too frequently)",
  severity: "low",
  severities: ["high", "low"],
  scope: "resource",
  params: z.strictObject({
    tier0Min: durationParam.default("PT1H"),
    /** Daily-driver roles (Helpdesk, Exchange, ...) are used for hours at a time. */
    tier1Min: durationParam.default("PT2H"),
    tier2Min: durationParam.default("PT2H"),
  }),
  docs:
    "An activation shorter than the workable minimum of its tier (`tier0Min`, `tier1Min`, `tier2Min`) makes " +
    "people re-activate all day: approvers rubber-stamp, alerts drown and admins look for a standing " +
    "workaround. Tier-0 roles are used briefly; daily-driver roles such as Helpdesk Administrator need longer. " +
    "Advisory (low); high below 30 minutes, which Entra does not accept. A group's member policy takes the " +
    "minimum of the most privileged role the group holds.",
  evaluate(input, p) {
    const min: Record<RoleTier, string> = { tier0: p.tier0Min, tier1: p.tier1Min, tier2: p.tier2Min };
    return policiesInScope(input, () => true).flatMap((sp): RuleFinding[] => {
      const declared = sp.policy.rules.Expiration_EndUser_Assignment?.maximumDuration;
      if (declared === undefined) return [];
      const source = sourceOf(sp.policy, "activation.maximumDuration");
      const at = { object: sp.policy.label, ...(source ? { source } : {}), subject: policyKey(sp.policy) };
      const actual = ms(declared) ?? Infinity;
      if (actual < ENTRA_MIN_ACTIVATION) {
        return [
          {
            ...at,
            severity: "high" as const,
            message: `${activationOf(sp)} lasts at most ${human(declared)}, less than the 30 minutes Entra accepts`,
            fix: "set activation.maximumDuration to PT30M or more (Entra accepts 30 minutes to 24 hours)",
          },
        ];
      }
      // The most privileged role governs: a group holding a Tier-0 and a Tier-2 role is held to Tier-0's minimum.
      const tier = sp.roles.map((r) => r.tier).sort()[0]!;
      const floor = min[tier];
      if (actual >= ms(floor)!) return [];
      return [
        {
          ...at,
          severity: "low" as const,
          message: `${activationOf(sp)} lasts at most ${human(declared)}; below ${human(floor)} people re-activate ${tier === "tier0" ? "a Tier-0" : "a daily-driver"} role all day and approvals become a formality`,
          fix: `set activation.maximumDuration to ${floor} or more`,
        },
      ];
    });
  },
});
