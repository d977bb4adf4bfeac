/** PIM-011: the service accounts excluded from PIM-004 are few, justified, and really cannot activate. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "../../model/catalog";
import {
  allPolicies,
  approverPool,
  defineRule,
  list,
  plural,
  principalName,
  roleOf,
  rolesHeldByGroup,
  type RuleFinding,
} from "./rule";

/** Words that stand for a reason without giving one. */
const PLACEHOLDER = /^(?:todo|tbd|tba|n\/?a|none|-+|\.+|x+|test|temp|temporary|fixme|\?+)$/i;
const MIN_JUSTIFICATION = 10;

export const pim011 = defineRule({
  id: "PIM-011",
  title: "Exclusions from the permanent-active rule are justified and few",
  source: "CISA SCuBA MS.AAD.7.4v1 (RoleExclusions); Project guidance",
  severity: "medium",
  severities: ["high", "medium", "low"],
  scope: "stack",
  params: z.strictObject({
    /** Service accounts on top of the break-glass accounts (the baseline suggests break-glass + 2 in all). */
    maxServiceAccounts: z.number().int().min(0).default(2),
  }),
  docs:
    "A service account declared under `safeDefaults.serviceAccounts` may hold the listed roles permanently " +
    "(PIM-004), so each declaration is a standing exception. It must give a reason (high when it is missing or a " +
    "placeholder), name an account that cannot activate (high when the account is a guest or contractor, is " +
    "eligible for a role, approves, or is in a PIM group: then it is someone's admin account), and never cover " +
    "Global Administrator or Privileged Role Administrator, which only break-glass accounts hold permanently " +
    "(high). More than `maxServiceAccounts` declarations is medium; one that covers no permanent assignment is " +
    "low clutter that can later hide a real one.",
  evaluate(input, p) {
    const out: RuleFinding[] = [];
    for (const s of input.serviceAccounts) {
      const who = principalName(input, s.principalId);
      const principal = input.principals[s.principalId];
      const at = {
        object: who,
        ...(s.source ? { source: s.source } : {}),
        subject: `serviceAccount:${s.principalId}`,
      };
      const j = s.justification.trim();
      if (j.length < MIN_JUSTIFICATION || PLACEHOLDER.test(j)) {
        out.push({
          ...at,
          severity: "high",
          message: `the service account exclusion for ${who} gives no reason ("${j}"), so a reviewer cannot tell why it holds a role permanently`,
          fix: "write in justification why the account cannot activate a role just in time (and the ticket that accepted it)",
        });
      }
      if (principal?.userType === "Guest" || principal?.isContractor) {
        out.push({
          ...at,
          severity: "high",
          message: `${who} is ${principal.userType === "Guest" ? "a guest" : "a contractor"} account, a person's account rather than a service account, yet it is excluded from the permanent-active rule`,
          fix: `remove ${who} from safeDefaults.serviceAccounts and give the person eligible, time-bound grants`,
        });
      }
      const critical = s.roleIds.filter(
        (r) => r === GLOBAL_ADMINISTRATOR || r === PRIVILEGED_ROLE_ADMINISTRATOR,
      );
      if (critical.length) {
        out.push({
          ...at,
          severity: "high",
          message: `the exclusion lets ${who} hold ${list(critical.map((r) => roleOf(input, r).displayName))} permanently; only break-glass accounts hold those roles permanently`,
          fix: "remove the role from the exclusion and give the service account a narrower role, or make it an eligible grant",
        });
      }
      const activates = [
        ...input.assignments
          .filter((a) => a.principalId === s.principalId && a.kind === "eligible")
          .map((a) => `is eligible for ${roleOf(input, a.roleId).displayName}`),
        ...allPolicies(input)
          .filter((pol) => approverPool(input, pol, { escalation: true }).people.has(s.principalId))
          .map((pol) => `approves ${pol.label}`),
        ...Object.values(input.groups)
          .filter(
            (g) =>
              rolesHeldByGroup(input, g.id).length > 0 &&
              [...g.members, ...g.owners].some((m) => m.principalId === s.principalId),
          )
          .map((g) => `is in ${g.displayName}`),
      ];
      if (activates.length) {
        out.push({
          ...at,
          severity: "high",
          message: `${who} ${list(activates)}, so it is used interactively; the exclusion is for accounts that cannot activate`,
          fix: `remove ${who} from safeDefaults.serviceAccounts and make its permanent assignment eligible or time-bound`,
        });
      }
      const used = input.assignments.some(
        (a) =>
          a.principalId === s.principalId &&
          a.kind === "active" &&
          a.endDateTime === null &&
          s.roleIds.includes(a.roleId),
      );
      if (!used) {
        out.push({
          ...at,
          severity: "low",
          message: `the service account exclusion for ${who} covers no permanent active assignment`,
          fix: `delete it from safeDefaults.serviceAccounts, or correct principal and roles`,
        });
      }
    }
    if (input.serviceAccounts.length > p.maxServiceAccounts) {
      out.push({
        object: "safeDefaults.serviceAccounts",
        message: `${plural(input.serviceAccounts.length, "service account is", "service accounts are")} excluded from the permanent-active rule; at most ${p.maxServiceAccounts} are expected besides the break-glass accounts`,
        fix: "review each exclusion: move accounts that can activate to eligible grants, and retire the rest",
        ...(input.serviceAccounts[0]?.source ? { source: input.serviceAccounts[0].source } : {}),
        subject: "serviceAccounts",
      });
    }
    return out;
  },
});
