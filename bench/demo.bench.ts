// `pim demo` benchmark: prints the wall time of each step, asserts nothing (ARCHITECTURE: benchmarks print,
// never time-assert). Run: npm run bench:demo (or npx tsx bench/demo.bench.ts).
// One run of the whole demo in this process, its output discarded, the machine's load printed beside the figures
// (the 2-core machine is shared; a figure without the load it was measured under means little).
import * as os from "node:os";
import * as path from "node:path";
import { runDemo } from "../scripts/commands/demo/run";
import { DEMO_AT, DEMO_STACK } from "../scripts/commands/demo/tenant";
import { seconds, timingTable } from "../scripts/commands/demo/output";

async function main(): Promise<void> {
  const discard = { write: () => true };
  const load = os.loadavg()[0]!.toFixed(2);
  const outcome = await runDemo({
    root: path.join(__dirname, ".."),
    stack: DEMO_STACK,
    at: DEMO_AT,
    timings: false,
    io: { stdout: discard, stderr: discard },
  });
  console.log(`pim demo · ${os.cpus().length} cores · load average ${load} at the start`);
  console.log(timingTable(outcome.timings, outcome.totalMs));
  console.log(`exit ${outcome.exit}; target: under a minute (${seconds(outcome.totalMs)})`);
}

void main();
