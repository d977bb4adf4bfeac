// The hand-made demo tenant (emulator/seeds/handmade.yaml) as pim audit and pim expiry see it at the demo's
// instant: every audit figure the seed plants, and the contractor's ended grant still declared in stacks/demo.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphFromEnvironment } from "../../providers/graph";
import { readPimAudit } from "../../providers/graph/reads/audit";
import { readGlobalAdminHoldings, isPermanentActive } from "../../providers/graph/reads/globalAdmins";
import { analyzeAudit } from "../../scripts/commands/audit/analysis";
import { reportSteps } from "../../scripts/commands/demo/steps";
import { DEMO_AT, DEMO_STACK, startDemoTenant, type DemoTenant } from "../../scripts/commands/demo/tenant";

const ROOT = path.resolve(__dirname, "..", "..");
const DAY = 86_400_000;
let tenant: DemoTenant;

beforeAll(async () => {
  tenant = await startDemoTenant(ROOT, DEMO_STACK, DEMO_AT);
});
afterAll(async () => {
  await tenant?.stop();
});

const user = (upn: string) => tenant.emu.state.findUser(upn)!;

describe("the audit log of the hand-made tenant", () => {
  it("holds 200 activation requests in the 30-day window: 191 activations, one outlier, 8 failed, 10 slow approvals", async () => {
    const from = new Date(DEMO_AT.getTime() - 30 * DAY);
    const records = await readPimAudit(graphFromEnvironment(), { from, to: DEMO_AT });
    const r = analyzeAudit(records, { from, to: DEMO_AT, threshold: 10, pendingMinutes: 5 });
    const requests = new Set(records.map((x) => x.correlationId));
    expect(requests.size).toBe(200);
    expect(r.activations).toHaveLength(191);
    expect(r.counts.filter((c) => c.outlier).map((c) => [c.user.name, c.target.name, c.count])).toEqual([
      ["grace.hopper@contoso.com", "Exchange Administrator", 48],
    ]);
    const kinds = r.failures.map((f) => `${f.kind} ${f.user.name} ${f.target.name}`);
    expect(kinds).toEqual([
      "refused edsger.dijkstra@contoso.com Privileged Role Administrator",
      "expired edsger.dijkstra@contoso.com Privileged Role Administrator",
      "refused edsger.dijkstra@contoso.com Privileged Role Administrator",
      "refused edsger.dijkstra@contoso.com Privileged Role Administrator",
      "refused alan.turing@contoso.com User Administrator",
      "refused alan.turing@contoso.com User Administrator",
      "refused c-jordan.lee@contoso.com Global Administrator",
      "denied ken.thompson@contoso.com Global Administrator",
    ]);
    expect(r.slowApprovals.map((s) => `${s.outcome} ${s.user.name} ${Math.round(s.waitedMinutes)}`)).toEqual([
      "expired edsger.dijkstra@contoso.com 1440",
      "pending ken.thompson@contoso.com 180",
      "approved ken.thompson@contoso.com 47",
      "approved ken.thompson@contoso.com 47",
      "denied ken.thompson@contoso.com 9",
      ...Array(5).fill("approved katherine.johnson@contoso.com 6"),
    ]);
  });
});

describe("the hand-made tenant's standing Global Administrators", () => {
  it("are the two break-glass accounts and the synchronised it-admin, assigned outside PIM", async () => {
    const upns = [
      "bg-alpha@contoso.onmicrosoft.com",
      "bg-bravo@contoso.onmicrosoft.com",
      "it-admin@contoso.com",
      "barbara.liskov@contoso.com",
      "margaret.hamilton@contoso.com",
    ];
    const held = await readGlobalAdminHoldings(
      graphFromEnvironment(),
      upns.map((u) => user(u).id),
    );
    const permanent = upns.filter((u) => held.get(user(u).id)!.active.some(isPermanentActive));
    expect(permanent).toEqual(upns.slice(0, 3));
    expect(held.get(user("margaret.hamilton@contoso.com").id)!.eligible).toHaveLength(1);
    expect(user("it-admin@contoso.com").onPremisesSyncEnabled).toBe(true);
    expect(user("bg-alpha@contoso.onmicrosoft.com").onPremisesSyncEnabled).toBeNull();
  });
});

describe("pim expiry in the demo", () => {
  it("reports the contractor's Global Administrator grant, ended on 2026-12-31 and still declared, and nothing else", async () => {
    const expiryStep = reportSteps(ROOT, DEMO_STACK, DEMO_AT).find((s) => s.name === "expiry")!;
    const r = await expiryStep.run({ stdout: { write: () => true }, stderr: { write: () => true } });
    expect(r.exit).toBe(0);
    expect(r.summary).toBe("1 item: 1 ended");
    expect(r.text).toContain(
      "expired  2026-12-31  ended 3 days ago  eligible Global Administrator for c-jordan.lee@contoso.com  stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
    );
  });
});
