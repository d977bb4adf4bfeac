/**
 * Names for object ids a declaration uses that the live read did not meet.
 *
 * A declaration may name a principal, group or administrative unit by object id; the live snapshot names them as
 * a declaration by name would (UPN, display name, unit name). The ids the live read met are already in
 * `facts.names` and `facts.units`. The others (a declared grant whose principal holds nothing live, a unit no live
 * grant is scoped to) are read here in one `getByIds` per 1,000 ids and at most one list of the administrative
 * units — never one request per object. An id Graph does not know stays without a name: what it names is missing.
 */
import { isObjectId } from "../../../../model/ids";
import type { GraphApi } from "../../index";
import { objectsById, readAdministrativeUnits } from "./read";
import { objectName, type LiveTenant } from "./snapshot";

export interface DeclaredIds {
  /** Object ids of principals and groups (users, groups, service principals). */
  objects: readonly string[];
  /** Object ids of administrative units (scopes). */
  units: readonly string[];
}

/** `live` with names for the `ids` it lacks, read through Graph; `live` itself when it lacks none. */
export async function withNamesFor(g: GraphApi, live: LiveTenant, ids: DeclaredIds): Promise<LiveTenant> {
  const unseen = (list: readonly string[], known: Record<string, string>) =>
    [...new Set(list.filter(isObjectId).map((id) => id.trim().toLowerCase()))].filter((id) => !(id in known));
  const objects = unseen(ids.objects, live.facts.names);
  const units = unseen(ids.units, live.facts.units);
  if (!objects.length && !units.length) return live;

  const names = { ...live.facts.names };
  for (const [id, o] of objects.length ? await objectsById(g, objects) : []) names[id] = objectName(o);
  const unitNames = { ...live.facts.units };
  if (units.length)
    for (const u of await readAdministrativeUnits(g)) unitNames[u.id.toLowerCase()] = u.displayName;
  return { ...live, facts: { ...live.facts, names, units: unitNames } };
}
