/**
 * The code a dynamic resource stores in state (`__provider`): a small, stable shim — the same text for every
 * resource of a type and across releases — that loads the installed project's implementation at call time. So state
 * stays small (under 2 KB per resource instead of ~15 KB) and every operation, refresh and delete included, runs the
 * code installed now rather than the code serialized at the last create.
 *
 * A provider is two modules:
 * - `providers/<type>/provider.ts`, the implementation, `export const provider` (a `dynamic.ResourceProvider`)
 *   with ordinary top-level imports: it is loaded at call time, never serialized;
 * - `providers/<type>/index.ts`, the `dynamic.Resource` class, passing `providerShim("providers/<type>/provider")`
 *   to `super`, plus `localProvider(...)` for callers in this process (tests, benchmarks).
 *
 * Why the shim has one method. Every serialized function costs about 200 characters of wrapper, so a shim with the
 * seven lifecycle methods cannot stay under 2 KB once it also knows how to find the project. The provider host
 * always calls `configure` right after it deserializes a provider and before any other method (`getProvider` in
 * `@pulumi/pulumi/cmd/dynamic-provider`, 3.248), so `configure` finds the project, and `dispatch.activate` installs
 * the other methods on the deserialized object before running the implementation's own `configure`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { projectModule as loadProjectModule } from "../projectModule";
import type * as Dispatch from "./dispatch";

// A module-level alias, not a bare import: under any loader the serialized text then calls `projectModule` by
// name and the serializer inlines the function by value, instead of capturing an import namespace.
const projectModule = loadProjectModule;

/** Also the marker by which `dispatch` tells a shim from provider code serialized before it (it is in the text). */
const DISPATCH = "providers/shim/dispatch";
export const SHIM_MARKER = DISPATCH;

/**
 * What a resource of the implementation at `implementation` (relative to the project root) stores and the provider
 * host runs. Only for `dynamic.Resource`: never call its `configure` in the program's process.
 */
export function providerShim(implementation: string): pulumi.dynamic.ResourceProvider {
  const shim = {
    configure(this: object, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      return projectModule<typeof Dispatch>(DISPATCH).activate(this, implementation, req);
    },
  };
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}

/**
 * The same implementation for callers in this process, typed as it (`localProvider<typeof Impl.provider>(...)`):
 * every call goes through `dispatch`, loading modules the way the provider host loads them (Node's `require`), so
 * a caller shares the module instances, and the caches, of the code under test.
 */
export function localProvider<P extends pulumi.dynamic.ResourceProvider>(implementation: string): P {
  const call =
    (method: Dispatch.Method) =>
    (...args: unknown[]): Promise<unknown> =>
      projectModule<typeof Dispatch>(DISPATCH).dispatch(implementation, method, args);
  return Object.fromEntries(
    (["configure", "check", "diff", "create", "read", "update", "delete"] satisfies Dispatch.Method[]).map(
      (m) => [m, call(m)],
    ),
  ) as unknown as P;
}
