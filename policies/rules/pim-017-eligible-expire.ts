/** PIM-017: eligible assignments expire, sooner for contractors and guests. */
import { z } from "zod";
import { matchesRole, roleSelectors } from "./tiers";
import {
  assignmentSubject,
  defineRule,
  durationParam,
  expiryPolicyFindings,
  human,
  ms,
  plural,
  principalName,
  roleOf,
  rolesHeldByGroup,
  type RuleFinding,
} from "./rule";
import type { RuleInput } from "./input";

const DAY = 86_400_000;

export const pim017 = defineRule({
  id: "PIM-017",
  title: "Eligible assignments expire",
  source:
    "Microsoft Learn: Configure Microsoft Entra role settings in PIM (expire eligible assignments); NSA/CISA AA23-278A",
  severity: "medium",
  scope: "resource",
  params: z.strictObject({
    roles: roleSelectors.default(["privileged", "cisa"]),
    maxEligible: durationParam.default("P365D"),
    /** Contractors (the tenant's `contractors` patterns) and guests. */
    maxEligibleExternal: durationParam.default("P90D"),
  }),
  profiles: { strict: { maxEligible: "P180D", maxEligibleExternal: "P30D" } },
  docs:
    "Eligibility that never ends outlives the need for it. The policy of each role in scope must require an end " +
    "date within `maxEligible`, and each eligible grant or eligible group membership must end within `maxEligible` " +
    "of its start (of now, when it starts on provisioning), or within `maxEligibleExternal` for contractors and guests.",
  evaluate(input, p) {
    const out = expiryPolicyFindings(input, (r) => matchesRole(r, p.roles), "eligible", p.maxEligible);
    const max = ms(p.maxEligible)!;
    const maxExt = ms(p.maxEligibleExternal)!;
    const external = (id: string) =>
      input.principals[id]?.isContractor || input.principals[id]?.userType === "Guest";
    const tooLong = (principalId: string, start: string | null, end: string | null) => {
      const limit = external(principalId) ? maxExt : max;
      const limitText = external(principalId) ? p.maxEligibleExternal : p.maxEligible;
      if (end === null) return { reason: "has no end date", limitText };
      const from = start === null ? Date.parse(input.now) : Date.parse(start);
      const days = Math.ceil((Date.parse(end) - from) / DAY);
      return Date.parse(end) - from > limit ? { reason: `lasts ${plural(days, "day")}`, limitText } : null;
    };
    for (const a of input.assignments) {
      if (a.kind !== "eligible" || !matchesRole(roleOf(input, a.roleId), p.roles)) continue;
      const bad = tooLong(a.principalId, a.startDateTime, a.endDateTime);
      if (!bad) continue;
      const who = principalName(input, a.principalId);
      const kind = external(a.principalId) ? " (contractor or guest)" : "";
      out.push({
        object: a.label,
        message: `eligible ${roleOf(input, a.roleId).displayName} for ${who}${kind} ${bad.reason}; at most ${human(bad.limitText)} is allowed`,
        fix: `set end within ${human(bad.limitText)} of the start, and renew it by pull request when still needed`,
        ...(a.source ? { source: a.source } : {}),
        subject: assignmentSubject(a),
      });
    }
    out.push(...groupMemberships(input, p.roles, tooLong));
    return out;
  },
});

function groupMemberships(
  input: RuleInput,
  roles: string[],
  tooLong: (
    id: string,
    start: string | null,
    end: string | null,
  ) => { reason: string; limitText: string } | null,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const g of Object.values(input.groups)) {
    if (!rolesHeldByGroup(input, g.id).some((r) => matchesRole(r, roles))) continue;
    for (const m of g.members) {
      if (m.kind !== "eligible") continue;
      const bad = tooLong(m.principalId, m.startDateTime, m.endDateTime);
      if (!bad) continue;
      const who = principalName(input, m.principalId);
      out.push({
        object: `${g.displayName} member ${who}`,
        message: `eligible membership of ${g.displayName} for ${who} ${bad.reason}; at most ${human(bad.limitText)} is allowed`,
        fix: `set end within ${human(bad.limitText)} of the start`,
        ...(g.source ? { source: g.source } : {}),
        subject: `group:${g.id}`,
      });
    }
  }
  return out;
}
