/**
 * Reading a commit's files with git, without touching the working tree: `ls-tree` names the blobs, one
 * `cat-file --batch` reads them. Every failure the user can cause (not a repository, an unknown ref, no git) is a
 * CliError naming the fix.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { CliError } from "./errors";
import { EXIT } from "./io";

export interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
}

export function git(cwd: string, args: readonly string[], opts: GitOptions = {}): GitResult {
  const r = spawnSync("git", args, {
    cwd,
    input: opts.input,
    maxBuffer: 256 * 1024 * 1024,
    // Never prompt (a credential helper on a CI runner), never page.
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C", ...opts.env },
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? "git is not installed or not on PATH" : `git failed to start: ${r.error.message}`,
      EXIT.unavailable,
      "install git (https://git-scm.com) or run this command where git is available",
    );
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString("utf8").trim() };
}

const out = (r: GitResult) => r.stdout.toString("utf8").trim();

/** The top of the git work tree that holds `dir`. */
export function gitTopLevel(dir: string): string {
  const r = git(dir, ["rev-parse", "--show-toplevel"]);
  if (r.status !== 0)
    throw new CliError(
      `${dir} is not inside a git repository`,
      EXIT.usage,
      "run pim plan from a clone of the repository",
    );
  return path.resolve(out(r));
}

/** The commit a ref names, or a CliError (exit 2) that says which ref is missing. */
export function resolveCommit(top: string, ref: string): string {
  if (ref.startsWith("-")) throw new CliError(`"${ref}" is not a git ref`, EXIT.usage);
  const r = git(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (r.status !== 0) {
    throw new CliError(
      `no commit "${ref}" in this repository`,
      EXIT.usage,
      "fetch it first (git fetch origin <branch>; actions/checkout needs fetch-depth: 0), or pass --base <ref>",
    );
  }
  return out(r);
}

/**
 * The default branch to compare against: the pull request's target in GitHub Actions (`GITHUB_BASE_REF`), else
 * what `origin/HEAD` points at, else the first of origin/main, main, origin/master, master that exists.
 */
export function defaultBranch(top: string, env: NodeJS.ProcessEnv = process.env): string {
  const candidates: string[] = [];
  const base = env["GITHUB_BASE_REF"];
  if (base) candidates.push(`origin/${base}`, base);
  const head = git(top, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  if (head.status === 0 && out(head)) candidates.push(out(head));
  candidates.push("origin/main", "main", "origin/master", "master");
  for (const c of candidates) {
    if (git(top, ["rev-parse", "--verify", "--quiet", `${c}^{commit}`]).status === 0) return c;
  }
  throw new CliError(
    "found no default branch to compare with (origin/HEAD, main, master)",
    EXIT.usage,
    "pass --base <ref>, e.g. --base origin/main",
  );
}

/** The merge base of HEAD and `ref`: what a pull request's diff is taken against. */
export function mergeBase(top: string, ref: string): string {
  const target = resolveCommit(top, ref);
  const r = git(top, ["merge-base", "HEAD", target]);
  if (r.status !== 0) {
    throw new CliError(
      `HEAD and ${ref} have no common commit`,
      EXIT.usage,
      "fetch the full history (actions/checkout with fetch-depth: 0), or pass --base <ref>",
    );
  }
  return out(r);
}

export interface TreeEntry {
  /** Path relative to the repository top, forward slashes. */
  path: string;
  mode: string;
  type: string;
  oid: string;
}

/** Entries under `dir` (relative to the top) at `commit`, recursively. */
export function listTree(top: string, commit: string, dir: string): TreeEntry[] {
  const r = git(top, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", `${dir.replace(/\/+$/, "")}/`]);
  if (r.status !== 0) throw new CliError(`git ls-tree failed: ${r.stderr}`, EXIT.unavailable);
  const entries: TreeEntry[] = [];
  for (const rec of r.stdout.toString("utf8").split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode, type, oid] = rec.slice(0, tab).split(" ");
    entries.push({ path: rec.slice(tab + 1), mode: mode!, type: type!, oid: oid! });
  }
  return entries;
}

/** Blob contents by object id, in one `git cat-file --batch` process. */
export function readBlobs(top: string, oids: readonly string[]): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  if (!oids.length) return result;
  const r = git(top, ["cat-file", "--batch"], { input: `${oids.join("\n")}\n` });
  if (r.status !== 0) throw new CliError(`git cat-file failed: ${r.stderr}`, EXIT.unavailable);
  const buf = r.stdout;
  let at = 0;
  for (const oid of oids) {
    const nl = buf.indexOf(0x0a, at);
    const header = buf.subarray(at, nl).toString("utf8");
    const [got, type, size] = header.split(" ");
    if (type !== "blob" || got !== oid)
      throw new CliError(`git cat-file: unexpected "${header}"`, EXIT.unavailable);
    const n = Number(size);
    result.set(oid, buf.subarray(nl + 1, nl + 1 + n));
    at = nl + 1 + n + 1;
  }
  return result;
}

/**
 * Git's object id of a blob with this content (`blob <size>\0<content>` hashed), to tell unchanged files apart
 * without asking git. `like` is an id from the same repository: 64 hex digits means a SHA-256 repository.
 */
export function blobId(content: Buffer, like: string): string {
  return createHash(like.length === 64 ? "sha256" : "sha1")
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest("hex");
}
