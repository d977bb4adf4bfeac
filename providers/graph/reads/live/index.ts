/**
 * The live reader: a tenant read through Graph (`read.ts`) as the snapshot the declarations give, with the facts
 * only a tenant holds (`snapshot.ts`). Import, drift and the live report all start here.
 */
import type { GraphApi } from "../../index";
import { readLiveTenant, type LiveReadOptions } from "./read";
import { liveSnapshot, type LiveTenant } from "./snapshot";

export { LiveReadError } from "./errors";
export { readLiveTenant, type LiveRead, type LiveReadOptions } from "./read";
export { withNamesFor, type DeclaredIds } from "./names";
export {
  liveSnapshot,
  objectName,
  type LiveFacts,
  type LiveTenant,
  type LiveConditionalAccessPolicy,
} from "./snapshot";

/**
 * Reads the tenant behind `graph` whole — and, given `arm` and `azureScopes`, those scopes' Azure resource role
 * settings — or throws a LiveReadError; `stack` names the snapshot.
 */
export async function readLive(
  graph: GraphApi,
  stack: string,
  opts: LiveReadOptions = {},
): Promise<LiveTenant> {
  return liveSnapshot(await readLiveTenant(graph, opts), stack);
}
