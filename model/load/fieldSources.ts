/**
 * Where an effective settings value was declared: in the role's own entry, or in the profile (or the profile it
 * extends) the entry inherits it from. A finding about the activation window then points at the line that sets
 * the window, which may be a profile shared by several roles, instead of at the role's entry.
 */
import type { TenantFile } from "../schema/tenant";
import type { SettingsFieldPath, SourceRef } from "../types";
import type { Locator } from "./diagnostics";

const FIELDS: readonly SettingsFieldPath[] = [
  "activation.maximumDuration",
  "activation.requireMfa",
  "activation.authenticationContext",
  "activation.requireJustification",
  "activation.requireTicket",
  "activation.approval",
  "eligibleAssignment",
  "activeAssignment",
  "notifications.eligibleAssignment.admin",
  "notifications.activeAssignment.admin",
  "notifications.activation.admin",
];

function declares(layer: unknown, segs: readonly string[]): boolean {
  let node: unknown = layer;
  for (const s of segs) {
    if (!node || typeof node !== "object" || !Object.hasOwn(node, s)) return false;
    node = (node as Record<string, unknown>)[s];
  }
  return node !== undefined;
}

export function settingsFieldSources(
  file: Pick<TenantFile, "profiles">,
  src: Locator,
  entryPath: readonly PropertyKey[],
  entry: { profile?: string },
): Partial<Record<SettingsFieldPath, SourceRef>> {
  const profiles = file.profiles ?? {};
  const out: Partial<Record<SettingsFieldPath, SourceRef>> = {};
  for (const field of FIELDS) {
    const segs = field.split(".");
    if (declares(entry, segs)) {
      out[field] = { file: src.file, ...src.locate([...entryPath, ...segs]) };
      continue;
    }
    // Leaf to root, as the profile chain overrides: the nearest profile that declares it set the value.
    const seen = new Set<string>();
    for (let name = entry.profile; name !== undefined && !seen.has(name);) {
      seen.add(name);
      const p = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
      if (!p) break;
      if (declares(p, segs)) {
        out[field] = { file: src.file, ...src.locate(["profiles", name, ...segs]) };
        break;
      }
      name = p.extends;
    }
  }
  return out;
}
