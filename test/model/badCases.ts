/**
 * The bad-input corpus under test/fixtures/bad: each case is a directory holding a tenant.yaml and/or grants/*.yaml.
 * A case without tenant.yaml is loaded against the demo tenant; a case without grants has none.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadStack, type LoadResult } from "../../model";

export const REPO = path.resolve(__dirname, "../..");
export const BAD = path.join(REPO, "test/fixtures/bad");
export const NOW = new Date("2026-11-23T12:00:00Z");

export function badCases(): string[] {
  return fs
    .readdirSync(BAD, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Builds `<tmp>/stacks/<case>/` from the fixture (demo tenant.yaml when the case has none) and loads it. */
export function loadBadCase(name: string): LoadResult {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-bad-"));
  try {
    const dir = path.join(root, "stacks", name);
    fs.mkdirSync(path.join(dir, "grants"), { recursive: true });
    const src = path.join(BAD, name);
    const tenant = fs.existsSync(path.join(src, "tenant.yaml"))
      ? path.join(src, "tenant.yaml")
      : path.join(REPO, "stacks/demo/tenant.yaml");
    fs.copyFileSync(tenant, path.join(dir, "tenant.yaml"));
    const grants = path.join(src, "grants");
    if (fs.existsSync(grants)) {
      for (const f of fs.readdirSync(grants))
        fs.copyFileSync(path.join(grants, f), path.join(dir, "grants", f));
    }
    return loadStack({ root, stack: name, now: NOW });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
