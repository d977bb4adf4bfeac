/** PIM-040: every privileged directory role that is granted has declared settings. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import { defineRule, list, roleOf, rolesFloor } from "./rule";

export const pim040 = defineRule({
  id: "PIM-040",
  title: "Settings declared for every privileged role in use",
  source:
    "Project guidance; Microsoft Learn: Plan a PIM deployment (configure role settings before assigning)",
  severity: "medium",
  severities: ["high", "medium"],
  scope: "stack",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["tier0", "cisa"], ctx),
  docs:
    "A privileged role granted without declared settings keeps whatever policy the tenant holds, which no rule can " +
    "check and a portal edit can weaken. Declare its settings (a profile is enough). High for Tier-0 and CISA highly privileged roles, whose approval, " +
    "MFA and alert rules would otherwise go unchecked.",
  evaluate(input, p) {
    const byRole = new Map<string, string[]>();
    for (const a of input.assignments) {
      const role = roleOf(input, a.roleId);
      if (role.kind !== "directory" || !matchesRole(role, p.roles) || input.directoryRolePolicies[a.roleId])
        continue;
      byRole.set(a.roleId, [...(byRole.get(a.roleId) ?? []), a.label]);
    }
    return [...byRole].map(([roleId, labels]) => {
      const info = roleOf(input, roleId);
      const role = info.displayName;
      // The approval, MFA and alert rules (PIM-019/020/022/029) only judge declared settings, so for the roles they
      // guard most, undeclared settings would let a tenant's weaker policy through unchecked: mandatory.
      const guarded = info.tier === "tier0" || info.cisaHighlyPrivileged;
      const first = input.assignments.find((a) => a.roleId === roleId && a.source)?.source;
      return {
        object: role,
        message: `${role} is granted (${list(labels)}) but its role settings are not declared, so MFA, approval, duration and alerts are whatever the tenant holds`,
        fix: `add "- role: ${role}" with a profile under roleSettings.directoryRoles`,
        ...(guarded ? { severity: "high" as const } : {}),
        ...(first ? { source: first } : {}),
        subject: `role:${role}`,
      };
    });
  },
});
