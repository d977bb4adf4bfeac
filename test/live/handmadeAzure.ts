// What emulator/seeds/handmade.yaml holds in ARM, for the tests that read it: the production subscription, the
// requests one read of it costs, and the verdict of the safe-default rules on its hand-set Owner policy.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";

/** The tests' clock, and the hand-made tenant's seed. */
export const NOW = new Date("2026-11-23T12:00:00Z");
export const HANDMADE = path.join(__dirname, "..", "..", "emulator", "seeds", "handmade.yaml");

/** A fresh emulator of the hand-made tenant and an empty repository root (`stacks/`) named `<prefix>…`. */
export async function openHandmade(prefix: string): Promise<{ emu: RunningEmulator; root: string }> {
  const emu = await startEmulator({ port: 0, now: NOW, seed: HANDMADE });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(root, "stacks"));
  return { emu, root };
}

export async function closeHandmade(emu: RunningEmulator, root: string): Promise<void> {
  await emu.stop();
  fs.rmSync(root, { recursive: true, force: true });
}

export const SUB = "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
export const SCOPE = `/subscriptions/${SUB}`;
export const AUTHZ = `${SCOPE}/providers/Microsoft.Authorization`;
/** One subscription read: three lists, each in pages of two (five catalogue roles: three pages). */
export const ARM_READ = [
  ...Array<string>(3).fill(`GET ${AUTHZ}/roleDefinitions 200`),
  ...Array<string>(3).fill(`GET ${AUTHZ}/roleManagementPolicies 200`),
  ...Array<string>(3).fill(`GET ${AUTHZ}/roleManagementPolicyAssignments 200`),
];
/** The object the rules name for the Owner policy of the subscription. */
export const OWNER_ON_SUB = `Owner on ${SCOPE}`;
/**
 * The rules' verdict on the Owner policy (one-day activations without MFA or approval, permanent active
 * assignments allowed), rule by rule as reports sort them (severity, then rule).
 */
export const OWNER_VERDICT = [
  ["PIM-028", "high", true],
  ["PIM-028", "high", true],
  ["PIM-017", "medium", false],
  ["PIM-018", "medium", false],
  ["PIM-022", "medium", false],
  ["PIM-026", "medium", false],
  ["PIM-030", "medium", false],
];

/** The ARM requests the emulator has logged, as `METHOD path status`, sorted. */
export const armRequests = (emu: RunningEmulator): string[] =>
  emu.log
    .entries()
    .filter((e) => e.path.startsWith("/subscriptions/"))
    .map((e) => `${e.method} ${e.path} ${e.status}`)
    .sort();
