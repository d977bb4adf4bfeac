/**
 * Opening a pull request for a prepared change, with git and the GitHub CLI (`gh`), without touching the working
 * tree or the current branch: the commit is built from HEAD in a temporary index, pushed to its own branch, and
 * `gh pr create` opens the pull request. A branch that already has an open pull request is left alone, so a
 * daily job can run again without opening duplicates.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CliError } from "./errors";
import { git } from "./git";
import { EXIT } from "./io";

export interface FileChange {
  /** Path relative to the repository top, forward slashes. */
  path: string;
  /** New content, or null to delete the file. */
  content: string | null;
}

export interface PullRequestDraft {
  branch: string;
  title: string;
  body: string;
  changes: FileChange[];
}

export type PullRequestOutcome = { status: "opened"; url: string } | { status: "exists"; url: string };

function gh(cwd: string, args: string[], input?: string) {
  const r = spawnSync("gh", args, {
    cwd,
    input,
    encoding: "utf8",
    env: { ...process.env, GH_PROMPT_DISABLED: "1" },
  });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new CliError(
      missing
        ? "the GitHub CLI (gh) is not installed or not on PATH"
        : `gh failed to start: ${r.error.message}`,
      EXIT.unavailable,
      "install gh (https://cli.github.com) and authenticate it (GH_TOKEN in a workflow), or drop the option to only print the pull requests",
    );
  }
  return { status: r.status ?? 1, stdout: (r.stdout ?? "").trim(), stderr: (r.stderr ?? "").trim() };
}

/** True when `gh` runs here (it is not needed to prepare, only to open). */
export function ghAvailable(cwd: string): boolean {
  try {
    return gh(cwd, ["--version"]).status === 0;
  } catch {
    return false;
  }
}

function must(r: { status: number; stderr: string }, what: string): void {
  if (r.status !== 0)
    throw new CliError(`${what} failed: ${r.stderr || `exit ${r.status}`}`, EXIT.unavailable);
}

/** Commits `changes` on top of HEAD as `branch`, pushes it to origin and opens a pull request into `base`. */
export function openPullRequest(top: string, base: string, pr: PullRequestDraft): PullRequestOutcome {
  const existing = gh(top, [
    "pr",
    "list",
    "--head",
    pr.branch,
    "--state",
    "open",
    "--json",
    "url",
    "--jq",
    ".[0].url",
  ]);
  must(existing, "gh pr list");
  if (existing.stdout) return { status: "exists", url: existing.stdout };

  const parent = git(top, ["rev-parse", "HEAD"]);
  must(parent, "git rev-parse HEAD");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pim-pr-"));
  try {
    const env = { GIT_INDEX_FILE: path.join(tmp, "index") };
    must(git(top, ["read-tree", parent.stdout.toString().trim()], { env }), "git read-tree");
    for (const c of pr.changes) {
      if (c.content === null) {
        must(git(top, ["update-index", "--force-remove", "--", c.path], { env }), `removing ${c.path}`);
        continue;
      }
      const blob = git(top, ["hash-object", "-w", "--stdin"], { input: c.content });
      must(blob, `git hash-object ${c.path}`);
      must(
        git(
          top,
          ["update-index", "--add", "--cacheinfo", `100644,${blob.stdout.toString().trim()},${c.path}`],
          { env },
        ),
        `adding ${c.path}`,
      );
    }
    const tree = git(top, ["write-tree"], { env });
    must(tree, "git write-tree");
    const commit = git(
      top,
      ["commit-tree", tree.stdout.toString().trim(), "-p", parent.stdout.toString().trim(), "-F", "-"],
      {
        input: `${pr.title}\n\n${pr.body}\n`,
      },
    );
    must(commit, "git commit-tree (set user.name and user.email)");
    must(
      git(top, ["push", "origin", `${commit.stdout.toString().trim()}:refs/heads/${pr.branch}`]),
      `git push ${pr.branch}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const created = gh(
    top,
    ["pr", "create", "--base", base, "--head", pr.branch, "--title", pr.title, "--body-file", "-"],
    pr.body,
  );
  must(created, "gh pr create");
  return { status: "opened", url: created.stdout.split("\n").pop() ?? "" };
}

/** `origin/main` → `main`: the branch name a pull request targets. */
export const branchName = (ref: string): string =>
  ref.replace(/^(refs\/heads\/|refs\/remotes\/origin\/|origin\/)/, "");
