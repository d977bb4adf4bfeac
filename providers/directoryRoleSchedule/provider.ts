/**
 * The implementation of `DirectoryRoleSchedule` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule`): one eligible
 * or active assignment of an Entra directory role, at tenant, administrative-unit or application scope, through the
 * one schedule lifecycle (`providers/pim/scheduleLifecycle.ts`) in the directory-role API family.
 *
 * Loaded at call time by the shim the resource stores in state (`providers/shim`), never serialized.
 */
import { directorySchedules } from "../pim/scheduleFamily";
import { ScheduleLifecycle } from "../pim/scheduleLifecycle";
import { checkScheduleInputs } from "./check";

export const provider = new ScheduleLifecycle(directorySchedules, checkScheduleInputs);
