/**
 * Who owns a schedule or a policy in this run: "a delete undoes only what that resource still owns" (issue 8 item 3).
 *
 * When a resource's identity changes without an alias taking effect (a grant file renamed, a role entry renamed), the
 * engine replaces it create-before-delete: the new resource's `create` adopts the live schedule or policy, then the
 * old resource's `delete` runs, and would remove the schedule or restore the rules found before management. So
 * every `create` and `update` records here the schedule or policy id it now holds and who holds it (the claimant),
 * and a `delete` of that id by a different claimant leaves the tenant alone, saying so on stderr.
 *
 * The record is per process, and that is enough: the engine runs every dynamic resource of a deployment through one
 * provider host process (pulumi/pulumi `sdk/nodejs/cmd/dynamic-provider/index.ts`: its `providerCache` makes "the
 * provider only deserialized and configured once per process"; pulumi/pulumi#17673: "this process level cache serves
 * as a plugin registry"), and the lifecycles load this module through Node's module cache, once. A delete in a later
 * run (a new process) finds no record and proceeds as before: by then no resource of that run adopted the id.
 *
 * A claimant is what the declaration says it is (label and what it governs), not the engine's URN, which a provider
 * never sees: a delete whose claimant equals the one that took the id over (a resource created and deleted in the
 * same run) proceeds.
 */

import { progress } from "./wait";

export type Holding = "schedule" | "policy";

/** The claimants, by holding and lower-cased id. */
let claims = new Map<string, Claimant>();

export interface Claimant {
  /** For the message: the declaration's label. */
  label: string;
  /** What makes two declarations the same claimant: the label and what it governs, in a fixed order. */
  key: string;
}

/** A claimant from the declaration's label and the values that say what it governs (ids compared without case). */
export function claimant(label: string, governs: readonly unknown[]): Claimant {
  return { label, key: JSON.stringify([label, ...governs.map((v) => String(v ?? "").toLowerCase())]) };
}

const slot = (holding: Holding, id: string) => `${holding}:${id.toLowerCase()}`;

/** Records that `who` holds `id` from now on in this process (a create that adopted it, or an update). */
export function claim(holding: Holding, id: string, who: Claimant): void {
  claims.set(slot(holding, id), who);
}

/**
 * The claimant that took `id` over from `who` in this process, or null when `who` still owns it (nobody else
 * claimed it, or `who` did).
 */
export function takenOverFrom(holding: Holding, id: string, who: Claimant): Claimant | null {
  const holder = claims.get(slot(holding, id));
  return holder && holder.key !== who.key ? holder : null;
}

/**
 * True when a delete by `who` must leave `id` alone because another resource took it over in this run; then one
 * stderr line says so. False when `who` still owns it: the delete proceeds, and the claim ends with it.
 */
export function leftToNewOwner(holding: Holding, id: string, who: Claimant): boolean {
  const holder = takenOverFrom(holding, id, who);
  if (!holder) {
    claims.delete(slot(holding, id));
    return false;
  }
  const kept =
    holding === "schedule" ? "not removing it" : "not restoring the settings found before the first apply";
  progress(`pim: ${who.label}: ${holding} ${id} was taken over by ${holder.label} in this run; ${kept}`);
  return true;
}

/** Forgets every claim: a new provider process (tests). */
export function resetHandovers(): void {
  claims = new Map();
}
