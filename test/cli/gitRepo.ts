/** A throwaway git repository holding a copy of the demo stack, for commands that read git history. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

export interface Repo {
  root: string;
  git(...args: string[]): string;
  /** Edit a file under stacks/demo/: a replacement that must match once, new text, or null to delete. */
  edit(rel: string, change: [string, string] | string | null): void;
  commit(message: string): string;
}

export function demoRepo(): Repo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-git-"));
  temps.push(root);
  fs.cpSync(path.join(ROOT, "stacks/demo"), path.join(root, "stacks/demo"), { recursive: true });
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    GIT_AUTHOR_DATE: "2026-11-01T00:00:00Z",
    GIT_COMMITTER_DATE: "2026-11-01T00:00:00Z",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
  };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, env, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "demo");
  return {
    root,
    git,
    edit(rel, change) {
      const p = path.join(root, "stacks/demo", rel);
      if (change === null) return fs.rmSync(p);
      if (typeof change === "string") return fs.writeFileSync(p, change);
      const text = fs.readFileSync(p, "utf8");
      if (text.split(change[0]).length !== 2) throw new Error(`"${change[0]}" does not occur once in ${rel}`);
      fs.writeFileSync(p, text.replace(change[0], change[1]));
    },
    commit(message) {
      git("add", "-A");
      git("commit", "-qm", message);
      return git("rev-parse", "HEAD");
    },
  };
}
