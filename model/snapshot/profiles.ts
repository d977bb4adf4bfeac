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

export function profilesFromTenantYaml(
  file: string,
  text: string,
): { entries: ProfileEntry[]; provenance: Record<string, SourceRef> } {
  const src = parseYamlSource(file, text);
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
    provenance[key] = { file, ...src.locate(["profiles", name], "key") };
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { entries, provenance };
}
