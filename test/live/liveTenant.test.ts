// pim import / drift / report against the emulator's demo seed: import reproduces the tenant, drift and report
// find what is planted, and a read that fails part-way writes nothing.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { LiveReadError } from "../../providers/graph/reads/live";
import { runDrift } from "../../scripts/commands/drift/run";
import { runImport } from "../../scripts/commands/import/run";
import { runReport } from "../../scripts/commands/report/run";
import { emulatorGraph } from "./harness";

const NOW = new Date("2026-11-23T12:00:00Z");
const GA = "62e90394-69f5-4237-9190-012177145e10";
const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
/** What import writes at the end of tenant.yaml for dorothy.vaughan's Exchange Administrator, made outside PIM. */
const OUTSIDE_PIM_BLOCK = `# Made outside PIM: these assignments are direct role assignments (no start date), which PIM-005 and CISA
# MS.AAD.7.5 flag. They are not declared: the first pulumi up would request each one through PIM, and Graph
# refuses a request for an assignment that exists (RoleAssignmentExists). To fix one: remove it in the portal
# (or az rest --method DELETE --url https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments/<id>),
# then save its lines below, uncommented, as the grant file named above them: the next pulumi up grants it
# through PIM. Until then pim drift reports it as extra (unmanaged) and pim report flags PIM-005.
#
# grants/dorothy-vaughan-exchange-administrator.yaml:
#   principal: dorothy.vaughan@contoso.com
#   role: Exchange Administrator
#   kind: active
#   justification: Imported from the tenant on 2026-11-23; replace with why this access is needed
`;

let emu: RunningEmulator;
let root: string;
beforeEach(async () => {
  emu = await startEmulator({ port: 0, now: NOW });
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-live-"));
  fs.mkdirSync(path.join(root, "stacks"));
});
afterEach(async () => {
  await emu.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const stackEntries = () => fs.readdirSync(path.join(root, "stacks")).sort();
const userId = (upn: string) => emu.state.findUser(upn)!.id;
/** Takes a permission from an app of the seed (its next token lacks it), as an admin revoking consent would. */
const revoke = (app: string, permission: string) => {
  const sp = [...emu.state.servicePrincipals.values()].find((p) => p.displayName === app)!;
  expect(sp._permissions).toContain(permission);
  sp._permissions = sp._permissions.filter((p) => p !== permission);
};

describe("pim import", () => {
  it("writes a stack that reproduces the tenant: drift right after shows no difference", async () => {
    const r = await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(r.check.counts.total).toBe(0);
    expect(stackEntries()).toEqual(["Pulumi.contoso.yaml", "contoso"]);
    const grants = fs.readdirSync(path.join(root, "stacks/contoso/grants")).sort();
    expect(grants).toEqual([
      "ada-lovelace-privileged-role-administrator.yaml",
      "alan-turing-helpdesk-administrator.yaml",
      "alan-turing-user-administrator.yaml",
      "barbara-liskov-privileged-role-administrator.yaml",
      "bg-alpha-global-administrator.yaml",
      "bg-bravo-global-administrator.yaml",
      "c-jordan-lee-application-administrator.yaml",
      "edsger-dijkstra-exchange-administrator.yaml",
      "edsger-dijkstra-teams-administrator.yaml",
      "grace-hopper-security-administrator.yaml",
      "ken-thompson-exchange-administrator.yaml",
      "margaret-hamilton-global-administrator.yaml",
      "tier-1-helpdesk-operators-helpdesk-administrator.yaml",
    ]);
    expect(
      fs.readFileSync(
        path.join(root, "stacks/contoso/grants/alan-turing-helpdesk-administrator.yaml"),
        "utf8",
      ),
    ).toBe(`# yaml-language-server: $schema=../../../schemas/grant.schema.json
principal: alan.turing@contoso.com
role: Helpdesk Administrator
scope:
  administrativeUnit: Helpdesk AU
kind: eligible
start: 2026-11-18T12:00:00.000Z
end: 2027-02-16T12:00:00.000Z
justification: Imported from the tenant on 2026-11-23; replace with why this access is needed
`);
    const tenant = fs.readFileSync(path.join(root, "stacks/contoso/tenant.yaml"), "utf8");
    expect(tenant).toContain(`    - role: User Administrator
      activation:
        maximumDuration: P1D
        requireJustification: false
`);
    expect(tenant).toContain(`# breakGlass:
#   - upn: bg-alpha@contoso.onmicrosoft.com   # grant file: grants/bg-alpha-global-administrator.yaml
#   - upn: bg-bravo@contoso.onmicrosoft.com   # grant file: grants/bg-bravo-global-administrator.yaml
`);
    expect(r.text).toContain(
      "Next steps:\n  1. confirm the break-glass accounts in stacks/contoso/tenant.yaml",
    );

    const d = await runDrift({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(d.exitCode).toBe(0);
    expect(d.diff.counts.total).toBe(0);
    expect(d.text).toContain("no change");
  });

  it("writes an assignment made outside PIM commented out, expected as extra by its check and by drift", async () => {
    const direct = emu.state.addDirectAssignment({
      principalId: userId("dorothy.vaughan@contoso.com"),
      roleDefinitionId: EXCHANGE_ADMINISTRATOR,
      createdDateTime: "2026-11-01T09:00:00.000Z",
    });
    const r = await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(r.check.counts.total).toBe(0);
    expect(r.outsidePim.map((c) => [c.risk, c.action, c.subject])).toEqual([
      ["weaker", "added", "active Exchange Administrator for dorothy.vaughan@contoso.com"],
    ]);
    const grantsDir = path.join(root, "stacks/contoso/grants");
    expect(fs.existsSync(path.join(grantsDir, "dorothy-vaughan-exchange-administrator.yaml"))).toBe(false);
    const tenant = fs.readFileSync(path.join(root, "stacks/contoso/tenant.yaml"), "utf8");
    const block = tenant.slice(tenant.indexOf("# Made outside PIM"));
    expect(block).toBe(OUTSIDE_PIM_BLOCK);
    expect(r.text).toContain(
      "  checked: the files load and reproduce the tenant, but for 1 assignment made outside PIM, commented out (pim drift lists them as extra)\n",
    );
    expect(r.text).toContain(
      "  4. bring the assignments made outside PIM (PIM-005, CISA MS.AAD.7.5) under PIM: remove each in the portal, then uncomment its grant at the end of stacks/contoso/tenant.yaml into the file named there:\n       - active Exchange Administrator for dorothy.vaughan@contoso.com\n  5. git add stacks/contoso stacks/Pulumi.contoso.yaml",
    );

    const d = await runDrift({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(d.exitCode).toBe(1);
    expect(d.diff.changes.map((c) => [c.action, c.subject])).toEqual([
      ["added", "active Exchange Administrator for dorothy.vaughan@contoso.com"],
    ]);
    const rep = await runReport({
      graph: emulatorGraph(emu),
      root,
      stack: "contoso",
      now: NOW,
      format: "json",
    });
    expect(rep.findings.filter((f) => f.ruleId === "PIM-005").map((f) => f.object)).toEqual([
      "dorothy-vaughan-exchange-administrator",
    ]);

    // The fix the comment gives: remove the assignment, then save its lines uncommented as the named grant file.
    emu.state.schedules.delete(direct.id); // removed in the portal
    const lines = block.split("\n");
    const at = lines.indexOf("# grants/dorothy-vaughan-exchange-administrator.yaml:");
    const body = lines
      .slice(at + 1)
      .filter((l) => l.startsWith("#   "))
      .map((l) => l.slice(4));
    fs.writeFileSync(
      path.join(grantsDir, "dorothy-vaughan-exchange-administrator.yaml"),
      `${body.join("\n")}\n`,
    );
    const after = await runDrift({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(after.diff.changes.map((c) => [c.action, c.subject])).toEqual([
      ["removed", "active Exchange Administrator for dorothy.vaughan@contoso.com"],
    ]);
  });

  it("refuses to overwrite an existing stack unless --force, and writes nothing", async () => {
    fs.mkdirSync(path.join(root, "stacks/contoso"));
    fs.writeFileSync(path.join(root, "stacks/contoso/tenant.yaml"), "mine\n");
    await expect(runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW })).rejects.toThrow(
      "stacks/contoso already exists; nothing was written",
    );
    expect(fs.readFileSync(path.join(root, "stacks/contoso/tenant.yaml"), "utf8")).toBe("mine\n");
    await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW, force: true });
    expect(fs.readFileSync(path.join(root, "stacks/contoso/tenant.yaml"), "utf8")).toMatch(
      /^# yaml-language-server/,
    );
    expect(stackEntries()).toEqual(["Pulumi.contoso.yaml", "contoso"]);
  });

  it("a missing permission on one read: names the read and the permission, writes nothing", async () => {
    // pim-reader loses Directory.Read.All, the only application permission of directoryObjects/getByIds (the
    // read that names the principals; it also reads the administrative units, which its AdministrativeUnit.Read.All
    // still allows).
    revoke("pim-reader", "Directory.Read.All");
    const err = await runImport({
      graph: emulatorGraph(emu, "pim-reader"),
      root,
      stack: "contoso",
      now: NOW,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveReadError);
    const e = err as LiveReadError;
    expect([e.what, e.status, e.permission, e.exitCode]).toEqual([
      "the principals the assignments and settings name",
      403,
      "Directory.Read.All",
      3,
    ]);
    expect(e.message).toMatch(
      /^could not read the principals the assignments and settings name: POST \/directoryObjects\/getByIds → 403 /,
    );
    expect(e.hint).toBe(
      "grant the identity the Microsoft Graph permission Directory.Read.All (admin consent), then run again",
    );
    expect(stackEntries()).toEqual([]);
  });

  it("a 503 storm on the schedules: fails after the retries, writes nothing", async () => {
    emu.faults.add({ path: "/v1.0/roleManagement/directory/roleEligibilitySchedules", kind: "unavailable" });
    const err = (await runImport({
      graph: emulatorGraph(emu, undefined, { maxRetries: 2 }),
      root,
      stack: "contoso",
      now: NOW,
    }).catch((e: unknown) => e)) as LiveReadError;
    expect(err).toBeInstanceOf(LiveReadError);
    expect([err.what, err.status, err.permission]).toEqual([
      "the eligible directory-role assignments",
      503,
      null,
    ]);
    expect(err.hint).toBe("Graph kept failing after retries: run again later");
    expect(stackEntries()).toEqual([]);
  });

  it("a throttled read is retried within the deadline and the import completes", async () => {
    emu.faults.add({
      path: "/v1.0/roleManagement/directory/roleAssignmentSchedules",
      kind: "throttle",
      count: 2,
      retryAfterSeconds: 0,
    });
    const r = await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(r.check.counts.total).toBe(0);
    const hits = emu.log
      .entries()
      .filter((x) => x.path.startsWith("/v1.0/roleManagement/directory/roleAssignmentSchedules"));
    expect(hits.map((x) => x.status)).toEqual([429, 429, 200]);
  });
});

describe("pim drift", () => {
  it("finds what was changed in the portal after an import: unmanaged access and edited settings", async () => {
    await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    emu.state.addDirectAssignment({
      principalId: userId("dorothy.vaughan@contoso.com"),
      roleDefinitionId: GA,
      createdDateTime: NOW.toISOString(),
    });
    emu.state.addSchedule({
      kind: "eligibility",
      principalId: userId("katherine.johnson@contoso.com"),
      roleDefinitionId: SECURITY_READER,
      startDateTime: "2026-11-20T00:00:00.000Z",
      endDateTime: "2027-01-31T00:00:00.000Z",
    });
    emu.state.portalEditRule(GA, "Expiration_EndUser_Assignment", { maximumDuration: "PT8H" });
    const d = await runDrift({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW, format: "json" });
    expect(d.exitCode).toBe(1);
    expect(d.diff.changes.map((c) => [c.risk, c.section, c.action, c.subject])).toEqual([
      ["weaker", "roleSettings", "changed", "Global Administrator"],
      ["weaker", "grants", "added", "active Global Administrator for dorothy.vaughan@contoso.com"],
      ["weaker", "grants", "added", "eligible Security Reader for katherine.johnson@contoso.com"],
    ]);
    expect(d.diff.changes[0]!.fields.map((f) => [f.field, f.before, f.after])).toEqual([
      ["activation.maximumDuration", "PT4H", "PT8H"],
    ]);
    expect(d.diff.changes[1]!.note).toBe("new permanent access");
    expect(JSON.parse(d.text).changes).toHaveLength(3);
  });
});

describe("pim drift as the read-only identity", () => {
  it("pim-reader reads a tenant with an AU-scoped grant whole: drift after import exits 0", async () => {
    await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    expect(
      fs.readFileSync(
        path.join(root, "stacks/contoso/grants/alan-turing-helpdesk-administrator.yaml"),
        "utf8",
      ),
    ).toContain("  administrativeUnit: Helpdesk AU\n");
    const d = await runDrift({ graph: emulatorGraph(emu, "pim-reader"), root, stack: "contoso", now: NOW });
    expect([d.exitCode, d.diff.counts.total]).toEqual([0, 0]);
    expect(
      emu.log
        .entries()
        .filter((e) => e.path.startsWith("/v1.0/directory/administrativeUnits"))
        .map((e) => e.status),
    ).toEqual([200, 200]);
  });
});

describe("pim report", () => {
  it("judges the live tenant with the live facts: permanent admins, outside-PIM, report-only auth context", async () => {
    await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
    emu.state.addDirectAssignment({
      principalId: userId("dorothy.vaughan@contoso.com"),
      roleDefinitionId: GA,
      createdDateTime: NOW.toISOString(),
    });
    // Activation asks for context c1, whose only Conditional Access policy is report-only (seed).
    emu.state.portalEditRule(GA, "Enablement_EndUser_Assignment", { enabledRules: ["Justification"] });
    emu.state.portalEditRule(GA, "AuthenticationContext_EndUser_Assignment", {
      isEnabled: true,
      claimValue: "c1",
    });
    const r = await runReport({
      graph: emulatorGraph(emu),
      root,
      stack: "contoso",
      now: NOW,
      format: "json",
    });
    const planted = r.findings
      .filter((f) => ["PIM-004", "PIM-005", "PIM-023"].includes(f.ruleId))
      .map((f) => [f.ruleId, f.object, f.mandatory]);
    expect(planted).toEqual([
      ["PIM-004", "barbara-liskov-privileged-role-administrator", true],
      ["PIM-004", "bg-alpha-global-administrator", true],
      ["PIM-004", "bg-bravo-global-administrator", true],
      ["PIM-004", "dorothy-vaughan-global-administrator", true],
      ["PIM-005", "dorothy-vaughan-global-administrator", true],
      ["PIM-023", "Global Administrator", true],
    ]);
    expect(r.findings.find((f) => f.ruleId === "PIM-023")!.message).toBe(
      'activating Global Administrator requires authentication context c1, which asks for nothing: Conditional Access policy "Phishing-resistant MFA for privileged activation" is report-only, so it enforces nothing',
    );
    expect(r.exitCode).toBe(1);
    const sarif = await runReport({
      graph: emulatorGraph(emu),
      root,
      stack: "contoso",
      now: NOW,
      format: "sarif",
    });
    expect(JSON.parse(sarif.text).runs[0].results).toHaveLength(r.findings.length);
  });
});
