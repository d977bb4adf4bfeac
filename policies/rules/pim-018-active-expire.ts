/** PIM-018: role policies require active assignments to expire (policy level). */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import type { RoleInfo, RuleInput } from "./input";
import { defineRule, durationParam, expiryPolicyFindings } from "./rule";

export const pim018 = defineRule({
  id: "PIM-018",
  title: "Active assignments must expire (policy level)",
  source: "Microsoft Learn: Configure Microsoft Entra role settings in PIM; supports CISA SCuBA MS.AAD.7.4v1",
  severity: "medium",
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["privileged", "cisa"]),
    /** Global Administrator is left out by default: its permanent holders are the break-glass accounts (PIM-004). */
    exceptRoles: roleSelectors.default(["Global Administrator"]),
    maxActive: durationParam.default("P180D"),
  }),
  profiles: { strict: { maxActive: "P30D" } },
  docs:
    "The role policy itself must refuse permanent active assignments and bound them to `maxActive`, so that an " +
    "assignment made by hand in the portal cannot become standing privilege either. Global Administrator is " +
    "excepted by default (baselines.md §7.2); its assignments are checked one by one by PIM-004. A directory role " +
    "held by a PIM-for-Groups group may allow permanent active assignments while no one else is known to hold it " +
    "actively: the group holds it permanently through PIM, and the group's own eligibility controls who uses it.",
  evaluate(input, p) {
    const match = (r: RoleInfo) =>
      matchesRole(r, p.roles) && !matchesRole(r, p.exceptRoles) && !heldOnlyByPimGroups(input, r);
    return expiryPolicyFindings(input, match, "active", p.maxActive);
  },
});

/**
 * The role's policy says PIM groups hold it (`heldByPimGroups`), and every active assignment of it the input knows
 * is a PIM-enrolled group's. A resource policy sees the policy alone, so the list on the policy is the fact both
 * `pim check` and the pack can read.
 */
function heldOnlyByPimGroups(input: RuleInput, role: RoleInfo): boolean {
  if (role.kind !== "directory" || !input.directoryRolePolicies[role.id]?.heldByPimGroups?.length)
    return false;
  return input.assignments
    .filter((a) => a.kind === "active" && a.roleId === role.id)
    .every((a) => input.groups[a.principalId]?.pimEnrolled === true);
}
