/** PIM-003: people who hold highly privileged roles use cloud-only accounts. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import {
  assignmentSubject,
  defineRule,
  peopleBehind,
  principalName,
  roleOf,
  rolesFloor,
  type RuleFinding,
} from "./rule";

export const pim003 = defineRule({
  id: "PIM-003",
  title: "Privileged users are cloud-only",
  source:
    "CISA SCuBA MS.AAD.7.3v1; CIS M365 1.1.1; Microsoft Learn: Best practices for Microsoft Entra roles (#9)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({ roles: roleSelectors.default(["cisa"]) }),
  profiles: { strict: { roles: ["privileged", "cisa"] }, cis: { roles: ["privileged", "cisa"] } },
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["cisa"], ctx),
  docs:
    "An account synchronised from an on-premises directory can be taken over there (a domain admin resets its " +
    "password or changes its attributes), so whoever controls on-premises controls the role. Every person who " +
    "holds a role in `roles`, eligible or active, directly or through a group, uses a cloud-only account. " +
    "Synchronised accounts are those listed under `synchronizedAccounts` in tenant.yaml (UPN patterns) or, on a " +
    "live tenant, those with `onPremisesSyncEnabled` or an `onPremisesImmutableId`; nothing else is assumed.",
  evaluate(input, p) {
    const out: RuleFinding[] = [];
    for (const a of input.assignments) {
      const role = roleOf(input, a.roleId);
      if (!matchesRole(role, p.roles)) continue;
      const via = a.principalId in input.groups ? ` through ${principalName(input, a.principalId)}` : "";
      for (const id of peopleBehind(input, a.principalId, new Set(), true)) {
        if (input.principals[id]?.onPremisesSynced !== true) continue;
        const who = principalName(input, id);
        out.push({
          object: a.label,
          message: `${who} is synchronised from on-premises and can ${a.kind === "eligible" ? "activate" : "use"} ${role.displayName}${via}; whoever controls the on-premises account controls the role`,
          fix: `give ${who} a separate cloud-only admin account (e.g. adm-<name>@<tenant>.onmicrosoft.com) and grant the role to that account instead`,
          ...(a.source ? { source: a.source } : {}),
          subject: assignmentSubject(a),
        });
      }
    }
    return out;
  },
});
