/** The demo stack's files in memory, with edits: the input every snapshot and diff test starts from. */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStackFiles, type SourceFile, type TenantModel } from "../../model";
import { toSnapshot, type Snapshot } from "../../model/snapshot";

const ROOT = path.resolve(__dirname, "../..");
export const NOW = new Date("2026-11-23T12:00:00Z");
const TENANT = "stacks/demo/tenant.yaml";

export function demoFiles(): SourceFile[] {
  const grants = fs
    .readdirSync(path.join(ROOT, "stacks/demo/grants"))
    .sort()
    .map((f) => `stacks/demo/grants/${f}`);
  return [TENANT, ...grants].map((p) => ({ path: p, text: fs.readFileSync(path.join(ROOT, p), "utf8") }));
}

/** Replace (string → string), write (text) or delete (null) files, by path relative to stacks/demo/. */
export type Edits = Record<string, ((text: string) => string) | string | null>;

export function edited(edits: Edits = {}): SourceFile[] {
  const files = demoFiles();
  for (const [rel, e] of Object.entries(edits)) {
    const p = `stacks/demo/${rel}`;
    const i = files.findIndex((f) => f.path === p);
    if (e === null) files.splice(i, 1);
    else if (typeof e === "string") {
      if (i >= 0) files[i] = { path: p, text: e };
      else files.push({ path: p, text: e });
    } else {
      const before = files[i]!.text;
      const after = e(before);
      if (after === before) throw new Error(`edit of ${rel} changed nothing`);
      files[i] = { path: p, text: after };
    }
  }
  return files;
}

export function model(edits: Edits = {}, now = NOW): TenantModel {
  const r = loadStackFiles("demo", edited(edits), now);
  if (!r.model) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join("\n"));
  return r.model;
}

export function snapshot(edits: Edits = {}, now = NOW): Snapshot {
  const files = edited(edits);
  const r = loadStackFiles("demo", files, now);
  if (!r.model) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join("\n"));
  return toSnapshot(r.model, { tenantYaml: { file: TENANT, text: files[0]!.text } });
}

/** A string replacement that must match exactly once. */
export const replace = (from: string, to: string) => (text: string) => {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`"${from}" occurs ${n} times`);
  return text.replace(from, to);
};
