// pim drift of declarations that name principals, approvers and administrative units by object id: compared by
// the names the tenant gives them, so a stack that matches the tenant shows no change (issue 12).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { readLive } from "../../providers/graph/reads/live";
import { runDrift } from "../../scripts/commands/drift/run";
import { runImport } from "../../scripts/commands/import/run";
import { emulatorGraph } from "./harness";

const NOW = new Date("2026-11-23T12:00:00Z");
const GA = "62e90394-69f5-4237-9190-012177145e10";
const SECURITY_ADMINISTRATOR = "194ae4cb-b126-40b2-bd5b-6091b380977d";
/** An id no object of the seed has. */
const NOBODY = "0a0b0c0d-1111-4222-8333-944445555666";

let emu: RunningEmulator;
let root: string;
beforeEach(async () => {
  emu = await startEmulator({ port: 0, now: NOW });
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-drift-ids-"));
  fs.mkdirSync(path.join(root, "stacks"));
});
afterEach(async () => {
  await emu.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const stackFile = (rel: string) => path.join(root, "stacks/contoso", rel);
const edit = (rel: string, from: string, to: string) => {
  const text = fs.readFileSync(stackFile(rel), "utf8");
  expect(text).toContain(from);
  fs.writeFileSync(stackFile(rel), text.replace(from, to));
};
const userId = (upn: string) => emu.state.findUser(upn)!.id;
const drift = () => runDrift({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
const unitLists = () =>
  emu.log
    .entries()
    .filter((e) => e.method === "GET" && e.path.startsWith("/v1.0/directory/administrativeUnits")).length;
const getByIdsCalls = () =>
  emu.log.entries().filter((e) => e.method === "POST" && e.path === "/v1.0/directoryObjects/getByIds").length;

/**
 * Imports the seed (names everywhere), then rewrites it to name by id: a grant's principal, an AU-scoped grant's
 * unit, a PIM-group membership's principal, the group of PIM-for-Groups settings, and an approver that Global
 * Administrator's settings name (the tenant gets those settings and that approver too, as if set in the portal).
 */
async function stackByIds(): Promise<void> {
  await runImport({ graph: emulatorGraph(emu), root, stack: "contoso", now: NOW });
  const unit = [...emu.state.administrativeUnits.values()].find((u) => u.displayName === "Helpdesk AU")!;
  edit(
    "grants/grace-hopper-security-administrator.yaml",
    "principal: grace.hopper@contoso.com",
    `principal: ${userId("grace.hopper@contoso.com")}`,
  );
  edit(
    "grants/alan-turing-helpdesk-administrator.yaml",
    "administrativeUnit: Helpdesk AU",
    `administrativeUnit: ${unit.id}`,
  );
  edit(
    "tenant.yaml",
    "        - principal: alan.turing@contoso.com",
    `        - principal: ${userId("alan.turing@contoso.com")}`,
  );
  const ken = userId("ken.thompson@contoso.com");
  edit(
    "tenant.yaml",
    "            - timeoutDays: 1\n",
    `            - approvers:\n                - user: ${ken.toUpperCase()}\n              timeoutDays: 1\n`,
  );
  // PIM-for-Groups settings naming the group by id; the tenant's member policy was changed to match.
  const operators = [...emu.state.groups.values()].find(
    (g) => g.displayName === "Tier-1 Helpdesk Operators",
  )!;
  edit(
    "tenant.yaml",
    "approverGroups:\n",
    `  groups:\n    - group: ${operators.id}\n      access: member\n      activation:\n        maximumDuration: PT2H\napproverGroups:\n`,
  );
  const memberPolicy = emu.state.policyForGroup(operators.id, "member")!;
  emu.state.portalEditRule(memberPolicy.id, "Expiration_EndUser_Assignment", { maximumDuration: "PT2H" });
  const approval = emu.state.policyForRole(GA)!.rules.find((r) => r.id === "Approval_EndUser_Assignment")!;
  const setting = (approval as unknown as { setting: { approvalStages: Record<string, unknown>[] } }).setting;
  const [stage] = setting.approvalStages as [{ primaryApprovers: unknown[] }];
  emu.state.portalEditRule(GA, "Approval_EndUser_Assignment", {
    setting: {
      ...setting,
      approvalStages: [
        {
          ...stage,
          // Declared approvers come before the approver groups that list the role (the loader's order).
          primaryApprovers: [
            { "@odata.type": "#microsoft.graph.singleUser", userId: ken },
            ...stage.primaryApprovers,
          ],
        },
      ],
    },
  });
}

describe("pim drift of declarations naming objects by id", () => {
  it("a stack naming a principal, a unit, a member, a PIM group and an approver by id matches the tenant: no change", async () => {
    await stackByIds();
    emu.log.clear();
    const d = await drift();
    expect(d.diff.changes.map((c) => [c.action, c.subject])).toEqual([]);
    expect(d.exitCode).toBe(0);
    expect(d.text).toContain("no change");
    // Every id was met by the live read: naming them costs no request beyond the read itself.
    const withIds = [getByIdsCalls(), unitLists()];
    emu.log.clear();
    await readLive(emulatorGraph(emu), "contoso");
    expect([getByIdsCalls(), unitLists()]).toEqual(withIds);
  });

  it("a unit no live grant is scoped to is named with one list of the units", async () => {
    await stackByIds();
    const alan = userId("alan.turing@contoso.com");
    const scoped = [...emu.state.schedules.values()].filter((s) =>
      (s.directoryScopeId ?? "").startsWith("/administrativeUnits/"),
    );
    expect(scoped.map((s) => s.principalId)).toEqual([alan]);
    emu.state.schedules.delete(scoped[0]!.id); // removed in the portal: the live read lists no unit
    emu.log.clear();
    const d = await drift();
    expect(unitLists()).toBe(1);
    expect(d.diff.changes.map((c) => [c.action, c.subject, c.source?.file])).toEqual([
      [
        "removed",
        "eligible Helpdesk Administrator @ administrative unit Helpdesk AU for alan.turing@contoso.com",
        "stacks/contoso/grants/alan-turing-helpdesk-administrator.yaml",
      ],
    ]);
  });

  it("one real change still shows as exactly one change, named as the tenant names it, at the declaring line", async () => {
    await stackByIds();
    const grace = userId("grace.hopper@contoso.com");
    const held = [...emu.state.schedules.values()].find(
      (s) => s.principalId === grace && s._target === SECURITY_ADMINISTRATOR,
    )!;
    emu.state.schedules.delete(held.id); // removed in the portal
    const d = await drift();
    expect(d.exitCode).toBe(1);
    expect(d.diff.changes.map((c) => [c.risk, c.action, c.subject, c.source?.file])).toEqual([
      [
        "stronger",
        "removed",
        "eligible Security Administrator for grace.hopper@contoso.com",
        "stacks/contoso/grants/grace-hopper-security-administrator.yaml",
      ],
    ]);
  });

  it("an id the live read did not meet is named by one more getByIds; an id that names nothing stays as declared", async () => {
    await stackByIds();
    emu.log.clear();
    await drift();
    const before = getByIdsCalls();
    for (const [file, principal] of [
      ["katherine-security-administrator.yaml", userId("katherine.johnson@contoso.com")],
      ["nobody-security-administrator.yaml", NOBODY],
    ])
      fs.writeFileSync(
        stackFile(`grants/${file}`),
        `principal: ${principal}\nrole: Security Administrator\nkind: eligible\njustification: Reviews security alerts\n`,
      );
    emu.log.clear();
    const d = await drift();
    expect(getByIdsCalls()).toBe(before + 1);
    expect(d.diff.changes.map((c) => [c.action, c.subject, c.source?.file])).toEqual([
      [
        "removed",
        "eligible Security Administrator for 0a0b0c0d-1111-4222-8333-944445555666",
        "stacks/contoso/grants/nobody-security-administrator.yaml",
      ],
      [
        "removed",
        "eligible Security Administrator for katherine.johnson@contoso.com",
        "stacks/contoso/grants/katherine-security-administrator.yaml",
      ],
    ]);
  });
});
