/**
 * A user's mistake ends the program under cmd/run with the program's own message (a RunError: no stack trace) and
 * no registration besides the root stack, so the engine has nothing to create. Run on a copy of the project whose
 * `stacks/` holds two broken declaration folders: a grant that ends before it starts (a declaration error) and a
 * tenant with a single break-glass account (a mandatory safe-default finding). Both runs at once.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preview, type DeployResult } from "../../engineDouble/deploy";
import { formatDiagnostic, loadStack } from "../../model";
import { evaluateSafeDefaults } from "../../policies/rules";
import { cliEnvironment } from "../../engineDouble/program";
import { readProject, readStackConfig } from "../../engineDouble/project";
import { copyProject, NOW, PROGRAM_TIMEOUT_MS, ROOT } from "./helpers";

let copy: string;
const runs: Record<string, DeployResult> = {};

/** `stacks/<name>/`: the demo's declarations, edited. */
function declarations(
  name: string,
  tenant: (text: string) => string,
  extraGrants: Record<string, string> = {},
) {
  const dir = path.join(copy, "stacks", name);
  fs.mkdirSync(path.join(dir, "grants"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "tenant.yaml"),
    tenant(fs.readFileSync(path.join(ROOT, "stacks/demo/tenant.yaml"), "utf8")),
  );
  for (const f of fs.readdirSync(path.join(ROOT, "stacks/demo/grants")))
    fs.copyFileSync(path.join(ROOT, "stacks/demo/grants", f), path.join(dir, "grants", f));
  for (const [f, text] of Object.entries(extraGrants)) fs.writeFileSync(path.join(dir, "grants", f), text);
}

beforeAll(async () => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "pim-project-"));
  copyProject(copy);
  declarations("bad-dates", (t) => t, {
    "ada-lovelace-backwards.yaml": [
      "principal: ada.lovelace@contoso.com",
      "role: Security Reader",
      "kind: eligible",
      "start: 2026-12-10",
      "end: 2026-12-01",
      "justification: Dates the wrong way round",
      "",
    ].join("\n"),
  });
  declarations("one-break-glass", (t) =>
    t.replace(/ {2}- upn: bg-bravo@contoso\.onmicrosoft\.com\n {4}description: [^\n]*\n/, ""),
  );
  const project = readProject(copy);
  await Promise.all(
    ["bad-dates", "one-break-glass"].map(async (declared) => {
      runs[declared] = await preview({
        projectDir: copy,
        stack: "demo",
        statePath: path.join(copy, `${declared}.state.json`),
        config: { ...readStackConfig(project, "demo"), "pim:declarations": declared },
        env: cliEnvironment({ PIM_NOW: NOW }),
      });
    }),
  );
}, PROGRAM_TIMEOUT_MS);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

const errorsOf = (r: DeployResult) =>
  r.monitor.logs.filter((l) => l.severity === "error").map((l) => l.message);

describe("program errors under cmd/run", () => {
  it("a declaration error: the program's message, exit 32 (already reported), nothing but the stack registered", () => {
    const r = runs["bad-dates"]!;
    expect(r.program!.exitCode).toBe(32);
    // The loader's own lines (file, line, column, field, fix), wrapped by the program.
    const problems = loadStack({ root: copy, stack: "bad-dates", now: new Date(NOW) }).diagnostics.filter(
      (d) => d.severity === "error",
    );
    // Every problem at once: the dates, and the same eligible Security Reader grant as the demo's own file.
    expect(problems.map((d) => `${d.file}:${d.line}:${d.column} ${d.field}`)).toEqual([
      "stacks/bad-dates/grants/ada-lovelace-backwards.yaml:5:6 end",
      "stacks/bad-dates/grants/ada-lovelace-security-reader.yaml:2:12 principal",
    ]);
    expect(errorsOf(r)).toEqual([
      "stacks/bad-dates: 2 problem(s) in the declarations; nothing was changed.\n\n" +
        `${problems.map(formatDiagnostic).join("\n")}\n\n` +
        "Run `npm run pim -- check --stack bad-dates` to see them again without Pulumi.",
    ]);
    expect(r.registrations.map((g) => g.urn)).toEqual([
      "urn:pulumi:demo::pim::pulumi:pulumi:Stack::pim-demo",
    ]);
    expect(r.steps.filter((s) => s.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });

  it("a mandatory safe-default finding: the program's message, exit 32, nothing but the stack registered", () => {
    const r = runs["one-break-glass"]!;
    expect(r.program!.exitCode).toBe(32);
    const now = new Date(NOW);
    const model = loadStack({ root: copy, stack: "one-break-glass", now }).model!;
    const findings = evaluateSafeDefaults(model, { now }).filter((f) => f.mandatory);
    expect(findings.map((f) => `${f.ruleId} ${f.object}`)).toEqual(["PIM-006 breakGlass"]);
    const [f] = findings;
    // The finding points at the `breakGlass:` section, where a second account is to be added.
    const breakGlassLine =
      fs
        .readFileSync(path.join(copy, "stacks/one-break-glass/tenant.yaml"), "utf8")
        .split("\n")
        .indexOf("breakGlass:") + 1;
    expect(f!.source).toEqual({
      file: "stacks/one-break-glass/tenant.yaml",
      line: breakGlassLine,
      column: 1,
    });
    expect(errorsOf(r)).toEqual([
      "stacks/one-break-glass: 1 mandatory safe-default finding(s); nothing was changed.\n\n" +
        `stacks/one-break-glass/tenant.yaml:${breakGlassLine}:1: PIM-006 (high) breakGlass: ${f!.message}\n    fix: ${f!.fix}\n\n` +
        "Fix them, or exempt one with an end date under safeDefaults.exemptions (policies/README.md). " +
        "`npm run pim -- check --stack one-break-glass` shows the same list.",
    ]);
    expect(r.registrations.map((g) => g.urn)).toEqual([
      "urn:pulumi:demo::pim::pulumi:pulumi:Stack::pim-demo",
    ]);
  });

  it("prints no stack trace for either", () => {
    for (const r of Object.values(runs)) {
      expect(r.program!.stderr).not.toMatch(/\n\s+at /);
      for (const m of errorsOf(r)) expect(m).not.toMatch(/\n\s+at /);
    }
  });
});
