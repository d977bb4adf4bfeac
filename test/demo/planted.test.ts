/**
 * Issue 12's second done-when: `pim report` and `pim drift` find every problem planted in the demo's hand-made
 * tenant (emulator/seeds/handmade.yaml, whose header lists them), each asserted by rule id and object or by the
 * change and its field, at the demo's instant. What must not be reported is asserted too: the declared
 * break-glass accounts (held as declared) and the contractor's ended grant (not expected live).
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Change, TenantDiff } from "../../model/diff";
import type { Finding } from "../../policies/rules";
import { graphFromEnvironment } from "../../providers/graph";
import { armForTenant } from "../../providers/arm";
import { DEMO_AT, DEMO_STACK, startDemoTenant, type DemoTenant } from "../../scripts/commands/demo/tenant";
import { runDrift } from "../../scripts/commands/drift/run";
import { runReport } from "../../scripts/commands/report/run";
import { OWNER_ON_SUB, OWNER_VERDICT } from "../live/handmadeAzure";

const ROOT = path.resolve(__dirname, "..", "..");
let tenant: DemoTenant;
let findings: Finding[];
let reportExit: number;
let diff: TenantDiff;
let driftExit: number;

beforeAll(async () => {
  tenant = await startDemoTenant(ROOT, DEMO_STACK, DEMO_AT);
  // The demo tenant's environment points ARM at the emulator too; the demo stack declares Owner on a subscription.
  const opts = {
    graph: graphFromEnvironment(),
    arm: () => armForTenant(undefined),
    root: ROOT,
    stack: DEMO_STACK,
    now: DEMO_AT,
  };
  const report = await runReport(opts);
  findings = report.findings;
  reportExit = report.exitCode;
  const drift = await runDrift(opts);
  diff = drift.diff;
  driftExit = drift.exitCode;
});
afterAll(async () => {
  await tenant?.stop();
});

const mandatory = (ruleId: string) =>
  findings.filter((f) => f.ruleId === ruleId && f.mandatory).map((f) => f.object);
const change = (action: Change["action"], subject: string) =>
  diff.changes.find((c) => c.action === action && c.subject === subject);
/**
 * Declared (profile tightened) → live: handmade.yaml's Owner (one-day activations without MFA, permanent active
 * assignments), the rest at Azure's defaults.
 */
const ALERTS = { level: "all", defaultRecipients: true, additionalRecipients: ["pim-alerts@contoso.com"] };
const NO_EXTRA = { level: "all", defaultRecipients: true, additionalRecipients: [] };
const OWNER_FIELDS = [
  ["activation.maximumDuration", "PT4H", "P1D"],
  ["activation.requireMfa", true, false],
  ["activation.requireTicket", true, false],
  ["eligibleAssignment.allowPermanent", false, true],
  ["eligibleAssignment.maximumDuration", "P180D", "P365D"],
  ["activeAssignment.allowPermanent", false, true],
  ["activeAssignment.maximumDuration", "P15D", "P180D"],
  ["notifications.eligibleAssignment.admin", ALERTS, NO_EXTRA],
  ["notifications.activeAssignment.admin", ALERTS, NO_EXTRA],
  ["notifications.activation.admin", ALERTS, NO_EXTRA],
];
const field = (c: Change | undefined, name: string) => c?.fields.find((f) => f.field === name);

describe("pim report on the hand-made tenant", () => {
  it("fails (exit 1) on mandatory findings", () => {
    expect(reportExit).toBe(1);
  });

  it("finds the standing access outside the break-glass accounts: barbara's Privileged Role Administrator and it-admin's Global Administrator (PIM-004)", () => {
    expect(mandatory("PIM-004")).toEqual([
      "barbara-liskov-privileged-role-administrator",
      "it-admin-global-administrator",
    ]);
  });

  it("finds the synchronised admin account (PIM-003) and its assignment outside PIM (PIM-005)", () => {
    expect(mandatory("PIM-003")).toEqual(["it-admin-global-administrator"]);
    expect(mandatory("PIM-005")).toEqual(["it-admin-global-administrator"]);
    const f = findings.find((x) => x.ruleId === "PIM-003")!;
    expect(f.message).toBe(
      "it-admin@contoso.com is synchronised from on-premises and can use Global Administrator; whoever controls the on-premises account controls the role",
    );
  });

  it("finds the role without MFA on activation: Security Administrator (PIM-022)", () => {
    expect(mandatory("PIM-022")).toEqual(["Security Administrator"]);
  });

  it("finds the approver eligible for what she approves: Margaret Hamilton, Global Administrator (PIM-038)", () => {
    expect(mandatory("PIM-038")).toEqual(["Global Administrator"]);
    expect(findings.find((x) => x.ruleId === "PIM-038")!.message).toContain("margaret.hamilton@contoso.com");
  });

  it("finds the 24-hour User Administrator activation (PIM-026)", () => {
    expect(mandatory("PIM-026")).toEqual(["User Administrator"]);
  });

  it("finds the hand-set Owner policy of the subscription, read from ARM: one-day activation without MFA or approval, permanent active assignments", () => {
    const owner = findings.filter((f) => f.object === OWNER_ON_SUB);
    expect(owner.map((f) => [f.ruleId, f.severity, f.mandatory])).toEqual(OWNER_VERDICT);
  });

  it("does not report the declared break-glass accounts", () => {
    const breakGlass = findings.filter((f) => /bg-(alpha|bravo)/.test(`${f.object} ${f.message}`));
    expect(breakGlass.map((f) => f.ruleId)).toEqual([]);
  });
});

describe("pim drift of stacks/demo against the hand-made tenant", () => {
  it("reports drift (exit 1)", () => {
    expect(driftExit).toBe(1);
  });

  it("lists every unmanaged access made by hand as added, and nothing else as added", () => {
    const added = diff.changes.filter((c) => c.action === "added").map((c) => `${c.section}: ${c.subject}`);
    expect(added).toEqual([
      "grants: active Global Administrator for it-admin@contoso.com",
      "grants: active Privileged Role Administrator for barbara.liskov@contoso.com",
      "grants: eligible Application Administrator for c-jordan.lee@contoso.com",
      "grants: eligible Global Administrator for margaret.hamilton@contoso.com",
      "grants: eligible Privileged Role Administrator for katherine.johnson@contoso.com",
      "memberships: eligible member of Tier-1 Helpdesk Operators for alan.turing@contoso.com",
    ]);
    expect(change("added", "eligible Global Administrator for margaret.hamilton@contoso.com")!.note).toBe(
      "new permanent access",
    );
  });

  it("finds the settings made by hand: Security Administrator without MFA, Global Administrator for 4 hours, User Administrator for a day", () => {
    const mfa = field(change("changed", "Security Administrator"), "activation.requireMfa");
    expect([mfa?.before, mfa?.after, mfa?.risk]).toEqual([true, false, "weaker"]);
    const ga = field(change("changed", "Global Administrator"), "activation.maximumDuration");
    expect([ga?.before, ga?.after]).toEqual(["PT1H", "PT4H"]);
    const ua = field(change("changed", "User Administrator"), "activation.maximumDuration");
    expect([ua?.before, ua?.after]).toEqual(["PT4H", "P1D"]);
  });

  it("finds the Owner settings set by hand on the production subscription, read from ARM", () => {
    const owner = change("changed", "Owner on /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
    expect(owner?.fields.map((f) => [f.field, f.before, f.after])).toEqual(OWNER_FIELDS);
  });

  it("finds the declared grants the tenant lacks, and the one with another end date", () => {
    const removed = diff.changes.filter((c) => c.action === "removed").map((c) => c.subject);
    expect(removed).toEqual([
      "eligible Conditional Access Administrator for barbara.liskov@contoso.com",
      "eligible Helpdesk Administrator for alan.turing@contoso.com",
      "eligible Privileged Role Administrator for edsger.dijkstra@contoso.com",
      "eligible Security Administrator for barbara.liskov@contoso.com",
      "eligible User Administrator for ada.lovelace@contoso.com",
      "eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com",
    ]);
    const end = field(change("changed", "eligible User Administrator for alan.turing@contoso.com"), "end");
    expect([end?.before, end?.after]).toEqual(["2027-05-01T00:00:00.000Z", "2027-02-15T00:00:00.000Z"]);
  });

  it("expects neither the contractor's ended Global Administrator grant nor the break-glass holdings live", () => {
    const subjects = diff.changes.map((c) => c.subject).join("\n");
    expect(subjects).not.toContain("Global Administrator for c-jordan.lee@contoso.com");
    expect(subjects).not.toMatch(/bg-(alpha|bravo)/);
  });
});
