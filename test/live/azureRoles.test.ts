// Azure resource role settings end to end against the emulator's ARM routes (handmade seed: Owner on the
// production subscription hand-set in the portal): pim import --subscription writes the azureRoles entry and the
// policy name, drift compares it, a portal change shows as one changed field, ARM's refusal ends with exit 3, and
// --skip-azure-roles leaves ARM alone.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator";
import type { ArmApi } from "../../providers/arm";
import { CliError } from "../../scripts/lib/errors";
import { runDrift } from "../../scripts/commands/drift/run";
import { runImport } from "../../scripts/commands/import/run";
import { emulatorArm, emulatorGraph } from "./harness";
import {
  ARM_READ,
  AUTHZ,
  armRequests as armRequestsOf,
  closeHandmade,
  NOW,
  openHandmade,
  SCOPE,
  SUB,
} from "./handmadeAzure";
import { runPim } from "../cli/helpers";

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const OWNER_KEY = `azure:${SCOPE}:${OWNER}`;
/** The grant the handmade tenant holds outside PIM: import comments it out, so drift lists it as added. */
const OUTSIDE_PIM = "active|directory:62e90394-69f5-4237-9190-012177145e10|/|it-admin@contoso.com";

let emu: RunningEmulator;
let root: string;
let armMade: number;
beforeEach(async () => {
  ({ emu, root } = await openHandmade("pim-azure-"));
  armMade = 0;
});
afterEach(() => closeHandmade(emu, root));

/** The read-only identity of the drift workflow, counted: a command that needs no ARM never makes the client. */
const reader = (): ArmApi => {
  armMade++;
  return emulatorArm(emu, "pim-reader");
};
const armRequests = () => armRequestsOf(emu);
const policyOf = (role: string) => emu.state.azure.policies.find((p) => p.roleGuid === role)!;
const importSubscription = () =>
  runImport({
    graph: emulatorGraph(emu),
    arm: reader,
    subscriptions: [SUB.toUpperCase(), SUB],
    root,
    stack: "contoso",
    now: NOW,
    graphBaseUrl: emu.baseUrl,
  });
const drift = (extra: Partial<Parameters<typeof runDrift>[0]> = {}) =>
  runDrift({ graph: emulatorGraph(emu), arm: reader, root, stack: "contoso", now: NOW, ...extra });

/** A portal edit of one rule of a policy, through ARM as the deployer (Owner on the subscription). */
async function portalEdit(role: string, rule: Record<string, unknown>): Promise<void> {
  await emulatorArm(emu, "pim-as-code-deployer").patch(
    `${AUTHZ}/roleManagementPolicies/${policyOf(role).name}?api-version=2020-10-01`,
    { properties: { rules: [rule] } },
  );
  emu.log.clear();
}
const activationExpiry = (maximumDuration: string) => ({
  id: "Expiration_EndUser_Assignment",
  ruleType: "RoleManagementPolicyExpirationRule",
  isExpirationRequired: true,
  maximumDuration,
  target: { caller: "EndUser", operations: ["All"], level: "Assignment" },
});

describe("pim import --subscription", () => {
  it("writes the hand-set Owner policy to azureRoles and its ARM policy name to the stack config, read in nine ARM requests", async () => {
    const r = await importSubscription();
    expect(r.check.counts.total).toBe(0);
    expect(r.outsidePim.map((c) => c.key)).toEqual([OUTSIDE_PIM]);
    const tenant = parse(fs.readFileSync(path.join(root, "stacks/contoso/tenant.yaml"), "utf8"));
    expect(tenant.roleSettings.azureRoles).toEqual([
      {
        scope: SCOPE,
        role: "Owner",
        activation: { maximumDuration: "P1D", requireMfa: false },
        activeAssignment: { allowPermanent: true },
      },
    ]);
    expect(fs.readFileSync(path.join(root, "stacks/Pulumi.contoso.yaml"), "utf8")).toBe(
      [
        "# Stack configuration written by pim import. Declarations live in stacks/contoso/.",
        "config:",
        "  pim:declarations: contoso",
        `  azuread:tenantId: ${emu.tenantId}`,
        `  pim:graphBaseUrl: ${emu.baseUrl}`,
        `  azure-native:tenantId: ${emu.tenantId}`,
        "  pim:azureRolePolicies:",
        `    "${OWNER_KEY}": ${policyOf(OWNER).name}`,
        "",
      ].join("\n"),
    );
    // The subscription given twice (any case) is read once.
    expect(armRequests()).toEqual(ARM_READ);
    expect(r.text).toContain(
      `  3 role settings differing from Graph's defaults, 1 Azure role setting differing from ARM's defaults (${SCOPE}), 11 grants,`,
    );
  });

  it("records pim:armBaseUrl when ARM's base URL was overridden, and refuses a subscription that is not a GUID", async () => {
    await runImport({
      graph: emulatorGraph(emu),
      arm: reader,
      subscriptions: [SUB],
      root,
      stack: "contoso",
      now: NOW,
      armBaseUrl: emu.baseUrl,
    });
    expect(fs.readFileSync(path.join(root, "stacks/Pulumi.contoso.yaml"), "utf8")).toContain(
      `  azuread:tenantId: ${emu.tenantId}\n  pim:armBaseUrl: ${emu.baseUrl}\n  azure-native:tenantId: ${emu.tenantId}\n`,
    );
    const e = await runImport({
      graph: emulatorGraph(emu),
      arm: reader,
      subscriptions: ["prod"],
      root,
      stack: "other",
      now: NOW,
    }).catch((x: unknown) => x as CliError);
    expect([(e as CliError).message, (e as CliError).exitCode]).toEqual([
      '--subscription must be an Azure subscription id (a GUID such as 5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f), not "prod"',
      2,
    ]);
    expect(fs.existsSync(path.join(root, "stacks/other"))).toBe(false);
  });

  it("leaves an existing stack config as it is and prints the Azure lines to add to it, policy name by entry", async () => {
    const config = path.join(root, "stacks/Pulumi.contoso.yaml");
    fs.writeFileSync(config, "config:\n  pim:declarations: contoso\n");
    const r = await importSubscription();
    expect(fs.readFileSync(config, "utf8")).toBe("config:\n  pim:declarations: contoso\n");
    expect(r.text).toContain(
      [
        "  stacks/Pulumi.contoso.yaml exists and was left as it is: add under config: (the ARM policy names the Azure role settings are applied to)",
        `    azure-native:tenantId: ${emu.tenantId}`,
        "    pim:azureRolePolicies:",
        `      "${OWNER_KEY}": ${policyOf(OWNER).name}`,
        "Not imported:",
      ].join("\n"),
    );
  });

  it("without --subscription makes no ARM request and writes no Azure config", async () => {
    const r = await runImport({ graph: emulatorGraph(emu), arm: reader, root, stack: "contoso", now: NOW });
    expect([armMade, armRequests()]).toEqual([0, []]);
    expect(r.notImported[2]).toBe(
      "Azure resource role settings: pass --subscription <id> to import a subscription's (read from Azure Resource Manager)",
    );
    expect(fs.readFileSync(path.join(root, "stacks/Pulumi.contoso.yaml"), "utf8")).toBe(
      [
        "# Stack configuration written by pim import. Declarations live in stacks/contoso/.",
        "config:",
        "  pim:declarations: contoso",
        `  azuread:tenantId: ${emu.tenantId}`,
        "",
      ].join("\n"),
    );
    const d = await drift();
    expect([armMade, armRequests(), d.diff.changes.map((c) => c.key)]).toEqual([0, [], [OUTSIDE_PIM]]);
  });
});

describe("pim drift of Azure role settings", () => {
  it("right after the import: no Azure difference (only the grant made outside PIM), reading the declared subscription", async () => {
    await importSubscription();
    emu.log.clear();
    const d = await drift();
    expect(d.diff.changes.map((c) => [c.section, c.action, c.key])).toEqual([
      ["grants", "added", OUTSIDE_PIM],
    ]);
    expect(armRequests()).toEqual(ARM_READ);
  });

  it("shows a portal change of the Owner policy as one changed field, and leaves an undeclared role to --subscription", async () => {
    await importSubscription();
    await portalEdit(OWNER, activationExpiry("PT4H"));
    await portalEdit(UAA, activationExpiry("PT2H"));
    const d = await drift();
    const settings = d.diff.changes.filter((c) => c.section === "roleSettings");
    expect(settings.map((c) => [c.action, c.key, c.subject])).toEqual([
      ["changed", OWNER_KEY, `Owner on ${SCOPE}`],
    ]);
    expect(settings[0]!.fields.map((f) => [f.field, f.before, f.after])).toEqual([
      ["activation.maximumDuration", "P1D", "PT4H"],
    ]);
    expect(d.exitCode).toBe(1);
    const whole = await drift({ subscriptions: [SUB] });
    expect(
      whole.diff.changes
        .filter((c) => c.section === "roleSettings")
        .map((c) => [c.action, c.key])
        .sort(),
    ).toEqual([
      ["added", `azure:${SCOPE}:${UAA}`],
      ["changed", OWNER_KEY],
    ]);
  });

  it("exits 3 naming the scope and the Azure role to assign when ARM refuses, and --skip-azure-roles compares the rest", async () => {
    await importSubscription();
    const readerSp = [...emu.state.servicePrincipals.values()].find((s) => s.displayName === "pim-reader")!;
    emu.state.azure.access = emu.state.azure.access.filter(
      (a) => !(a.principalId === readerSp.id && a.roleGuid === READER),
    );
    const e = (await drift().catch((x: unknown) => x)) as CliError;
    expect(e).toBeInstanceOf(CliError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(
      new RegExp(
        `^could not read the Azure role (definitions|settings|settings assignments) of ${SCOPE}: GET ${AUTHZ}/\\w+\\?api-version=[0-9-]+ → 403 AuthorizationFailed: .+; nothing was written$`,
      ),
    );
    expect(e.hint).toBe(
      `assign the identity the Azure role Reader at ${SCOPE}, then run again; or pass --skip-azure-roles to compare everything else`,
    );
    emu.log.clear();
    armMade = 0;
    const skipped = await drift({ skipAzureRoles: true });
    expect([armMade, armRequests()]).toEqual([0, []]);
    expect(skipped.diff.changes.map((c) => c.key)).toEqual([OUTSIDE_PIM]);
    expect(skipped.text).toContain(
      "Azure role settings were not compared (--skip-azure-roles): 1 declared Azure role setting left out",
    );
  });
});

describe("pim import / drift on the command line", () => {
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
      PIM_GRAPH_TENANT_ID: c.tenantId,
      PIM_GRAPH_CLIENT_ID: c.clientId,
      PIM_GRAPH_CLIENT_SECRET: c.clientSecret,
    });
    delete process.env["PIM_ARM_BASE_URL"];
  });
  afterEach(() => {
    ENV.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  });

  it("imports with --subscription, then drift reads ARM from the stack config; a 403 exits 3 on stderr, --skip-azure-roles exits 1 on the rest", async () => {
    const imported = await runPim([
      "import",
      "--stack",
      "contoso",
      "--subscription",
      SUB,
      "--root",
      root,
      "--now",
      NOW.toISOString(),
    ]);
    expect([imported.code, imported.stderr]).toEqual([0, ""]);
    expect(fs.readFileSync(path.join(root, "stacks/Pulumi.contoso.yaml"), "utf8")).toContain(
      `    "${OWNER_KEY}": ${policyOf(OWNER).name}\n`,
    );
    const readerSp = [...emu.state.servicePrincipals.values()].find((s) => s.displayName === "pim-reader")!;
    emu.state.azure.access = emu.state.azure.access.filter((a) => a.principalId !== readerSp.id);
    const refused = await runPim(["drift", "--stack", "contoso", "--root", root, "--now", NOW.toISOString()]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(`could not read the Azure role`);
    expect(refused.stderr).toContain(
      `assign the identity the Azure role Reader at ${SCOPE}, then run again; or pass --skip-azure-roles to compare everything else`,
    );
    const skipped = await runPim([
      "drift",
      "--stack",
      "contoso",
      "--skip-azure-roles",
      "--root",
      root,
      "--now",
      NOW.toISOString(),
    ]);
    expect([skipped.code, skipped.stderr]).toEqual([1, ""]);
    expect(skipped.stdout).toContain(
      "Azure role settings were not compared (--skip-azure-roles): 1 declared Azure role setting left out",
    );
    const bad = await runPim(["drift", "--stack", "contoso", "--subscription", "prod", "--root", root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--subscription must be an Azure subscription id (a GUID such as 5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f), not "prod"',
    );
  });
});
