/**
 * GroupPolicy and GroupSchedule against the emulator: the one PIM lifecycle with the group API family. Adopt what
 * exists with no write, send dates in Graph's own format.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphDefaults } from "../../model/settings/defaults";
import type { GroupPolicyInputs, GroupScheduleInputs } from "../../providers/types";
import { delta, providerModule, seed, startHarness, CLIENT_SECRET, type Harness } from "./helpers";

let h: Harness;
type Provider<I, O> = {
  create(i: I): Promise<{ id: string; outs: O }>;
  update(id: string, o: O, n: I): Promise<{ outs: O }>;
  delete(id: string, o: O): Promise<void>;
};
let policies: Provider<GroupPolicyInputs, GroupPolicyInputs & { policyId: string }>;
let schedules: Provider<GroupScheduleInputs, GroupScheduleInputs & { scheduleId: string }>;

beforeAll(async () => {
  h = await startHarness({
    seed: seed({
      groups: [{ displayName: "Tier-1 Helpdesk Operators", members: [] }],
      applications: [
        {
          displayName: "pim-as-code",
          clientSecret: CLIENT_SECRET,
          permissions: [
            "RoleManagementPolicy.ReadWrite.AzureADGroup",
            "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
            "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
          ],
        },
      ],
    }),
  });
  policies = providerModule<{ provider: typeof policies }>("providers/groupPolicy/provider.ts").provider;
  schedules = providerModule<{ provider: typeof schedules }>("providers/groupSchedule/provider.ts").provider;
});
afterAll(async () => h?.stop());

const ops = () => h.group("Tier-1 Helpdesk Operators");

describe("GroupSchedule", () => {
  it("grants with one request sending Graph's own date format, then adopts the same grant with no write", async () => {
    const inputs: GroupScheduleInputs = {
      kind: "eligible",
      access: "member",
      groupId: ops(),
      principalId: h.user("grace.hopper@contoso.com"),
      start: null,
      end: "2027-04-30T00:00:00.000Z",
      justification: "Second-line rota",
      ticket: null,
      label: "eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com",
      groupName: "Tier-1 Helpdesk Operators",
    };
    const before = h.emu.counters();
    const created = await schedules.create(inputs);
    expect(delta(before, h.emu.counters()).writes).toBe(1);
    const sent = [...h.emu.state.requests.values()].at(-1) as Record<string, any>;
    expect(sent).toMatchObject({ action: "adminAssign", accessId: "member", groupId: ops() });
    expect(sent["scheduleInfo"].startDateTime).toBe("2026-11-23T12:00:00Z");
    expect(sent["scheduleInfo"].expiration.endDateTime).toBe("2027-04-30T00:00:00Z");

    const again = h.emu.counters();
    const adopted = await schedules.create(inputs);
    expect(adopted.id).toBe(created.id);
    expect(delta(again, h.emu.counters()).writes).toBe(0);

    await schedules.delete(created.id, created.outs);
    expect(h.emu.state.schedules.has(created.id)).toBe(false);
  });
});

describe("GroupPolicy", () => {
  it("finds the group's member policy by scope and applies it; a second apply writes nothing", async () => {
    const inputs: GroupPolicyInputs = {
      groupId: ops(),
      access: "member",
      groupName: "Tier-1 Helpdesk Operators",
      settings: {
        ...graphDefaults("group"),
        activation: { ...graphDefaults("group").activation, maximumDuration: "PT2H" },
      },
      approverIds: {},
    };
    const created = await policies.create(inputs);
    expect(h.emu.state.groupPolicyAssignment(ops(), "member")!.policyId).toBe(created.outs.policyId);
    expect(created.outs.policyId).toBeTruthy();
    const before = h.emu.counters();
    await policies.create(inputs);
    expect(delta(before, h.emu.counters()).writes).toBe(0);
  });
});

describe("GroupSchedule lifecycle", () => {
  const membership = (): GroupScheduleInputs => ({
    kind: "eligible",
    access: "member",
    groupId: ops(),
    principalId: h.user("alan.turing@contoso.com"),
    start: null,
    end: "2027-02-28T00:00:00.000Z",
    justification: "Night rota",
    ticket: null,
    label: "eligible member of Tier-1 Helpdesk Operators for alan.turing@contoso.com",
    groupName: "Tier-1 Helpdesk Operators",
  });

  it("extends in place with one adminUpdate in Graph's date format, then removes with adminRemove and tolerates a second delete", async () => {
    const i = membership();
    const created = await schedules.create(i);
    const before = h.emu.counters();
    const updated = await schedules.update(created.id, created.outs, {
      ...i,
      end: "2027-05-31T00:00:00.000Z",
    });
    expect(delta(before, h.emu.counters()).writes).toBe(1);
    const sent = [...h.emu.state.requests.values()].at(-1) as Record<string, any>;
    expect(sent).toMatchObject({
      action: "adminUpdate",
      accessId: "member",
      groupId: ops(),
      principalId: h.user("alan.turing@contoso.com"),
      scheduleInfo: {
        startDateTime: "2026-11-23T12:00:00Z",
        expiration: { endDateTime: "2027-05-31T00:00:00Z" },
      },
    });
    expect(updated.outs.scheduleId).toBe(created.id);

    await schedules.delete(created.id, updated.outs);
    expect(([...h.emu.state.requests.values()].at(-1) as Record<string, any>)["action"]).toBe("adminRemove");
    expect(h.emu.state.schedules.has(created.id)).toBe(false);
    await expect(schedules.delete(created.id, updated.outs)).resolves.toBeUndefined();
  });
});
