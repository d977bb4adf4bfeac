/**
 * How serialized provider code reaches this project's modules at call time, from whatever directory it runs in.
 *
 * Pulumi stores a dynamic provider's code in state (`__provider`) and runs it in its provider host, a plain Node
 * process with no TypeScript loader, started in the program's folder (`stacks/`, pulumi/pulumi#5455) — never
 * necessarily the project root. So the project root is found, not assumed:
 *
 * 1. `PIM_PROJECT_ROOT` when set (an override; never needed);
 * 2. else walking up from the working directory to the `package.json` of this package (`entra-pim-as-code`);
 * 3. else walking up from the host's own location (`require.main`: `<root>/node_modules/@pulumi/pulumi/cmd/...`),
 *    which finds the project that installed the SDK the host runs from, wherever the host was started.
 *
 * TypeScript sources are loaded through the project's own tsx when no TypeScript loader is registered.
 *
 * This function is inlined by value into the serialized shim (`providers/shim`): it captures only the package name,
 * keeps its comments outside its body (a function's text is stored as written) and stays short (every character is
 * stored once per resource, twice: in inputs and in outputs).
 */
const PACKAGE_NAME = "entra-pim-as-code";

export function projectModule<T>(relative: string): T {
  const path = require("node:path") as typeof import("node:path");
  const find = (from: string | undefined): string | undefined => {
    for (let dir = from && path.resolve(from); dir && dir !== path.dirname(dir); dir = path.dirname(dir)) {
      try {
        if (require(path.join(dir, "package.json")).name === PACKAGE_NAME) return dir;
      } catch {
        continue;
      }
    }
  };
  const root = process.env["PIM_PROJECT_ROOT"] || find(process.cwd()) || find(require.main?.filename);
  if (!root)
    throw new Error(`cannot find ${PACKAGE_NAME} from ${process.cwd()}: set PIM_PROJECT_ROOT to its folder`);
  if (!require.extensions[".ts"]) require(require.resolve("tsx/cjs/api", { paths: [root] })).register();
  return require(path.resolve(root, relative));
}
