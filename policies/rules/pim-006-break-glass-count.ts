/** PIM-006: at least two break-glass accounts. */
import { z } from "zod";
import { defineRule, plural } from "./rule";

export const pim006 = defineRule({
  id: "PIM-006",
  title: "At least two break-glass accounts",
  source:
    "Microsoft Learn: Manage emergency access accounts (two or more); Microsoft Learn: Securing privileged access",
  severity: "high",
  scope: "stack",
  params: z.strictObject({ min: z.number().int().min(1).default(2) }),
  floor: (p) => (p.min < 2 ? [`min ${p.min} is below the baseline's 2`] : []),
  docs:
    "Emergency access accounts keep the tenant reachable when PIM, Conditional Access or federation fails. One is " +
    "not enough: a lost key or a locked account must not lock the tenant out.",
  evaluate(input, p) {
    const n = input.breakGlass.length;
    if (n >= p.min) return [];
    return [
      {
        object: "breakGlass",
        message: `${plural(n, "break-glass account is", "break-glass accounts are")} declared; at least ${p.min} are required so that one lost key or locked account cannot lock the tenant out`,
        fix: `declare at least ${p.min} cloud-only emergency access accounts (for example bg-1@<tenant>.onmicrosoft.com) under breakGlass`,
        // The list as a whole is what to change: its key in tenant.yaml (the file's start when there is none).
        ...(input.breakGlassSource ? { source: input.breakGlassSource } : {}),
        subject: "breakGlass",
      },
    ];
  },
});
