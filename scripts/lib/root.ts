/**
 * Where the repository is: `--root` when given, else the nearest folder at or above the working directory that
 * holds `stacks/`, so `pim` works from `stacks/demo/grants` as well as from the root.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export function findRoot(explicit: string | undefined, cwd: string = process.cwd()): string {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  let dir = path.resolve(cwd);
  for (;;) {
    if (isDir(path.join(dir, "stacks"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(cwd);
    dir = up;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
