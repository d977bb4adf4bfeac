/** PIM-037: activation is not so short that people re-activate all day. */
import { z } from "zod";
import { activationOf, defineRule, durationParam, human, ms, policiesInScope, policyKey } from "./rule";

export const pim037 = defineRule({
  id: "PIM-037",
  title: "Activation long enough to work with",
  source: "Project guidance (PIM alert SequentialActivationRenewalsAlert: roles activated too frequently)",
  severity: "low",
  scope: "resource",
  params: z.strictObject({ min: durationParam.default("PT1H") }),
  docs:
    "An activation shorter than `min` makes people re-activate all day: approvers rubber-stamp, alerts drown and " +
    "admins look for a standing workaround. Advisory.",
  evaluate(input, p) {
    return policiesInScope(input, () => true).flatMap((sp) => {
      const declared = sp.policy.rules.Expiration_EndUser_Assignment?.maximumDuration;
      if (declared === undefined || (ms(declared) ?? Infinity) >= ms(p.min)!) return [];
      return [
        {
          object: sp.policy.label,
          message: `${activationOf(sp)} lasts at most ${human(declared)}; below ${human(p.min)} people re-activate all day and approvals become a formality`,
          fix: `set activation.maximumDuration to ${p.min} or more`,
          ...(sp.policy.source ? { source: sp.policy.source } : {}),
          subject: policyKey(sp.policy),
        },
      ];
    });
  },
});
