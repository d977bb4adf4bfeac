/**
 * The live reader: a tenant read through Graph (`read.ts`) as the snapshot the declarations give, with the facts
 * only a tenant holds (`snapshot.ts`). Import, drift and the live report all start here.
 */
import type { GraphApi } from "../../index";
import { readLiveTenant } from "./read";
import { liveSnapshot, type LiveTenant } from "./snapshot";

export { LiveReadError } from "./errors";
export { readLiveTenant, type LiveRead } from "./read";
export { withNamesFor, type DeclaredIds } from "./names";
export {
  liveSnapshot,
  objectName,
  type LiveFacts,
  type LiveTenant,
  type LiveConditionalAccessPolicy,
} from "./snapshot";

/** Reads the tenant behind `graph` whole, or throws a LiveReadError; `stack` names the snapshot. */
export async function readLive(graph: GraphApi, stack: string): Promise<LiveTenant> {
  return liveSnapshot(await readLiveTenant(graph), stack);
}
