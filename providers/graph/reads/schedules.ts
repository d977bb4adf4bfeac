/**
 * Eligibility and assignment schedules (graph-pim.md §3.5, §4) of directory roles and of PIM-for-Groups groups, in
 * the one shape both answer with. Schedules, not requests: Graph purges requests after about 45 days, a schedule
 * lives as long as the grant.
 *
 * Only what a principal holds itself, made by an admin, is a grant: an activation (`assignmentType` Activated) is
 * not, and neither is what it holds through a group (`memberType` Group or Inherited), which belongs to that group's
 * own assignment. Graph spells the enums `Direct`/`Assigned` for roles and `direct`/`assigned` for groups, so they are
 * compared without case.
 */
import { isGraphError, type GraphApi } from "../index";

export interface LiveSchedule {
  id: string;
  principalId: string;
  /** Directory roles. */
  roleDefinitionId?: string;
  directoryScopeId?: string | null;
  appScopeId?: string | null;
  /** PIM for Groups. */
  groupId?: string;
  accessId?: string;
  status?: string;
  assignmentType?: string | null;
  memberType?: string | null;
  /** The request that made the schedule: the one to cancel while the schedule has not started. */
  createdUsing?: string | null;
  createdDateTime?: string | null;
  scheduleInfo?: {
    startDateTime?: string | null;
    expiration?: { type?: string; endDateTime?: string | null; duration?: string | null } | null;
  } | null;
}

/** A grant of the principal's own, made by an admin (see the module comment). */
export function isOwnGrant(s: LiveSchedule): boolean {
  return (
    (s.assignmentType ?? "assigned").toLowerCase() !== "activated" &&
    (s.memberType ?? "direct").toLowerCase() === "direct"
  );
}

/** Every own grant a listing URL answers, paged. */
export async function listOwnGrants(g: GraphApi, url: string): Promise<LiveSchedule[]> {
  return (await g.listAll<LiveSchedule>(url)).filter(isOwnGrant);
}

/** One schedule by id; null when Graph no longer has it, or it is not an own grant. */
export async function readScheduleById(
  g: GraphApi,
  collection: string,
  id: string,
): Promise<LiveSchedule | null> {
  try {
    const s = await g.get<LiveSchedule>(`${collection}/${encodeURIComponent(id)}`);
    return s && isOwnGrant(s) ? s : null;
  } catch (e) {
    if (isGraphError(e) && e.status === 404) return null;
    throw e;
  }
}

export const liveStart = (s: LiveSchedule): string | null => s.scheduleInfo?.startDateTime ?? null;

/** The end, or null for a schedule that does not expire. */
export const liveEnd = (s: LiveSchedule): string | null => {
  const e = s.scheduleInfo?.expiration;
  return e && (e.type ?? "").toLowerCase() !== "noexpiration" && e.endDateTime ? e.endDateTime : null;
};
