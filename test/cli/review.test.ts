/**
 * `pim review` over fixtures in Pulumi's own JSON shapes (test/fixtures/review/, built from the resources the demo
 * program registers): a preview with create, update, replace, delete and same steps, dynamic resources without a
 * detailed diff, a replacement shown as separate steps, and saved update plans that match it or not.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePulumiDocument } from "../../scripts/commands/review/pulumiJson";
import { runPim } from "./helpers";

const FIX = path.resolve(__dirname, "../fixtures/review");
const f = (name: string) => path.join(FIX, name);

describe("pim review", () => {
  it("judges a preview's changes as pim plan does, and lists the rest plainly", async () => {
    const r = await runPim(["review", f("preview-demo.json")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "pim review · stack demo · pulumi preview preview-demo.json (3 create, 3 update, 1 same, 1 delete, 1 replace)",
      "8 changes: 1 critical, 6 weaker, 1 stronger · highest risk: critical",
    ]);
    expect(r.stdout).toContain(
      [
        "Needs a security approver",
        "  [critical] 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d (demo-break-glass-bg-charlie-contoso-onmicrosoft-com): a new permanent Global Administrator outside PIM",
        "  [weaker] Global Administrator: Activation: require approval: true → false (no longer required)",
        "  [weaker] active Helpdesk Administrator for alan.turing@contoso.com: kind: eligible → active (held now instead of activated on demand) (+2 more)",
        "  [weaker] eligible Global Administrator for c-jordan.lee@contoso.com: end: 2026-12-31 → 2027-12-31 (extended by 365 days)",
        "  [weaker] eligible Security Reader for margaret.hamilton@contoso.com: new access",
        "  [weaker] eligible member of 7d2e1f30-4a5b-4c6d-8e7f-90a1b2c3d4e6 for 3f1c7a2e-5b6d-4e8f-9a0b-1c2d3e4f5a64: end: 2027-04-30 → 2027-05-15 (extended by 15 days)",
        "  [weaker] demo-approvers-pim-approvers-tier-0: members: added: 8b0c1d2e-3f40-4152-a364-b5c6d7e8f901",
      ].join("\n"),
    );
    // A replace (kind is a replace key of the schedule) of the same principal and role is one change of kind.
    expect(r.stdout).toContain(
      [
        "  [weaker] changed · active Helpdesk Administrator for alan.turing@contoso.com",
        "      kind: eligible → active (held now instead of activated on demand)",
        "      end: 2027-04-30 → 2026-12-07 (shortened by 144 days)",
        "      start: when provisioned → 2026-11-24 (starts on a date)",
      ].join("\n"),
    );
    expect(r.stdout).toContain(
      "  [stronger] removed · eligible Security Reader for ada.lovelace@contoso.com\n      access removed",
    );
    // `same` steps change nothing; the one step of a type the diff does not read is listed with its changed inputs.
    expect(r.stdout).not.toContain("Security Reader\n      approval");
    expect(r.stdout).toContain(
      "Other changes (1), not judged\n  update azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy demo-group-tier-1-helpdesk-operators-member-policy: activationRules\n",
    );
  });

  it("reads a replacement shown as create-replacement, replace and delete-replaced as one replacement", async () => {
    const r = await runPim(["review", f("preview-replacement-steps.json"), "--format", "json"]);
    const j = JSON.parse(r.stdout);
    expect(j.comparing).toBe("pulumi preview preview-replacement-steps.json (1 replace)");
    expect(j.changes.map((c: { action: string; subject: string }) => `${c.action} ${c.subject}`)).toEqual([
      "changed active Helpdesk Administrator for alan.turing@contoso.com",
    ]);
    expect(j.others).toEqual([]);
  });

  it("checks a saved plan performs exactly the reviewed operations", async () => {
    const ok = await runPim([
      "review",
      f("preview-demo.json"),
      "--plan",
      f("plan-demo.json"),
      "--format",
      "json",
    ]);
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.planMatches).toBe(true);
    expect(j.notes).toEqual([
      "the saved plan plan-demo.json performs exactly these operations: pulumi up --plan applies what is reviewed here",
    ]);

    const bad = await runPim(["review", f("preview-demo.json"), "--plan", f("plan-other.json")]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      "the saved plan plan-other.json differs from this preview in 2 resources: do not apply it",
    );
    expect(bad.stdout).toContain(
      "Plan and preview differ\n  demo-grant-ada-lovelace-security-reader-schedule: preview delete, plan update\n  demo-grant-c-jordan-lee-global-administrator-schedule: preview update, plan no change\n",
    );
  });

  it("reads a saved plan alone: the operations and the properties they set", async () => {
    const r = await runPim(["review", f("plan-demo.json")]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "pim review · stack demo · saved plan plan-demo.json",
      "9 resources to change, 2 unchanged resources",
    ]);
    expect(lines).toContain(
      "  update pulumi-nodejs:dynamic/pim:DirectoryRoleSettings demo-role-global-administrator-settings: settings",
    );
    expect(lines).toContain(
      "  replace pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule demo-grant-alan-turing-helpdesk-administrator-schedule: end, kind, start",
    );
    expect(lines).toContain(
      "  delete pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule demo-grant-ada-lovelace-security-reader-schedule",
    );
  });

  it("markdown for the approver: marker to edit the same comment, weaker first", async () => {
    const r = await runPim(["review", f("preview-demo.json"), "--format", "markdown", "--fail-on", "weaker"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(
      "### pim review · stack demo: 8 changes: 1 critical, 6 weaker, 1 stronger · highest risk: critical",
    );
    expect(lines.at(-2)).toBe("<!-- pim-review:demo -->");
  });

  it.each([
    ["not-json.json", "{", "is not JSON"],
    [
      "other.json",
      '{"hello": 1}',
      'is neither a pulumi preview --json document (no "steps") nor a saved plan (no "resourcePlans")',
    ],
  ])("refuses %s clearly", (name, text, message) => {
    expect(() => parsePulumiDocument(text, name)).toThrow(message);
  });

  it("a file that cannot be read is a usage error, and two files are one too many", async () => {
    const r = await runPim(["review", f("nope.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pim review: cannot read ${f("nope.json")}: ENOENT\n`);
    const two = await runPim(["review", "a.json", "b.json"]);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(
      "pim review: give one file: pim review preview.json\nRun `pim review --help` for usage.\n",
    );
  });
});
