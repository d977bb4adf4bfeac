/**
 * Loads one stack's declarations (`stacks/<stack>/tenant.yaml` and `stacks/<stack>/grants/*.yaml`) into the model,
 * or returns every problem at once. Offline and deterministic: the only input besides the files is `now`.
 *
 * The jobs are split: readStack (which files, read safely), parseFile (YAML and schema), tenant (tenant.yaml's
 * sections), grants, pimGroups, timeWindow, resolveSettings (with fieldSources), resolveSafeDefaults (what only
 * the safe-default rules read). This file only puts them in order.
 */
import { grant as grantSchema } from "../schema/grant";
import type { TenantModel } from "../types";
import { escapeDiagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics";
import { resolveGrants, type GrantFile } from "./grants";
import { parseDeclarationFile, parseFields } from "./parseFile";
import { readStack, type SourceFile } from "./readStack";
import { resolveTenant } from "./tenant";
import { parseTenant } from "./tenantSections";
import { topLevelLocator } from "./yamlSource";

export { listStacks, StackNotFoundError, type SourceFile } from "./readStack";

export interface LoadOptions {
  /** Repository root; stacks live in `<root>/stacks`. */
  root: string;
  stack: string;
  /** The current time; injectable so tests and reports never depend on the clock. */
  now?: Date;
}

export interface LoadResult {
  /** Present when there is no error (warnings allowed). */
  model: TenantModel | null;
  diagnostics: Diagnostic[];
  /** The files read, repository-relative. */
  files: string[];
}

/** Reads the stack's files from disk (see readStack.ts for what is refused), then loads them. */
export function loadStack(opts: LoadOptions): LoadResult {
  const read = readStack(opts.root, opts.stack);
  return load(opts.stack, read.tenant, read.grants, opts.now ?? new Date(), read.diagnostics);
}

/** Loads from texts already in memory: the first file is tenant.yaml, the rest are grant files. */
export function loadStackFiles(stack: string, files: SourceFile[], now: Date): LoadResult {
  const [tenant, ...grants] = files;
  if (!tenant) throw new Error("loadStackFiles needs tenant.yaml first");
  return load(stack, tenant, grants, now, []);
}

function load(
  stack: string,
  tenantSource: SourceFile | null,
  grantSources: SourceFile[],
  now: Date,
  readDiagnostics: Diagnostic[],
): LoadResult {
  const diagnostics = [...readDiagnostics];
  const nowMs = now.getTime();

  // 1. Structure: every file parsed and shape-checked, all problems collected.
  const tenantSrc = tenantSource && parseDeclarationFile(tenantSource, diagnostics, "tenant");
  const grantFiles: GrantFile[] = [];
  for (const f of grantSources) {
    const src = parseDeclarationFile(f, diagnostics, "grant");
    // Grant files are thousands: keep only what the checks need, not the YAML document (see topLevelLocator).
    if (src)
      grantFiles.push({ src: topLevelLocator(src), parsed: parseFields(grantSchema, src, diagnostics) });
  }

  // 2. Meaning: names resolved, references checked, grants checked against their role's settings. With
  // tenant.yaml unreadable, each grant is still checked on what it says by itself.
  const tenant = tenantSrc
    ? resolveTenant(parseTenant(tenantSrc, diagnostics), tenantSrc, nowMs, diagnostics)
    : { parts: null, decls: null, breakGlass: null };
  const grants = resolveGrants(
    grantFiles,
    { decls: tenant.decls, breakGlass: tenant.breakGlass, nowMs },
    diagnostics,
  );

  // Messages quote the files (a key, a name, a file name): escaped here too, so no consumer of the diagnostics
  // ever receives a control character, whichever formatter it uses.
  const sorted = sortDiagnostics(diagnostics).map(escapeDiagnostic);
  const failed = sorted.some((d) => d.severity === "error");
  let model: TenantModel | null = null;
  if (!failed && tenant.parts) {
    const { safeDefaults, ...rest } = tenant.parts;
    model = { stack, ...rest, grants, safeDefaults, evaluatedAt: now.toISOString() };
  }
  const files = [...(tenantSource ? [tenantSource.path] : []), ...grantSources.map((f) => f.path)];
  return { model, diagnostics: sorted, files };
}
