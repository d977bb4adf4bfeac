/**
 * PIM-004: no permanent active role assignment, except declared break-glass accounts, PIM-enrolled groups and the
 * service accounts declared (with a reason) under `safeDefaults.serviceAccounts`.
 */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "../../model/catalog";
import { roleSelectors, matchesRole } from "./tiers";
import {
  assignmentSubject,
  defineRule,
  principalName,
  roleOf,
  rolesFloor,
  serviceAccountFor,
  standingByDesign,
} from "./rule";

export const pim004 = defineRule({
  id: "PIM-004",
  title: "No permanent active role assignments",
  source:
    "CISA SCuBA MS.AAD.7.4v1; Microsoft Learn: Plan a PIM deployment (zero permanently active assignments)",
  severity: "high",
  severities: ["critical", "high"],
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["all"]),
    /** A PIM-for-Groups group holds its roles permanently by design; its members activate membership. */
    allowPimGroups: z.boolean().default(true),
  }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["all"], ctx),
  docs:
    "An active assignment without an end date is standing privilege. Only declared break-glass accounts may hold " +
    "a role permanently, PIM-enrolled groups, whose members activate just in time (unless `allowPimGroups` is " +
    "false), and the service accounts declared under `safeDefaults.serviceAccounts` for the roles listed there " +
    "(CISA's exclusion for accounts that cannot activate; PIM-011 checks them). Every role is in scope by default, " +
    "as the project's invariant says; CISA's own scope is `cisa`. Critical for Global Administrator and Privileged " +
    "Role Administrator.",
  evaluate(input, p) {
    return input.assignments
      .filter(
        (a) => a.kind === "active" && a.endDateTime === null && matchesRole(roleOf(input, a.roleId), p.roles),
      )
      .filter((a) => !standingByDesign(input, a, p.allowPimGroups) && !serviceAccountFor(input, a))
      .map((a) => {
        const role = roleOf(input, a.roleId).displayName;
        const who = principalName(input, a.principalId);
        const critical = a.roleId === GLOBAL_ADMINISTRATOR || a.roleId === PRIVILEGED_ROLE_ADMINISTRATOR;
        return {
          object: a.label,
          message: `${who} holds ${role} permanently (active, no end date); only declared break-glass accounts may hold a role permanently`,
          fix: `make it kind: eligible so ${role} is activated just in time, or give it an end date; if ${who} is an emergency access account, declare it under breakGlass; if it is a service account that cannot activate, declare it under safeDefaults.serviceAccounts with the role and the reason`,
          severity: critical ? ("critical" as const) : ("high" as const),
          ...(a.source ? { source: a.source } : {}),
          subject: assignmentSubject(a),
        };
      });
  },
});
