/**
 * `check` of DirectoryRoleSchedule: the shared schedule fields (`providers/pim/scheduleCheck.ts`) and a role at a
 * directory scope, with zod, no network.
 */
import { z } from "zod";
import type { CheckResult } from "@pulumi/pulumi/dynamic";
import { checkWith, objectId, scheduleSchema } from "../pim/scheduleCheck";
import type { DirectoryRoleScheduleInputs } from "../types";

export const scheduleInputs = scheduleSchema({
  roleDefinitionId: objectId,
  directoryScopeId: z
    .string()
    .regex(
      /^\/$|^\/administrativeUnits\/[0-9a-f-]{36}$|^\/[0-9a-f-]{36}$/i,
      'must be "/" (tenant), "/administrativeUnits/<id>" or "/<application object id>"',
    ),
  roleName: z.string().min(1).optional(),
});

export function checkScheduleInputs(
  news: DirectoryRoleScheduleInputs,
): CheckResult<DirectoryRoleScheduleInputs> {
  return checkWith(scheduleInputs, news);
}
