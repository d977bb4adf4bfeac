/**
 * A stack's declaration files as they are at a commit, read from git objects (no checkout, the working tree is
 * never touched): `tenant.yaml` and the regular `.yaml`/`.yml` files directly in `grants/`, as the loader reads a
 * folder. Each file keeps its blob id so a caller can tell which files differ from the working tree.
 */
import * as path from "node:path";
import type { SourceFile } from "../../model";
import { CliError } from "./errors";
import { listTree, readBlobs } from "./git";
import { EXIT } from "./io";

/** Larger declaration files are refused: a grant file is a few hundred bytes, tenant.yaml a few kilobytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface CommitFile extends SourceFile {
  oid: string;
}

export interface StackAtCommit {
  /** tenant.yaml first; null when the stack does not exist at that commit. */
  tenant: CommitFile | null;
  grants: CommitFile[];
  /** Entries of grants/ that are not read (other extensions, folders, links), repository-relative. */
  ignored: string[];
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
  const grants: typeof entries = [];
  const ignored: string[] = [];
  for (const e of entries) {
    if (!e.path.startsWith(`${dir}/grants/`)) continue;
    const rest = e.path.slice(`${dir}/grants/`.length);
    const regular = e.type === "blob" && (e.mode === "100644" || e.mode === "100755");
    if (rest.includes("/")) {
      const folder = `${relTo(root, top, `${dir}/grants/${rest.split("/")[0]}`)}/`;
      if (!ignored.includes(folder)) ignored.push(folder);
    } else if (!regular || !/\.ya?ml$/i.test(rest)) {
      if (!/^(README\.md|\.gitkeep)$/i.test(rest)) ignored.push(relTo(root, top, e.path));
    } else grants.push(e);
  }
  grants.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { tenant, grants, ignored, rel: (p: string) => relTo(root, top, p) };
}

/** Reads the named blobs as declaration files, refusing oversized ones. */
export function readCommitFiles(
  top: string,
  entries: ReadonlyArray<{ path: string; oid: string }>,
  rel: (p: string) => string,
): CommitFile[] {
  const blobs = readBlobs(top, [...new Set(entries.map((e) => e.oid))]);
  return entries.map((e) => {
    const buf = blobs.get(e.oid)!;
    if (buf.length > MAX_FILE_BYTES) {
      throw new CliError(
        `${rel(e.path)} is larger than ${MAX_FILE_BYTES} bytes at the base commit`,
        EXIT.invalid,
      );
    }
    return { path: rel(e.path), text: buf.toString("utf8"), oid: e.oid };
  });
}
