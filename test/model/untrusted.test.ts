/**
 * A pull request is untrusted input (SECURITY.md): it cannot make `pim check` leak what lies outside the stack's
 * folder, hang, or crash. These cases build the attack on disk at run time and assert outcomes only; how long they
 * take is printed by bench/untrusted.bench.ts. A hang here fails the test on vitest's timeout.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escapeControlChars, escapeControlCharsInJson, formatDiagnostic, loadStack } from "../../model";
import { READ_LIMITS } from "../../model/load/safeRead";
import { contractorMatcher } from "../../policies/rules/fromModel";
import { evaluateSafeDefaults } from "../../policies/rules";
import { NOW as CLI_NOW, runPim } from "../cli/helpers";
import { loadBadCase, MARKER, NOW, REPO } from "./badCases";

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

/** A repository root holding a copy of the demo stack, and a secret beside it that no output may show. */
function repoWithDemo(): { root: string; stack: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-untrusted-"));
  temps.push(root);
  const stack = path.join(root, "stacks", "demo");
  fs.cpSync(path.join(REPO, "stacks/demo"), stack, { recursive: true });
  fs.mkdirSync(path.join(root, ".git"));
  fs.writeFileSync(
    path.join(root, ".git", "config"),
    `[remote "origin"]\n\turl = https://x-access-token:${MARKER}@github.com/contoso/pim.git\n`,
  );
  fs.writeFileSync(path.join(root, "secret.yaml"), `principal: ${MARKER}@contoso.com\nrole: ${MARKER}\n`);
  return { root, stack };
}

describe("pim check on a pull request that plants links", () => {
  const { root, stack } = repoWithDemo();
  fs.symlinkSync("../../../.git/config", path.join(stack, "grants", "x.yaml"));
  fs.symlinkSync("/proc/self/environ", path.join(stack, "grants", "env.yaml"));
  fs.symlinkSync("/dev/zero", path.join(stack, "grants", "zero.yaml"));
  fs.symlinkSync("../../../secret.yaml", path.join(stack, "grants", "secret.yaml"));

  it.each(["text", "json", "sarif"])(
    "--format %s: exit 1, each link named, nothing from outside printed",
    async (format) => {
      process.env.PIM_UNTRUSTED_TEST_SECRET = MARKER;
      const r = await runPim([
        "check",
        "--stack",
        "demo",
        "--now",
        CLI_NOW,
        "--root",
        root,
        "--format",
        format,
      ]);
      delete process.env.PIM_UNTRUSTED_TEST_SECRET;
      expect(r.code).toBe(1);
      for (const link of ["x.yaml", "env.yaml", "zero.yaml", "secret.yaml"]) {
        expect(r.stdout).toContain(`stacks/demo/grants/${link}`);
      }
      expect(r.stdout.match(/link-outside-stack/g)?.length).toBeGreaterThanOrEqual(4);
      expect(r.stdout + r.stderr).not.toContain(MARKER);
      expect(r.stdout + r.stderr).not.toContain("x-access-token");
    },
  );
});

describe("the stack's folder itself", () => {
  it("is refused when it is a link, wherever it points", () => {
    const { root } = repoWithDemo();
    const outside = path.join(root, "outside");
    fs.cpSync(path.join(REPO, "stacks/demo"), outside, { recursive: true });
    fs.writeFileSync(path.join(outside, "grants", "planted.yaml"), `justification: ${MARKER}\n`);
    fs.symlinkSync("../outside", path.join(root, "stacks", "evil"));
    const r = loadStack({ root, stack: "evil", now: NOW });
    expect(r).toEqual({
      model: null,
      files: [],
      diagnostics: [
        {
          severity: "error",
          code: "stack-folder-link",
          file: "stacks/evil/",
          line: 1,
          column: 1,
          field: "(file)",
          message:
            "evil/ is reached through a symbolic link: a stack is read only from a real folder under stacks/",
          hint: "replace the link (stacks/ or the stack's folder) with the folder itself",
        },
      ],
    });
  });

  it("is refused when stacks/ is a link", () => {
    const { root } = repoWithDemo();
    fs.renameSync(path.join(root, "stacks"), path.join(root, "elsewhere"));
    fs.symlinkSync("elsewhere", path.join(root, "stacks"));
    const r = loadStack({ root, stack: "demo", now: NOW });
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([["stack-folder-link", "stacks/demo/"]]);
    expect(r.model).toBeNull();
  });
});

describe("size limits", () => {
  it("the stack's files are read until their total passes the limit; the rest is refused, once per file", () => {
    const { root } = repoWithDemo();
    const saved = READ_LIMITS.totalBytes;
    READ_LIMITS.totalBytes = 6000; // tenant.yaml and a few grants
    try {
      const r = loadStack({ root, stack: "demo", now: NOW });
      const refused = r.diagnostics.filter((d) => d.code === "stack-too-large");
      expect(refused.length).toBeGreaterThan(0);
      expect(r.files.length + refused.length).toBe(11);
      expect(refused[0]).toMatchObject({
        severity: "error",
        message: expect.stringMatching(
          /^[a-z-]+\.yaml is not read: the stack's files hold more than 0\.0057\d* MiB together$/,
        ),
        hint: "split the tenant into several stacks, or remove files that are not declarations",
      });
      expect(r.model).toBeNull();
    } finally {
      READ_LIMITS.totalBytes = saved;
    }
  });
});

describe("contractor wildcards", () => {
  // 25 stars and a text that almost matches: a backtracking regular expression tries every way to split it.
  const crafted = `c-${"*a".repeat(24)}*b@contoso.com`;
  const victim = `c-${"a".repeat(60)}@contoso.com`;

  it("a crafted pattern loads, and the rules finish with the contractor recognised by the plain pattern", () => {
    const r = loadBadCase("tenant-contractor-wildcard-crafted");
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.contractors).toEqual(["c-*@contoso.com", crafted]);
    const findings = evaluateSafeDefaults(r.model!, { now: NOW });
    expect(Array.isArray(findings)).toBe(true);
    expect(contractorMatcher(r.model!.contractors)(victim)).toBe(true);
  });

  it("match whole UPNs, case-insensitively, * standing for any run of characters", () => {
    const m = (p: string, upn: string) => contractorMatcher([p])(upn);
    expect(m(crafted, victim)).toBe(false);
    expect(m(crafted, `${victim.slice(0, -12)}b@contoso.com`)).toBe(true);
    expect(m("c-*@contoso.com", "C-Jordan.Lee@Contoso.com")).toBe(true);
    expect(m("c-*@contoso.com", "c-jordan@contoso.com.evil.example")).toBe(false);
    expect(m("c-*@contoso.com", "xc-jordan@contoso.com")).toBe(false);
    expect(m("*@fabrikam.com", "@fabrikam.com")).toBe(true);
    expect(m("a*b*c@x.com", "abc@x.com")).toBe(true);
    expect(m("a*b*c@x.com", "acb@x.com")).toBe(false);
    expect(m("a*ab@x.com", "aab@x.com")).toBe(true);
    expect(m("ab*ba@x.com", "aba@x.com")).toBe(false);
    expect(m("a.b@x.com", "aXb@x.com")).toBe(false);
    expect(contractorMatcher([])("c-a@contoso.com")).toBe(false);
  });

  it("agree with a regular expression on every small case", () => {
    const alphabet = ["a", "b", "*"];
    const words = (n: number): string[] =>
      n === 0 ? [""] : words(n - 1).flatMap((w) => alphabet.map((c) => w + c));
    const patterns = [0, 1, 2, 3, 4].flatMap(words);
    const texts = [0, 1, 2, 3, 4].flatMap(words).filter((t) => !t.includes("*"));
    let compared = 0;
    for (const p of patterns) {
      const re = new RegExp(`^${p.replaceAll("*", ".*")}$`);
      const match = contractorMatcher([p]);
      for (const t of texts) {
        expect(match(t), `${p} ~ ${t}`).toBe(re.test(t));
        compared++;
      }
    }
    expect(compared).toBe(121 * 31);
  });
});

describe("control characters in output", () => {
  it("every control character is shown by its escape, everything else as written", () => {
    expect(escapeControlChars("a\u001b[2Jb\rc\nd\te\u007f\u0085\u200b\u202e\u2066\ufeffé✔")).toBe(
      "a\\x1b[2Jb\\x0dc\\x0ad\\x09e\\x7f\\x85\\u200b\\u202e\\u2066\\ufeffé✔",
    );
    expect(JSON.stringify({ m: "x\u001by\u202e" }, escapeControlCharsInJson)).toBe(
      '{"m":"x\\\\x1by\\\\u202e"}',
    );
    // In JSON a line feed and a tab stay what they are (JSON spells them \n and \t): a file's text stays usable.
    expect(JSON.stringify({ m: "a\nb\tc\rd" }, escapeControlCharsInJson)).toBe('{"m":"a\\nb\\tc\\\\x0dd"}');
  });

  it("the diagnostic formatter escapes every part: no raw control character, no forged line", () => {
    const text = formatDiagnostic({
      severity: "error",
      code: "unknown-role",
      file: "stacks/demo/grants/\u001b[31mx.yaml",
      line: 2,
      column: 7,
      field: "role",
      message: '"Reader\r✔ valid: 0 errors" is not an Entra built-in role',
      hint: "did you mean\n\u202eReader?",
    });
    expect(text).toBe(
      'stacks/demo/grants/\\x1b[31mx.yaml:2:7: error [unknown-role] role: "Reader\\x0d✔ valid: 0 errors" is not an Entra built-in role\n    fix: did you mean\\x0a\\u202eReader?',
    );
  });
});
