/**
 * Renames against the emulator, in the engine's order: the demo is applied (every dynamic resource created through
 * its provider), the edited demo is then applied over that state (create what is new, update what changed, delete
 * what is gone, in that order), and the tenant is compared with what the first apply left.
 *
 * For every identity-preserving edit: no schedule or settings resource is created, replaced or deleted, and the
 * tenant holds exactly the assignments and the role settings it held (no access lost, no setting reverted). For
 * an edit that gives a grant to someone else: the new person's schedule exists and the old one's is gone.
 *
 * And the control that shows these tests can fail: with names taken from file names and the folder (the scheme
 * before this release), renaming a grant file creates the new grant, which adopts the live schedule, then deletes
 * the old one, which leaves it (a delete undoes only what its resource still owns: `providers/pim/handover.ts`);
 * moving the folder, which changes no label, still removes every grant and reverts every role's settings, and the
 * comparison says so.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Registered } from "../components/harness";
import { applyInEngineOrder, type StateEntry, type Step } from "../scenarios/engineOrder";
import {
  demoFiles,
  IDENTITY_CHANGING_EDITS,
  IDENTITY_PRESERVING_EDITS,
  writeStack,
  type StackEdit,
  type StackFiles,
} from "../scenarios/identityEdits";
import { providerModule } from "../providers/helpers";
import type { EmulatorTenant } from "./emulatorTenant";
import { DEMO_CONFIG, startProgram, type ProgramHarness } from "./runDemo";

const DYNAMIC = /^pulumi-nodejs:dynamic\/pim:/;
let p: ProgramHarness | undefined;

let restoreWaits: (() => void) | undefined;

afterEach(async () => {
  restoreWaits?.();
  restoreWaits = undefined;
  delete process.env["PIM_NOW"];
  await p?.t.stop();
  p = undefined;
});

/**
 * The providers' clock (PIM_NOW) is the emulator's while they write: every request starts "now", and a grant the
 * emulator sees as not yet started is removed by cancelling its request, not by a removal, so a providers' clock
 * ahead of the emulator's would take the wrong path. The program run sets and clears PIM_NOW itself.
 */
function applyAtEmulatorTime(...args: Parameters<typeof applyInEngineOrder>) {
  const emu = p!.t.emu;
  const sync = () => (process.env["PIM_NOW"] = emu.clock.now().toISOString());
  sync();
  // The providers' bounded waits (Entra's five minutes before a new active assignment, such as a PIM group's role,
  // may be removed) pass on the emulator's clock, instantly.
  restoreWaits ??= providerModule<typeof import("../../providers/pim/wait")>(
    "providers/pim/wait.ts",
  ).setWaitHooks({
    now: () => emu.clock.now().getTime(),
    sleep: async (ms) => {
      emu.clock.advance(ms);
      sync();
    },
    progress: () => undefined,
  });
  return applyInEngineOrder(...args);
}

async function registrations(files: StackFiles, folder = "demo"): Promise<Registered[]> {
  p!.h.resources.length = 0;
  const { error } = await p!.run({
    root: writeStack(files, folder),
    config: { ...DEMO_CONFIG, "pim:declarations": folder },
  });
  if (error) throw error;
  return [...p!.h.resources];
}

/** What the tenant holds that these resources govern: directory schedules (with their windows) and role policies. */
function tenantSnapshot(t: EmulatorTenant, roleIds: string[]) {
  const schedules = [...t.emu.state.schedules.values()]
    .filter((s) => s._scope === "directory")
    .map((s) => `${s._kind}|${s._target}|${s.directoryScopeId}|${s.principalId}|${s.endDateTime}`)
    .sort();
  const policies = Object.fromEntries(
    roleIds.map((id) => [id, JSON.stringify(t.emu.state.policyForRole(id)!.rules)]),
  );
  return { schedules, policies };
}

const roleIdsOf = (rs: Registered[]) =>
  rs
    .filter((r) => r.type === "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings")
    .map((r) => String(r.inputs["roleDefinitionId"]));
const dynamicOps = (steps: Step[]) =>
  steps
    .filter((s) => DYNAMIC.test(s.type) && s.op !== "same" && s.op !== "update")
    .map((s) => `${s.op} ${s.name}`);

/** Applies the demo, then `edit` over it; returns the tenant before and after the second apply and its steps. */
async function scenario(e: StackEdit, transform: (rs: Registered[]) => Registered[] = (rs) => rs) {
  p = await startProgram();
  const first = transform(await registrations(demoFiles()));
  const applied = await applyAtEmulatorTime(first, []);
  const roles = roleIdsOf(first);
  const before = tenantSnapshot(p.t, roles);
  // The second apply is another `pulumi up`: another provider process, which knows of no earlier takeover.
  providerModule<typeof import("../../providers/pim/handover")>("providers/pim/handover.ts").resetHandovers();
  const second = transform(
    await registrations(e.edit(demoFiles(), { objectId: (u) => p!.t.user(u) }), e.folder),
  );
  const writes = p.t.emu.counters().writes;
  const { steps } = await applyAtEmulatorTime(second, applied.state as StateEntry[]);
  return {
    first,
    before,
    after: tenantSnapshot(p.t, roles),
    steps,
    writes: p.t.emu.counters().writes - writes,
  };
}

describe("identity-preserving edits, applied in the engine's order against the emulator", () => {
  it.each(IDENTITY_PRESERVING_EDITS.map((e) => [e.name, e] as const))(
    "%s: no access lost, no setting reverted",
    async (_n, e) => {
      const { first, before, after, steps, writes } = await scenario(e);
      expect(dynamicOps(steps)).toEqual([]);
      expect(after).toEqual(before);
      // Every demo grant's schedule was in place after the first apply and still is; eight roles' settings too.
      const grants = first.filter(
        (r) =>
          r.type === "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule" &&
          !r.urn.includes("pim:entra:PimGroup$"),
      );
      expect(grants).toHaveLength(10);
      for (const g of grants) {
        const key = `eligibility|${g.inputs["roleDefinitionId"]}|/|${g.inputs["principalId"]}|`;
        expect(
          after.schedules.filter((s) => s.startsWith(key)),
          String(g.inputs["label"]),
        ).toHaveLength(1);
      }
      expect(Object.keys(after.policies)).toHaveLength(8);
      // And the second apply wrote nothing to Graph.
      expect(writes).toBe(0);
    },
  );
});

describe("an edit that changes what a grant governs", () => {
  it.each(IDENTITY_CHANGING_EDITS.map((e) => [e.name, e] as const))(
    "%s: the new assignment comes, the old one goes",
    async (_n, e) => {
      const { before, after, steps } = await scenario(e);
      expect(dynamicOps(steps).map((s) => s.split(" ")[0])).toEqual(["create", "delete"]);
      const gone = before.schedules.filter((s) => !after.schedules.includes(s));
      const came = after.schedules.filter((s) => !before.schedules.includes(s));
      const id = (upn: string) => p!.t.user(upn);
      expect(gone).toEqual([expect.stringContaining(`|${id("ada.lovelace@contoso.com")}|`)]);
      expect(came).toEqual([expect.stringContaining(`|${id("grace.hopper@contoso.com")}|`)]);
      expect(after.policies).toEqual(before.policies);
    },
  );
});

describe("the control: names from file names and the folder, as before this release", () => {
  // The old scheme: each grant and settings resource under the name its file, role name and folder gave it (the
  // legacy alias), and no aliases.
  const oldNames = (rs: Registered[]) =>
    rs.map((r) => {
      const legacy = r.aliases[0];
      if (!legacy || !/-(grant|role)-/.test(legacy)) return { ...r, aliases: [] };
      return {
        ...r,
        name: legacy,
        urn: `${r.urn.slice(0, r.urn.lastIndexOf("::") + 2)}${legacy}`,
        aliases: [],
      };
    });

  it("renaming a grant file replaces the resource, and the delete leaves the schedule the new one took over", async () => {
    const rename = IDENTITY_PRESERVING_EDITS.find((e) => e.name === "rename a grant file")!;
    const { before, after, steps, writes } = await scenario(rename, oldNames);
    expect(dynamicOps(steps)).toEqual([
      "create demo-grant-security-reader-for-ada-schedule",
      "delete demo-grant-ada-lovelace-security-reader-schedule",
    ]);
    // The create adopted the live schedule and the delete (another label: the old file) left it (`handover.ts`).
    expect(after).toEqual(before);
    expect(writes).toBe(0);
  });

  it("moving the declarations folder reverts every role's settings and removes every grant", async () => {
    const move = IDENTITY_PRESERVING_EDITS.find((e) => e.name === "move the declarations to another folder")!;
    const { before, after, steps } = await scenario(move, oldNames);
    // Ten grants, eight roles' settings, and the PIM group's role.
    expect(dynamicOps(steps).filter((s) => s.startsWith("create"))).toHaveLength(19);
    expect(dynamicOps(steps).filter((s) => s.startsWith("delete"))).toHaveLength(19);
    const reverted = Object.keys(before.policies).filter((id) => after.policies[id] !== before.policies[id]);
    expect(reverted).toHaveLength(8);
    expect(before.schedules.filter((s) => !after.schedules.includes(s))).toHaveLength(11);
  });
});
