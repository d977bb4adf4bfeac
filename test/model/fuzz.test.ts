/**
 * Mutated demo texts never make the loader throw: every mutation comes back as a LoadResult whose diagnostics point
 * inside the files. Deterministic (seeded), bounded, and checked to actually break things often enough to matter.
 * The last suite mutates the files on disk instead: file types, links in and out of the stack, folders.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatDiagnostic,
  loadStack,
  loadStackFiles,
  StackNotFoundError,
  type LoadResult,
  type SourceFile,
} from "../../model";
import { MARKER, NOW, REPO } from "./badCases";

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = [
  "42",
  "true",
  "null",
  "~",
  "[a, b]",
  "{ x: 1 }",
  '""',
  "''",
  "-1",
  "P6M",
  "2026-02-30",
  "&a x",
  "*a",
  "|",
];

type Mutation = (lines: string[], pick: (n: number) => number) => string[];

const MUTATIONS: Record<string, Mutation> = {
  deleteLine: (lines, pick) => lines.filter((_, i) => i !== pick(lines.length)),
  duplicateLine: (lines, pick) => {
    const i = pick(lines.length);
    return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
  },
  changeValueType: (lines, pick) => {
    const withValue = lines.map((l, i) => (/:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!withValue.length) return lines;
    const i = withValue[pick(withValue.length)]!;
    const out = [...lines];
    out[i] = lines[i]!.replace(/(:\s+).*$/, `$1${VALUES[pick(VALUES.length)]}`);
    return out;
  },
  indent: (lines, pick) => {
    const i = pick(lines.length);
    const out = [...lines];
    out[i] = `${pick(2) ? "  " : "\t"}${lines[i]}`;
    return out;
  },
  dedent: (lines, pick) => {
    const i = pick(lines.length);
    const out = [...lines];
    out[i] = lines[i]!.replace(/^ {1,2}/, "");
    return out;
  },
  truncate: (lines, pick) => {
    const text = lines.join("\n");
    return text.slice(0, pick(text.length + 1)).split("\n");
  },
  swapLines: (lines, pick) => {
    const i = pick(lines.length);
    const j = pick(lines.length);
    const out = [...lines];
    out[i] = lines[j]!;
    out[j] = lines[i]!;
    return out;
  },
  renameKey: (lines, pick) => {
    const withKey = lines.map((l, i) => (/^\s*-?\s*[A-Za-z$]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!withKey.length) return lines;
    const i = withKey[pick(withKey.length)]!;
    const out = [...lines];
    out[i] = lines[i]!.replace(/([A-Za-z$])([A-Za-z$]*):/, (_m, a: string, rest: string) => `${rest}${a}:`);
    return out;
  },
};

function demoFiles(): SourceFile[] {
  const dir = path.join(REPO, "stacks/demo");
  const grants = fs
    .readdirSync(path.join(dir, "grants"))
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  return [
    { path: "stacks/demo/tenant.yaml", text: fs.readFileSync(path.join(dir, "tenant.yaml"), "utf8") },
    ...grants.map((g) => ({
      path: `stacks/demo/grants/${g}`,
      text: fs.readFileSync(path.join(dir, "grants", g), "utf8"),
    })),
  ];
}

function checkResult(result: LoadResult, files: SourceFile[]): void {
  expect(Array.isArray(result.diagnostics)).toBe(true);
  const errors = result.diagnostics.filter((x) => x.severity === "error");
  expect(result.model === null).toBe(errors.length > 0);
  for (const diag of result.diagnostics) {
    const file = files.find((f) => f.path === diag.file);
    expect(file, `${diag.file} is one of the inputs`).toBeDefined();
    const lineCount = file!.text.split("\n").length;
    expect(diag.line).toBeGreaterThanOrEqual(1);
    expect(diag.line).toBeLessThanOrEqual(lineCount);
    expect(diag.column).toBeGreaterThanOrEqual(1);
    expect(diag.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(diag.message.length).toBeGreaterThan(0);
    expect(diag.message).not.toMatch(/\n\s+at /);
    expect(diag.field.length).toBeGreaterThan(0);
  }
}

describe("mutated demo declarations never make the loader throw", () => {
  const files = demoFiles();
  const ROUNDS = 400;

  it(`survives ${ROUNDS} seeded mutations of tenant.yaml and the grant files`, () => {
    const random = rng(20261123);
    const pick = (n: number) => Math.floor(random() * n);
    const names = Object.keys(MUTATIONS);
    let broken = 0;
    const codes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const target = pick(files.length);
      const mutated = files.map((f, i) => {
        if (i !== target) return f;
        let lines = f.text.split("\n");
        // One to three mutations stacked on the same file.
        for (let k = 1 + pick(3); k > 0; k--) lines = MUTATIONS[names[pick(names.length)]!]!(lines, pick);
        return { path: f.path, text: lines.join("\n") };
      });
      let result: LoadResult | undefined;
      expect(() => {
        result = loadStackFiles("demo", mutated, NOW);
      }, `round ${round}`).not.toThrow();
      checkResult(result!, mutated);
      if (!result!.model) broken++;
      for (const diag of result!.diagnostics) codes.add(diag.code);
    }
    // The fuzzing must actually exercise the error paths, not just reload the demo.
    expect(broken).toBeGreaterThan(ROUNDS / 3);
    expect(codes.size).toBeGreaterThanOrEqual(8);
  });

  it("survives every single-line deletion of tenant.yaml", () => {
    const [tenant, ...grants] = files;
    const lines = tenant!.text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const mutated = [{ path: tenant!.path, text: lines.filter((_, j) => j !== i).join("\n") }, ...grants];
      let result: LoadResult | undefined;
      expect(
        () => {
          result = loadStackFiles("demo", mutated, NOW);
        },
        `line ${i + 1}`,
      ).not.toThrow();
      checkResult(result!, mutated);
    }
  });
});

/** What a pull request can do to one entry of a stack's folder; `target` is a path relative to the stack folder. */
const FILE_MUTATIONS: Record<string, (target: string, stack: string, pick: (n: number) => number) => void> = {
  linkOutside: (t) => relink(t, path.relative(path.dirname(t), path.join(t, "../../../../secret.yaml"))),
  linkAbsolute: (t, _s, pick) => relink(t, ["/dev/zero", "/proc/self/environ", "/etc/passwd"][pick(3)]!),
  linkDangling: (t) => relink(t, "no-such-file.yaml"),
  linkLoop: (t) => relink(t, path.basename(t)),
  linkInside: (t, stack) => relink(t, path.relative(path.dirname(t), path.join(stack, "tenant.yaml"))),
  fifo: (t) => {
    fs.rmSync(t, { recursive: true, force: true });
    spawnSync("mkfifo", [t]);
  },
  folder: (t) => {
    fs.rmSync(t, { recursive: true, force: true });
    fs.mkdirSync(t);
  },
  remove: (t) => fs.rmSync(t, { recursive: true, force: true }),
  rename: (t) => {
    if (lexists(t)) fs.renameSync(t, `${t.replace(/s$/, "")}x`);
  },
  huge: (t) => {
    fs.rmSync(t, { recursive: true, force: true });
    fs.writeFileSync(t, `# ${"x".repeat(1024 * 1024)}\n`);
  },
  nested: (t) => {
    const dir = path.join(path.dirname(t), "sub");
    fs.mkdirSync(dir, { recursive: true });
    if (lexists(t)) fs.renameSync(t, path.join(dir, path.basename(t)));
  },
};

const lexists = (p: string) => fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;

function relink(at: string, target: string): void {
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(target, at);
}

describe("file types and links under a stack never make the loader throw, hang or leak", () => {
  const ROUNDS = 60;

  it(`survives ${ROUNDS} seeded file-system mutations of the demo stack`, () => {
    const random = rng(20261124);
    const pick = (n: number) => Math.floor(random() * n);
    const names = Object.keys(FILE_MUTATIONS);
    const codes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-fuzz-fs-"));
      try {
        fs.writeFileSync(path.join(root, "secret.yaml"), `principal: ${MARKER}@contoso.com\n`);
        const stack = path.join(root, "stacks", "demo");
        fs.cpSync(path.join(REPO, "stacks/demo"), stack, { recursive: true });
        const grants = fs.readdirSync(path.join(stack, "grants")).sort();
        // One to three mutations, each on tenant.yaml, grants/ or one grant file.
        for (let k = 1 + pick(3); k > 0; k--) {
          const entries = ["tenant.yaml", "grants", `grants/${grants[pick(grants.length)]}`];
          const target = path.join(stack, entries[pick(entries.length)]!);
          // A mutation earlier in the round may have turned grants/ into a file or a link.
          if (!fs.lstatSync(path.dirname(target), { throwIfNoEntry: false })?.isDirectory()) continue;
          FILE_MUTATIONS[names[pick(names.length)]!]!(target, stack, pick);
        }
        // Without tenant.yaml there is no stack: the one error loadStack throws (the CLI prints it as usage).
        if (!lexists(path.join(stack, "tenant.yaml"))) {
          expect(() => loadStack({ root, stack: "demo", now: NOW })).toThrow(StackNotFoundError);
          continue;
        }
        let result: LoadResult | undefined;
        expect(() => {
          result = loadStack({ root, stack: "demo", now: NOW });
        }, `round ${round}`).not.toThrow();
        const r = result!;
        expect(r.model === null).toBe(r.diagnostics.some((d) => d.severity === "error"));
        for (const d of r.diagnostics) {
          expect(d.file.startsWith("stacks/demo/"), d.file).toBe(true);
          expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
          expect(d.message).not.toMatch(/\n\s+at /);
          codes.add(d.code);
        }
        expect(JSON.stringify(r)).not.toContain(MARKER);
        expect(r.diagnostics.map(formatDiagnostic).join("\n")).not.toContain(MARKER);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
    // The mutations must reach the refusals they are about, not just reload the demo.
    for (const code of [
      "link-outside-stack",
      "dangling-link",
      "link-loop",
      "special-file",
      "folder-not-file",
      "grants-folder-missing",
      "grants-not-a-folder",
      "file-too-large",
    ]) {
      expect([...codes], code).toContain(code);
    }
  }, 60_000);
});
