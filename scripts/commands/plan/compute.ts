/**
 * `pim plan`'s computation, apart from its printing: the stack's declarations at the base commit and in the
 * working tree, as snapshots, with the safe-default findings of each side, and the semantic diff between them.
 * Offline: git objects and files only.
 *
 * The base is read from git objects, and only the files that differ from the working tree are parsed: a grant's
 * entry depends on its own file alone (names and windows; its validity depends on tenant.yaml, but the base is
 * an accepted commit), so the base model is the base tenant.yaml plus the changed grant files, completed with the
 * working tree's entries for the files that are the same at both. When tenant.yaml is the same at both, its
 * resolved parts are the working tree's too, and the changed grant files are read against a bare tenant (the
 * tenant's rules only decide validity); should that refuse one of them, the base tenant.yaml is used after all.
 * A 5,000-grant stack with 50 changed grant files parses 50 small files for the base, not 5,001
 * (test/cli/plan.test.ts checks both ways give the full load's result).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStack, loadStackFiles, type Diagnostic, type Grant, type TenantModel } from "../../../model";
import { diffSnapshots, type TenantDiff } from "../../../model/diff";
import { emptySnapshot, toSnapshot, type Snapshot } from "../../../model/snapshot";
import { evaluateSafeDefaults, type Finding } from "../../../policies/rules";
import { CliError } from "../../lib/errors";
import { blobId, defaultBranch, gitTopLevel, mergeBase, resolveCommit } from "../../lib/git";
import { EXIT } from "../../lib/io";
import { listStackAtCommit, readCommitFiles } from "../../lib/stackAtCommit";
import { count } from "../../lib/text";

export interface PlanOptions {
  root: string;
  stack: string;
  /** A git ref; default: the merge base of HEAD with the default branch. */
  base?: string;
  now: Date;
  env?: NodeJS.ProcessEnv;
}

export interface PlanResult {
  stack: string;
  base: { ref: string; commit: string; exists: boolean };
  diff: TenantDiff;
  /** The working tree's warnings (errors stop the plan). */
  warnings: Diagnostic[];
  /** Files parsed for the base side (tenant.yaml and changed grant files). */
  baseFilesParsed: number;
  evaluatedAt: string;
}

export function computePlan(opts: PlanOptions): PlanResult {
  const top = gitTopLevel(opts.root);
  const ref = opts.base ?? defaultBranch(top, opts.env);
  const commit = opts.base !== undefined ? resolveCommit(top, opts.base) : mergeBase(top, ref);
  const baseRef = opts.base !== undefined ? ref : `merge base with ${ref}`;

  const head = loadStack({ root: opts.root, stack: opts.stack, now: opts.now });
  const errors = head.diagnostics.filter((d) => d.severity === "error");
  if (!head.model) {
    throw new CliError(
      `the working tree's declarations of stack ${opts.stack} do not load (${count(errors.length, "error")}), first:\n  ${formatFirst(errors)}`,
      EXIT.invalid,
      `run pim check --stack ${opts.stack} for every problem`,
    );
  }
  const headFiles = head.files.map((p) => ({ path: p, content: fs.readFileSync(path.join(opts.root, p)) }));
  const headTenantText = headFiles[0]!.content.toString("utf8");
  const headSnap = toSnapshot(head.model, { tenantYaml: { file: head.files[0]!, text: headTenantText } });

  const listed = listStackAtCommit(top, opts.root, commit, opts.stack);
  const result = (
    baseSnap: Snapshot,
    findings: { before: Finding[]; after: Finding[] } | undefined,
    parsed: number,
  ) => ({
    stack: opts.stack,
    base: { ref: baseRef, commit, exists: listed.tenant !== null },
    diff: diffSnapshots(baseSnap, headSnap, findings ? { findings } : {}),
    warnings: head.diagnostics.filter((d) => d.severity === "warning"),
    baseFilesParsed: parsed,
    evaluatedAt: opts.now.toISOString(),
  });
  const headFindings = () => evaluateSafeDefaults(head.model!, { now: opts.now });
  if (!listed.tenant) return result(emptySnapshot(opts.stack), { before: [], after: headFindings() }, 0);

  // Which base files differ from the working tree (by blob id, as git would tell).
  const headOid = new Map(headFiles.map((f) => [f.path, blobId(f.content, listed.tenant!.oid)]));
  const rel = listed.rel;
  const changedGrants = listed.grants.filter((e) => headOid.get(rel(e.path)) !== e.oid);
  const tenantSame = headOid.get(rel(listed.tenant.path)) === listed.tenant.oid;
  const basePaths = new Set(listed.grants.map((e) => rel(e.path)));
  const headOnly = head.files.slice(1).filter((p) => !basePaths.has(p));
  if (tenantSame && !changedGrants.length && !headOnly.length) {
    // Nothing differs: the base is the working tree, and so are its findings.
    return result(headSnap, undefined, 0);
  }

  const baseGrants = readCommitFiles(top, changedGrants, rel);
  const changed = new Set(changedGrants.map((e) => rel(e.path)));
  let baseModel: TenantModel | null = null;
  let baseTenantText = headTenantText;
  let tenantParsed = false;
  if (tenantSame) {
    const bare = { path: head.files[0]!, text: bareTenant(head.model) };
    const partial = loadStackFiles(opts.stack, [bare, ...baseGrants], opts.now);
    if (partial.model && !partial.diagnostics.some((d) => d.severity === "error")) {
      baseModel = completeBase(head.model, partial.model.grants, head.model, changed, basePaths);
    }
  }
  if (!baseModel) {
    const [baseTenant] = readCommitFiles(top, [listed.tenant], rel);
    baseTenantText = baseTenant!.text;
    tenantParsed = true;
    const partial = loadStackFiles(opts.stack, [baseTenant!, ...baseGrants], opts.now);
    if (!partial.model) {
      const baseErrors = partial.diagnostics.filter((d) => d.severity === "error");
      throw new CliError(
        `stack ${opts.stack} does not load at the base (${baseRef}, ${commit.slice(0, 12)}): ${count(baseErrors.length, "error")}, first:\n  ${formatFirst(baseErrors)}`,
        EXIT.invalid,
        "pass --base with a commit where pim check passes",
      );
    }
    baseModel = completeBase(partial.model, partial.model.grants, head.model, changed, basePaths);
  }
  const baseSnap = toSnapshot(baseModel, { tenantYaml: { file: head.files[0]!, text: baseTenantText } });
  return result(
    baseSnap,
    { before: evaluateSafeDefaults(baseModel, { now: opts.now }), after: headFindings() },
    baseGrants.length + (tenantParsed ? 1 : 0),
  );
}

/** A tenant.yaml with nothing but the tenant: against it a grant file resolves to its entry, unjudged. */
function bareTenant(m: TenantModel): string {
  return `tenant:\n  id: ${m.tenant.id}\n  name: ${JSON.stringify(m.tenant.name)}\n`;
}

/**
 * The base model: the tenant-level parts of `tenantSide`, the changed grants as the base holds them, and the
 * working tree's grants for the files that are identical at the base.
 */
function completeBase(
  tenantSide: TenantModel,
  changedGrants: Grant[],
  head: TenantModel,
  changed: Set<string>,
  basePaths: Set<string>,
): TenantModel {
  const unchanged: Grant[] = head.grants.filter((g) => basePaths.has(g.file) && !changed.has(g.file));
  const grants = [...unchanged, ...changedGrants].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
  );
  return { ...tenantSide, grants };
}

function formatFirst(ds: Diagnostic[]): string {
  const d = ds[0];
  return d ? `${d.file}:${d.line}:${d.column}: ${d.field}: ${d.message}` : "(none)";
}
