/**
 * `pim demo` end to end, as a new user runs it after `npm ci`: `node bin/pim.js demo` in a child process, from the
 * repository root, with no Graph settings in its environment. The one slow test of the demo (its apply runs the
 * program under Pulumi's cmd/run, type-checked by ts-node). Asserts the sections in order, the key findings of
 * each, what the apply did, what is left, and exit 0.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnvironment } from "../../engineDouble/program";
import { PROGRAM_TIMEOUT_MS } from "../engine/helpers";

const ROOT = path.resolve(__dirname, "..", "..");
let out = "";
let err = "";
let code: number | null = null;

beforeAll(async () => {
  const env = cliEnvironment({ NO_COLOR: "1" });
  for (const k of Object.keys(env)) if (k.startsWith("PIM_")) delete env[k];
  const child = spawn(process.execPath, [path.join(ROOT, "bin/pim.js"), "demo", "--timings"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (out += String(d)));
  child.stderr.on("data", (d) => (err += String(d)));
  code = await new Promise((resolve) => child.once("close", resolve));
}, PROGRAM_TIMEOUT_MS);

/** The text of one section, from its heading to the next. */
function section(n: number): string {
  const start = out.indexOf(`== ${n}/8 · `);
  const end = out.indexOf(`== ${n + 1}/8 · `);
  return out.slice(start, end < 0 ? undefined : end);
}

describe("pim demo", () => {
  it("runs to completion and exits 0, with nothing on stderr", () => {
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/\npim demo ran in \d+\.\d s\.\n$/);
  });

  it("prints its sections in order", () => {
    const headings = [...out.matchAll(/^== (\d)\/8 · (.*) ==$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      "1 The tenant: the Graph emulator, seeded",
      "2 Report: the safe-default rules on the live tenant (with the facts only a tenant has)",
      "3 Drift: declared (stacks/demo) versus the live tenant",
      "4 Expiry: grants that end soon, or have ended and are still declared",
      "5 Audit: PIM activations, outliers, failures and approval times (last 30 days)",
      "6 Apply stacks/demo through the project's providers (engine test double, emulator only)",
      "7 Drift after the apply: what the stack does not manage is still there",
      "8 Closing summary",
    ]);
    expect(section(1)).toContain("seeded from emulator/seeds/handmade.yaml");
  });

  it("shows each report's key findings", () => {
    expect(section(2)).toContain("$ pim report --stack demo --now 2027-01-04T09:00:00.000Z");
    expect(section(2)).toContain(
      "it-admin@contoso.com is assigned Global Administrator outside PIM (a plain role assignment, with no start date)",
    );
    expect(section(2)).toMatch(/\n {2}\(\d+\.\d s; exit 1: mandatory findings\)\n/);
    expect(section(3)).toContain(
      "[weaker] active Global Administrator for it-admin@contoso.com: new permanent access",
    );
    expect(section(4)).toContain("eligible Global Administrator for c-jordan.lee@contoso.com");
    expect(section(5)).toContain("191 activations, 1 outlier, 8 failed, 10 approvals waited more than 5 min");
    expect(section(5)).toMatch(
      /more lines \(pim audit --stack demo --at 2027-01-04T09:00:00\.000Z shows them all\)/,
    );
  });

  it("applies through the providers, lists azuread's resources without faking them, and says where group ids came from", () => {
    const apply = section(6);
    expect(apply).toContain("role settings     Security Administrator");
    expect(apply).toContain(
      "PIM-group grant   eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com",
    );
    expect(apply).toContain(
      "Graph writes: 10 × PATCH /policies/roleManagementPolicies/:policyId, 6 × POST /roleManagement/directory/roleEligibilityScheduleRequests, 1 × POST /identityGovernance/privilegedAccess/group/eligibilityScheduleRequests",
    );
    expect(apply).toContain(
      'create  azuread Group "PIM Approvers - Tier 0" — already in the emulator\'s tenant (object id 6b276617-4c68-5aac-b44a-2640f564e89d), as in a tenant where it was created; the program used that id',
    );
    expect(apply).toContain('create  azuread GroupMember Margaret Hamilton in "PIM Approvers - Tier 0"');
    expect(apply).toContain(
      "create  azure-native RoleManagementPolicy tenant-azure-8e3af657-a8ff-443c-a75c-2fe8c4bcb635-56eaf74a-policy",
    );
    expect(apply).toContain("expired on 2027-01-01T00:00:00.000Z; it is not provisioned");
  });

  it("shows what is left, and sums up what was found and fixed, with the time of every step", () => {
    expect(section(7)).toContain("9 changes: 7 weaker, 2 neutral · highest risk: weaker");
    // The Owner settings on the subscription are recorded for azure-native, not applied: one line says so.
    expect(section(7)).toContain(
      "\n    Owner on /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f: still as set by hand, because the demo records azure-native's RoleManagementPolicy without applying it (no ARM writes); a real `pulumi up` applies it through azure-native\n",
    );
    expect(section(7)).not.toContain("changed · Security Administrator");
    const summary = section(8);
    expect(summary).toContain(
      "found   report: 37 findings, 19 mandatory (PIM-003, PIM-004, PIM-005, PIM-022, PIM-026, PIM-028, PIM-029, PIM-038, PIM-040)",
    );
    expect(summary).toContain("found   expiry: 1 item: 1 ended");
    expect(summary).toContain(
      "applied 10 role settings and 12 grants under management through the providers (18 Graph writes; the rest adopted as they were); 6 azuread/azure-native resources listed, not applied",
    );
    expect(summary).toContain("left    drift: 9 changes: 7 weaker, 2 neutral · highest risk: weaker");
    for (const step of [
      "start the emulator",
      "pim report",
      "apply (engineDouble up)",
      "pim drift (after)",
      "total",
    ])
      expect(summary).toMatch(new RegExp(`\\n    ${step.replace(/[()]/g, "\\$&")} +\\d+\\.\\d s\\n`));
  });
});
