/**
 * A stack's declaration files as they are at a commit, read from git objects (no checkout, the working tree is
 * never touched): `tenant.yaml` and the regular `.yaml`/`.yml` files directly in `grants/`, as the loader reads a
 * folder. Each file keeps its blob id so a caller can tell which files differ from the working tree.
 */
import * as path from "node:path";
import type { SourceFile } from "../../model";
import { READ_LIMITS } from "../../model/load/safeRead";
import { CliError } from "./errors";
import { listTree, readBlobs } from "./git";
import { EXIT } from "./io";

export interface CommitFile extends SourceFile {
  oid: string;
}

export interface StackAtCommit {
  /** tenant.yaml first; null when the stack does not exist at that commit. */
  tenant: CommitFile | null;
  grants: CommitFile[];
}

/** Repository-relative (to `root`) path with forward slashes. */
const relTo = (root: string, top: string, p: string) =>
  path.relative(root, path.join(top, p)).split(path.sep).join("/");

/** Lists the stack's files at `commit` without reading them. */
export function listStackAtCommit(top: string, root: string, commit: string, stack: string) {
  const dir = path
    .relative(top, path.join(root, "stacks", stack))
    .split(path.sep)
    .join("/");
  const entries = listTree(top, commit, dir);
  const tenant = entries.find((e) => e.path === `${dir}/tenant.yaml` && e.type === "blob") ?? null;
  // Only what the loader reads from a folder: regular .yaml/.yml files directly in grants/. What else the base
  // held is not judged here: the base is a commit that passed pim check, whose folder rules (model/load/readStack)
  // refused anything misplaced.
  const grants = entries.filter((e) => {
    if (!e.path.startsWith(`${dir}/grants/`)) return false;
    const rest = e.path.slice(`${dir}/grants/`.length);
    const regular = e.type === "blob" && (e.mode === "100644" || e.mode === "100755");
    return regular && !rest.includes("/") && /\.ya?ml$/i.test(rest);
  });
  grants.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tenant, grants, rel: (p: string) => relTo(root, top, p) };
}

/** Reads the named blobs as declaration files, refusing those larger than the loader reads from disk. */
export function readCommitFiles(
  top: string,
  entries: ReadonlyArray<{ path: string; oid: string }>,
  rel: (p: string) => string,
): CommitFile[] {
  const blobs = readBlobs(top, [...new Set(entries.map((e) => e.oid))]);
  return entries.map((e) => {
    const buf = blobs.get(e.oid)!;
    if (buf.length > READ_LIMITS.fileBytes) {
      throw new CliError(
        `${rel(e.path)} is larger than ${READ_LIMITS.fileBytes} bytes at the base commit`,
        EXIT.invalid,
      );
    }
    return { path: rel(e.path), text: buf.toString("utf8"), oid: e.oid };
  });
}
