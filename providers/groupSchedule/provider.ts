/**
 * The implementation of `GroupSchedule` (`pulumi-nodejs:dynamic/pim:GroupSchedule`): one eligible or active
 * membership or ownership of a PIM-for-Groups group, through the one schedule lifecycle
 * (`providers/pim/scheduleLifecycle.ts`) in the PIM-for-Groups API family.
 *
 * Loaded at call time by the shim the resource stores in state (`providers/shim`), never serialized.
 */
import { groupSchedules } from "../pim/scheduleFamily";
import { ScheduleLifecycle } from "../pim/scheduleLifecycle";
import { checkGroupScheduleInputs } from "./check";

export const provider = new ScheduleLifecycle(groupSchedules, checkGroupScheduleInputs);
