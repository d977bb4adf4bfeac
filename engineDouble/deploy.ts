/**
 * `preview` and `up` in the engine's order, for this project's dynamic providers, against whatever Graph the
 * provider host is pointed at (the emulator, in tests and the demo). This is a test double of the engine's step
 * generation (pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `step.go`), not a deployment engine:
 *
 * - per registration: look the resource up in the previous state by URN, then by its aliases (`generateAliases`);
 *   `Check(olds = previous inputs, or nothing for a create)`; then `Diff(id, previous outputs, checked inputs)`.
 *   DIFF_NONE is "same" (new inputs, previous outputs and id: `SameStep`); DIFF_UNKNOWN falls back to comparing
 *   inputs (`diffResource`); DIFF_SOME with replace keys is a replace, else an update.
 * - a replace is create-before-delete: the replacement is created at once (after a fresh `Check` without olds) and
 *   the old resource is deleted with the other deletes at the end; with `deleteBeforeReplace` (the provider's answer,
 *   overridden by the resource option when the program set one) the old one is deleted first.
 * - after the program finished without error, resources of the previous state that were not registered (and not
 *   claimed through an alias) or were replaced are deleted, walking the previous state backwards (reverse
 *   dependency order); `protect` refuses, `retainOnDelete` drops them from state without calling the provider.
 * - `preview` runs check and diff only (the Node dynamic-provider host does not support preview of create/update)
 *   and writes no state; `up` applies and writes the state file.
 *
 * Only `pulumi-nodejs:dynamic/*` resources go through a provider (Pulumi's own provider host). Custom resources of
 * other packages (azuread, azure-native) have no plugin here: they are recorded with their inputs, their step is
 * computed from input equality, their outputs come from the caller's `externalOutputs` hook, and they are marked
 * `recordedOnly` in steps and state. Nothing pretends they reached a tenant.
 */
import * as path from "node:path";
import {
  startMonitor,
  type InvokeHandler,
  type MonitorRecord,
  type Registration,
  type RegisterResult,
} from "./monitor";
import { cliEnvironment, runProgram, type ProgramResult } from "./program";
import { readProject, readStackConfig, type ProjectInfo } from "./project";
import { startProviderHost, type HostDiff, type ProviderHost } from "./providerHost";
import type { JsonObject } from "./proto";
import { loadState, saveState, type ResourceState, type StateFile } from "./state";
import { aliasUrns } from "./urn";

export const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";

export type Operation = "same" | "create" | "update" | "replace" | "delete";

export interface Step {
  op: Operation;
  urn: string;
  type: string;
  /** Another package's custom resource: the step the engine would take, never applied (no plugin here). */
  recordedOnly: boolean;
  /** For dynamic resources that existed: what the provider host forwarded from the provider's diff. */
  diff?: HostDiff;
  /** Replaces: whether the old resource was deleted first. */
  deleteBeforeReplace?: boolean;
  /** Deletes: dropped from state without a provider call (`retainOnDelete`). */
  retained?: boolean;
}

export interface ExternalOutputs {
  /** Default `recorded-<name>`: an id the program can use; the resource was never created. */
  id?: string;
  outputs: JsonObject;
}

export interface DeployOptions {
  /** The folder holding Pulumi.yaml. */
  projectDir: string;
  stack: string;
  statePath: string;
  /** Stack config; default: Pulumi.yaml defaults and `Pulumi.<stack>.yaml`, as the CLI reads them. */
  config?: Record<string, string>;
  /** The CLI's environment, given to the program and to the provider host (default `cliEnvironment()`). */
  env?: NodeJS.ProcessEnv;
  invokes?: Record<string, InvokeHandler>;
  /** Outputs for another package's custom resource on `up` (never applied). Default: none beyond its inputs. */
  externalOutputs?: (reg: Registration) => ExternalOutputs;
  parallel?: number;
}

export interface DeployResult {
  kind: "preview" | "up";
  /** Absent for a replay (no program ran). */
  program?: ProgramResult;
  monitor: MonitorRecord;
  registrations: Registration[];
  steps: Step[];
  /** Steps per resource type and operation, e.g. `{"pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule": {same: 9}}`. */
  counts: Record<string, Partial<Record<Operation, number>>>;
  stackOutputs: JsonObject;
  /** Engine-side failures (check failures, provider errors) and the program's error messages, in order. */
  errors: string[];
  /** The state after the run (`up`), or the previous state (`preview`). */
  state: StateFile;
  providerHost: ProviderHost["invocation"];
}

/** `pulumi-nodejs:dynamic/<module>:<Type>`, or the default `pulumi-nodejs:dynamic:Resource`. */
const isDynamic = (type: string) => type.startsWith(DYNAMIC_TYPE_PREFIX);

/** Deep equality of JSON values, key order ignored (the engine's `PropertyMap.DeepEquals`). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** One deployment: the step generator and executor behind `preview`, `up` and `replay`. */
class Deployment {
  readonly steps: Step[] = [];
  readonly errors: string[] = [];
  private readonly olds: Map<string, ResourceState>;
  /** New URN → the old URN it was found under (the engine's `sg.aliases`). */
  private readonly aliased = new Map<string, string>();
  /** Old URNs claimed by a registration (by URN or alias). */
  private readonly claimed = new Set<string>();
  /** Old resources replaced create-before-delete: deleted at the end. */
  private readonly pendingDeletes = new Set<string>();
  private readonly news = new Map<string, ResourceState>();
  private readonly registered = new Set<string>();

  constructor(
    private readonly project: ProjectInfo,
    private readonly stack: string,
    private readonly previous: StateFile,
    private readonly host: ProviderHost,
    private readonly preview: boolean,
    private readonly externalOutputs: DeployOptions["externalOutputs"],
  ) {
    this.olds = new Map(previous.resources.map((r) => [r.urn, r]));
  }

  private step(s: Step): void {
    this.steps.push(s);
  }

  private findOld(reg: Registration): ResourceState | undefined {
    const candidates = [
      reg.urn,
      ...aliasUrns(
        {
          stack: this.stack,
          project: this.project.name,
          type: reg.type,
          name: reg.name,
          parentUrn: reg.parent,
          parentAliases: this.aliased,
        },
        reg.options.aliases,
      ),
    ];
    for (const urn of candidates) {
      const old = this.olds.get(urn);
      if (!old) continue;
      if (this.claimed.has(urn))
        throw new Error(`${reg.urn}: ${urn} was already claimed by another resource`);
      this.claimed.add(urn);
      if (urn !== reg.urn) this.aliased.set(reg.urn, urn);
      return old;
    }
    return undefined;
  }

  private record(
    reg: Registration,
    id: string,
    inputs: JsonObject,
    outputs: JsonObject,
    recordedOnly = false,
  ) {
    this.news.set(reg.urn, {
      urn: reg.urn,
      type: reg.type,
      custom: reg.custom,
      id,
      parent: reg.parent,
      inputs,
      outputs,
      dependencies: reg.dependencies,
      propertyDependencies: reg.propertyDependencies,
      protect: reg.options.protect ?? false,
      retainOnDelete: reg.options.retainOnDelete ?? false,
      recordedOnly,
    });
    return { id, outputs };
  }

  async register(reg: Registration): Promise<RegisterResult> {
    try {
      if (this.registered.has(reg.urn))
        throw new Error(`Duplicate resource URN '${reg.urn}'; try giving it a unique name`);
      this.registered.add(reg.urn);
      const old = this.findOld(reg);
      if (!reg.custom) return this.component(reg, old);
      if (isDynamic(reg.type)) return await this.dynamic(reg, old);
      return this.external(reg, old);
    } catch (e) {
      this.errors.push(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  private component(reg: Registration, old: ResourceState | undefined): RegisterResult {
    const op: Operation = !old ? "create" : sameJson(old.inputs, reg.inputs) ? "same" : "update";
    this.step({ op, urn: reg.urn, type: reg.type, recordedOnly: false });
    return this.record(reg, "", reg.inputs, old?.outputs ?? {});
  }

  private external(reg: Registration, old: ResourceState | undefined): RegisterResult {
    if (old && sameJson(old.inputs, reg.inputs)) {
      this.step({ op: "same", urn: reg.urn, type: reg.type, recordedOnly: true });
      return this.record(reg, old.id, reg.inputs, old.outputs, true);
    }
    this.step({ op: old ? "update" : "create", urn: reg.urn, type: reg.type, recordedOnly: true });
    if (this.preview) return this.record(reg, old?.id ?? "", reg.inputs, reg.inputs, true);
    const ext = this.externalOutputs?.(reg) ?? { outputs: {} };
    return this.record(
      reg,
      old?.id ?? ext.id ?? `recorded-${reg.name}`,
      reg.inputs,
      { ...reg.inputs, ...ext.outputs },
      true,
    );
  }

  private async checked(reg: Registration, olds: JsonObject): Promise<JsonObject> {
    const { inputs, failures } = await this.host.check(reg.urn, olds, reg.inputs);
    if (failures.length) {
      throw new Error(
        `${reg.urn}: check failed: ${failures.map((f) => (f.property ? `${f.property}: ${f.reason}` : f.reason)).join("; ")}`,
      );
    }
    return inputs;
  }

  private async dynamic(reg: Registration, old: ResourceState | undefined): Promise<RegisterResult> {
    const inputs = await this.checked(reg, old?.inputs ?? {});
    if (!old) {
      this.step({ op: "create", urn: reg.urn, type: reg.type, recordedOnly: false });
      if (this.preview) return this.record(reg, "", inputs, inputs);
      const made = await this.host.create(reg.urn, inputs);
      return this.record(reg, made.id, inputs, made.properties);
    }
    const diff = await this.host.diff(reg.urn, old.id, old.outputs, inputs, old.inputs);
    const changed = diff.changes === "some" || (diff.changes === "unknown" && !sameJson(old.inputs, inputs));
    if (!changed) {
      this.step({ op: "same", urn: reg.urn, type: reg.type, recordedOnly: false, diff });
      return this.record(reg, old.id, inputs, old.outputs);
    }
    if (diff.replaces.length === 0) {
      this.step({ op: "update", urn: reg.urn, type: reg.type, recordedOnly: false, diff });
      if (this.preview) return this.record(reg, old.id, inputs, inputs);
      const outputs = await this.host.update(reg.urn, old.id, old.outputs, inputs, old.inputs);
      return this.record(reg, old.id, inputs, outputs);
    }
    // A replacement is checked again without the old inputs (`generateStepsFromDiff`).
    const fresh = await this.checked(reg, {});
    const deleteBeforeReplace = reg.options.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    this.step({
      op: "replace",
      urn: reg.urn,
      type: reg.type,
      recordedOnly: false,
      diff,
      deleteBeforeReplace,
    });
    if (this.preview) return this.record(reg, "", fresh, fresh);
    if (deleteBeforeReplace) await this.host.delete(old.urn, old.id, old.outputs, old.inputs);
    else this.pendingDeletes.add(old.urn);
    const made = await this.host.create(reg.urn, fresh);
    return this.record(reg, made.id, fresh, made.properties);
  }

  /** The deletes, after the program finished: walking the previous state backwards. */
  async deletes(): Promise<void> {
    for (const old of [...this.previous.resources].reverse()) {
      const replaced = this.pendingDeletes.has(old.urn);
      if (this.claimed.has(old.urn) && !replaced) continue;
      if (old.protect) {
        this.errors.push(`${old.urn}: refusing to delete a protected resource (unprotect it first)`);
        continue;
      }
      const dynamic = old.custom && isDynamic(old.type);
      if (!replaced)
        this.step({
          op: "delete",
          urn: old.urn,
          type: old.type,
          recordedOnly: old.recordedOnly,
          ...(old.retainOnDelete ? { retained: true } : {}),
        });
      if (this.preview || !dynamic || old.retainOnDelete) continue;
      try {
        await this.host.delete(old.urn, old.id, old.outputs, old.inputs);
      } catch (e) {
        this.errors.push(`${old.urn}: delete failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** The state after `up`: every registration, in registration order; unregistered olds only if deletes did not run. */
  nextState(record: MonitorRecord, deletesRan: boolean): StateFile {
    const resources: ResourceState[] = [];
    for (const reg of record.registrations) {
      const r = this.news.get(reg.urn);
      if (!r) continue;
      resources.push(r.custom ? r : { ...r, outputs: record.outputs.get(r.urn) ?? r.outputs });
    }
    if (!deletesRan) {
      for (const old of this.previous.resources)
        if (!this.claimed.has(old.urn) && !this.news.has(old.urn)) resources.push(old);
    }
    return { ...this.previous, resources };
  }
}

function countSteps(steps: Step[]): DeployResult["counts"] {
  const counts: DeployResult["counts"] = {};
  for (const s of steps) {
    const byOp = (counts[s.type] ??= {});
    byOp[s.op] = (byOp[s.op] ?? 0) + 1;
  }
  return counts;
}

interface Prepared {
  project: ProjectInfo;
  config: Record<string, string>;
  env: NodeJS.ProcessEnv;
  previous: StateFile;
}

function prepare(opts: DeployOptions): Prepared {
  const project = readProject(path.resolve(opts.projectDir));
  return {
    project,
    config: opts.config ?? readStackConfig(project, opts.stack),
    env: opts.env ?? cliEnvironment(),
    previous: loadState(opts.statePath, project.name, opts.stack),
  };
}

async function deploy(
  opts: DeployOptions,
  kind: "preview" | "up",
  registrations?: readonly Registration[],
): Promise<DeployResult> {
  const { project, config, env, previous } = prepare(opts);
  const preview = kind === "preview";
  const host = await startProviderHost({ cwd: project.programDirectory, env });
  try {
    await host.configure(config);
    const d = new Deployment(project, opts.stack, previous, host, preview, opts.externalOutputs);
    const monitor = await startMonitor({
      project: project.name,
      stack: opts.stack,
      invokes: opts.invokes,
      onRegister: (reg) => d.register(reg),
    });
    let program: ProgramResult | undefined;
    try {
      if (registrations) {
        // A replay: the same goals again, in their recorded (dependency) order, without running the program.
        for (const reg of registrations) {
          monitor.record.registrations.push(reg);
          await d.register(reg);
        }
      } else {
        program = await runProgram({
          project,
          stack: opts.stack,
          config,
          monitorAddress: monitor.address,
          engineAddress: monitor.address,
          dryRun: preview,
          parallel: opts.parallel,
          env,
        });
      }
    } finally {
      await monitor.stop();
    }
    const programErrors = monitor.record.logs.filter((l) => l.severity === "error").map((l) => l.message);
    const succeeded = (program?.exitCode ?? 0) === 0 && d.errors.length === 0 && programErrors.length === 0;
    if (succeeded) await d.deletes();
    const state = preview ? previous : d.nextState(monitor.record, succeeded);
    if (!preview) saveState(opts.statePath, state);
    return {
      kind,
      program,
      monitor: monitor.record,
      registrations: monitor.record.registrations,
      steps: d.steps,
      counts: countSteps(d.steps),
      stackOutputs: monitor.stackOutputs(),
      errors: [...d.errors, ...programErrors],
      state,
      providerHost: host.invocation,
    };
  } finally {
    await host.stop();
  }
}

/** `pulumi preview`: check and diff only; the state file is read, never written. */
export function preview(opts: DeployOptions): Promise<DeployResult> {
  return deploy(opts, "preview");
}

/** `pulumi up`: applies the dynamic resources, records the others, writes the state file. */
export function up(opts: DeployOptions): Promise<DeployResult> {
  return deploy(opts, "up");
}

/**
 * The step generation and execution of `preview` or `up` for registrations already recorded by a run, without
 * running the program again: what a second run would do when the program registers the same goals (it does, for
 * the same config and the same outputs — this project's program is deterministic given `PIM_NOW`).
 */
export function replay(
  opts: DeployOptions,
  kind: "preview" | "up",
  registrations: readonly Registration[],
): Promise<DeployResult> {
  return deploy(opts, kind, registrations);
}
