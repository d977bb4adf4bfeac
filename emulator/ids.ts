// Identifier helpers. Seeded objects get deterministic ids so that a seed file, a test and a
// screenshot in the docs all show the same GUIDs run after run; runtime objects get random ones.
import { createHash, randomUUID } from "node:crypto";

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === "string" && GUID_RE.test(value);
}

/** A name-based GUID (SHA-1, version 5 layout) so the same name always gives the same id. */
export function stableGuid(name: string): string {
  const h = createHash("sha1").update(`pim-emulator:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function newGuid(): string {
  return randomUUID();
}

/**
 * Role assignment ids look like `5wuT_mJe20eRr5jDpJo4sUZl7gMT8cVOup3lc4GwySg` (graph-pim.md §3.5):
 * a base64url string. Instances append `-1` (active) or `-1-e` (eligible). We derive it from
 * principal, role and scope so the same grant keeps the same instance id.
 */
export function roleAssignmentKey(principalId: string, roleDefinitionId: string, scope: string): string {
  return createHash("sha256")
    .update(`${principalId}|${roleDefinitionId}|${scope}`)
    .digest("base64url")
    .slice(0, 43);
}
