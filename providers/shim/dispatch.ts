/**
 * What every shim calls at run time (`providers/shim`): loads the implementation module the shim names and runs the
 * lifecycle method the provider host was asked for. Loaded at call time in the provider host, never serialized,
 * so it can change freely.
 *
 * Shared behaviour lives here, once for every provider:
 * - **Activation**: the shim's only method is `configure` (see `providers/shim/index.ts`); `activate` installs the
 *   other lifecycle methods on the deserialized shim, then runs the implementation's `configure`.
 * - **State written before the shim** carries the whole old provider as `__provider` in its outputs, and the
 *   engine hands refresh and delete exactly that code. A "same" step keeps old outputs (pulumi/pulumi
 *   `pkg/resource/deploy/step.go`, `SameStep.Apply`), so such state would run stale code forever. `diff` therefore
 *   reports a change when the stored code is not a shim: the engine runs `update` through the current code (which
 *   sends nothing when nothing else changed) and stores the shim in place of the old code.
 * - **Unknown inputs**: in a preview, inputs that come from resources not created yet (a new group's object id)
 *   reach `check` as Pulumi's unknown placeholder, which no implementation's schema accepts. Such a check is left to
 *   the update: `pulumi up` runs `check` again once every input is known, before anything is written.
 * - **One deadline per operation**: every method but `configure` and `check` (which send nothing) runs within the
 *   operation deadline of the Graph layer (`providers/graph/deadline.ts`), so throttling waits and read-backs end
 *   with a message instead of holding the run.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { withOperationDeadline } from "../graph";
import { SHIM_MARKER } from "./index";

type Provider = pulumi.dynamic.ResourceProvider;
export const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;
export type Method = (typeof METHODS)[number];

/** This file is `<root>/providers/shim/dispatch.ts`. */
const ROOT = path.resolve(__dirname, "..", "..");

function implementation(modulePath: string): Provider {
  const mod = require(path.join(ROOT, modulePath)) as { provider?: Provider };
  if (!mod.provider) throw new Error(`${modulePath} does not export \`provider\``);
  return mod.provider;
}

/**
 * True for a `__provider` written before the shim: serialized provider code (which always starts by exporting its
 * `handler`) that is not a shim. False for a shim, for no code, and for anything else.
 */
export function isLegacyProviderCode(code: unknown): boolean {
  return typeof code === "string" && code.startsWith("exports.handler") && !code.includes(SHIM_MARKER);
}

/** True when `value` holds Pulumi's placeholder for a value not known yet (only a preview's `check` sees one). */
export function containsUnknown(value: unknown): boolean {
  if (value === pulumi.runtime.unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  return value !== null && typeof value === "object" && Object.values(value).some(containsUnknown);
}

export async function dispatch(modulePath: string, method: Method, args: unknown[]): Promise<unknown> {
  if (method === "check" && containsUnknown(args[1])) return { inputs: args[1] };
  const provider = implementation(modulePath);
  const fn = provider[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
  if (typeof fn !== "function") throw new Error(`${modulePath}: the provider has no ${method}()`);
  const run = () => fn.apply(provider, args);
  const result =
    method === "configure" || method === "check"
      ? await run()
      : await withOperationDeadline(`${path.basename(path.dirname(modulePath))} ${method}`, run);
  if (
    method === "diff" &&
    isLegacyProviderCode((args[1] as { __provider?: unknown } | undefined)?.__provider)
  ) {
    return { ...(result as pulumi.dynamic.DiffResult), changes: true };
  }
  return result;
}

/** Installs every other lifecycle method on `shim` (forwarding to `dispatch`), then configures the implementation. */
export async function activate(
  shim: object,
  modulePath: string,
  req: pulumi.dynamic.ConfigureRequest,
): Promise<void> {
  for (const method of METHODS) {
    if (method !== "configure")
      Object.assign(shim, { [method]: (...args: unknown[]) => dispatch(modulePath, method, args) });
  }
  await dispatch(modulePath, "configure", [req]);
}
