/**
 * Benchmark: how long `pim check`'s loader and rules take on the attacks of issue 10 (a pull request that plants
 * links, a FIFO, a huge file or a crafted contractor wildcard). Prints figures; asserts nothing about time
 * (test/model/untrusted.test.ts asserts the outcomes).
 *
 *   npx tsx bench/untrusted.bench.ts
 *
 * The last table shows why the contractor matcher is not a regular expression: the same crafted pattern through
 * `^c-.*a.*a…b@contoso\.com$`, for a few stars only (each more multiplies the time).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadStack } from "../model";
import { evaluateSafeDefaults } from "../policies/rules";
import { contractorMatcher } from "../policies/rules/fromModel";

const REPO = path.resolve(__dirname, "..");
const NOW = new Date("2026-11-23T12:00:00Z");

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** A temp repository with the demo stack, changed by `plant`. */
function withDemo(plant: (stack: string, root: string) => void): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-bench-untrusted-"));
  const stack = path.join(root, "stacks", "demo");
  fs.cpSync(path.join(REPO, "stacks/demo"), stack, { recursive: true });
  plant(stack, root);
  return root;
}

const crafted = `c-${"*a".repeat(24)}*b@contoso.com`;
const victim = `c-${"a".repeat(60)}@contoso.com`;

const cases: Array<[string, (stack: string, root: string) => void]> = [
  ["demo, unchanged", () => {}],
  [
    "link to ../../../.git/config",
    (s, root) => {
      fs.mkdirSync(path.join(root, ".git"));
      fs.writeFileSync(path.join(root, ".git/config"), "[core]\n");
      fs.symlinkSync("../../../.git/config", path.join(s, "grants/x.yaml"));
    },
  ],
  [
    "link to /proc/self/environ",
    (s) => fs.symlinkSync("/proc/self/environ", path.join(s, "grants/env.yaml")),
  ],
  ["link to /dev/zero", (s) => fs.symlinkSync("/dev/zero", path.join(s, "grants/zero.yaml"))],
  ["FIFO as a grant", (s) => spawnSync("mkfifo", [path.join(s, "grants/pipe.yaml")])],
  [
    "2 MiB grant file",
    (s) => fs.writeFileSync(path.join(s, "grants/big.yaml"), `# ${"x".repeat(2 * 1024 * 1024)}\n`),
  ],
  [
    "crafted contractor wildcard (24 stars)",
    (s) => {
      const tenant = path.join(s, "tenant.yaml");
      fs.writeFileSync(
        tenant,
        fs
          .readFileSync(tenant, "utf8")
          .replace('  - "c-*@contoso.com"\n', `  - "c-*@contoso.com"\n  - "${crafted}"\n`),
      );
      fs.writeFileSync(
        path.join(s, "grants/victim.yaml"),
        `principal: ${victim}\nrole: Security Reader\nkind: eligible\nend: 2027-01-31\njustification: bench\n`,
      );
    },
  ],
];

console.log("case                                     load+rules   diagnostics");
for (const [name, plant] of cases) {
  const root = withDemo(plant);
  try {
    const { ms, value } = time(() => {
      const r = loadStack({ root, stack: "demo", now: NOW });
      const findings = r.model ? evaluateSafeDefaults(r.model, { now: NOW }) : [];
      return { codes: r.diagnostics.map((d) => d.code), findings: findings.length };
    });
    console.log(`${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms   ${value.codes.join(", ") || "none"}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

console.log(
  "\nthe crafted pattern on a 60-character UPN       glob matcher   regular expression (as before)",
);
for (const stars of [2, 3, 4, 5, 24]) {
  const pattern = `c-${"*a".repeat(stars - 1)}*b@contoso.com`;
  const glob = time(() => contractorMatcher([pattern])(victim)).ms;
  const escaped = pattern
    .split("*")
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const regex =
    stars <= 5 ? `${time(() => new RegExp(`^${escaped}$`, "i").test(victim)).ms.toFixed(1)} ms` : "not run";
  console.log(`${`${stars} stars`.padEnd(48)} ${glob.toFixed(3).padStart(9)} ms   ${regex}`);
}
