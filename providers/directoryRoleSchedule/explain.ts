/**
 * Kept only for state written before the shim, whose stored code loads this module by path with the old signature
 * (see `graphSchedules.ts` here). Forwards to the one explanation of a refused schedule request (`providers/pim/`).
 */
import type { GraphApi } from "../graph";
import { explainFailure as explain } from "../pim/explain";
import { directorySchedules } from "../pim/scheduleFamily";
import { providerNow } from "../pim/time";
import type { DirectoryRoleScheduleInputs } from "../types";

export function explainFailure(
  g: GraphApi,
  e: unknown,
  i: DirectoryRoleScheduleInputs,
  now = providerNow(),
): Promise<Error> {
  return explain(g, directorySchedules, e, i, now);
}
