import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, runPim } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");

/** A copy of the demo stack in a temp root, with files replaced or added. */
function demoCopy(changes: Record<string, string | null>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-cli-"));
  fs.cpSync(path.join(ROOT, "stacks/demo"), path.join(root, "stacks/demo"), { recursive: true });
  for (const [rel, text] of Object.entries(changes)) {
    const p = path.join(root, "stacks/demo", rel);
    if (text === null) fs.rmSync(p);
    else fs.writeFileSync(p, text);
  }
  temps.push(root);
  return root;
}
const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

describe("pim check", () => {
  it("prints the demo summary and exits 0", async () => {
    const r = await runPim(["check", "--stack", "demo", "--now", NOW, "--root", ROOT]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(
      "pim check · stack demo · tenant Contoso (demo) (7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47) · as of 2026-11-23 12:00 UTC",
    );
    expect(lines).toContain(
      "  Global Administrator                                          tier0      activate ≤1h · MFA · justification · ticket · approval: PIM Approvers - Tier 0 · eligible ≤180d · active ≤15d",
    );
    expect(lines).toContain(
      "  Security Reader                                               baseline   activate ≤8h · MFA · justification · eligible ≤365d · active ≤30d",
    );
    // The longest label sets the column: every row lines up, however long a role or scope name is.
    expect(lines).toContain(
      "  Owner on /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f  tightened  activate ≤4h · MFA · justification · ticket · eligible ≤180d · active ≤15d",
    );
    expect(lines).toContain("Grants (10): 10 in force or pending, 0 ending within 14 days, 0 expired");
    expect(lines).toContain("  LAST DAY    DAYS  KIND      ROLE                              PRINCIPAL");
    expect(lines).toContain(
      "  2026-12-31    39  eligible  Global Administrator              c-jordan.lee@contoso.com",
    );
    // PIM-group memberships and ownerships show their end dates too.
    expect(lines).toContain("PIM group memberships and ownerships (2): 0 expired");
    expect(lines).toContain("  LAST DAY    DAYS  AS               GROUP                      PRINCIPAL");
    expect(lines).toContain(
      "  2027-04-30   159  eligible member  Tier-1 Helpdesk Operators  grace.hopper@contoso.com",
    );
    expect(lines).toContain(
      "  2027-04-30   159  eligible owner   Tier-1 Helpdesk Operators  ken.thompson@contoso.com",
    );
    expect(lines[lines.length - 2]).toMatch(
      /^✔ valid: 11 role settings, 10 grants, 0 warnings, \d+ advisory findings$/,
    );
  });

  it("highlights grants ending soon and expired grants, still valid", async () => {
    const r = await runPim(["check", "--stack", "demo", "--now", "2026-12-25T00:00:00Z", "--root", ROOT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Grants (10): 10 in force or pending, 1 ending within 14 days, 0 expired");
    expect(r.stdout).toContain(
      "  2026-12-31     7  eligible  Global Administrator              c-jordan.lee@contoso.com  ends soon",
    );
    const later = await runPim(["check", "--stack", "demo", "--now", "2027-01-02T00:00:00Z", "--root", ROOT]);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain(
      "  2026-12-31  ended  eligible  Global Administrator              c-jordan.lee@contoso.com  EXPIRED",
    );
    expect(later.stdout).toContain(
      "stacks/demo/grants/c-jordan-lee-global-administrator.yaml:7:6: warning [grant-expired] end: expired on 2027-01-01T00:00:00.000Z (1 days ago); it will not be provisioned\n    fix: delete this declaration in a pull request, or extend end if the access is still needed",
    );
  });

  it("reports every error with file, line, column and fix, and exits 1", async () => {
    const root = demoCopy({
      "grants/bad.yaml":
        "principal: nobody@contoso.com\nrole: Global Admin\nkind: eligible\nend: 2027-01-01\njustification: x\nticekt: 1\n",
    });
    const r = await runPim(["check", "--stack", "demo", "--now", NOW, "--root", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'stacks/demo/grants/bad.yaml:6:1: error [unknown-key] ticekt: unknown key "ticekt"\n    fix: did you mean "ticket"? (a misspelt key would silently drop a setting, so it is refused)',
    );
    // The unknown role is reported in the same run as the unknown key: one problem never hides another.
    expect(r.stdout).toContain(
      'stacks/demo/grants/bad.yaml:2:7: error [unknown-role] role: "Global Admin" is not an Entra built-in role',
    );
    expect(r.stdout).toContain("✘ invalid: 2 errors, 0 mandatory findings, 0 warnings");
    const fixed = demoCopy({
      "grants/bad.yaml":
        "principal: nobody@contoso.com\nrole: Global Admin\nkind: eligible\nend: 2027-01-01\njustification: x\n",
    });
    const r2 = await runPim(["check", "--stack", "demo", "--now", NOW, "--root", fixed]);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain(
      'stacks/demo/grants/bad.yaml:2:7: error [unknown-role] role: "Global Admin" is not an Entra built-in role\n    fix: did you mean "Global Administrator"?',
    );
  });

  it("emits JSON for machines", async () => {
    const r = await runPim(["check", "--stack", "demo", "--now", NOW, "--format", "json", "--root", ROOT]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stack).toBe("demo");
    expect(j.valid).toBe(true);
    expect(j.evaluatedAt).toBe("2026-11-23T12:00:00.000Z");
    expect(j.diagnostics).toEqual([]);
    expect(j.model.grants).toHaveLength(10);
    const contractor = j.model.grants.find(
      (g: { id: string }) => g.id === "c-jordan-lee-global-administrator",
    );
    expect(contractor).toMatchObject({
      kind: "eligible",
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      daysLeft: 39,
      status: "current",
      ticket: { system: "ServiceNow", number: "CHG0031337" },
    });
  });

  it.each([
    [
      ["check"],
      "pim check: --stack is required, e.g. pim check --stack demo\nRun `pim check --help` for usage.\n",
    ],
    [
      ["check", "--stack", "demo", "--format", "xml"],
      'pim check: --format must be text, json or sarif, not "xml"\nRun `pim check --help` for usage.\n',
    ],
    [
      ["check", "--stack", "demo", "--now", "2026-11-23"],
      'pim check: --now must be an instant with a zone, e.g. 2026-11-23T12:00:00Z, not "2026-11-23"\nRun `pim check --help` for usage.\n',
    ],
    [
      ["check", "--stack", "demo", "--frobnicate"],
      "pim check: Unknown option '--frobnicate'\nRun `pim check --help` for usage.\n",
    ],
    [
      ["check", "--stack", "nope", "--root", ROOT],
      'pim check: no stack named "nope": stacks/nope/tenant.yaml does not exist (stacks here: demo)\nRun `pim check --help` for usage.\n',
    ],
  ])("usage error %j exits 2", async (argv, message) => {
    const r = await runPim(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(message);
  });

  it("has --help on every command", async () => {
    for (const argv of [["--help"], ["check", "--help"], ["schemas", "--help"]]) {
      const r = await runPim(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: pim/);
    }
    const none = await runPim([]);
    expect(none.code).toBe(2);
    const unknown = await runPim(["frob"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^pim: unknown command "frob"\n/);
  });
});
