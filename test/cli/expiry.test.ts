/**
 * `pim expiry` on the demo at instants before, on and after each of PIM's notice points for the demo contractor
 * (c-jordan.lee, last day 2026-12-31, so the grant ends 2027-01-01T00:00Z), the renewal and removal pull requests
 * it prepares, and their opening with git and a stand-in for the GitHub CLI.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../model/duration";
import { noticeFor } from "../../model/snapshot";
import { demoRepo } from "./gitRepo";
import { runPim } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const JORDAN = "eligible Global Administrator for c-jordan.lee@contoso.com";
const expiry = (...args: string[]) => runPim(["expiry", "--stack", "demo", "--root", ROOT, ...args]);
/** pim expiry on the demo in another repository, as of `at`. */
const expiryIn = (root: string, at: string, ...args: string[]) =>
  runPim(["expiry", "--stack", "demo", "--root", root, "--at", at, ...args]);

describe("pim expiry: the demo contractor at each notice point", () => {
  it.each([
    // instant, notice shown (null: not listed with the default 14-day window), "ends" cell
    ["2026-12-17T23:59:59Z", null, null],
    ["2026-12-18T00:00:00Z", "14 days", "in 14 days"],
    ["2026-12-25T00:00:00Z", "14 days", "in 7 days"],
    ["2026-12-30T23:59:59Z", "14 days", "in 2 days"],
    ["2026-12-31T00:00:00Z", "1 day", "in 1 day"],
    ["2026-12-31T23:59:59Z", "1 day", "in 1 day"],
    ["2027-01-01T00:00:00Z", "expired", "ended 0 days ago"],
    ["2027-01-02T00:00:00Z", "expired", "ended 1 day ago"],
  ])("at %s: %s", async (at, notice, ends) => {
    const r = await expiry("--at", at, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const item = j.items.find((i: { subject: string }) => i.subject === JORDAN);
    if (notice === null) {
      expect(item).toBeUndefined();
      expect(j.summary).toBe("nothing ends within 14 days");
      return;
    }
    expect(item).toMatchObject({
      type: "grant",
      notice,
      lastDay: "2026-12-31",
      file: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
    });
    const text = await expiry("--at", at);
    expect(text.stdout).toMatch(new RegExp(`^  ${notice}\\s+2026-12-31  ${ends}\\s+${JORDAN} `, "m"));
  });

  it("the notice thresholds sit exactly at 14 days, 1 day and the end", () => {
    expect(noticeFor(14 * DAY + 1)).toBeNull();
    expect(noticeFor(14 * DAY)).toBe("14 days");
    expect(noticeFor(DAY + 1)).toBe("14 days");
    expect(noticeFor(DAY)).toBe("1 day");
    expect(noticeFor(1)).toBe("1 day");
    expect(noticeFor(0)).toBe("expired");
    expect(noticeFor(-DAY)).toBe("expired");
  });

  it("a wider window lists later ends without a notice, memberships and ownerships too", async () => {
    const r = await expiry("--at", "2027-04-10T00:00:00Z", "--within", "30d");
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "pim expiry · stack demo · as of 2027-04-10 00:00 UTC · window 30 days",
      "11 items: 1 ended, 10 later in the window",
    ]);
    expect(r.stdout).toMatch(
      /^  -\s+2027-04-30  in 21 days\s+eligible member of Tier-1 Helpdesk Operators for grace\.hopper@contoso\.com\s+stacks\/demo\/tenant\.yaml$/m,
    );
    expect(r.stdout).toMatch(
      /^  -\s+2027-04-30  in 21 days\s+eligible owner of Tier-1 Helpdesk Operators for ken\.thompson@contoso\.com\s+stacks\/demo\/tenant\.yaml$/m,
    );
    const md = await expiry("--at", "2026-12-31T00:00:00Z", "--format", "markdown");
    expect(md.stdout).toBe(
      [
        "### pim expiry · stack demo: 1 item: 1 within 1 day",
        "",
        "As of 2026-12-31 00:00 UTC, window 14 days.",
        "",
        "| notice | last day | ends | what | file |",
        "| --- | --- | --- | --- | --- |",
        "| 1 day | 2026-12-31 | in 1 day | eligible Global Administrator for c-jordan.lee@\u200bcontoso.com | stacks/demo/grants/c-jordan-lee-global-administrator.yaml |",
        "",
        "<!-- pim-expiry:demo -->",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [
      ["--within", "two weeks"],
      'pim expiry: --within must be a number of days such as 14d, or an ISO duration such as P30D, not "two weeks"\nRun `pim expiry --help` for usage.\n',
    ],
    [
      ["--at", "2026-12-18"],
      'pim expiry: --at must be an instant with a zone, e.g. 2026-11-23T12:00:00Z, not "2026-12-18"\nRun `pim expiry --help` for usage.\n',
    ],
    [["--push"], "pim expiry: --push needs --open-prs\nRun `pim expiry --help` for usage.\n"],
  ])("usage error %j", async (args, message) => {
    const r = await expiry(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
  });
});

describe("pim expiry --open-prs", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("prepares a renewal with a proposed end for the sponsor to confirm, 14 days before", async () => {
    const repo = demoRepo();
    const r = await expiryIn(repo.root, "2026-12-25T00:00:00Z", "--open-prs", "--format", "json");
    const [pr] = JSON.parse(r.stdout).pullRequests;
    expect(pr.action).toBe("renew");
    expect(pr.branch).toBe("pim/renew/demo/c-jordan-lee-global-administrator");
    expect(pr.title).toBe(`PIM demo: renew ${JORDAN} until 2027-02-11 (to confirm)`);
    expect(pr.renewal).toEqual({
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-02-12T00:00:00.000Z",
      endText: "2027-02-11",
      startText: "2026-11-20",
      capped: false,
    });
    const original = fs.readFileSync(
      path.join(repo.root, "stacks/demo/grants/c-jordan-lee-global-administrator.yaml"),
      "utf8",
    );
    expect(pr.changes).toEqual([
      {
        path: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
        content: original.replace("end: 2026-12-31", "end: 2027-02-11"),
      },
    ]);
    expect(pr.body).toContain(
      "**The new end date is a proposal.** The sponsor (ken.thompson@contoso.com) must confirm it in a review",
    );
    expect(pr.outcome).toBeNull();
  });

  it("prepares a removal once ended, and renews a membership in tenant.yaml", async () => {
    const repo = demoRepo();
    const ended = JSON.parse(
      (await expiryIn(repo.root, "2027-01-02T00:00:00Z", "--open-prs", "--format", "json")).stdout,
    );
    expect(
      ended.pullRequests.map((p: { action: string; branch: string; changes: unknown }) => [
        p.action,
        p.branch,
        p.changes,
      ]),
    ).toEqual([
      [
        "remove",
        "pim/remove/demo/c-jordan-lee-global-administrator",
        [{ path: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml", content: null }],
      ],
    ]);
    const later = JSON.parse(
      (await expiryIn(repo.root, "2027-04-20T00:00:00Z", "--open-prs", "--format", "json")).stdout,
    );
    const grace = later.pullRequests.find((p: { branch: string }) =>
      p.branch.endsWith("tier-1-helpdesk-operators-member-eligible-grace-hopper-contoso-com"),
    );
    expect(grace.branch).toBe(
      "pim/renew/demo/tier-1-helpdesk-operators-member-eligible-grace-hopper-contoso-com",
    );
    expect(grace.renewal.endText).toBe("2027-05-30");
    const tenant = fs.readFileSync(path.join(repo.root, "stacks/demo/tenant.yaml"), "utf8");
    expect(grace.changes[0].path).toBe("stacks/demo/tenant.yaml");
    expect(grace.changes[0].content).toBe(
      tenant.replace(
        "        - principal: grace.hopper@contoso.com\n          end: 2027-04-30",
        "        - principal: grace.hopper@contoso.com\n          end: 2027-05-30",
      ),
    );
  });

  it("--push commits on the branch without touching the working tree, pushes, and opens the pull request with gh", async () => {
    const repo = demoRepo();
    const origin = fs.mkdtempSync(path.join(os.tmpdir(), "pim-origin-"));
    execFileSync("git", ["init", "-q", "--bare", origin]);
    repo.git("remote", "add", "origin", origin);
    repo.git("push", "-q", "origin", "main");
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "pim-gh-"));
    const log = path.join(bin, "calls.log");
    // A stand-in for the GitHub CLI: records its arguments and stdin, answers as gh does.
    fs.writeFileSync(
      path.join(bin, "gh"),
      `#!/usr/bin/env bash\necho "$*" >> "${log}"\ncase "$1 $2" in\n  "--version "*) echo "gh version 2.0.0";;\n  "pr list") ;;\n  "pr create") cat > "${log}.body"; echo "https://github.com/contoso/pim/pull/7";;\nesac\n`,
      { mode: 0o755 },
    );
    Object.assign(process.env, {
      PATH: `${bin}:${process.env["PATH"]}`,
      GIT_AUTHOR_NAME: "pim expiry",
      GIT_AUTHOR_EMAIL: "pim@example.com",
      GIT_COMMITTER_NAME: "pim expiry",
      GIT_COMMITTER_EMAIL: "pim@example.com",
      // The machine's own git configuration (signing, hooks) is not part of what is tested.
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
    });
    const status = repo.git("status", "--porcelain");
    const r = await expiryIn(repo.root, "2026-12-25T00:00:00Z", "--open-prs", "--push");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  opened: https://github.com/contoso/pim/pull/7");
    expect(repo.git("status", "--porcelain")).toBe(status);
    expect(repo.git("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    const branch = "pim/renew/demo/c-jordan-lee-global-administrator";
    const pushed = execFileSync(
      "git",
      ["--git-dir", origin, "show", `${branch}:stacks/demo/grants/c-jordan-lee-global-administrator.yaml`],
      { encoding: "utf8" },
    );
    expect(pushed).toContain("end: 2027-02-11\n");
    expect(
      execFileSync("git", ["--git-dir", origin, "log", "-1", "--format=%s", branch], {
        encoding: "utf8",
      }).trim(),
    ).toBe(`PIM demo: renew ${JORDAN} until 2027-02-11 (to confirm)`);
    expect(fs.readFileSync(log, "utf8").split("\n")).toEqual([
      "--version",
      `pr list --head ${branch} --state open --json url --jq .[0].url`,
      `pr create --base main --head ${branch} --title PIM demo: renew ${JORDAN} until 2027-02-11 (to confirm) --body-file -`,
      "",
    ]);
    expect(fs.readFileSync(`${log}.body`, "utf8")).toContain("<!-- pim-expiry:demo:");
    fs.rmSync(origin, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  });

  it("--push without gh says what to do, exit 3", async () => {
    const repo = demoRepo();
    process.env["PATH"] = path.dirname(execFileSync("which", ["git"], { encoding: "utf8" }).trim());
    const r = await expiryIn(repo.root, "2026-12-25T00:00:00Z", "--open-prs", "--push");
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      "pim expiry: --push needs the GitHub CLI (gh)\n  fix: install gh and set GH_TOKEN, or run without --push to print the pull requests\n",
    );
  });
});
