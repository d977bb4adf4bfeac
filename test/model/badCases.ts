/**
 * The bad-input corpus under test/fixtures/bad: each case is a directory holding a tenant.yaml and/or grants/*.yaml.
 * A case without tenant.yaml is loaded against the demo tenant; a case without grants has none.
 *
 * What git cannot carry (a FIFO, a link out of the repository, a folder where a file belongs, a 1 MiB file) a case
 * describes in `layout.json`: a list of steps applied to the stack folder after the copy, at run time.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadStack, type LoadResult } from "../../model";

export const REPO = path.resolve(__dirname, "../..");
export const BAD = path.join(REPO, "test/fixtures/bad");
export const NOW = new Date("2026-11-23T12:00:00Z");
/** Planted in files outside the stack by `outside` steps: it must never appear in any output. */
export const MARKER = "PIM-MARKER-OUTSIDE-THE-STACK-5f0c";

/** One step of a layout.json; paths are relative to the case's stack folder, `outside` paths to the temp root. */
export type LayoutStep =
  | { op: "outside"; path: string; text: string }
  | { op: "symlink"; path: string; target: string }
  | { op: "fifo"; path: string }
  | { op: "remove"; path: string }
  | { op: "mkdir"; path: string }
  | { op: "write"; path: string; text: string }
  | { op: "filler"; path: string; bytes: number };

export function badCases(): string[] {
  return fs
    .readdirSync(BAD, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function applyLayout(root: string, dir: string, steps: LayoutStep[]): void {
  for (const s of steps) {
    const at = path.join(dir, s.path);
    if (s.op === "outside") {
      const p = path.join(root, s.path.replaceAll("{MARKER}", MARKER));
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, s.text.replaceAll("{MARKER}", MARKER));
    } else if (s.op === "symlink") {
      fs.mkdirSync(path.dirname(at), { recursive: true });
      fs.symlinkSync(s.target, at);
    } else if (s.op === "fifo") {
      const r = spawnSync("mkfifo", [at]);
      if (r.status !== 0) throw new Error(`mkfifo ${s.path} failed: ${r.stderr}`);
    } else if (s.op === "remove") fs.rmSync(at, { recursive: true, force: true });
    else if (s.op === "mkdir") fs.mkdirSync(at, { recursive: true });
    else if (s.op === "write") fs.writeFileSync(at, s.text);
    else fs.writeFileSync(at, `# ${"x".repeat(s.bytes - 3)}\n`);
  }
}

/**
 * Builds `<tmp>/stacks/<case>/` from the fixture (every file and folder of the case, the demo tenant.yaml when the
 * case has none, an empty grants/ when it has none), applies its layout.json, and loads it.
 */
export function loadBadCase(name: string): LoadResult {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-bad-"));
  try {
    const dir = path.join(root, "stacks", name);
    const src = path.join(BAD, name);
    fs.mkdirSync(path.join(dir, "grants"), { recursive: true });
    fs.copyFileSync(path.join(REPO, "stacks/demo/tenant.yaml"), path.join(dir, "tenant.yaml"));
    fs.cpSync(src, dir, { recursive: true, filter: (p) => path.basename(p) !== "layout.json" });
    const layout = path.join(src, "layout.json");
    if (fs.existsSync(layout)) applyLayout(root, dir, JSON.parse(fs.readFileSync(layout, "utf8")));
    return loadStack({ root, stack: name, now: NOW });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
