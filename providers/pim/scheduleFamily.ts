/**
 * The two API families of schedules, as data the one lifecycle (`scheduleLifecycle.ts`) reads: where a family's
 * schedules and requests live, which request fields name what is granted, what identifies a grant, how its live
 * schedules are listed, and the policy that judges its requests (graph-pim.md §3, §4).
 *
 * - directory roles: `/roleManagement/directory/role{Eligibility,Assignment}Schedule{s,Requests}`, a grant is
 *   (principal, role, directory scope); the whole collection can be listed;
 * - PIM for Groups: `/identityGovernance/privilegedAccess/group/{eligibility,assignment}Schedule{s,Requests}`, a
 *   grant is (principal, group, access); every list must be filtered on a group or a principal, so a group's
 *   schedules are listed per group.
 */
import { odataFilter, type GraphApi } from "../graph";
import type { LiveSchedule, PolicyScope } from "../graph/reads";
import type { DirectoryRoleScheduleInputs, GroupScheduleInputs, ScheduleWindowInputs } from "../types";
import {
  refuseEndingLastGlobalAdmin,
  type ScheduleRequestBody,
} from "../directoryRoleSchedule/lastGlobalAdmin";

export type ScheduleKind = ScheduleWindowInputs["kind"];

export interface ScheduleFamily<I extends ScheduleWindowInputs> {
  /** The resource type's name, for messages (`DirectoryRoleSchedule`). */
  readonly typeName: string;
  /** Inputs that, with `kind` and `principalId`, identify the grant: a change is another grant (a replace). */
  readonly identity: readonly (keyof I & string)[];
  /** Inputs that only name things in messages: a change is an update that sends nothing. */
  readonly descriptive: readonly (keyof I & string)[];
  schedulesPath(kind: ScheduleKind): string;
  requestsPath(kind: ScheduleKind): string;
  /** The request fields that name what is granted (besides `principalId`). */
  target(i: I): Record<string, string>;
  /** The grant's identity, lower-cased: from inputs, and from a live schedule. */
  key(i: I): string;
  liveKey(s: LiveSchedule): string;
  /** A filtered GET of the live schedules of one grant. */
  lookupUrl(kind: ScheduleKind, i: I): string;
  /**
   * The listing that answers for many grants at once: per group for PIM for Groups (Graph requires a group or
   * principal filter), or null: the whole collection (directory roles), listed only in a burst.
   */
  scopeListing(kind: ScheduleKind, i: I): { scope: string; url: string } | null;
  /** The policy whose rules judge the grant's requests (for explaining a refusal). */
  policyScope(i: I): PolicyScope;
  /** What is granted, for sentences: "Global Administrator", "member of Ops"; undefined when not named. */
  describeTarget(i: I): string | undefined;
  /** Checks every request must pass before it is sent (the last Global Administrator). */
  guard(g: GraphApi, kind: ScheduleKind, body: ScheduleRequestBody): Promise<void>;
}

const lower = (parts: string[]) => parts.join("|").toLowerCase();

export const directorySchedules: ScheduleFamily<DirectoryRoleScheduleInputs> = {
  typeName: "DirectoryRoleSchedule",
  identity: ["roleDefinitionId", "directoryScopeId"],
  descriptive: ["label", "roleName", "principalName"],
  schedulesPath: (kind) =>
    kind === "eligible"
      ? "/roleManagement/directory/roleEligibilitySchedules"
      : "/roleManagement/directory/roleAssignmentSchedules",
  requestsPath: (kind) =>
    kind === "eligible"
      ? "/roleManagement/directory/roleEligibilityScheduleRequests"
      : "/roleManagement/directory/roleAssignmentScheduleRequests",
  target: (i) => ({ roleDefinitionId: i.roleDefinitionId, directoryScopeId: i.directoryScopeId }),
  key: (i) => lower([i.principalId, i.roleDefinitionId, i.directoryScopeId]),
  liveKey: (s) => lower([s.principalId, s.roleDefinitionId ?? "", s.directoryScopeId ?? "/"]),
  lookupUrl(kind, i) {
    const filter = odataFilter({
      principalId: i.principalId,
      roleDefinitionId: i.roleDefinitionId,
      directoryScopeId: i.directoryScopeId,
    });
    return `${this.schedulesPath(kind)}?${filter}`;
  },
  scopeListing: () => null,
  policyScope: (i) => ({ scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId: i.roleDefinitionId }),
  describeTarget: (i) => i.roleName,
  guard: (g, kind, body) => refuseEndingLastGlobalAdmin(g, kind, body),
};

const GROUP_ROOT = "/identityGovernance/privilegedAccess/group";

export const groupSchedules: ScheduleFamily<GroupScheduleInputs> = {
  typeName: "GroupSchedule",
  identity: ["groupId", "access"],
  descriptive: ["label", "groupName", "principalName"],
  schedulesPath: (kind) =>
    `${GROUP_ROOT}/${kind === "eligible" ? "eligibilitySchedules" : "assignmentSchedules"}`,
  requestsPath: (kind) =>
    `${GROUP_ROOT}/${kind === "eligible" ? "eligibilityScheduleRequests" : "assignmentScheduleRequests"}`,
  target: (i) => ({ groupId: i.groupId, accessId: i.access }),
  key: (i) => lower([i.principalId, i.groupId, i.access]),
  liveKey: (s) => lower([s.principalId, s.groupId ?? "", s.accessId ?? ""]),
  lookupUrl(kind, i) {
    return `${this.schedulesPath(kind)}?${odataFilter({ groupId: i.groupId, principalId: i.principalId })}`;
  },
  scopeListing(kind, i) {
    return {
      scope: i.groupId.toLowerCase(),
      url: `${this.schedulesPath(kind)}?${odataFilter({ groupId: i.groupId })}`,
    };
  },
  policyScope: (i) => ({ scopeId: i.groupId, scopeType: "Group", roleDefinitionId: i.access }),
  describeTarget: (i) => `${i.access} of ${i.groupName ?? `group ${i.groupId}`}`,
  guard: async () => undefined,
};
