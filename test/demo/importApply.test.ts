/**
 * Issue 12's first done-when, on the demo's hand-made tenant (emulator/seeds/handmade.yaml): `pim import` followed
 * by `pim drift` shows no difference, and the first apply of the imported stack — its program under Pulumi's
 * cmd/run and the project's providers, driven by the engine test double — writes nothing to the tenant: every
 * provider adopts what exists. The imported stack is run in a copy of the project (a clone after `npm ci`).
 *
 * An imported tenant configured by hand has mandatory safe-default findings, and the program refuses to run on
 * them (nothing would be applied, which would prove nothing). As a team adopting its tenant would, the test exempts
 * each one with an end date before the first apply.
 *
 * it-admin's Global Administrator was assigned outside PIM (a direct role assignment). Import writes it commented
 * out at the end of tenant.yaml, not as a grant file: declared, the first apply would request it through PIM and
 * Graph (like the emulator) would refuse it with RoleAssignmentExists. So drift right after the import lists
 * exactly that assignment as extra, and the first apply of the stack as imported, nothing left out, writes nothing.
 *
 * The import also reads the demo subscription (`--subscription`): its Owner policy was set by hand, so the stack
 * declares it and the program registers azure-native's RoleManagementPolicy for it. engineDouble lists azure-native
 * resources and never applies them, so what that first apply would send ARM is checked here by the test itself:
 * the registered `rules`, PATCHed as azure-native would send them, must leave the emulator's policy as it was.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArmPolicy } from "../../emulator/armModel";
import { policyId } from "../../emulator/armModel";
import { loadStack } from "../../model";
import { evaluateSafeDefaults } from "../../policies/rules";
import { armForTenant, type ArmApi } from "../../providers/arm";
import { graphFromEnvironment } from "../../providers/graph";
import { applyStack, type ApplyResult } from "../../scripts/commands/demo/apply";
import {
  DEMO_AT,
  DEMO_STACK,
  DEPLOYER_APP,
  startDemoTenant,
  type DemoTenant,
} from "../../scripts/commands/demo/tenant";
import { runDrift, type DriftResult } from "../../scripts/commands/drift/run";
import { runImport, type ImportResult } from "../../scripts/commands/import/run";
import { copyProject, PROGRAM_TIMEOUT_MS, ROOT } from "../engine/helpers";
import { emulatorArm } from "../live/harness";

const STACK = "imported";
/** The grant file the assignment made outside PIM would be (see the module comment): written commented out. */
const OUTSIDE_PIM = "grants/it-admin-global-administrator.yaml";
const DAY = 86_400_000;
/** The demo's subscription (emulator/seeds/handmade.yaml), whose Owner policy was set by hand. */
const SUB = "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const OWNER_KEY = `azure:/subscriptions/${SUB}:${OWNER}`;
let tenant: DemoTenant;
let copy: string;
let imported: ImportResult;
let drift: DriftResult;
let exempted: string[];
let applied: ApplyResult;
let writesDuringApply: string[];
/** The emulator's own count of writes (requests that changed its state, inside \$batch too). */
let writeCount: { before: number; after: number };

/** Exempts every mandatory finding of the imported stack until 60 days after the demo's instant. */
function exemptMandatoryFindings(): string[] {
  const loaded = loadStack({ root: copy, stack: STACK, now: DEMO_AT });
  const mandatory = evaluateSafeDefaults(loaded.model!, { now: DEMO_AT }).filter((f) => f.mandatory);
  const file = path.join(copy, "stacks", STACK, "tenant.yaml");
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  const expires = new Date(DEMO_AT.getTime() + 60 * DAY).toISOString().slice(0, 10);
  const unique = [...new Map(mandatory.map((f) => [`${f.ruleId} ${f.object}`, f])).values()];
  doc.setIn(
    ["safeDefaults", "exemptions"],
    unique.map((f) => ({
      rule: f.ruleId,
      object: f.object,
      justification: "Adopted as imported; fixed in the pull request after the first apply",
      expires,
      approvedBy: "margaret.hamilton@contoso.com",
    })),
  );
  fs.writeFileSync(file, doc.toString());
  return unique.map((f) => `${f.ruleId} ${f.object}`).sort();
}

beforeAll(async () => {
  tenant = await startDemoTenant(ROOT, DEMO_STACK, DEMO_AT);
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "pim-import-"));
  copyProject(copy);
  const graph = graphFromEnvironment();
  // The reader identity of the environment startDemoTenant set (Reader on the subscription), as `pim import` makes it.
  const arm = (): ArmApi => armForTenant(undefined);
  imported = await runImport({
    graph,
    arm,
    subscriptions: [SUB],
    root: copy,
    stack: STACK,
    now: DEMO_AT,
    graphBaseUrl: tenant.emu.baseUrl,
  });
  drift = await runDrift({ graph, arm, root: copy, stack: STACK, now: DEMO_AT });
  exempted = exemptMandatoryFindings();
  const from = tenant.emu.log.entries().length;
  const before = tenant.emu.counters().writes;
  applied = await applyStack(copy, STACK, tenant.emu, DEMO_AT);
  writeCount = { before, after: tenant.emu.counters().writes };
  writesDuringApply = tenant.emu.log
    .entries()
    .slice(from)
    .filter((e) => e.method !== "GET" && !e.path.includes("/oauth2/") && e.path !== "/v1.0/$batch")
    .map((e) => `${e.method} ${e.path}`);
}, PROGRAM_TIMEOUT_MS);

afterAll(async () => {
  await tenant?.stop();
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe("pim import of the hand-made tenant", () => {
  it("writes one file per grant, and checks that the files reproduce the tenant", () => {
    expect(imported.files.map((f) => f.path).sort()).toEqual([
      "grants/ada-lovelace-security-reader.yaml",
      "grants/alan-turing-user-administrator.yaml",
      "grants/barbara-liskov-privileged-role-administrator.yaml",
      "grants/bg-alpha-global-administrator.yaml",
      "grants/bg-bravo-global-administrator.yaml",
      "grants/c-jordan-lee-application-administrator.yaml",
      "grants/grace-hopper-exchange-administrator.yaml",
      "grants/katherine-johnson-privileged-role-administrator.yaml",
      "grants/ken-thompson-global-administrator.yaml",
      "grants/margaret-hamilton-global-administrator.yaml",
      "tenant.yaml",
    ]);
    expect(fs.existsSync(path.join(copy, "stacks", STACK, OUTSIDE_PIM))).toBe(false);
    expect(imported.check.counts.total).toBe(0);
    expect(imported.outsidePim.map((c) => [c.section, c.action, c.subject])).toEqual([
      ["grants", "added", "active Global Administrator for it-admin@contoso.com"],
    ]);
    expect(imported.live.facts.permanentGlobalAdmins).toEqual([
      "bg-alpha@contoso.onmicrosoft.com",
      "bg-bravo@contoso.onmicrosoft.com",
      "it-admin@contoso.com",
    ]);
  });

  it("writes the assignment made outside PIM commented out at the end of tenant.yaml, with how to fix it", () => {
    const tenantYaml = imported.files[0]!;
    expect(tenantYaml.path).toBe("tenant.yaml");
    expect(tenantYaml.text).toContain(
      "#   - upn: it-admin@contoso.com   # made outside PIM, commented out below: grants/it-admin-global-administrator.yaml\n",
    );
    expect(
      tenantYaml.text.endsWith(`#
# ${OUTSIDE_PIM}:
#   principal: it-admin@contoso.com
#   role: Global Administrator
#   kind: active
#   justification: Imported from the tenant on ${DEMO_AT.toISOString().slice(0, 10)}; replace with why this access is needed
`),
    ).toBe(true);
    expect(imported.text).toContain(
      "  checked: the files load and reproduce the tenant, but for 1 assignment made outside PIM, commented out (pim drift lists them as extra)\n",
    );
    expect(imported.text).toContain(
      `  4. bring the assignments made outside PIM (PIM-005, CISA MS.AAD.7.5) under PIM: remove each in the portal, then uncomment its grant at the end of stacks/${STACK}/tenant.yaml into the file named there:
       - active Global Administrator for it-admin@contoso.com
  5. git add stacks/${STACK}`,
    );
  });

  it("is followed by a drift that lists only the assignment made outside PIM, as extra (exit 1)", () => {
    expect(drift.diff.changes.map((c) => [c.risk, c.section, c.action, c.subject, c.note])).toEqual([
      [
        "weaker",
        "grants",
        "added",
        "active Global Administrator for it-admin@contoso.com",
        "new permanent access",
      ],
    ]);
    expect(drift.exitCode).toBe(1);
    expect(drift.text).toContain("1 assignment made outside PIM (no start): see pim report");
  });
});

describe("the first apply after the import", () => {
  it("runs the imported program to completion once its mandatory findings are exempted", () => {
    expect(exempted.length).toBeGreaterThan(0);
    expect(exempted.every((e) => /^PIM-\d{3} /.test(e))).toBe(true);
    expect(applied.run.errors).toEqual([]);
    expect(applied.run.program?.exitCode).toBe(0);
  });

  it("adopts every role setting and every declared grant, and writes nothing to the tenant", () => {
    const dynamic = applied.run.steps.filter(
      (s) => !s.recordedOnly && s.type.startsWith("pulumi-nodejs:dynamic"),
    );
    const byType = (t: string) => dynamic.filter((s) => s.type.endsWith(t)).map((s) => s.op);
    expect(byType(":DirectoryRoleSettings")).toEqual(["create", "create", "create"]);
    expect(byType(":DirectoryRoleSchedule")).toEqual(Array(10).fill("create"));
    expect(writesDuringApply).toEqual([]);
    expect(applied.writes).toEqual({});
    expect(writeCount.after).toBe(writeCount.before);
  });
});

describe("the first apply after import --subscription, on the Azure Owner policy", () => {
  const ownerPolicy = (): ArmPolicy =>
    tenant.emu.state.azure.policies.find((p) => p.roleGuid === OWNER && p.scope === `/subscriptions/${SUB}`)!;
  const registered = () =>
    applied.run.registrations.filter((r) => r.type === "azure-native:authorization:RoleManagementPolicy");

  it("registers exactly one RoleManagementPolicy, for the emulator's policy whose name import wrote", () => {
    const config = parse(fs.readFileSync(path.join(copy, "stacks", `Pulumi.${STACK}.yaml`), "utf8"));
    expect(config.config["pim:azureRolePolicies"]).toEqual({ [OWNER_KEY]: ownerPolicy().name });
    expect(registered().map((r) => [r.inputs["scope"], r.inputs["roleManagementPolicyName"]])).toEqual([
      [`/subscriptions/${SUB}`, ownerPolicy().name],
    ]);
  });

  it("sends rules that, PATCHed as azure-native sends them, leave the policy exactly as it was", async () => {
    const before = structuredClone(ownerPolicy());
    const deployer = emulatorArm(tenant.emu, DEPLOYER_APP);
    const url = `${policyId(before)}?api-version=2020-10-01`;
    const readBefore = await deployer.get(url);
    // The test's own act: engineDouble records azure-native's resources and never applies them, so this is the
    // request azure-native's update would make (ARM's PATCH of the policy with `{properties: {rules}}`).
    const answer = await deployer.patch(url, { properties: { rules: registered()[0]!.inputs["rules"] } });
    const after = ownerPolicy();
    // The PATCH was applied (ARM stamps who changed the policy), and changed no rule.
    expect(after.lastModifiedDateTime).toBe("2027-01-04T09:00:00Z");
    expect(after.lastModifiedBy).toBe(DEPLOYER_APP);
    expect(after.rules.map((r) => r.id)).toEqual(before.rules.map((r) => r.id));
    for (const [i, rule] of before.rules.entries()) expect(after.rules[i], rule.id).toEqual(rule);
    expect(answer.properties.rules).toEqual(readBefore.properties.rules);
    expect(answer.properties.effectiveRules).toEqual(readBefore.properties.effectiveRules);
  });
});
