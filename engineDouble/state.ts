/**
 * The double's state file: what the engine keeps between runs (a checkpoint's `resources`), as JSON, so a second
 * run diffs against the first. Resources are kept in registration order, which is dependency order (a resource
 * registers after everything it depends on), so deletes walk the list backwards as the engine does
 * (`step_generator.go` `GenerateDeletes`).
 *
 * `recordedOnly` marks custom resources of other packages (azuread, azure-native): the double has no plugin for them,
 * so their inputs are recorded and their outputs come from the caller's hook. They were never created.
 */
import * as fs from "node:fs";
import type { JsonObject } from "./proto";

export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  /** "" for components and the root stack. */
  id: string;
  parent: string;
  inputs: JsonObject;
  outputs: JsonObject;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  /** True for another package's custom resource: recorded, never applied (no plugin of theirs here). */
  recordedOnly: boolean;
}

export interface StateFile {
  version: 1;
  project: string;
  stack: string;
  resources: ResourceState[];
}

export function emptyState(project: string, stack: string): StateFile {
  return { version: 1, project, stack, resources: [] };
}

export function loadState(file: string, project: string, stack: string): StateFile {
  if (!fs.existsSync(file)) return emptyState(project, stack);
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  if (state.version !== 1 || state.project !== project || state.stack !== stack)
    throw new Error(`${file} is not the state of ${project}/${stack}`);
  return state;
}

export function saveState(file: string, state: StateFile): void {
  fs.writeFileSync(file, JSON.stringify(state, null, 2) + "\n");
}

/** Bytes the engine would store for one resource's inputs and outputs (what the benchmark reports). */
export function stateBytes(r: Pick<ResourceState, "inputs" | "outputs">): number {
  return Buffer.byteLength(JSON.stringify(r.inputs)) + Buffer.byteLength(JSON.stringify(r.outputs));
}
