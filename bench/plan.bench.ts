/**
 * Benchmark: `pim plan` between two versions of the generated 5,000-grant tenant that differ by 50 changes, printed
 * beside `pim check` of the same tenant. Prints figures; asserts nothing about time.
 *
 *   npx tsx bench/plan.bench.ts [--grants 5000] [--runs 5]
 *
 * The base version is a git commit of the generated tenant; the head is the working tree with 50 grant files
 * changed (30 ends moved a day earlier, 10 justifications reworded, 5 files removed, 5 added). Each command runs
 * in its own child process (cold: its first call, as in CI; warm: the median of the next runs), through the
 * command's own entry (argument parsing, git, loading, rules, diff and the markdown report written to a sink).
 * Target: pim plan ≤ 2 s and ≤ 1.5× pim check.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BENCH_NOW, generateLargeTenant } from "./generate";

type Mode = "check" | "plan";

interface ChildResult {
  mode: Mode;
  coldMs: number;
  coldCpuMs: number;
  warmMs: number[];
  warmCpuMs: number[];
  peakRssMb: number;
  check: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function child(mode: Mode, root: string, stack: string, runs: number): Promise<void> {
  // Imports first: module loading is the same for every command and not what is measured.
  const { checkCommand } = require("../scripts/commands/check") as typeof import("../scripts/commands/check");
  const { planCommand } = require("../scripts/commands/plan") as typeof import("../scripts/commands/plan");
  const now = BENCH_NOW.toISOString();
  const once = async (): Promise<string> => {
    let bytes = 0;
    const sink = { write: (t: string) => (bytes += t.length) };
    const io = { stdout: sink, stderr: sink };
    const code =
      mode === "check"
        ? await checkCommand(["--stack", stack, "--root", root, "--now", now], io)
        : await planCommand(
            ["--stack", stack, "--root", root, "--now", now, "--base", "HEAD", "--format", "markdown"],
            io,
          );
    return `exit ${code}, ${bytes} characters of output`;
  };
  const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  let t = process.hrtime.bigint();
  let c = process.cpuUsage();
  const check = await once();
  const coldMs = Number(process.hrtime.bigint() - t) / 1e6;
  const coldCpuMs = cpu(process.cpuUsage(c));
  const warmMs: number[] = [];
  const warmCpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = process.hrtime.bigint();
    c = process.cpuUsage();
    await once();
    warmMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    warmCpuMs.push(cpu(process.cpuUsage(c)));
  }
  const result: ChildResult = {
    mode,
    coldMs,
    coldCpuMs,
    warmMs,
    warmCpuMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    check,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function measure(mode: Mode, root: string, stack: string, runs: number): ChildResult {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, __filename, "--child", mode, root, stack, String(runs)],
    {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`child ${mode} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildResult;
}

/** 50 changes to the working tree, each a different kind of grant change. Returns what was done. */
function change50(root: string, stack: string): string {
  const dir = path.join(root, "stacks", stack, "grants");
  const files = fs.readdirSync(dir).sort();
  const withEnd = files.filter((f) =>
    /^end: \d{4}-\d{2}-\d{2}$/m.test(fs.readFileSync(path.join(dir, f), "utf8")),
  );
  const pick = (from: number, n: number) => withEnd.slice(from, from + n);
  for (const f of pick(0, 30)) {
    const p = path.join(dir, f);
    const text = fs.readFileSync(p, "utf8");
    const end = /^end: (\d{4}-\d{2}-\d{2})$/m.exec(text)![1]!;
    const earlier = new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    fs.writeFileSync(p, text.replace(`end: ${end}`, `end: ${earlier}`));
  }
  for (const f of pick(30, 10)) {
    const p = path.join(dir, f);
    fs.writeFileSync(
      p,
      fs.readFileSync(p, "utf8").replace(/^justification: (.*)$/m, "justification: $1 (reworded)"),
    );
  }
  for (const f of pick(40, 5)) fs.rmSync(path.join(dir, f));
  pick(45, 5).forEach((f, i) => {
    const text = fs
      .readFileSync(path.join(dir, f), "utf8")
      .replace(/^principal: .*$/m, `principal: bench-new${i}@contoso.com`);
    fs.writeFileSync(path.join(dir, `new-${i}-${f}`), text);
  });
  return "30 ends a day earlier, 10 justifications reworded, 5 grant files removed, 5 added";
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
  const runs = arg("runs", 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pim-plan-bench-"));
  try {
    const gen = generateLargeTenant(dir, { grants });
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "b@x",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "b@x",
    };
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "base");
    const what = change50(dir, gen.stack);
    const check = measure("check", dir, gen.stack, runs);
    const plan = measure("plan", dir, gen.stack, runs);
    const f = (n: number) => n.toFixed(0).padStart(9);
    const row = (name: string, x: ChildResult) =>
      `${name.padEnd(16)}${f(x.coldMs)}${f(x.coldCpuMs)}${f(median(x.warmMs))}${f(median(x.warmCpuMs))}${x.peakRssMb.toFixed(1).padStart(9)}`;
    const ratio = (a: number, b: number) => (a / b).toFixed(2).padStart(9);
    const verdict = (p: number, c: number) => (p <= 2000 && p <= 1.5 * c ? "met" : "NOT met");
    console.log(
      [
        `pim plan benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, load average ${os.loadavg()[0]!.toFixed(2)}`,
        `tenant: ${gen.counts.grants} grant files, ${gen.counts.roleSettings} role settings; head = base + ${what}`,
        ``,
        `                     cold     cold     warm     warm     peak`,
        `                  wall ms   cpu ms  wall ms   cpu ms   RSS MB`,
        row("pim check", check),
        row("pim plan", plan),
        `${"plan / check".padEnd(16)}${ratio(plan.coldMs, check.coldMs)}${ratio(plan.coldCpuMs, check.coldCpuMs)}${ratio(median(plan.warmMs), median(check.warmMs))}${ratio(median(plan.warmCpuMs), median(check.warmCpuMs))}`,
        ``,
        `check: ${check.check}`,
        `plan:  ${plan.check}`,
        `target (pim plan ≤ 2000 ms and ≤ 1.5× pim check): cold wall ${verdict(plan.coldMs, check.coldMs)}, warm wall ${verdict(median(plan.warmMs), median(check.warmMs))}`,
      ].join("\n"),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
