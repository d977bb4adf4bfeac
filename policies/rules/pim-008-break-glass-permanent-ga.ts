/** PIM-008: each break-glass account holds Global Administrator permanently (active, not eligible). */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { defineRule, principalName } from "./rule";

export const pim008 = defineRule({
  id: "PIM-008",
  title: "Break-glass accounts hold Global Administrator permanently",
  source: "Microsoft Learn: Manage emergency access accounts (active permanent rather than eligible)",
  severity: "medium",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "An emergency account that must activate through PIM cannot rescue a tenant whose PIM, MFA or approvers are " +
    "broken. Each break-glass account needs an active Global Administrator assignment without an end date. The " +
    "stack's BreakGlass component creates it; on a live tenant or in the pack this checks it exists.",
  evaluate(input) {
    return input.breakGlass
      .filter(
        (b) =>
          !input.assignments.some(
            (a) =>
              a.principalId === b.principalId &&
              a.roleId === GLOBAL_ADMINISTRATOR &&
              a.kind === "active" &&
              a.endDateTime === null,
          ),
      )
      .map((b) => {
        const who = principalName(input, b.principalId);
        return {
          object: who,
          message: `break-glass account ${who} does not hold Global Administrator permanently; an emergency account that must first activate cannot rescue a tenant whose PIM is broken`,
          fix: "assign it Global Administrator as an active assignment without an end date, outside PIM",
          ...(b.source ? { source: b.source } : {}),
          subject: `principal:${b.principalId}`,
        };
      });
  },
});
