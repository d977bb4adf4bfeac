/**
 * Kept only for state written before the shim: such state stores the whole old provider as `__provider`, and that
 * code loads this module by path (`providers/directoryRoleSchedule/graphSchedules`) with the old signatures (see
 * test/providers/fixtures/legacy/). Each function forwards to the one schedule lookup layer
 * (`providers/pim/scheduleLookups.ts`) for the directory-role family. New code never imports this module.
 */
import type { GraphApi } from "../graph";
import type { LiveSchedule } from "../graph/reads";
import { directorySchedules, type ScheduleKind } from "../pim/scheduleFamily";
import * as L from "../pim/scheduleLookups";
import type { DirectoryRoleScheduleInputs } from "../types";

/** The fields of a grant the lookups read; the rest of the inputs only label messages. */
function grant(kind: ScheduleKind, principalId: string, roleDefinitionId: string, directoryScopeId: string) {
  return { kind, principalId, roleDefinitionId, directoryScopeId } as DirectoryRoleScheduleInputs;
}

export const requestsPath = (kind: ScheduleKind) => directorySchedules.requestsPath(kind);

export function tripleKey(principalId: string, roleDefinitionId: string, directoryScopeId: string): string {
  return `${principalId}|${roleDefinitionId}|${directoryScopeId}`.toLowerCase();
}

export function findSchedules(
  g: GraphApi,
  kind: ScheduleKind,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
): Promise<LiveSchedule[]> {
  return L.findSchedules(g, directorySchedules, grant(kind, principalId, roleDefinitionId, directoryScopeId));
}

export function getSchedule(g: GraphApi, kind: ScheduleKind, id: string): Promise<LiveSchedule | null> {
  return L.getSchedule(g, directorySchedules, kind, id);
}

export function readSchedule(
  g: GraphApi,
  kind: ScheduleKind,
  id: string,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
): Promise<LiveSchedule | null> {
  return L.readSchedule(
    g,
    directorySchedules,
    id,
    grant(kind, principalId, roleDefinitionId, directoryScopeId),
  );
}

export function lookupSchedule(
  g: GraphApi,
  kind: ScheduleKind,
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
): Promise<L.Lookup> {
  return L.lookupSchedule(
    g,
    directorySchedules,
    grant(kind, principalId, roleDefinitionId, directoryScopeId),
  );
}

/** `triple` as `tripleKey` made it. */
export function recordWrite(
  g: GraphApi,
  kind: ScheduleKind,
  triple: string,
  schedule: LiveSchedule | null,
): void {
  const [principalId = "", roleDefinitionId = "", directoryScopeId = "/"] = triple.split("|");
  L.recordWrite(
    g,
    directorySchedules,
    grant(kind, principalId, roleDefinitionId, directoryScopeId),
    schedule,
  );
}
