/**
 * Benchmark: the loader (`loadStack`, what `pim check` runs first) on a large generated tenant, next to the bare
 * YAML parse of the same files. Prints figures; asserts nothing about time.
 *
 *   npx tsx bench/check.bench.ts [--grants 5000] [--groups 200] [--runs 5]
 *
 * Each measurement runs in its own child process so its peak memory (maxRSS) is its own: a cold run (first call,
 * as `pim check` in CI) and then warm runs in the same process (median). Target: load ≤ 2 s and ≤ 3× the parse.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BENCH_NOW, generateLargeTenant } from "./generate";

type Mode = "parse" | "load" | "check";

interface ChildResult {
  mode: Mode;
  coldMs: number;
  warmMs: number[];
  /** CPU time (user + system) of the same runs: less sensitive than wall time to a busy machine. */
  coldCpuMs: number;
  warmCpuMs: number[];
  /** RSS after imports, before the first run (MB). */
  baselineRssMb: number;
  /** Peak RSS of the whole child (MB). */
  peakRssMb: number;
  /** Peak heap used seen after a run (MB). */
  heapUsedMb: number;
  check: string;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** Runs inside the child: one mode, cold then warm. */
async function child(mode: Mode, root: string, stack: string, runs: number): Promise<void> {
  // Imports first, so module loading is not counted as loader time (it is the same for every command).
  const yaml = require("yaml") as typeof import("yaml");
  const { loadStack } = require("../model") as typeof import("../model");
  const { checkCommand } = require("../scripts/commands/check") as typeof import("../scripts/commands/check");
  const baselineRssMb = mb(process.memoryUsage().rss);
  const once = async (): Promise<string> => {
    if (mode === "check") {
      // The whole command: load, safe-default rules, and the text summary (written to a sink).
      let bytes = 0;
      const sink = { write: (t: string) => (bytes += t.length) };
      const code = await checkCommand(["--stack", stack, "--root", root, "--now", BENCH_NOW.toISOString()], {
        stdout: sink,
        stderr: sink,
      });
      return `exit ${code}, ${bytes} characters of output`;
    }
    if (mode === "parse") {
      const dir = path.join(root, "stacks", stack);
      const files = [
        path.join(dir, "tenant.yaml"),
        ...fs
          .readdirSync(path.join(dir, "grants"))
          .sort()
          .map((f) => path.join(dir, "grants", f)),
      ];
      let keys = 0;
      for (const f of files) keys += Object.keys(yaml.parse(fs.readFileSync(f, "utf8")) ?? {}).length;
      return `${files.length} files, ${keys} top-level keys`;
    }
    const r = loadStack({ root, stack, now: BENCH_NOW });
    const errors = r.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = r.diagnostics.length - errors;
    return `${r.model?.grants.length ?? 0} grants, ${r.model?.roleSettings.length ?? 0} role settings, ${errors} errors, ${warnings} warnings`;
  };
  let heap = 0;
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  let t = process.hrtime.bigint();
  let c = process.cpuUsage();
  const check = await once();
  const coldMs = Number(process.hrtime.bigint() - t) / 1e6;
  const coldCpuMs = cpuMs(process.cpuUsage(c));
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  const warmMs: number[] = [];
  const warmCpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = process.hrtime.bigint();
    c = process.cpuUsage();
    await once();
    warmMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    warmCpuMs.push(cpuMs(process.cpuUsage(c)));
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }
  const result: ChildResult = {
    mode,
    coldMs,
    warmMs,
    coldCpuMs,
    warmCpuMs,
    baselineRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: mb(heap),
    check,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function measure(mode: Mode, root: string, stack: string, runs: number): ChildResult {
  // Same runtime flags as this process (tsx's loader when run through `npx tsx`).
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, __filename, "--child", mode, root, stack, String(runs)],
    {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`child ${mode} failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop()!;
  return JSON.parse(line) as ChildResult;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function main(): void {
  if (process.argv[2] === "--child") {
    const [, , , mode, root, stack, runs] = process.argv;
    void child(mode as Mode, root!, stack!, Number(runs));
    return;
  }
  const grants = arg("grants", 5000);
  const groups = arg("groups", 200);
  const runs = arg("runs", 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pim-bench-"));
  try {
    const t0 = Date.now();
    const gen = generateLargeTenant(dir, { grants, groups });
    const genMs = Date.now() - t0;
    const parse = measure("parse", dir, gen.stack, runs);
    const load = measure("load", dir, gen.stack, runs);
    const check = measure("check", dir, gen.stack, runs);
    const f = (n: number) => n.toFixed(0).padStart(8);
    const f1 = (n: number) => n.toFixed(1).padStart(8);
    const r = (a: number, b: number) => (a / b).toFixed(2).padStart(8);
    const row = (name: string, x: ChildResult) =>
      `${name.padEnd(18)}${f(x.coldMs)}${f(x.coldCpuMs)}${f(median(x.warmMs))}${f(median(x.warmCpuMs))}` +
      `${f1(x.peakRssMb)}${f1(x.baselineRssMb)}${f1(x.heapUsedMb)}`;
    const verdict = (l: number, p: number) => (l <= 2000 && l <= 3 * p ? "met" : "NOT met");
    const out = [
      `pim check benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, ` +
        `load average ${os.loadavg()[0]!.toFixed(2)}`,
      `tenant: ${gen.files.length} files, ${(gen.bytes / 1024 / 1024).toFixed(2)} MB; ${gen.counts.roleSettings} role settings ` +
        `(${gen.counts.roleSettings - groups * 2 - 20} directory roles, ${groups} PIM groups × member/owner, 20 Azure), ` +
        `${gen.counts.grants} grant files (${gen.counts.expiredGrants} expired); generated in ${genMs} ms`,
      ``,
      `                  ${"cold".padStart(8)}${"cold".padStart(8)}${"warm".padStart(8)}${"warm".padStart(8)}${"peak".padStart(8)}${"RSS".padStart(8)}${"heap".padStart(8)}`,
      `                  ${"wall ms".padStart(8)}${"cpu ms".padStart(8)}${"wall ms".padStart(8)}${"cpu ms".padStart(8)}${"RSS MB".padStart(8)}${"start".padStart(8)}${"MB".padStart(8)}`,
      row("bare yaml.parse", parse),
      row("loadStack", load),
      row("pim check", check),
      `${"ratio load/parse".padEnd(18)}${r(load.coldMs, parse.coldMs)}${r(load.coldCpuMs, parse.coldCpuMs)}` +
        `${r(median(load.warmMs), median(parse.warmMs))}${r(median(load.warmCpuMs), median(parse.warmCpuMs))}` +
        `${r(load.peakRssMb, parse.peakRssMb)}`,
      `${"ratio check/parse".padEnd(18)}${r(check.coldMs, parse.coldMs)}${r(check.coldCpuMs, parse.coldCpuMs)}` +
        `${r(median(check.warmMs), median(parse.warmMs))}${r(median(check.warmCpuMs), median(parse.warmCpuMs))}` +
        `${r(check.peakRssMb, parse.peakRssMb)}`,
      ``,
      `parse: ${parse.check}`,
      `load:  ${load.check}`,
      `check: ${check.check}`,
      `target for pim check (≤ 2000 ms and ≤ 3× parse): cold wall ${verdict(check.coldMs, parse.coldMs)}, ` +
        `warm wall ${verdict(median(check.warmMs), median(parse.warmMs))}`,
      `target for the loader alone: cold wall ${verdict(load.coldMs, parse.coldMs)}, ` +
        `cold cpu ${verdict(load.coldCpuMs, parse.coldCpuMs)}, warm wall ${verdict(median(load.warmMs), median(parse.warmMs))}, ` +
        `warm cpu ${verdict(median(load.warmCpuMs), median(parse.warmCpuMs))}`,
    ];
    console.log(out.join("\n"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
