/**
 * `pim plan` between commits of a temporary git repository holding the demo: the changes found, the markdown a
 * pull request shows (golden files in golden/), the exit codes, and the base read from git objects only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackFiles } from "../../model";
import { diffSnapshots } from "../../model/diff";
import { toSnapshot } from "../../model/snapshot";
import { evaluateSafeDefaults } from "../../policies/rules";
import { computePlan } from "../../scripts/commands/plan/compute";
import { demoRepo, type Repo } from "./gitRepo";
import { NOW, runPim } from "./helpers";

const GOLDEN = path.join(__dirname, "golden");

/** Compares with golden/<name>; UPDATE_GOLDEN=1 rewrites it. Commit ids vary per run and are masked. */
function golden(name: string, text: string): void {
  const masked = text.replace(/\([0-9a-f]{12}\)/g, "(<commit>)");
  const file = path.join(GOLDEN, name);
  if (process.env["UPDATE_GOLDEN"]) fs.writeFileSync(file, masked);
  expect(masked).toBe(fs.readFileSync(file, "utf8"));
}

/** The change the issue's "done when" names: Global Administrator loses approval, a contractor gains a year. */
function approvalRemovedAndContractorExtended(repo: Repo): void {
  repo.edit("tenant.yaml", [
    "    - role: Global Administrator\n      profile: tier0\n",
    "    - role: Global Administrator\n      profile: tier0\n      activation:\n        approval:\n          required: false\n      eligibleAssignment:\n        maximumDuration: P550D\n",
  ]);
  repo.edit("grants/c-jordan-lee-global-administrator.yaml", ["end: 2026-12-31", "end: 2027-12-31"]);
}

const plan = (repo: Repo, ...args: string[]) =>
  runPim(["plan", "--stack", "demo", "--now", NOW, "--root", repo.root, ...args]);

describe("pim plan", () => {
  it("says so when a pull request changes nothing", async () => {
    const repo = demoRepo();
    const r = await plan(repo, "--base", "main", "--format", "markdown");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    golden("plan-no-change.md", r.stdout);
    const text = await plan(repo, "--base", "main");
    expect(text.stdout.split("\n").slice(1, 2)).toEqual(["no change to the declarations of stack demo"]);
  });

  it("puts approval removed from Global Administrator and a contractor extended by a year at the top, marked weaker", async () => {
    const repo = demoRepo();
    approvalRemovedAndContractorExtended(repo);
    const r = await plan(repo, "--base", "main", "--format", "markdown");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^### pim plan · stack demo: \d+ changes: \d+ weaker · highest risk: weaker$/);
    const table = lines.slice(lines.indexOf("**Needs a security approver:**") + 4);
    expect(table.slice(0, 2)).toEqual([
      "| 🟠 weaker | Global Administrator | Activation: require approval: true → false (no longer required) (+1 more) |",
      "| 🟠 weaker | eligible Global Administrator for c-jordan.lee@\u200bcontoso.com | end: 2026-12-31 → 2027-12-31 (extended by 365 days) |",
    ]);
    expect(lines.at(-2)).toBe("<!-- pim-plan:demo -->");
    golden("plan-approval-removed-contractor-extended.md", r.stdout);
  });

  it("compares two commits, and a profile change that reaches Global Administrator is listed under it", async () => {
    const repo = demoRepo();
    const base = repo.git("rev-parse", "HEAD");
    repo.edit("tenant.yaml", ["      maximumDuration: PT1H\n", "      maximumDuration: PT2H\n"]);
    repo.commit("longer Tier-0 window");
    const r = await plan(repo, "--base", base);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        "Role settings (2 changed)",
        "  [weaker] changed · Global Administrator",
        "      Activation: maximum duration: 1h → 2h (longer, via profile tier0)",
        "      declared at stacks/demo/tenant.yaml:65",
        "  [weaker] changed · Privileged Role Administrator",
        "      Activation: maximum duration: 1h → 2h (longer, via profile tier0)",
        "      declared at stacks/demo/tenant.yaml:67",
      ].join("\n"),
    );
    expect(r.stdout).toContain("      reaches: Global Administrator, Privileged Role Administrator");
    // The same change, committed, compared with its parent: HEAD~1 as the base, the working tree as the head.
    const again = await plan(repo, "--base", "HEAD~1", "--format", "json");
    const j = JSON.parse(again.stdout);
    expect(j.base).toEqual({ ref: "HEAD~1", commit: base, exists: true });
    expect(j.summary).toMatchObject({ total: 3, weaker: 3, highest: "weaker" });
    expect(j.changes.map((c: { subject: string }) => c.subject)).toEqual([
      "Global Administrator",
      "Privileged Role Administrator",
      "profile tier0",
    ]);
  });

  it("defaults to the merge base with the default branch", async () => {
    const repo = demoRepo();
    repo.git("switch", "-q", "-c", "feature");
    repo.edit("grants/ada-lovelace-security-reader.yaml", null);
    repo.commit("remove Ada's grant");
    repo.git("switch", "-q", "main");
    repo.edit("grants/alan-turing-user-administrator.yaml", null);
    repo.commit("main moves on");
    repo.git("switch", "-q", "feature");
    const r = await plan(repo);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^pim plan · stack demo · merge base with main \([0-9a-f]{12}\) → working tree$/,
    );
    // Only this branch's change: main's later removal of Alan's grant is not part of the pull request.
    expect(r.stdout).toContain(
      "Grants (1 removed)\n  [stronger] removed · eligible Security Reader for ada.lovelace@contoso.com",
    );
    expect(r.stdout).not.toContain("alan.turing");
  });

  it("--fail-on weaker and --fail-on any set the exit code, so a workflow can require a security approver", async () => {
    const repo = demoRepo();
    repo.edit("grants/ada-lovelace-security-reader.yaml", null);
    expect((await plan(repo, "--base", "main")).code).toBe(0);
    expect((await plan(repo, "--base", "main", "--fail-on", "weaker")).code).toBe(0);
    expect((await plan(repo, "--base", "main", "--fail-on", "any")).code).toBe(1);
    repo.edit("grants/alan-turing-helpdesk-administrator.yaml", ["end: 2027-04-30", "end: 2027-05-15"]);
    expect((await plan(repo, "--base", "main", "--fail-on", "weaker")).code).toBe(1);
  });

  it("writes the report to --output, nothing to stdout", async () => {
    const repo = demoRepo();
    const out = path.join(repo.root, "out/plan.md");
    const r = await plan(repo, "--base", "main", "--format", "markdown", "--output", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`wrote ${out}\n`);
    expect(fs.readFileSync(out, "utf8")).toMatch(/^### pim plan · stack demo: no change\n/);
  });

  it("a stack new at the base is all new", async () => {
    const repo = demoRepo();
    fs.cpSync(path.join(repo.root, "stacks/demo"), path.join(repo.root, "stacks/second"), {
      recursive: true,
    });
    const r = await runPim([
      "plan",
      "--stack",
      "second",
      "--now",
      NOW,
      "--root",
      repo.root,
      "--base",
      "main",
      "--format",
      "json",
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.base.exists).toBe(false);
    expect(j.notes).toEqual(["stack second does not exist at the base: everything is new"]);
    expect(
      j.changes
        .filter((c: { section: string }) => c.section === "grants")
        .map((c: { action: string }) => c.action),
    ).toEqual(Array(10).fill("added"));
  });

  it.each([
    [
      ["--base", "no-such-branch"],
      'pim plan: no commit "no-such-branch" in this repository\n  fix: fetch it first (git fetch origin <branch>; actions/checkout needs fetch-depth: 0), or pass --base <ref>\n',
    ],
    [
      ["--base", "--upload-pack=evil"],
      "pim plan: Option '--base' argument is ambiguous.\nDid you forget to specify the option argument for '--base'?\nTo specify an option argument starting with a dash use '--base=-XYZ'.\nRun `pim plan --help` for usage.\n",
    ],
    [["--base=--upload-pack=evil"], 'pim plan: "--upload-pack=evil" is not a git ref\n'],
  ])("a missing or malformed ref %j is a clear error, exit 2", async (args, message) => {
    const repo = demoRepo();
    const r = await plan(repo, ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(message);
  });

  it("outside a git repository, says so, exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "pim-nogit-"));
    fs.cpSync(path.join(__dirname, "../../stacks/demo"), path.join(dir, "stacks/demo"), { recursive: true });
    const r = await runPim(["plan", "--stack", "demo", "--root", dir, "--base", "main"]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `pim plan: ${dir} is not inside a git repository\n  fix: run pim plan from a clone of the repository\n`,
    );
  });

  it("invalid working-tree declarations stop the plan with the first problem, exit 1", async () => {
    const repo = demoRepo();
    repo.edit("grants/ada-lovelace-security-reader.yaml", ["role: Security Reader", "role: Security Raeder"]);
    const r = await plan(repo, "--base", "main");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "pim plan: the working tree's declarations of stack demo do not load (1 error), first:\n" +
        '  stacks/demo/grants/ada-lovelace-security-reader.yaml:3:7: role: "Security Raeder" is not an Entra built-in role\n' +
        "  fix: run pim check --stack demo for every problem\n",
    );
  });

  /** The diff a full load of both sides gives, to compare with the plan's partial read of the base. */
  function fullDiff(repo: Repo, now: Date) {
    const read = (ref: string | null) => {
      const listing = ref
        ? repo.git("ls-tree", "-r", "--name-only", ref, "stacks/demo")
        : repo.git("ls-files", "-co", "--exclude-standard", "stacks/demo");
      const files = listing
        .split("\n")
        .filter((p) => p.endsWith(".yaml") && (ref !== null || fs.existsSync(path.join(repo.root, p))))
        .sort((a, b) => (a.endsWith("tenant.yaml") ? -1 : b.endsWith("tenant.yaml") ? 1 : a < b ? -1 : 1))
        .map((p) => ({
          path: p,
          text: ref
            ? `${repo.git("show", `${ref}:${p}`)}\n`
            : fs.readFileSync(path.join(repo.root, p), "utf8"),
        }));
      const m = loadStackFiles("demo", files, now).model!;
      return {
        snap: toSnapshot(m, { tenantYaml: { file: files[0]!.path, text: files[0]!.text } }),
        findings: evaluateSafeDefaults(m, { now }),
      };
    };
    const base = read("main");
    const head = read(null);
    return diffSnapshots(base.snap, head.snap, { findings: { before: base.findings, after: head.findings } });
  }

  const GRANT_EDITS = (repo: Repo) => {
    repo.edit("grants/ada-lovelace-security-reader.yaml", null);
    repo.edit("grants/alan-turing-helpdesk-administrator.yaml", ["end: 2027-04-30", "end: 2027-03-31"]);
    repo.edit(
      "grants/new-person-security-reader.yaml",
      "principal: new.person@contoso.com\nrole: Security Reader\nkind: eligible\nend: 2027-01-31\njustification: x\n",
    );
  };

  it("with tenant.yaml changed: parses it and the changed grant files, and gives the full load's result", () => {
    const repo = demoRepo();
    repo.edit("tenant.yaml", ["      maximumDuration: PT1H\n", "      maximumDuration: PT2H\n"]);
    GRANT_EDITS(repo);
    const now = new Date(NOW);
    const result = computePlan({ root: repo.root, stack: "demo", base: "main", now });
    expect(result.baseFilesParsed).toBe(3); // tenant.yaml and the two changed grant files that exist at the base
    expect(result.diff).toEqual(fullDiff(repo, now));
    expect(result.diff.changes.map((c) => `${c.action} ${c.subject}`)).toEqual([
      "changed Global Administrator",
      "changed Privileged Role Administrator",
      "changed profile tier0",
      "added eligible Security Reader for new.person@contoso.com",
      "changed eligible Helpdesk Administrator for alan.turing@contoso.com",
      "removed eligible Security Reader for ada.lovelace@contoso.com",
    ]);
  });

  it("with tenant.yaml the same: parses only the changed grant files, and gives the full load's result", () => {
    const repo = demoRepo();
    GRANT_EDITS(repo);
    // A neutral change too, so the three kinds of judgement come out in their order.
    repo.edit("grants/ken-thompson-global-administrator.yaml", [
      "justification: Platform lead",
      "justification: Platform owner",
    ]);
    const now = new Date(NOW);
    const result = computePlan({ root: repo.root, stack: "demo", base: "main", now });
    expect(result.baseFilesParsed).toBe(3); // the three changed grant files that exist at the base
    expect(result.diff).toEqual(fullDiff(repo, now));
    expect(result.diff.changes.map((c) => `${c.action} ${c.subject}`)).toEqual([
      "added eligible Security Reader for new.person@contoso.com",
      "changed eligible Global Administrator for ken.thompson@contoso.com",
      "changed eligible Helpdesk Administrator for alan.turing@contoso.com",
      "removed eligible Security Reader for ada.lovelace@contoso.com",
    ]);
  });

  it("reads a break-glass account's changed grant against the bare tenant: a permanent active grant loads anywhere", () => {
    const repo = demoRepo();
    const file = "grants/bg-alpha-global-administrator.yaml";
    // Permanent and active: not a load error (it is PIM-004's finding), so the bare tenant reads it and the base
    // tenant.yaml is not parsed. The diff is the same as a full load's.
    repo.edit(
      file,
      "principal: bg-alpha@contoso.onmicrosoft.com\nrole: Global Administrator\nkind: active\njustification: emergency access\n",
    );
    repo.commit("break-glass through PIM (a mandatory finding, but it loads)");
    repo.edit(file, ["justification: emergency access", "justification: emergency access, site A"]);
    const now = new Date(NOW);
    const result = computePlan({ root: repo.root, stack: "demo", base: "main", now });
    expect(result.baseFilesParsed).toBe(1); // the changed file only
    expect(result.diff).toEqual(fullDiff(repo, now));
    expect(result.diff.changes.map((c) => [c.action, c.subject, c.fields.map((f) => f.field)])).toEqual([
      ["changed", "active Global Administrator for bg-alpha@contoso.onmicrosoft.com", ["justification"]],
    ]);
  });

  it("has --help", async () => {
    const r = await runPim(["plan", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pim plan --stack <name> \[--base <git ref>\]/);
    expect(r.stdout).toContain("Exit codes: 0 done");
  });
});
