/** PIM-001: the number of people who hold Global Administrator stays within bounds. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { defineRule, holdersOf, list, principalName } from "./rule";

export const pim001 = defineRule({
  id: "PIM-001",
  title: "Global Administrator headcount within bounds",
  source:
    "CISA SCuBA MS.AAD.7.1v1; CIS M365 1.1.3 (two to four); Microsoft Learn: Best practices for Microsoft Entra roles (fewer than five)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({
    min: z.number().int().min(0).default(2),
    max: z.number().int().min(1).default(8),
  }),
  profiles: { strict: { max: 4 }, cis: { max: 4 } },
  floor: (p) => [
    ...(p.min < 2
      ? [`min ${p.min} is below the baseline's 2 (one lost account would lock the tenant out)`]
      : []),
    ...(p.max > 8 ? [`max ${p.max} is above the baseline's 8 (CISA MS.AAD.7.1)`] : []),
  ],
  docs:
    "Counts the distinct people who hold Global Administrator, eligible or active, directly or through groups " +
    "(eligible and active group members), break-glass accounts included; service principals, and groups whose " +
    "members are not known (a group the stack does not manage), are not counted. " +
    "Fewer than `min` risks a lock-out, more than `max` widens the attack surface. CISA allows 2-8 (the break-glass " +
    "accounts count); Microsoft recommends fewer than five, which the strict profile applies, and the CIS benchmark " +
    "two to four, which the cis profile applies.",
  evaluate(input, p) {
    const holders = [...holdersOf(input, GLOBAL_ADMINISTRATOR)].map((id) => principalName(input, id)).sort();
    const n = holders.length;
    const what = `${n} ${n === 1 ? "person holds" : "people hold"} Global Administrator (eligible or active, directly or through groups, break-glass included)`;
    const source = input.directoryRolePolicies[GLOBAL_ADMINISTRATOR]?.source;
    if (n < p.min) {
      return [
        {
          object: "Global Administrator",
          message: `${what}${n ? `: ${list(holders)}` : ""}; at least ${p.min} are required so the tenant is never left without one`,
          fix: "declare two cloud-only break-glass accounts under breakGlass, and grant Global Administrator (eligible) to a second administrator",
          ...(source ? { source } : {}),
          subject: "role:Global Administrator",
        },
      ];
    }
    if (n > p.max) {
      return [
        {
          object: "Global Administrator",
          message: `${what}: ${list(holders)}; at most ${p.max} are allowed`,
          fix: "move the people who do not need tenant-wide control to narrower roles (User Administrator, Exchange Administrator, ...) and delete their Global Administrator grants",
          ...(source ? { source } : {}),
          subject: "role:Global Administrator",
        },
      ];
    }
    return [];
  },
});
