// pim report on Azure resource role settings read from the emulator's ARM (handmade seed: Owner on the production
// subscription hand-set in the portal to one-day activations without MFA or approval, and permanent active
// assignments allowed). The live report judges them with the same rules, and the same verdict, as pim check of a
// stack declaring those settings; it reads the scopes the stack declares and each --subscription, and ARM's
// refusal, --skip-azure-roles and a bad --subscription end as pim drift's do.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator";
import type { Finding } from "../../policies/rules";
import type { ArmApi } from "../../providers/arm";
import { runImport } from "../../scripts/commands/import/run";
import { REPORT_HELP } from "../../scripts/commands/report";
import { runReport, type ReportOptions } from "../../scripts/commands/report/run";
import { CliError } from "../../scripts/lib/errors";
import { runPim } from "../cli/helpers";
import { emulatorArm, emulatorGraph } from "./harness";
import {
  ARM_READ,
  AUTHZ,
  armRequests as armRequestsOf,
  closeHandmade,
  NOW,
  openHandmade,
  OWNER_ON_SUB,
  OWNER_VERDICT,
  SCOPE,
  SUB,
} from "./handmadeAzure";

/** A stack declaring handmade.yaml's Owner settings and nothing else: what pim check judges offline. */
const DECLARED_OWNER = (tenantId: string) => `tenant:
  id: ${tenantId}
  name: Contoso
roleSettings:
  azureRoles:
    - scope: ${SCOPE}
      role: Owner
      activation:
        maximumDuration: P1D
        requireMfa: false
      activeAssignment:
        allowPermanent: true
`;

let emu: RunningEmulator;
let root: string;
let armMade: number;
beforeEach(async () => {
  ({ emu, root } = await openHandmade("pim-azure-report-"));
  armMade = 0;
});
afterEach(() => closeHandmade(emu, root));

/** The read-only identity of the report workflow, counted: a report that needs no ARM never makes the client. */
const reader = (): ArmApi => {
  armMade++;
  return emulatorArm(emu, "pim-reader");
};
const armRequests = () => armRequestsOf(emu);
/** Stack `stack` imported from the tenant (with the subscription's Azure role settings when `withAzure`). */
async function imported(stack: string, withAzure: boolean): Promise<void> {
  await runImport({
    graph: emulatorGraph(emu),
    arm: reader,
    ...(withAzure ? { subscriptions: [SUB] } : {}),
    root,
    stack,
    now: NOW,
  });
  emu.log.clear();
  armMade = 0;
}
const report = (stack: string, extra: Partial<ReportOptions> = {}) =>
  runReport({ graph: emulatorGraph(emu), arm: reader, root, stack, now: NOW, ...extra });
/** What a finding says, without where it says it (live/… in the report, stacks/… in the check). */
const verdict = (fs: readonly Finding[]) =>
  fs
    .filter((f) => f.object === OWNER_ON_SUB)
    .map((f) => [f.ruleId, f.severity, f.mandatory, f.object, f.message, f.reference]);
const ruleVerdict = (fs: readonly Finding[]) =>
  fs.filter((f) => f.object === OWNER_ON_SUB).map((f) => [f.ruleId, f.severity, f.mandatory]);

describe("pim report of Azure role settings", () => {
  it("judges the subscription's Owner policy read from ARM as pim check judges the same settings declared", async () => {
    await imported("contoso", false);
    const live = await report("contoso", { subscriptions: [SUB.toUpperCase()], format: "sarif" });
    expect(armRequests()).toEqual(ARM_READ);
    expect(ruleVerdict(live.findings)).toEqual(OWNER_VERDICT);
    expect(JSON.parse(live.text).runs[0].results).toHaveLength(live.findings.length);

    fs.mkdirSync(path.join(root, "stacks", "owner", "grants"), { recursive: true });
    fs.writeFileSync(path.join(root, "stacks", "owner", "grants", ".gitkeep"), "");
    fs.writeFileSync(path.join(root, "stacks", "owner", "tenant.yaml"), DECLARED_OWNER(emu.tenantId));
    const check = await runPim([
      "check",
      "--stack",
      "owner",
      "--root",
      root,
      "--now",
      NOW.toISOString(),
      "--format",
      "json",
    ]);
    const offline = JSON.parse(check.stdout).findings as Finding[];
    expect(ruleVerdict(offline)).toEqual(OWNER_VERDICT);
    expect(verdict(live.findings)).toEqual(verdict(offline));
    // The Owner policy's PIM-028 findings are mandatory: the report fails as the check does.
    expect([live.exitCode, check.code]).toEqual([1, 1]);
  });

  it("reads the scope the stack declares an Azure role at, with no --subscription, and nothing from ARM for a stack that declares none", async () => {
    await imported("contoso", true);
    const declared = await report("contoso");
    expect(armRequests()).toEqual(ARM_READ);
    expect(ruleVerdict(declared.findings)).toEqual(OWNER_VERDICT);
    await imported("plain", false);
    const plain = await report("plain");
    expect([armMade, armRequests(), ruleVerdict(plain.findings)]).toEqual([0, [], []]);
    // Everything else is judged alike: only the Owner policy's findings differ between the two stacks.
    expect(plain.findings.length).toBe(declared.findings.length - OWNER_VERDICT.length);
  });

  it("with --skip-azure-roles reads no ARM and says what it left out; ARM's refusal exits 3 naming scope and role", async () => {
    await imported("contoso", true);
    const skipped = await report("contoso", { skipAzureRoles: true });
    expect([armMade, armRequests(), ruleVerdict(skipped.findings)]).toEqual([0, [], []]);
    expect(skipped.text.split("\n").slice(0, 2)).toEqual([
      `pim report · stack contoso · live tenant ${emu.tenantId} · 34 findings, 20 mandatory`,
      "note: Azure role settings were not judged (--skip-azure-roles): 1 declared Azure role setting left out",
    ]);
    const json = JSON.parse((await report("contoso", { skipAzureRoles: true, format: "json" })).text);
    expect(json.notes).toEqual([
      "Azure role settings were not judged (--skip-azure-roles): 1 declared Azure role setting left out",
    ]);
    expect(JSON.parse((await report("contoso", { format: "json" })).text).notes).toBeUndefined();
    const both = (await report("contoso", { skipAzureRoles: true, subscriptions: [SUB] }).catch(
      (x: unknown) => x,
    )) as CliError;
    expect([both.message, both.exitCode]).toEqual([
      "--subscription and --skip-azure-roles cannot be combined",
      2,
    ]);

    const readerSp = [...emu.state.servicePrincipals.values()].find((s) => s.displayName === "pim-reader")!;
    emu.state.azure.access = emu.state.azure.access.filter((a) => a.principalId !== readerSp.id);
    const e = (await report("contoso").catch((x: unknown) => x)) as CliError;
    expect(e).toBeInstanceOf(CliError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(
      new RegExp(
        `^could not read the Azure role (definitions|settings|settings assignments) of ${SCOPE}: GET ${AUTHZ}/\\w+\\?api-version=[0-9-]+ → 403 AuthorizationFailed: .+; nothing was written$`,
      ),
    );
    expect(e.hint).toBe(
      `assign the identity the Azure role Reader at ${SCOPE}, then run again; or pass --skip-azure-roles to judge everything else`,
    );
  });
});

describe("pim report on the command line", () => {
  const ENV = [
    "PIM_GRAPH_BASE_URL",
    "PIM_ARM_BASE_URL",
    "PIM_GRAPH_TENANT_ID",
    "PIM_GRAPH_CLIENT_ID",
    "PIM_GRAPH_CLIENT_SECRET",
  ];
  let saved: (string | undefined)[];
  beforeEach(() => {
    saved = ENV.map((k) => process.env[k]);
    const c = emu.clientCredentials("pim-reader");
    Object.assign(process.env, {
      PIM_GRAPH_BASE_URL: emu.baseUrl,
      PIM_ARM_BASE_URL: emu.baseUrl,
      PIM_GRAPH_TENANT_ID: c.tenantId,
      PIM_GRAPH_CLIENT_ID: c.clientId,
      PIM_GRAPH_CLIENT_SECRET: c.clientSecret,
    });
  });
  afterEach(() => {
    ENV.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  });
  const pimReport = (...args: string[]) =>
    runPim(["report", "--stack", "contoso", "--root", root, "--now", NOW.toISOString(), ...args]);

  it("takes --subscription (repeatable, GUID-validated) and --skip-azure-roles; a 403 exits 3 on stderr", async () => {
    await imported("contoso", false);
    const sarif = await pimReport("--subscription", SUB, "--subscription", SUB, "--format", "sarif");
    expect([sarif.code, sarif.stderr]).toEqual([1, ""]);
    const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string }[];
    const json = JSON.parse((await pimReport("--subscription", SUB, "--format", "json")).stdout);
    expect(results.map((r) => r.ruleId)).toEqual(json.findings.map((f: Finding) => f.ruleId));
    expect(ruleVerdict(json.findings)).toEqual(OWNER_VERDICT);
    // Two reports, three pages of role definitions each: the subscription given twice to the first is read once.
    expect(armRequests().filter((r) => r.includes("roleDefinitions"))).toHaveLength(6);

    const bad = await pimReport("--subscription", "prod");
    expect([bad.code, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr).toContain(
      '--subscription must be an Azure subscription id (a GUID such as 5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f), not "prod"',
    );
    const readerSp = [...emu.state.servicePrincipals.values()].find((s) => s.displayName === "pim-reader")!;
    emu.state.azure.access = emu.state.azure.access.filter((a) => a.principalId !== readerSp.id);
    const refused = await pimReport("--subscription", SUB);
    expect([refused.code, refused.stdout]).toEqual([3, ""]);
    expect(refused.stderr).toContain(
      `assign the identity the Azure role Reader at ${SCOPE}, then run again; or pass --skip-azure-roles to judge everything else`,
    );
    const skipped = await pimReport("--skip-azure-roles", "--format", "json");
    expect([skipped.code, skipped.stderr]).toEqual([1, ""]);
    expect(ruleVerdict(JSON.parse(skipped.stdout).findings)).toEqual([]);
    const help = await runPim(["report", "--help"]);
    expect([help.code, help.stdout]).toEqual([0, REPORT_HELP]);
    expect(REPORT_HELP).toContain(
      "  --subscription <id>   also judge this subscription's Azure role settings (a GUID; repeat for several)\n  --skip-azure-roles    do not read ARM: Azure role settings are not judged (the report says so)\n",
    );
  });
});
