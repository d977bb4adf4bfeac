/**
 * Who holds Global Administrator, and how (graph-pim.md §3.5).
 *
 * Assignment *instances* are the current active assignments, whether made through PIM or directly
 * (`roleAssignments`): every role assignment has exactly one instance, so one collection answers "does this account
 * hold GA now, permanently, on its own?". Eligibility *schedules* cover current and future eligibilities: an account
 * that is eligible for GA depends on an activation, which is what break-glass accounts must never do.
 */
import { GLOBAL_ADMINISTRATOR } from "../../../model/catalog/index";
import { odataFilter, type GraphApi } from "../index";
import { everyPage } from "./pages";
import { DirectoryReadError } from "./principals";

export interface AssignmentInstance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  /** `Assigned` (by an admin, or outside PIM) or `Activated` (an eligible principal's time-bound activation). */
  assignmentType: string | null;
  /** `Direct`, `Group` (through a role-assignable group) or `Inherited`. */
  memberType: string | null;
  roleAssignmentScheduleId?: string | null;
}

export interface EligibilitySchedule {
  id: string;
  principalId: string;
  directoryScopeId: string | null;
  scheduleInfo?: { expiration?: { endDateTime?: string | null } | null } | null;
}

export interface GlobalAdminHolding {
  active: AssignmentInstance[];
  eligible: EligibilitySchedule[];
}

const ASSIGNMENT_INSTANCES = "/roleManagement/directory/roleAssignmentScheduleInstances";
const ELIGIBILITY_SCHEDULES = "/roleManagement/directory/roleEligibilitySchedules";

/**
 * Global Administrator held for good by this principal itself: tenant-wide, no end, assigned (not an activation,
 * which always ends) and direct (not through a group whose membership can change).
 */
export function isPermanentActive(i: AssignmentInstance): boolean {
  return (
    (i.directoryScopeId ?? "/") === "/" &&
    i.endDateTime === null &&
    (i.assignmentType ?? "").toLowerCase() === "assigned" &&
    (i.memberType ?? "").toLowerCase() === "direct"
  );
}

/** Each principal's Global Administrator assignment instances and eligibility schedules: two reads per principal. */
export async function readGlobalAdminHoldings(
  g: GraphApi,
  principalIds: readonly string[],
): Promise<Map<string, GlobalAdminHolding>> {
  const filter = (principalId: string) =>
    odataFilter({ principalId, roleDefinitionId: GLOBAL_ADMINISTRATOR });
  const requests = principalIds.flatMap((id) => [
    { method: "GET" as const, url: `${ASSIGNMENT_INSTANCES}?${filter(id)}` },
    { method: "GET" as const, url: `${ELIGIBILITY_SCHEDULES}?${filter(id)}` },
  ]);
  const results = await g.batch(requests);
  const out = new Map<string, GlobalAdminHolding>();
  for (let i = 0; i < principalIds.length; i++) {
    const [active, eligible] = [results[2 * i]!, results[2 * i + 1]!];
    for (const [r, permission] of [
      [active, "RoleAssignmentSchedule.Read.Directory"],
      [eligible, "RoleEligibilitySchedule.Read.Directory"],
    ] as const) {
      if (r.error) {
        const hint = r.status === 403 ? `; the deployment identity needs ${permission}` : "";
        throw new DirectoryReadError(`reading ${requests[i]!.url} failed: ${r.error.message}${hint}`);
      }
    }
    out.set(principalIds[i]!, {
      active: await everyPage<AssignmentInstance>(g, active.body),
      eligible: await everyPage<EligibilitySchedule>(g, eligible.body),
    });
  }
  return out;
}

/** Principals that hold Global Administrator permanently (`isPermanentActive`), from one filtered listing. */
export async function readPermanentGlobalAdmins(g: GraphApi): Promise<string[]> {
  const all = await g.listAll<AssignmentInstance>(
    `${ASSIGNMENT_INSTANCES}?${odataFilter({ roleDefinitionId: GLOBAL_ADMINISTRATOR, directoryScopeId: "/" })}`,
  );
  return [...new Set(all.filter(isPermanentActive).map((i) => i.principalId.toLowerCase()))];
}
