/**
 * Shared by the dynamic providers: how their serialized code reaches this project's modules at call time.
 *
 * Pulumi stores a provider's code in state (`__provider`) and runs it in its provider host, a plain Node process.
 * A provider therefore never imports this project's modules at the top (they would be captured, or resolved
 * against the wrong directory); it calls `projectModule()` inside its methods. This module holds only that
 * function and captures nothing, so the serializer can inline it by value into each provider.
 *
 * Loads a module of this project at call time, from the project root (`PIM_PROJECT_ROOT`, else the working
 * directory: Pulumi runs the provider host there). TypeScript sources are loaded through tsx when no TypeScript
 * loader is registered (the provider host has none).
 */
export function projectModule<T>(relative: string): T {
  const path = require("node:path") as typeof import("node:path");
  if (!require.extensions[".ts"]) {
    // The provider host has no TypeScript loader; the project's sources are TypeScript.
    (require("tsx/cjs/api") as typeof import("tsx/cjs/api")).register();
  }
  const roots = [process.env["PIM_PROJECT_ROOT"], process.cwd()].filter((r): r is string => !!r);
  for (const root of roots) {
    const target = path.resolve(root, relative);
    try {
      // Node caches the resolution and the module: after the first call this is a map lookup.
      return require(target) as T;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      // Only "this root has no such module" moves on to the next root; a failure inside the module is real.
      if (
        err.code !== "MODULE_NOT_FOUND" ||
        !String(err.message).startsWith(`Cannot find module '${target}'`)
      )
        throw e;
    }
  }
  throw new Error(
    `cannot find ${relative} under ${roots.join(" or ")}: run Pulumi from the project root or set PIM_PROJECT_ROOT`,
  );
}
