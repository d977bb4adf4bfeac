/**
 * How settings name approvers. Principals themselves are resolved by the program before anything is registered
 * (`directory.ts`, through the Graph read layer); components receive plain object ids.
 */
import type { Approver } from "../model";
import { approverKey } from "../model/keys";
import { isObjectId } from "../model/ids";

// The key under which `DirectoryRoleSettingsInputs.approverIds` carries an approver's object id is `approverKey`.
export { approverKey, isObjectId };

/** Every approver a settings object names: primary and escalation approvers of every stage, each once. */
export function approversOf(
  stages: ReadonlyArray<{ approvers: Approver[]; escalation: { approvers: Approver[] } | null }>,
): Approver[] {
  const seen = new Map<string, Approver>();
  for (const st of stages) {
    for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])]) seen.set(approverKey(a), a);
  }
  return [...seen.values()];
}
