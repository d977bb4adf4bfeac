// The activation audit's figures, exact, over a seeded audit log read through the Graph layer from the
// emulator (test/cli/fixtures/auditSeed.ts has the figures worked out by hand), and the statistics on their own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { clientCredentialsTokenProvider, createGraphClient, type GraphApi } from "../../providers/graph";
import {
  AuditReadError,
  pimAuditUrl,
  readPimAudit,
  type PimAuditRecord,
} from "../../providers/graph/reads/audit";
import { analyzeAudit, median, percentile, type AuditReport } from "../../scripts/commands/audit/analysis";
import { AUDIT_NOW, AUDIT_SEED } from "./fixtures/auditSeed";

const DAY = 86_400_000;
let emu: RunningEmulator;
/** The product's Graph client as one of the seed's apps. */
function graphFor(e: RunningEmulator, app: string): GraphApi {
  const c = e.clientCredentials(app);
  return createGraphClient({
    baseUrl: e.baseUrl,
    tokenProvider: clientCredentialsTokenProvider({
      tokenUrl: `${e.baseUrl}/${c.tenantId}/oauth2/v2.0/token`,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    }),
  });
}
const graphAs = (app: string) => graphFor(emu, app);
let records: PimAuditRecord[];
let report: AuditReport;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: AUDIT_NOW, seed: AUDIT_SEED });
  const from = new Date(AUDIT_NOW.getTime() - 30 * DAY);
  emu.log.clear();
  records = await readPimAudit(graphAs("auditor"), { from, to: AUDIT_NOW });
  report = analyzeAudit(records, { from, to: AUDIT_NOW, threshold: 10, pendingMinutes: 5 });
});
afterAll(async () => {
  await emu.stop();
});

const ago = (ms: number) => new Date(AUDIT_NOW.getTime() - ms).toISOString().replace(".000Z", "Z");
const MIN = 60_000;

describe("reading PIM's audit records", () => {
  it("asks for loggedByService eq 'PIM' within the window and follows every page", () => {
    expect(decodeURIComponent(pimAuditUrl(new Date("2026-08-02T09:00:00.000Z"), AUDIT_NOW))).toBe(
      "/auditLogs/directoryAudits?$filter=loggedByService eq 'PIM' and activityDateTime ge 2026-08-02T09:00:00Z and activityDateTime le 2026-09-01T09:00:00Z&$top=999",
    );
    // 12·2 + 3·2 + 4·4 + 3·4 + 3 (denied) + 3 (expired) + 2·2 (pending) + 2 (refused) = 70 records inside
    // 30 days; the activation 40 days ago stays out.
    expect(records).toHaveLength(70);
    expect(emu.log.entries().filter((e) => e.path === "/v1.0/auditLogs/directoryAudits")).toHaveLength(1);
  });

  it("pages of 999 records: 1,200 records take two requests", async () => {
    const busy = await startEmulator({
      port: 0,
      now: AUDIT_NOW,
      seed: {
        ...AUDIT_SEED,
        activations: [
          {
            principal: "ava@northwind.com",
            role: "Exchange Administrator",
            at: "-P25D",
            repeat: { count: 600, every: "PT1H" },
          },
        ],
      },
    });
    try {
      const g = graphFor(busy, "auditor");
      const all = await readPimAudit(g, { from: new Date(AUDIT_NOW.getTime() - 30 * DAY), to: AUDIT_NOW });
      expect(all).toHaveLength(1200);
      expect(new Set(all.map((r) => r.id)).size).toBe(1200);
      expect(busy.log.entries().filter((e) => e.path === "/v1.0/auditLogs/directoryAudits")).toHaveLength(2);
    } finally {
      await busy.stop();
    }
  });

  it("a missing AuditLog.Read.All names the permission; nothing partial comes back", async () => {
    const e = await readPimAudit(graphAs("no-audit"), { from: new Date(0), to: AUDIT_NOW }).catch((x) => x);
    expect(e).toBeInstanceOf(AuditReadError);
    expect(e.status).toBe(403);
    expect(e.message).toMatch(
      /Calling principal does not have required MSGraph permissions AuditLog\.Read\.All/,
    );
    expect(e.hint).toBe(
      "grant the identity the Microsoft Graph application permission AuditLog.Read.All (admin consent); Directory.Read.All does not include audit data",
    );
  });
});

describe("the activation audit", () => {
  it("lists who activated which role, when and why", () => {
    expect(report.records).toBe(70);
    expect(report.activations).toHaveLength(22);
    expect(report.activations[0]).toEqual({
      at: ago(10 * DAY),
      user: { id: emu.state.findUser("ava@northwind.com")!.id, name: "ava@northwind.com" },
      target: { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator", type: "Role" },
      justification: "INC ops",
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // An approved activation is completed by the system; its reason comes with it.
    const approved = report.activations.find((a) => a.justification === "CHG-4")!;
    expect([approved.at, approved.user.name, approved.target.name]).toEqual([
      ago(6 * DAY - 30 * MIN),
      "ben@northwind.com",
      "Global Administrator",
    ]);
  });

  it("counts activations per user and role, and marks those above the threshold", () => {
    expect(report.counts.map((c) => [c.user.name, c.target.name, c.count, c.outlier])).toEqual([
      ["ava@northwind.com", "Exchange Administrator", 12, true],
      ["ben@northwind.com", "Global Administrator", 4, false],
      ["ava@northwind.com", "Privileged Role Administrator", 3, false],
      ["ben@northwind.com", "Exchange Administrator", 3, false],
    ]);
    const strict = analyzeAudit(records, {
      from: new Date(report.from),
      to: AUDIT_NOW,
      threshold: 3,
      pendingMinutes: 5,
    });
    expect(strict.counts.filter((c) => c.outlier).map((c) => c.count)).toEqual([12, 4]);
  });

  it("lists failed activations with their reasons", () => {
    expect(
      report.failures.map((f) => [f.at, f.kind, f.user.name, f.target.name, f.reason, f.by?.name ?? null]),
    ).toEqual([
      [
        ago(6 * DAY + 60 * MIN - 12 * MIN),
        "denied",
        "ava@northwind.com",
        "Privileged Role Administrator",
        "no ticket",
        "dee@northwind.com",
      ],
      [
        ago(2 * DAY + 6 * 60 * MIN),
        "refused",
        "ava@northwind.com",
        "Security Administrator",
        "The following policy rules failed: MfaRule - Multi-factor authentication is required",
        null,
      ],
      [
        ago(2 * DAY),
        "expired",
        "ava@northwind.com",
        "Global Administrator",
        "no approver answered in time",
        null,
      ],
      [
        ago(DAY),
        "refused",
        "ben@northwind.com",
        "Ops Elevated",
        "The following policy rules failed: JustificationRule - Justification is required",
        null,
      ],
    ]);
    expect(report.failures[3]!.target.type).toBe("Group");
  });

  it("gives approval response times per role and approver: median and 90th percentile", () => {
    expect(
      report.approvalTimes.map((a) => [
        a.target.name,
        a.approver.name,
        a.decisions,
        a.approved,
        a.denied,
        a.medianMinutes,
        a.p90Minutes,
      ]),
    ).toEqual([
      ["Global Administrator", "cy@northwind.com", 4, 4, 0, 6.5, 30],
      ["Privileged Role Administrator", "dee@northwind.com", 4, 3, 1, 4, 12],
    ]);
  });

  it("lists every request that waited longer than the threshold, answered or not", () => {
    expect(
      report.slowApprovals.map((s) => [
        s.waitedMinutes,
        s.outcome,
        s.user.name,
        s.target.name,
        s.approver?.name ?? null,
      ]),
    ).toEqual([
      [1440, "expired", "ava@northwind.com", "Global Administrator", null],
      [40, "pending", "ben@northwind.com", "Global Administrator", null],
      [30, "approved", "ben@northwind.com", "Global Administrator", "cy@northwind.com"],
      [12, "denied", "ava@northwind.com", "Privileged Role Administrator", "dee@northwind.com"],
      [9, "approved", "ben@northwind.com", "Global Administrator", "cy@northwind.com"],
    ]);
    const patient = analyzeAudit(records, {
      from: new Date(report.from),
      to: AUDIT_NOW,
      threshold: 10,
      pendingMinutes: 30,
    });
    expect(patient.slowApprovals.map((s) => s.waitedMinutes)).toEqual([1440, 40]);
  });

  it("a wider window takes in the older activation", () => {
    const wide = analyzeAudit(records, {
      from: new Date(AUDIT_NOW.getTime() - 45 * DAY),
      to: AUDIT_NOW,
      threshold: 10,
      pendingMinutes: 5,
    });
    // The records were read for 30 days: the window of the analysis never invents what was not read.
    expect(wide.activations).toHaveLength(22);
  });
});

describe("statistics", () => {
  it("median of odd and even counts; nearest-rank percentile", () => {
    expect(median([9, 2, 4])).toBe(4);
    expect(median([30, 2, 9, 4])).toBe(6.5);
    expect(percentile([30, 2, 9, 4], 90)).toBe(30);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
