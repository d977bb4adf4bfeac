/** PIM-002: Global Administrators do not outnumber the people who hold finer-grained privileged roles. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { matchesRole, roleSelectors } from "./tiers";
import {
  defineRule,
  holdersOf,
  isBreakGlass,
  list,
  peopleBehind,
  plural,
  principalName,
  roleOf,
} from "./rule";

export const pim002 = defineRule({
  id: "PIM-002",
  title: "Finer-grained roles instead of Global Administrator",
  source: "CISA SCuBA MS.AAD.7.2v1",
  severity: "high",
  scope: "stack",
  params: z.strictObject({
    /** The roles whose holders count as privileged users besides Global Administrator. */
    roles: roleSelectors.default(["cisa"]),
    /** Global Administrators per other privileged user at most. */
    maxRatio: z.number().positive().default(1),
  }),
  floor: (p, ctx) => {
    const wider = ctx.uncovered(["cisa"], p.roles);
    return [
      ...(p.maxRatio > 1 ? [`maxRatio ${p.maxRatio} is above the baseline's 1 (CISA MS.AAD.7.2)`] : []),
      ...(wider.length
        ? [
            `roles also counts holders of ${wider.slice(0, 3).join(", ")}${wider.length > 3 ? ` and ${wider.length - 3} more` : ""}, so Global Administrators are outnumbered more easily (the baseline is ["cisa"])`,
          ]
        : []),
    ];
  },
  docs:
    "Counts distinct people, as PIM-001 does: those who hold Global Administrator, and those who hold another role " +
    "in `roles` (the CISA highly privileged roles) without holding Global Administrator, eligible or active, " +
    "directly or through groups. A person who holds Global Administrator never counts as one of the others. The " +
    "Global Administrators may number at most `maxRatio` times the others; a tenant whose privileged users all hold " +
    "Global Administrator fails. Break-glass accounts count, as ScubaGear counts them, except when they are the only " +
    "Global Administrators: they cannot move to a finer-grained role, so there is nothing to replace (ScubaGear " +
    "fails that tenant). ScubaGear also fails this when MS.AAD.7.1 fails; here PIM-001 reports that case.",
  evaluate(input, p) {
    const admins = holdersOf(input, GLOBAL_ADMINISTRATOR);
    // Emergency accounts must hold Global Administrator (PIM-008) and cannot move to a narrower role: when they are
    // the only holders there is no Global Administrator to replace, only a tenant with nobody else in it.
    if ([...admins].every((id) => isBreakGlass(input, id))) return [];
    const others = new Set<string>();
    for (const a of input.assignments) {
      const role = roleOf(input, a.roleId);
      if (role.id === GLOBAL_ADMINISTRATOR || role.kind !== "directory" || !matchesRole(role, p.roles))
        continue;
      for (const id of peopleBehind(input, a.principalId, new Set(), true))
        if (!admins.has(id)) others.add(id);
    }
    if (admins.size <= p.maxRatio * others.size) return [];
    const names = (ids: Set<string>) => list([...ids].map((id) => principalName(input, id)).sort());
    const source = input.directoryRolePolicies[GLOBAL_ADMINISTRATOR]?.source;
    const ratio = p.maxRatio === 1 ? "must not outnumber them" : `may number at most ${p.maxRatio} per other`;
    return [
      {
        object: "Global Administrator",
        message: others.size
          ? `${plural(admins.size, "person holds", "people hold")} Global Administrator (${names(admins)}) and only ${plural(others.size, "other person holds", "other people hold")} a highly privileged role (${names(others)}); Global Administrators ${ratio}`
          : `every privileged user holds Global Administrator (${names(admins)}); nobody uses a finer-grained role`,
        fix: "give the people who do not need tenant-wide control a finer-grained role (User Administrator, Exchange Administrator, ...) and delete their Global Administrator grants",
        ...(source ? { source } : {}),
        subject: "role:Global Administrator",
      },
    ];
  },
});
