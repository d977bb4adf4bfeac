/**
 * The engine's order, reduced to what these scenarios need: match the registrations of a run against the state of
 * the previous one by URN or alias; then create what is new, update what changed, and only then delete what is
 * gone (Pulumi's default create-before-delete), calling the dynamic providers' own methods in that order against
 * the emulator. Only the project's dynamic resources are executed (they are what writes schedules and policies);
 * the others are planned, not run.
 *
 * This is a test aid, not an engine: no parallelism, no refresh, no partial failures. The engine double in
 * `engineDouble/` runs the same scenario table through Pulumi's own processes.
 */
import type { Registered } from "../components/harness";
import { directoryRoleScheduleProvider } from "../../providers/directoryRoleSchedule/index";
import { directoryRoleSettingsProvider } from "../../providers/directoryRoleSettings/index";

export interface StateEntry {
  urn: string;
  type: string;
  name: string;
  id: string;
  outs: Record<string, any>;
}

export interface Step {
  op: "create" | "update" | "same" | "replace" | "delete";
  type: string;
  /** The resource's name in the new run (delete: in the old state). */
  name: string;
}

const PROVIDERS: Record<string, any> = {
  "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule": directoryRoleScheduleProvider,
  "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings": directoryRoleSettingsProvider,
};

const withName = (urn: string, name: string) => `${urn.slice(0, urn.lastIndexOf("::") + 2)}${name}`;
const inputsOf = (r: Registered) => {
  const { __provider: _p, ...rest } = r.inputs;
  void _p;
  return rest;
};

/** The state entry each registration continues (same URN, or one of its aliases), if any. */
export function matchState(
  after: Registered[],
  state: StateEntry[],
): Map<Registered, StateEntry | undefined> {
  const byUrn = new Map(state.map((s) => [s.urn, s]));
  return new Map(
    after.map((r) => [
      r,
      [r.urn, ...r.aliases.map((a) => withName(r.urn, a))].map((u) => byUrn.get(u)).find(Boolean),
    ]),
  );
}

/**
 * Applies a run's registrations over `state` in the engine's order and returns the new state and the steps taken.
 * Dynamic resources go through their provider: check, then create / diff + update (or replace, create first) /
 * delete. Other resources only move their state entry.
 */
export async function applyInEngineOrder(
  after: Registered[],
  state: StateEntry[],
): Promise<{ state: StateEntry[]; steps: Step[] }> {
  const matches = matchState(after, state);
  const next: StateEntry[] = [];
  const steps: Step[] = [];
  const replaced: StateEntry[] = [];
  const entry = (r: Registered, id: string, outs: Record<string, any>): StateEntry => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    id,
    outs,
  });
  for (const r of after) {
    const old = matches.get(r);
    const provider = PROVIDERS[r.type];
    if (!provider) {
      steps.push({ op: old ? "same" : "create", type: r.type, name: r.name });
      next.push(entry(r, old?.id ?? `${r.name}-id`, r.inputs));
      continue;
    }
    const checked = (await provider.check(old?.outs ?? {}, inputsOf(r))).inputs;
    if (!old) {
      const created = await provider.create(checked);
      steps.push({ op: "create", type: r.type, name: r.name });
      next.push(entry(r, created.id, created.outs));
      continue;
    }
    const diff = await provider.diff(old.id, old.outs, checked);
    if (diff.replaces?.length) {
      const created = await provider.create(checked);
      steps.push({ op: "replace", type: r.type, name: r.name });
      next.push(entry(r, created.id, created.outs));
      replaced.push(old);
    } else if (diff.changes) {
      const updated = await provider.update(old.id, old.outs, checked);
      steps.push({ op: "update", type: r.type, name: r.name });
      next.push(entry(r, old.id, updated.outs));
    } else {
      steps.push({ op: "same", type: r.type, name: r.name });
      next.push(entry(r, old.id, old.outs));
    }
  }
  // Deletes last, dependents first (the reverse of registration order): the old halves of replacements too.
  const kept = new Set([...matches.values()].filter(Boolean));
  const gone = [...state.filter((s) => !kept.has(s)), ...replaced].reverse();
  for (const s of gone) {
    const provider = PROVIDERS[s.type];
    if (provider) await provider.delete(s.id, s.outs);
    steps.push({ op: "delete", type: s.type, name: s.name });
  }
  return { state: next, steps };
}
