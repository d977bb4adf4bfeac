/**
 * The demo's tenant: the emulator, in this process on a free loopback port, frozen at the demo's instant, seeded
 * with the hand-made Contoso tenant (`emulator/seeds/handmade.yaml`) for the demo stack, or with what a team's
 * stack names (`stacks/<name>/tenant.yaml`, read by the emulator's stack seed) for any other stack.
 *
 * The commands the demo runs reach it as a user's shell would make them: `PIM_GRAPH_BASE_URL` (which wins over the
 * stack's `pim:graphBaseUrl`) and an app registration's client credentials, set for the demo's duration and
 * restored after. Reads use the read-only app `pim-reader`; only the apply uses the deployer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../../emulator/index";
import { CliError } from "../../lib/errors";
import { EXIT } from "../../lib/io";

export const DEMO_STACK = "demo";

/**
 * The demo stack's instant. Pinned so the demo finds the same things every day: stacks/demo's contractor grant
 * ended on 2026-12-31 and is still declared, its other grants run to 2027-04-30, the audit window is 30 days.
 */
export const DEMO_AT = new Date("2027-01-04T09:00:00.000Z");

/** The app registrations every seed holds (emulator/seeds/*.yaml; the stack seed copies them). */
export const READER_APP = "pim-reader";
export const DEPLOYER_APP = "pim-as-code-deployer";

export interface DemoTenant {
  emu: RunningEmulator;
  /** The seed file, relative to the root, for the output. */
  seed: string;
  /** Undo what `useGraph` set, then stop the emulator. */
  stop(): Promise<void>;
}

export function seedPathFor(root: string, stack: string): string {
  return stack === DEMO_STACK
    ? path.join(root, "emulator", "seeds", "handmade.yaml")
    : path.join(root, "stacks", stack, "tenant.yaml");
}

export async function startDemoTenant(root: string, stack: string, at: Date): Promise<DemoTenant> {
  const seed = seedPathFor(root, stack);
  const rel = path.relative(root, seed).split(path.sep).join("/");
  if (!fs.existsSync(seed))
    throw new CliError(
      `${rel} does not exist`,
      EXIT.usage,
      `pass the name of a folder under stacks/ that holds tenant.yaml (pim init --stack ${stack} writes one)`,
    );
  let emu: RunningEmulator;
  try {
    emu = await startEmulator({ port: 0, seed, now: at });
  } catch (e) {
    // A seed the emulator refuses (a stack it cannot read names from) is the user's to fix: say which file.
    throw new CliError(
      `the emulator cannot start from ${rel}: ${(e as Error).message}`,
      EXIT.invalid,
      `run pim check --stack ${stack}`,
    );
  }
  const restore = useGraph(emu, READER_APP);
  return {
    emu,
    seed: rel,
    stop: async () => {
      restore();
      await emu.stop();
    },
  };
}

const GRAPH_ENV = [
  "PIM_GRAPH_BASE_URL",
  "PIM_ARM_BASE_URL",
  "PIM_GRAPH_TENANT_ID",
  "PIM_GRAPH_CLIENT_ID",
  "PIM_GRAPH_CLIENT_SECRET",
];

/** Points this process's Graph and ARM layers at the emulator as `app`; returns how to put the environment back. */
function useGraph(emu: RunningEmulator, app: string): () => void {
  const saved = new Map(GRAPH_ENV.map((k) => [k, process.env[k]]));
  const cc = emu.clientCredentials(app);
  Object.assign(process.env, {
    PIM_GRAPH_BASE_URL: emu.baseUrl,
    // The emulator serves ARM beside Graph: the Azure role settings are read there too.
    PIM_ARM_BASE_URL: emu.baseUrl,
    PIM_GRAPH_TENANT_ID: cc.tenantId,
    PIM_GRAPH_CLIENT_ID: cc.clientId,
    PIM_GRAPH_CLIENT_SECRET: cc.clientSecret,
  });
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
