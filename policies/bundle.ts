/**
 * Builds the publishable policy pack: one folder that reaches nothing outside itself at run time, so
 * `pulumi policy publish <folder>` uploads everything the pack needs (the source pack imports the rules' model from
 * `../model` and the type tokens from `../providers`, which a published pack would not have).
 *
 *   npm run bundle -w policies            # writes build/policy-pack/
 *   pulumi policy publish build/policy-pack
 *
 * The folder holds `index.js` (policies/index.ts and everything it imports, bundled by esbuild — the copy tsx
 * already installs), `PulumiPolicy.yaml`, and a `package.json` with this pack's name, version and dependencies.
 * Only those dependencies stay outside the bundle (the Pulumi service installs them when it runs the pack).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Esbuild from "esbuild";

const PACK_DIR = __dirname;

interface PackManifest {
  name: string;
  version: string;
  description?: string;
  dependencies: Record<string, string>;
}

export interface BundleResult {
  outDir: string;
  /** The source files bundled into index.js, relative to the project root. */
  inputs: string[];
  /** The modules index.js still requires at run time: the pack's dependencies and Node built-ins only. */
  requires: string[];
}

/** esbuild as tsx resolves it: the project declares tsx, and tsx depends on esbuild. */
function esbuild(): typeof Esbuild {
  const tsxDir = path.dirname(require.resolve("tsx/package.json", { paths: [PACK_DIR] }));
  return require(require.resolve("esbuild", { paths: [tsxDir] })) as typeof Esbuild;
}

export async function bundlePolicyPack(outDir: string): Promise<BundleResult> {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as PackManifest;
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild().build({
    entryPoints: [path.join(PACK_DIR, "index.ts")],
    outfile: path.join(outDir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: Object.keys(manifest.dependencies),
    metafile: true,
    logLevel: "silent",
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  fs.copyFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), path.join(outDir, "PulumiPolicy.yaml"));
  const published = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    private: true,
    main: "index.js",
    dependencies: manifest.dependencies,
  };
  fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify(published, null, 2) + "\n");
  const root = path.resolve(PACK_DIR, "..");
  return {
    outDir,
    inputs: Object.keys(output.inputs)
      .map((f) => path.relative(root, path.resolve(f)).split(path.sep).join("/"))
      .sort(),
    requires: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort(),
  };
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(PACK_DIR, "..", "build", "policy-pack"));
  bundlePolicyPack(outDir).then(
    (r) => console.log(`policy pack bundled into ${r.outDir} (${r.inputs.length} source files)`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
