/**
 * The README's declaration examples are what a new user pastes first: they must pass `pim check` as written, and
 * what the README says about them (duration needs start, two break-glass accounts, contractor patterns) must be
 * what the code does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStackFiles } from "../../model";
import { NOW as CLI_NOW, runPim } from "../cli/helpers";
import { NOW, REPO } from "./badCases";

const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");

/** The first ```yaml block after the heading `heading` inside the Declarations section. */
function example(heading: string): string {
  const section = README.slice(
    README.indexOf("\n## Declarations\n"),
    README.indexOf("\n## How a contractor"),
  );
  const at = section.indexOf(`\n${heading}\n`);
  expect(at, heading).toBeGreaterThan(0);
  const block = /```yaml\n([\s\S]*?)```/.exec(section.slice(at));
  expect(block, `a yaml block under ${heading}`).not.toBeNull();
  return block![1]!;
}

const tenant = example("### tenant.yaml");
const grant = example("### A grant");
const load = (grantText: string) =>
  loadStackFiles(
    "readme",
    [
      { path: "stacks/readme/tenant.yaml", text: tenant },
      { path: "stacks/readme/grants/c-jordan-lee-exchange-administrator.yaml", text: grantText },
    ],
    NOW,
  );

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

describe("README examples", () => {
  it("pass pim check verbatim: exit 0, no error, no warning, no finding", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-readme-"));
    temps.push(root);
    fs.mkdirSync(path.join(root, "stacks/readme/grants"), { recursive: true });
    fs.writeFileSync(path.join(root, "stacks/readme/tenant.yaml"), tenant);
    fs.writeFileSync(path.join(root, "stacks/readme/grants/c-jordan-lee-exchange-administrator.yaml"), grant);
    const r = await runPim([
      "check",
      "--stack",
      "readme",
      "--now",
      CLI_NOW,
      "--root",
      root,
      "--format",
      "json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.valid, report.diagnostics, report.findings]).toEqual([true, [], []]);
  });

  it("hold what the text around them says: contractors, two break-glass accounts, the grant's dates", () => {
    const r = load(grant);
    expect(r.diagnostics).toEqual([]);
    const m = r.model!;
    expect(m.contractors).toEqual(["c-*@contoso.com"]);
    expect(m.breakGlass.map((b) => b.upn)).toEqual([
      "bg-alpha@contoso.onmicrosoft.com",
      "bg-bravo@contoso.onmicrosoft.com",
    ]);
    // "end: 2026-12-31 — last day of access (ends 2027-01-01T00:00Z)"
    expect(m.grants.map((g) => [g.principal.ref, g.start, g.end])).toEqual([
      ["c-jordan.lee@contoso.com", "2026-11-20T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ]);
  });

  it("duration counts from start, and is refused without one, as the README says", () => {
    const withDuration = grant.replace(/^end: .*$/m, "duration: P42D");
    expect(withDuration).not.toBe(grant);
    const r = load(withDuration);
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.grants[0]!.end).toBe("2027-01-01T00:00:00.000Z");
    const withoutStart = withDuration.replace(/^start: .*$/m, "");
    expect(load(withoutStart).diagnostics.map((d) => [d.code, d.field])).toEqual([
      ["duration-without-start", "duration"],
    ]);
  });
});
