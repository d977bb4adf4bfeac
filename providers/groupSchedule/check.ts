/**
 * `check` of GroupSchedule: the shared schedule fields (`providers/pim/scheduleCheck.ts`) and a group's member or
 * owner access, with zod, no network.
 */
import { z } from "zod";
import type { CheckResult } from "@pulumi/pulumi/dynamic";
import { checkWith, objectId, scheduleSchema } from "../pim/scheduleCheck";
import type { GroupScheduleInputs } from "../types";

export const groupScheduleInputs = scheduleSchema({
  groupId: objectId,
  access: z.enum(["member", "owner"]),
  groupName: z.string().min(1).optional(),
});

export function checkGroupScheduleInputs(news: GroupScheduleInputs): CheckResult<GroupScheduleInputs> {
  return checkWith(groupScheduleInputs, news);
}
