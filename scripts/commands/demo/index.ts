/**
 * `pim demo [--stack <name>]` (`npm run demo`): the main job without a tenant. Starts the Graph emulator seeded
 * with a tenant configured by hand the wrong way, runs the live reports against it, applies the stack through the
 * project's providers in the engine's order (engine test double, emulator only) and shows what is left.
 */
import { COMMON, instantOption, parse } from "../../lib/args";
import { EXIT, type Io } from "../../lib/io";
import { findRoot } from "../../lib/root";
import type { Command } from "../types";
import { runDemo } from "./run";
import { DEMO_AT, DEMO_STACK } from "./tenant";

export const DEMO_HELP = `Usage: pim demo [--stack <name>] [--at <instant>] [--timings]

The main job without a tenant, in under a minute. Starts the project's Graph emulator (the offline tenant) on a
free loopback port, then, with a heading and progress line for each step:
  - the live reports against it: pim report, pim drift, pim expiry, pim audit;
  - the apply: the stack's program and the project's providers run as \`pulumi up\` runs them (Pulumi's own
    cmd/run and cmd/dynamic-provider, driven by the engine test double), writing to the emulator only; what
    azuread and azure-native would create is listed, not faked;
  - the drift afterwards: what the stack does not manage (standing access made in the portal) is still there;
  - a closing summary of what was found and fixed.
Nothing reaches a real tenant. A real \`pulumi up\` needs a tenant and the Pulumi CLI (README, "Deploy to a tenant").

Options:
  --stack <name>    the stack to demonstrate (default demo: the emulator is seeded with emulator/seeds/handmade.yaml,
                    the Contoso tenant configured by hand). Any other stack: the emulator is seeded with what
                    stacks/<name>/tenant.yaml names (users, groups, break-glass accounts), nothing it would create.
  --at <instant>    run as of this UTC instant (default for demo: ${DEMO_AT.toISOString()}, so it shows the same
                    findings every day; for another stack: now)
  --timings         print the wall time of every step at the end
  --root <dir>      repository root holding stacks/ (default: found from the current folder)
  -h, --help        show this help

Exit codes: 0 the demo ran (findings are its point, not a failure); 1 the stack's declarations do not load or the
apply failed; 2 usage error or no such stack; 3 a step could not reach the emulator.
`;

export async function demoCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    stack: { type: "string" },
    at: { type: "string" },
    timings: { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return EXIT.ok;
  }
  const stack = values.stack ?? DEMO_STACK;
  const at = instantOption("at", values.at, stack === DEMO_STACK ? DEMO_AT : new Date());
  const outcome = await runDemo({ root: findRoot(values.root), stack, at, timings: !!values.timings, io });
  return outcome.exit;
}

export const demo: Command = {
  name: "demo",
  summary: "the main job without a tenant: the emulator, the live reports, an apply through the providers",
  help: DEMO_HELP,
  run: demoCommand,
};
