/**
 * The last line of ARCHITECTURE decision 7: no schedule request of ours ever gives the tenant's last permanent
 * active Global Administrator an end date, or removes it.
 *
 * The program already refuses grants to break-glass accounts, but a provider acts on whatever state and inputs
 * the engine hands it (an old state, a hand-edited one, a grant to an account nobody declared as break-glass).
 * So before an active Global Administrator request at tenant scope that removes an assignment or sets an end,
 * this reads who holds Global Administrator permanently; if the request's principal is the only one, the request
 * is refused and nothing is sent. Entra itself only refuses removing the last *active* assignment
 * (`LastActiveRoleAssignment`); a time-bound last one would simply expire later, locking the tenant out then.
 *
 * Called for every directory-role request the schedule lifecycle sends (`providers/pim/scheduleFamily.ts`, the
 * directory family's `guard`), never serialized.
 */
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog/index";
import type { GraphApi } from "../graph";
import { readPermanentGlobalAdmins } from "../graph/reads/globalAdmins";

/** A schedule request of either family: directory roles name a role and scope, PIM for Groups a group and access. */
export interface ScheduleRequestBody {
  action: string;
  principalId: string;
  roleDefinitionId?: string;
  directoryScopeId?: string;
  groupId?: string;
  accessId?: string;
  scheduleInfo?: { startDateTime?: string; expiration?: { type?: string; endDateTime?: string } } | null;
  /** Justification, ticket and the rest of the request: sent as they are. */
  [field: string]: unknown;
}

export class LastGlobalAdministratorError extends Error {
  override readonly name = "LastGlobalAdministratorError";
}

/** True for the requests that could take a permanent Global Administrator away: removal, or any expiration. */
export function couldEndGlobalAdmin(kind: "eligible" | "active", body: ScheduleRequestBody): boolean {
  return (
    kind === "active" &&
    body.roleDefinitionId?.toLowerCase() === GLOBAL_ADMINISTRATOR &&
    body.directoryScopeId === "/" &&
    (body.action.toLowerCase() === "adminremove" ||
      (body.scheduleInfo?.expiration?.type ?? "noExpiration").toLowerCase() !== "noexpiration")
  );
}

/** Throws `LastGlobalAdministratorError` when `body` would end the only permanent Global Administrator. */
export async function refuseEndingLastGlobalAdmin(
  g: GraphApi,
  kind: "eligible" | "active",
  body: ScheduleRequestBody,
): Promise<void> {
  if (!couldEndGlobalAdmin(kind, body)) return;
  const permanent = await readPermanentGlobalAdmins(g);
  const target = body.principalId.toLowerCase();
  if (!permanent.includes(target) || permanent.some((p) => p !== target)) return;
  const what = body.action.toLowerCase() === "adminremove" ? "remove" : "give an end date to";
  throw new LastGlobalAdministratorError(
    `refusing to ${what} the Global Administrator assignment of ${body.principalId}: it is the tenant's only ` +
      `permanent active Global Administrator, and without it nobody could administer the tenant once PIM, MFA or ` +
      `Conditional Access fails. Nothing was sent. Fix: declare the account under breakGlass (and delete the grant ` +
      `that names it), or first give a second cloud-only break-glass account Global Administrator permanently.`,
  );
}
