/**
 * `pim demo`, step by step: start the offline tenant, run the live reports against it, apply the stack through the
 * project's providers in the engine's order, show what is left, and sum up. Findings are the point: a step that
 * reports them (exit 1) is a step that ran; only a step that could not run makes the demo fail.
 */
import { EXIT, type Io } from "../../lib/io";
import { count } from "../../lib/text";
import { escapeControlChars } from "../../../model/untrustedText";
import { applyStack, describeSteps, type ApplyResult } from "./apply";
import { DemoPrinter, indentOutput, seconds, timingTable, type Timing } from "./output";
import { driftStep, reportSteps, type ReportStep } from "./steps";
import { DEMO_STACK, startDemoTenant, type DemoTenant } from "./tenant";

export interface DemoOptions {
  root: string;
  stack: string;
  at: Date;
  timings: boolean;
  io: Io;
}

export interface DemoOutcome {
  exit: number;
  timings: Timing[];
  totalMs: number;
}

/** A progress line every 10 s while a long step runs, so a first-time user sees it is working. */
function ticker(p: DemoPrinter, what: string): () => void {
  const started = Date.now();
  const t = setInterval(() => p.progress(`${what} (${seconds(Date.now() - started)})`), 10_000);
  return () => clearInterval(t);
}

export async function runDemo(o: DemoOptions): Promise<DemoOutcome> {
  const started = Date.now();
  const timings: Timing[] = [];
  const timed = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      timings.push({ step, ms: Date.now() - t });
    }
  };
  const before = reportSteps(o.root, o.stack, o.at);
  const after = driftStep(
    "Drift after the apply: what the stack does not manage is still there",
    o.root,
    o.stack,
    o.at,
    { afterApply: true },
  );
  const p = new DemoPrinter(o.io, before.length + 4);
  const found: string[] = [];
  let exit: number = EXIT.ok;
  const fail = (code: number) => {
    if (exit === EXIT.ok) exit = code;
  };

  p.line(
    p.c.bold(`pim demo · stack ${o.stack} · as of ${o.at.toISOString().slice(0, 16).replace("T", " ")} UTC`),
  );
  p.line(
    "No tenant and no Pulumi CLI: the tenant is the project's Graph emulator (a test double of Microsoft Graph)," +
      "\nthe apply is Pulumi's own program runner and provider host driven by the engine test double (engineDouble).",
  );

  p.heading("The tenant: the Graph emulator, seeded");
  const tenant: DemoTenant = await timed("start the emulator", () => startDemoTenant(o.root, o.stack, o.at));
  try {
    p.line(
      `  emulator at ${tenant.emu.baseUrl}, seeded from ${tenant.seed}, its clock frozen at the demo's instant`,
    );
    p.line(
      o.stack === DEMO_STACK
        ? "  the Contoso tenant as configured by hand, the wrong way (the seed file lists what was planted)"
        : `  holding what stacks/${o.stack} names (users, groups, break-glass accounts), nothing it would create`,
    );

    for (const s of before) {
      const r = await timed(`pim ${s.name}`, () => reportStep(p, s));
      if (r.exit > EXIT.invalid) fail(r.exit);
      if (r.summary) found.push(`${s.name}: ${r.summary}`);
    }

    p.heading(`Apply stacks/${o.stack} through the project's providers (engine test double, emulator only)`);
    p.line(
      "  Pulumi's own processes: the program (@pulumi/pulumi/cmd/run, ts-node type-checks it as for `pulumi up`)",
    );
    p.line(
      "  and the dynamic-provider host (cmd/dynamic-provider). Test doubles: the engine's step order and state",
    );
    p.line(
      "  (engineDouble) and the tenant (the emulator). A real `pulumi up` needs a tenant and the Pulumi CLI.",
    );
    p.progress("running the program and the providers (about 20-40 s: the program is type-checked once)");
    const stop = ticker(p, "still applying");
    const t = Date.now();
    const applied = await timed("apply (engineDouble up)", () =>
      applyStack(o.root, o.stack, tenant.emu, o.at),
    ).finally(stop);
    const fixed = printApply(p, applied, tenant);
    p.done(Date.now() - t, applied.run.errors.length ? "failed" : "applied");
    if (applied.run.errors.length || applied.run.program?.exitCode !== 0) fail(EXIT.invalid);

    const left = await timed("pim drift (after)", () => reportStep(p, after));
    if (left.exit > EXIT.invalid) fail(left.exit);

    p.heading("Closing summary");
    for (const f of found) p.line(`  found   ${escapeControlChars(f)}`);
    p.line(`  applied ${fixed}`);
    if (left.summary)
      p.line(
        `  left    drift: ${escapeControlChars(left.summary)} — access made outside the stack, for a person ` +
          "to remove (a stack removes only what it manages), and what azuread / azure-native would have changed",
      );
  } finally {
    await tenant.stop();
  }
  const totalMs = Date.now() - started;
  if (o.timings) {
    p.line();
    p.line("  wall time per step:");
    p.line(timingTable(timings, totalMs));
  }
  p.line();
  p.line(
    exit === EXIT.ok
      ? `pim demo ran in ${seconds(totalMs)}.`
      : `pim demo stopped with exit ${exit} after ${seconds(totalMs)}: a step could not run (see above).`,
  );
  return { exit, timings, totalMs };
}

async function reportStep(p: DemoPrinter, s: ReportStep) {
  p.heading(s.title, s.commandLine);
  const t = Date.now();
  const r = await s.run(p.io);
  p.io.stdout.write(indentOutput(r.text, s.commandLine));
  p.done(
    Date.now() - t,
    r.exit === EXIT.ok
      ? "exit 0"
      : r.exit === EXIT.invalid
        ? `exit 1: ${s.exitOne ?? "findings"}`
        : `exit ${r.exit}: failed`,
  );
  return r;
}

/** Prints what the apply did; returns its one-line summary. */
function printApply(p: DemoPrinter, a: ApplyResult, tenant: DemoTenant): string {
  const { run } = a;
  const warnings = run.monitor.logs.filter(
    (l) => l.severity === "warning" && !l.message.includes("PIM_NOW="),
  );
  if (warnings.length) {
    p.line("  the program warned:");
    for (const w of warnings) p.line(`    warning: ${escapeControlChars(w.message)}`);
  }
  if (run.errors.length) {
    p.line(p.c.red("  the apply failed; nothing further was applied:"));
    for (const e of run.errors) p.line(`    ${escapeControlChars(e)}`);
    return "nothing: the apply failed";
  }
  const steps = describeSteps(run, tenant.emu);
  const applied = steps.filter((s) => !s.step.recordedOnly);
  const recorded = steps.filter((s) => s.step.recordedOnly);
  const width = Math.max(...applied.map((s) => s.kind.length));
  p.line("  through the project's providers, written to the emulator:");
  for (const s of applied) p.line(`    ${s.step.op.padEnd(7)} ${s.kind.padEnd(width)}  ${s.subject}`);
  const writes = Object.entries(a.writes).map(([route, n]) => `${n} × ${route}`);
  p.line(`  Graph writes: ${writes.length ? writes.join(", ") : "none"}`);
  p.line(
    "  what azuread / azure-native would do (recorded by the engine double, not applied: they need a tenant):",
  );
  for (const s of recorded) p.line(`    ${s.step.op.padEnd(7)} ${s.kind} ${s.subject}`);
  p.line(p.c.dim(`  state: ${count(run.state.resources.length, "resource")} in ${a.statePath}`));
  const n = (...kinds: string[]) =>
    applied.filter((s) => kinds.includes(s.kind) && s.step.op !== "same").length;
  const total = Object.values(a.writes).reduce((x, y) => x + y, 0);
  return (
    `${count(n("role settings", "PIM-group policy"), "role setting")} and ` +
    `${count(n("grant", "PIM-group grant"), "grant")} under management through the providers ` +
    `(${count(total, "Graph write")}; the rest adopted as they were); ` +
    `${count(recorded.length, "azuread/azure-native resource")} listed, not applied`
  );
}
