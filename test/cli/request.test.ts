/**
 * `pim request` writes the grant file a sponsor would type, validated as pim check validates it: a mistyped
 * role gets a suggestion, a grant that would be invalid or add a mandatory finding is refused and nothing is
 * written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, runPim } from "./helpers";

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));
function demoCopy(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-request-"));
  fs.cpSync(path.resolve(__dirname, "../../stacks/demo"), path.join(root, "stacks/demo"), {
    recursive: true,
  });
  temps.push(root);
  return root;
}
const request = (root: string, ...args: string[]) =>
  runPim(["request", "--stack", "demo", "--now", NOW, "--root", root, ...args]);
const CONTRACTOR = [
  "--principal",
  "c-sam.ortiz@contoso.com",
  "--justification",
  "Fabrikam migration, SOW 2026-120",
  "--ticket",
  "ServiceNow:CHG0031400",
  "--requested-by",
  "ken.thompson@contoso.com",
];

describe("pim request", () => {
  it("writes the grant file by the naming convention, and prints the branch and pull-request text", async () => {
    const root = demoCopy();
    // Exchange Administrator, not Global Administrator: a fifth Global Administrator would outnumber the holders of
    // finer-grained roles in the demo (PIM-002), and the request would be refused.
    const r = await request(root, ...CONTRACTOR, "--role", "exchange administrator", "--days", "30");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const file = path.join(root, "stacks/demo/grants/c-sam-ortiz-exchange-administrator.yaml");
    expect(fs.readFileSync(file, "utf8")).toBe(
      [
        "# yaml-language-server: $schema=../../../schemas/grant.schema.json",
        "principal: c-sam.ortiz@contoso.com",
        "role: Exchange Administrator",
        "kind: eligible",
        "end: 2026-12-22",
        "justification: Fabrikam migration, SOW 2026-120",
        "ticket: { system: ServiceNow, number: CHG0031400 }",
        "requestedBy: ken.thompson@contoso.com",
        "",
      ].join("\n"),
    );
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("wrote stacks/demo/grants/c-sam-ortiz-exchange-administrator.yaml");
    expect(lines).toContain("branch: pim/request/demo/c-sam-ortiz-exchange-administrator");
    expect(lines).toContain(
      "pull request title: PIM demo: eligible Exchange Administrator for c-sam.ortiz@contoso.com until 2026-12-22",
    );
    expect(lines).toContain("  | last day | 2026-12-22 |");
    // What it wrote passes pim check as it stands.
    const check = await runPim(["check", "--stack", "demo", "--now", NOW, "--root", root]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("c-sam.ortiz@contoso.com");
  });

  it("--days counts today: 42 days from 2026-11-20 end on 2026-12-31, like the demo contractor", async () => {
    const root = demoCopy();
    const r = await runPim([
      "request",
      "--stack",
      "demo",
      "--now",
      "2026-11-20T09:00:00Z",
      "--root",
      root,
      ...CONTRACTOR,
      "--role",
      "Security Reader",
      "--days",
      "42",
      "--dry-run",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  end: 2026-12-31\n");
    expect(r.stdout.split("\n")[0]).toBe(
      "would write stacks/demo/grants/c-sam-ortiz-security-reader.yaml (dry run)",
    );
    expect(fs.existsSync(path.join(root, "stacks/demo/grants/c-sam-ortiz-security-reader.yaml"))).toBe(false);
  });

  it("a mistyped role is refused with a suggestion, nothing written", async () => {
    const root = demoCopy();
    const r = await request(root, ...CONTRACTOR, "--role", "Global Admin", "--end", "2026-12-31");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n").slice(0, 3)).toEqual([
      "pim request: the grant would be invalid (1 error); nothing written:",
      'stacks/demo/grants/c-sam-ortiz-global-admin.yaml:3:7: error [unknown-role] role: "Global Admin" is not an Entra built-in role',
      '    fix: did you mean "Global Administrator"?',
    ]);
    expect(fs.existsSync(path.join(root, "stacks/demo/grants/c-sam-ortiz-global-admin.yaml"))).toBe(false);
  });

  it("a grant that adds a mandatory finding is refused, nothing written", async () => {
    const root = demoCopy();
    const r = await request(
      root,
      "--principal",
      "margaret.hamilton@contoso.com",
      "--role",
      "Global Administrator",
      "--end",
      "2026-12-31",
      "--justification",
      "x",
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(
      "pim request: the grant would add 2 mandatory findings; nothing written:",
    );
    // An approver of Global Administrator made eligible for it (PIM-038), and a fifth Global Administrator (PIM-002).
    expect(r.stderr).toContain("  PIM-002 Finer-grained roles instead of Global Administrator\n");
    expect(r.stderr).toContain(
      "  PIM-038 No self-approval: approvers are not eligible for the role they approve\n",
    );
    expect(
      fs.existsSync(path.join(root, "stacks/demo/grants/margaret-hamilton-global-administrator.yaml")),
    ).toBe(false);
  });

  it("an existing grant file is not overwritten", async () => {
    const root = demoCopy();
    const r = await request(
      root,
      "--principal",
      "c-jordan.lee@contoso.com",
      "--role",
      "Global Administrator",
      "--end",
      "2026-12-31",
      "--justification",
      "x",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "pim request: stacks/demo/grants/c-jordan-lee-global-administrator.yaml already exists\n  fix: to extend that access, change end: in that file in a pull request\n",
    );
  });

  it.each([
    [["--role", "Security Reader", "--justification", "x"], "give either --end <date> or --days <n>"],
    [
      ["--role", "Security Reader", "--justification", "x", "--end", "2026-12-31", "--days", "3"],
      "give either --end <date> or --days <n>",
    ],
    [
      ["--role", "Security Reader", "--justification", "x", "--days", "0"],
      '--days must be a whole number of days from 1, not "0"',
    ],
    [
      ["--role", "Security Reader", "--justification", "x", "--days", "3", "--ticket", "CHG1"],
      '--ticket must be <system>:<number>, e.g. ServiceNow:CHG0031337, not "CHG1"',
    ],
    [
      ["--role", "Security Reader", "--days", "3"],
      '--justification is required, e.g. --justification "Tenant migration, SOW 2026-114"',
    ],
  ])("usage error %j", async (args, message) => {
    const r = await request(demoCopy(), "--principal", "x.y@contoso.com", ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pim request: ${message}\nRun \`pim request --help\` for usage.\n`);
  });
});
