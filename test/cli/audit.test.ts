// `pim audit` end to end against the emulator: reaching the tenant from the environment or as a stack does, the
// three formats, and a missing permission named. The figures themselves: auditAnalysis.test.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { analyzeAudit } from "../../scripts/commands/audit/analysis";
import { csvCell, renderCsv, renderText } from "../../scripts/commands/audit/render";
import { AUDIT_NOW, AUDIT_SEED } from "./fixtures/auditSeed";
import { runPim } from "./helpers";

const ENV = [
  "PIM_GRAPH_BASE_URL",
  "PIM_GRAPH_TENANT_ID",
  "PIM_GRAPH_CLIENT_ID",
  "PIM_GRAPH_CLIENT_SECRET",
] as const;
let emu: RunningEmulator;
const saved: Partial<Record<(typeof ENV)[number], string>> = {};
const at = ["--at", AUDIT_NOW.toISOString()];

function asApp(app: string, withBaseUrl = true): void {
  const c = emu.clientCredentials(app);
  if (withBaseUrl) process.env.PIM_GRAPH_BASE_URL = emu.baseUrl;
  else delete process.env.PIM_GRAPH_BASE_URL;
  process.env.PIM_GRAPH_TENANT_ID = c.tenantId;
  process.env.PIM_GRAPH_CLIENT_ID = c.clientId;
  process.env.PIM_GRAPH_CLIENT_SECRET = c.clientSecret;
}

beforeAll(async () => {
  for (const k of ENV) saved[k] = process.env[k];
  emu = await startEmulator({ port: 0, now: AUDIT_NOW, seed: AUDIT_SEED });
});
afterAll(async () => {
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  await emu.stop();
});

describe("pim audit", () => {
  it("prints the tables", async () => {
    asApp("auditor");
    const r = await runPim(["audit", ...at]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "pim audit · tenant from the environment · 2026-08-02 09:00 → 2026-09-01 09:00 UTC (30 days) · 70 PIM records",
      "22 activations, 1 outlier, 4 failed, 5 approvals waited more than 5 min",
    ]);
    const after = (title: string, n: number) =>
      lines.slice(lines.findIndex((l) => l.startsWith(title)) + 1).slice(0, n);
    expect(after("Activations per user and role", 5)).toEqual([
      "  COUNT           USER               ROLE",
      "     12  outlier  ava@northwind.com  Exchange Administrator",
      "      4           ben@northwind.com  Global Administrator",
      "      3           ava@northwind.com  Privileged Role Administrator",
      "      3           ben@northwind.com  Exchange Administrator",
    ]);
    expect(after("Approval response times", 3)).toEqual([
      "  ROLE                           APPROVER           DECISIONS  DENIED   MEDIAN     P90",
      "  Global Administrator           cy@northwind.com           4       0  6.5 min  30 min",
      "  Privileged Role Administrator  dee@northwind.com          4       1    4 min  12 min",
    ]);
    expect(after("Waited more than 5 min for approval (5)", 3)).toEqual([
      "  REQUESTED (UTC)   WAITED  OUTCOME   USER               ROLE                           APPROVER",
      "  2026-08-29 09:00    24 h  expired   ava@northwind.com  Global Administrator           -",
      "  2026-09-01 08:20  40 min  pending   ben@northwind.com  Global Administrator           -",
    ]);
    expect(after("Failed activations (4)", 5)).toEqual([
      "  WHEN (UTC)        KIND     USER               ROLE                           REASON                                                                                BY",
      "  2026-08-26 08:12  denied   ava@northwind.com  Privileged Role Administrator  no ticket                                                                             dee@northwind.com",
      "  2026-08-30 03:00  refused  ava@northwind.com  Security Administrator         The following policy rules failed: MfaRule - Multi-factor authentication is required  -",
      "  2026-08-30 09:00  expired  ava@northwind.com  Global Administrator           no approver answered in time                                                          -",
      "  2026-08-31 09:00  refused  ben@northwind.com  Ops Elevated (group)           The following policy rules failed: JustificationRule - Justification is required      -",
    ]);
    expect(after("Activations (22)", 3)).toEqual([
      "  WHEN (UTC)        USER               ROLE                           JUSTIFICATION",
      "  2026-08-22 09:00  ava@northwind.com  Exchange Administrator         INC ops",
      "  2026-08-22 21:00  ava@northwind.com  Exchange Administrator         INC ops",
    ]);
  });

  it("json carries the report; csv is one table with a section column; --days and --threshold apply", async () => {
    asApp("auditor");
    const j = await runPim(["audit", ...at, "--format", "json", "--days", "7", "--threshold", "2"]);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect([doc.tool, doc.title, doc.days, doc.from, doc.to]).toEqual([
      "pim",
      "pim audit",
      7,
      "2026-08-25T09:00:00.000Z",
      "2026-09-01T09:00:00.000Z",
    ]);
    // Seven days back: ava's Exchange activations every 12 hours from day 10 keep those from day 7 on (6);
    // ben's approved GA activations completed on days 7 and 6 stay (2); ava's PRA ones are older.
    expect(doc.counts.map((c: any) => [c.user.name, c.target.name, c.count, c.outlier])).toEqual([
      ["ava@northwind.com", "Exchange Administrator", 6, true],
      ["ben@northwind.com", "Exchange Administrator", 3, true],
      ["ben@northwind.com", "Global Administrator", 2, false],
    ]);
    const c = await runPim(["audit", ...at, "--format", "csv"]);
    const rows = c.stdout.split("\r\n");
    expect(rows[0]).toBe(
      "section,at,user,role,role_type,count,outlier,kind,reason,by,decisions,approved,denied,median_minutes,p90_minutes,waited_minutes,outcome,justification,request_id",
    );
    expect(rows.filter((x) => x.startsWith("count,"))[0]).toBe(
      `count,,ava@northwind.com,Exchange Administrator,Role,12,true${",".repeat(12)}`,
    );
    expect(rows.filter((x) => x.startsWith("approval_time,"))).toEqual([
      "approval_time,,,Global Administrator,Role,,,,,cy@northwind.com,4,4,0,6.5,30,,,,",
      "approval_time,,,Privileged Role Administrator,Role,,,,,dee@northwind.com,4,3,1,4,12,,,,",
    ]);
    expect(rows.filter((x) => x.startsWith("activation,"))).toHaveLength(22);
    expect(rows.at(-1)).toBe("");
  });

  it("--stack reaches the tenant as the stack file says (pim:graphBaseUrl, azuread:tenantId)", async () => {
    asApp("auditor", false);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-audit-"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.northwind.yaml"),
      `config:\n  pim:declarations: northwind\n  azuread:tenantId: ${emu.tenantId}\n  pim:graphBaseUrl: ${emu.baseUrl}\n`,
    );
    const r = await runPim(["audit", "--stack", "northwind", "--root", root, ...at, "--format", "json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout).tenant).toBe(`stack northwind (tenant ${emu.tenantId})`);
    const missing = await runPim(["audit", "--stack", "southwind", "--root", root, ...at]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "pim audit: stacks/Pulumi.southwind.yaml does not exist\n  fix: create it (pim init --stack southwind writes one), or pass the stack's exact name\n",
    ]);
  });

  it("a missing AuditLog.Read.All is exit 3 and names the permission", async () => {
    asApp("no-audit");
    const r = await runPim(["audit", ...at]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^pim audit: reading the PIM audit log failed: GET \/auditLogs\/directoryAudits\?.* → 403 Authentication_MSGraphPermissionMissing: Calling principal does not have required MSGraph permissions AuditLog\.Read\.All/,
    );
    expect(r.stderr).toContain(
      "  fix: grant the identity the Microsoft Graph application permission AuditLog.Read.All (admin consent); Directory.Read.All does not include audit data\n",
    );
  });

  it("--output writes the file; with no Graph settings at all the command says what to set (exit 3)", async () => {
    asApp("auditor");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-audit-")), "audit.csv");
    const w = await runPim(["audit", ...at, "--format", "csv", "--output", file]);
    expect([w.code, w.stdout, w.stderr]).toEqual([0, "", `wrote ${file}\n`]);
    expect(fs.readFileSync(file, "utf8").split("\r\n")).toHaveLength(1 + 22 + 4 + 4 + 2 + 5 + 1);
    for (const k of ENV) delete process.env[k];
    const r = await runPim(["audit", ...at]);
    expect([r.code, r.stdout]).toEqual([3, ""]);
    expect(r.stderr).toMatch(
      /^pim audit: no tenant to request Graph tokens for: set stack config azuread:tenantId/,
    );
  });

  it.each([
    [["--days", "0"], '--days must be a whole number from 1 to 365, not "0"'],
    [["--threshold", "ten"], '--threshold must be a whole number from 0 to 1000000, not "ten"'],
    [["--pending-minutes", "5m"], '--pending-minutes must be a whole number from 0 to 10080, not "5m"'],
    [["--format", "xml"], '--format must be text, json or csv, not "xml"'],
    [["--at", "2026-09-01"], /--at must be an instant with a zone/],
  ])("usage error %j → 2", async (argv, message) => {
    const r = await runPim(["audit", ...argv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(typeof message === "string" ? message : "");
    if (message instanceof RegExp) expect(r.stderr).toMatch(message);
  });
});

describe("csv cells", () => {
  it("quote separators and quotes, and never start a formula", () => {
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1 call")).toBe("'+1 call");
    expect(csvCell("-")).toBe("'-");
    expect(csvCell("@admin")).toBe("'@admin");
    expect(csvCell("a\tb")).toBe("a\\x09b");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("true");
  });
});

describe("untrusted text in the audit log", () => {
  it("a justification cannot drive the terminal or a spreadsheet", () => {
    const report = analyzeAudit(
      [
        {
          id: "1",
          activityDateTime: "2026-09-01T08:00:00Z",
          activityDisplayName: "Add member to role completed (PIM activation)",
          result: "success",
          resultReason: "\u001b[2J=cmd|' /C calc'!A0",
          targetResources: [
            { type: "Role", id: "r", displayName: "Global Administrator" },
            { type: "User", id: "u", userPrincipalName: "eve@northwind.com" },
          ],
        },
      ],
      { from: new Date("2026-08-01T00:00:00Z"), to: AUDIT_NOW, threshold: 10, pendingMinutes: 5 },
    );
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    expect(renderText(report, { tenant: "t", days: 30 }, io)).toContain(
      "  2026-09-01 08:00  eve@northwind.com  Global Administrator  \\x1b[2J=cmd|' /C calc'!A0\n",
    );
    expect(renderCsv(report).split("\r\n")[1]).toBe(
      "activation,2026-09-01T08:00:00Z,eve@northwind.com,Global Administrator,Role,,,,,,,,,,,,,\\x1b[2J=cmd|' /C calc'!A0,",
    );
  });
});
