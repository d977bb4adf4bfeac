/**
 * The settings profiles as written in tenant.yaml. The model resolves each role's settings and keeps only the
 * result; a reviewer also needs to know that a change came from a profile's own text ("tier0 dropped approval"),
 * so the snapshot keeps each profile's own fields, flattened to the same dotted paths as the settings fields.
 */
import { profileKey } from "../keys";
import { parseYamlSource } from "../load/yamlSource";
import type { SourceRef } from "../types";
import type { ProfileEntry } from "./types";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** `{ activation: { requireMfa: true } }` → `{ "activation.requireMfa": true }`; arrays stay whole. */
export function flatten(value: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) flatten(v, path, out);
    else out[path] = v;
  }
  return out;
}

/**
 * The `profiles:` block of tenant.yaml on its own, with the line it starts on: a tenant.yaml of a few hundred roles
 * is far larger than its profiles, and only they are needed. Null when the block is not a plain top-level block
 * (flow style, anchors used elsewhere): then the whole file is parsed.
 */
function profilesBlock(text: string): { text: string; firstLine: number } | null {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^profiles\s*:\s*(#.*)?$/.test(l));
  if (start < 0 || /^\s*[&*]|\s[&*][\w-]/.test(text)) return null;
  let end = start + 1;
  while (end < lines.length && (lines[end]!.trim() === "" || /^\s|^#/.test(lines[end]!))) end++;
  return { text: lines.slice(start, end).join("\n"), firstLine: start };
}

export function profilesFromTenantYaml(
  file: string,
  text: string,
): { entries: ProfileEntry[]; provenance: Record<string, SourceRef> } {
  const block = profilesBlock(text);
  const src = parseYamlSource(file, block?.text ?? text);
  const lineOffset = block?.firstLine ?? 0;
  const root = src.value;
  const profiles = isPlainObject(root) && isPlainObject(root["profiles"]) ? root["profiles"] : {};
  const entries: ProfileEntry[] = [];
  const provenance: Record<string, SourceRef> = {};
  for (const [name, body] of Object.entries(profiles)) {
    if (!isPlainObject(body)) continue;
    const { extends: parent, description, ...settings } = body;
    const key = profileKey(name);
    entries.push({
      key,
      name,
      extends: typeof parent === "string" ? parent : null,
      description: typeof description === "string" ? description : null,
      declared: flatten(settings),
    });
    const at = src.locate(["profiles", name], "key");
    provenance[key] = { file, line: at.line + lineOffset, column: at.column };
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { entries, provenance };
}
