/**
 * Break-glass accounts, verified by reading and never written (ARCHITECTURE decisions 3 and 7).
 *
 * A declared break-glass account must exist, be cloud-only (an account synchronised from on-premises AD falls
 * with it) and hold Global Administrator permanently and actively on its own: never eligible, never through an
 * activation, never through a group. An assignment made directly (`roleAssignments`) and one made through PIM
 * with no expiration both qualify; the latter also satisfies CISA MS.AAD.7.5 (no provisioning outside PIM).
 *
 * The program runs this before it registers anything and stops on any problem, with the fix: a run never starts
 * from a tenant whose emergency access is broken, and never tries to repair it (that is a deliberate human act).
 */
import type { GraphApi } from "../index";
import { isPermanentActive, readGlobalAdminHoldings, type GlobalAdminHolding } from "./globalAdmins";
import type { DirectoryObject } from "./principals";

export interface DeclaredBreakGlass {
  upn: string;
  /** Where it is declared, `file:line:column`, for messages. */
  where: string;
  /** The user the UPN resolved to; null when it does not exist. */
  user: DirectoryObject | null;
}

export interface VerifiedBreakGlass {
  upn: string;
  objectId: string;
  /** The permanent active assignment instance that makes it a Global Administrator. */
  assignmentInstanceId: string;
}

export interface BreakGlassVerification {
  verified: VerifiedBreakGlass[];
  /** One sentence per problem, each with where it is declared and how to fix it. */
  problems: string[];
}

const ASSIGN_PERMANENTLY =
  "Entra admin center > Roles and administrators > Global Administrator > Add assignments, assignment type Active, " +
  "Permanently assigned";

/** Reads each existing account's Global Administrator holdings (one `$batch` for up to ten accounts) and judges them. */
export async function verifyBreakGlass(
  g: GraphApi,
  accounts: readonly DeclaredBreakGlass[],
): Promise<BreakGlassVerification> {
  const existing = accounts.filter((a) => a.user !== null);
  const holdings = existing.length
    ? await readGlobalAdminHoldings(
        g,
        existing.map((a) => a.user!.id),
      )
    : new Map<string, GlobalAdminHolding>();
  const out: BreakGlassVerification = { verified: [], problems: [] };
  for (const a of accounts) {
    const held = a.user ? holdings.get(a.user.id)! : null;
    const problems = breakGlassProblems(a, held);
    if (problems.length) out.problems.push(...problems);
    else
      out.verified.push({
        upn: a.upn,
        objectId: a.user!.id,
        assignmentInstanceId: held!.active.find(isPermanentActive)!.id,
      });
  }
  return out;
}

/** What is wrong with one account, given what was read (exported for tests of every verdict). */
export function breakGlassProblems(a: DeclaredBreakGlass, held: GlobalAdminHolding | null): string[] {
  const who = `${a.where}: break-glass account ${a.upn}`;
  if (!a.user || !held) {
    return [
      `${who} does not exist in the tenant. Fix: create it as a cloud-only user and give it Global Administrator ` +
        `(${ASSIGN_PERMANENTLY}), or correct the UPN.`,
    ];
  }
  const out: string[] = [];
  if (a.user.onPremisesSyncEnabled === true) {
    out.push(
      `${who} is synchronised from on-premises (onPremisesSyncEnabled is true), so an on-premises outage or ` +
        `compromise reaches it. Fix: use a cloud-only account (for example on the tenant's .onmicrosoft.com domain).`,
    );
  }
  for (const e of held.eligible) {
    out.push(
      `${who} is eligible for Global Administrator (eligibility schedule ${e.id}); emergency access must never ` +
        `wait for an activation. Fix: remove the eligibility (Roles and administrators > Global Administrator > ` +
        `Eligible assignments) and keep its permanent active assignment.`,
    );
  }
  if (!held.active.some(isPermanentActive)) {
    out.push(`${who} ${describeActive(held)}. Fix: ${ASSIGN_PERMANENTLY}, then run again.`);
  }
  return out;
}

/** Why the active assignments found are not a permanent Global Administrator of the account's own. */
function describeActive(held: GlobalAdminHolding): string {
  if (!held.active.length) return "does not hold Global Administrator actively";
  const why = held.active.map((i) => {
    if ((i.assignmentType ?? "").toLowerCase() === "activated")
      return `an activation${i.endDateTime ? ` ending ${i.endDateTime}` : ""}`;
    if ((i.memberType ?? "").toLowerCase() !== "direct")
      return `membership of a group (memberType ${i.memberType})`;
    if ((i.directoryScopeId ?? "/") !== "/") return `scope ${i.directoryScopeId} only`;
    return `an assignment ending ${i.endDateTime}`;
  });
  return `holds Global Administrator only through ${why.join(" and ")}, not permanently on its own`;
}
