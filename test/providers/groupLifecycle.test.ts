/**
 * GroupPolicy and GroupSchedule against the emulator: the one PIM lifecycle with the group API family. Adopt what
 * exists with no write, send dates in Graph's own format.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphDefaults } from "../../model/settings/defaults";
import { changedRules, type GraphRule } from "../../model/settings/graphRules";
import type { ResolvedSettings } from "../../model/types";
import type { GroupPolicyInputs, GroupScheduleInputs } from "../../providers/types";
import { GRAPH_ACCEPTS, loadGroupPolicyStack } from "../model/groupPolicyStack";
import { delta, providerModule, seed, startHarness, CLIENT_SECRET, NOW, type Harness } from "./helpers";

let h: Harness;
type Provider<I, O> = {
  create(i: I): Promise<{ id: string; outs: O }>;
  update(id: string, o: O, n: I): Promise<{ outs: O }>;
  delete(id: string, o: O): Promise<void>;
  read(id: string, o: O): Promise<{ id?: string; props?: O; inputs?: I }>;
  diff(id: string, o: O, n: I): Promise<{ changes: boolean; replaces: string[] }>;
};
let policies: Provider<GroupPolicyInputs, GroupPolicyInputs & { policyId: string; originalRules: unknown[] }>;
let schedules: Provider<GroupScheduleInputs, GroupScheduleInputs & { scheduleId: string }>;

beforeAll(async () => {
  h = await startHarness({
    seed: seed({
      groups: [
        { displayName: "Tier-1 Helpdesk Operators", members: [] },
        { displayName: "Tier-2 Network Operators", members: [] },
      ],
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

describe("GroupPolicy: what azuread could not express and Graph accepts", () => {
  it("writes the loaded member policy to the emulator with each rule's exact value", async () => {
    const loaded = loadGroupPolicyStack(GRAPH_ACCEPTS, NOW);
    expect(loaded.diagnostics).toEqual([]);
    const member = loaded.model!.roleSettings.find((d) => d.label === "Tier-1 Helpdesk Operators (member)")!;
    const groupId = h.group("Tier-1 Helpdesk Operators");
    await policies.create({
      groupId,
      access: "member",
      groupName: "Tier-1 Helpdesk Operators",
      settings: member.settings,
      approverIds: {},
    });
    const rules = h.emu.state.policyForGroup(groupId, "member")!.rules;
    const rule = (id: string) => rules.find((r) => r.id === id)!;
    expect(rule("Expiration_EndUser_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "PT10H45M",
    });
    expect(rule("Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P200D",
    });
    expect(rule("Expiration_Admin_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P45D",
    });
    expect(rule("Notification_Approver_EndUser_Assignment")).toMatchObject({
      notificationLevel: "None",
      isDefaultRecipientsEnabled: false,
      notificationRecipients: [],
    });
    expect(rule("Notification_Requestor_Admin_Eligibility")).toMatchObject({
      notificationLevel: "None",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [],
    });
    // A field left to the profile is written as the profile has it, not swapped with an edited one.
    expect(rule("Notification_Admin_EndUser_Assignment")).toMatchObject({
      notificationLevel: "All",
      notificationRecipients: ["pim-alerts@contoso.com"],
    });
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

const DAY = 86_400_000;
const ELIG_LIST = "GET /identityGovernance/privilegedAccess/group/eligibilitySchedules";
const ELIG_REQ = "POST /identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
// A refresh reads the group's listing (Graph needs a group or principal filter), through `$batch`.
const GROUP_READ = { "POST /$batch": 1, [ELIG_LIST]: 1 };
/** A refresh runs in a new provider process: no listing or recent lookup left from the create. */
const newProcess = () =>
  providerModule<typeof import("../../providers/pim/scheduleLookups")>(
    "providers/pim/scheduleLookups.ts",
  ).resetSharedState();
const lastRequest = () => [...h.emu.state.requests.values()].at(-1) as Record<string, any>;

async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; d: ReturnType<typeof delta> }> {
  const before = h.emu.counters();
  const result = await fn();
  return { result, d: delta(before, h.emu.counters()) };
}

describe("GroupSchedule read (refresh)", () => {
  const ownership = (upn: string, end: string): GroupScheduleInputs => ({
    kind: "eligible",
    access: "owner",
    groupId: ops(),
    principalId: h.user(upn),
    start: null,
    end,
    justification: "Owner rota",
    ticket: null,
    label: `eligible owner of Tier-1 Helpdesk Operators for ${upn}`,
    groupName: "Tier-1 Helpdesk Operators",
  });

  it("returns the live schedule after Graph purged the request that created it (45 days)", async () => {
    const i = ownership("ada.lovelace@contoso.com", "2027-09-01T00:00:00.000Z");
    const created = await schedules.create(i);
    // A group schedule's id is `{groupId}_{accessId}_{requestId}`: the request is the one it was created using.
    const requestId = h.emu.state.schedules.get(created.id)!.createdUsing;
    expect(h.emu.state.requests.has(requestId)).toBe(true);
    h.emu.clock.advance(46 * DAY);
    h.syncClock();
    try {
      expect(h.emu.state.requests.has(requestId)).toBe(false);
      newProcess();
      const { result, d } = await measure(() => schedules.read(created.id, created.outs));
      expect(d.byRoute).toEqual(GROUP_READ);
      expect(result).toEqual({ id: created.id, props: created.outs, inputs: i });
    } finally {
      h.emu.clock.set(NOW);
      h.syncClock();
    }
    await schedules.delete(created.id, created.outs);
  });

  it("reports an end changed in the portal, and the next update puts the declared end back in place", async () => {
    const i = ownership("ken.thompson@contoso.com", "2027-01-31T00:00:00.000Z");
    const created = await schedules.create(i);
    h.emu.state.schedules.get(created.id)!.endDateTime = "2027-06-30T00:00:00Z";
    newProcess();
    const { result: read, d } = await measure(() => schedules.read(created.id, created.outs));
    expect(d.byRoute).toEqual(GROUP_READ);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual({ ...created.outs, end: "2027-06-30T00:00:00Z" });
    expect(await schedules.diff(created.id, read.props!, i)).toEqual({ changes: true, replaces: [] });
    const fixed = await measure(() => schedules.update(created.id, read.props!, i));
    // The state holds what the tenant had: one adminUpdate, no lookup before it.
    expect(fixed.d.byRoute).toEqual({ [ELIG_REQ]: 1 });
    expect(lastRequest()).toMatchObject({
      action: "adminUpdate",
      accessId: "owner",
      groupId: ops(),
      principalId: h.user("ken.thompson@contoso.com"),
      scheduleInfo: { expiration: { endDateTime: "2027-01-31T00:00:00Z" } },
    });
    expect(fixed.result.outs.scheduleId).toBe(created.id);
    expect(h.emu.state.schedules.get(created.id)!.endDateTime).toBe("2027-01-31T00:00:00Z");
    await schedules.delete(created.id, fixed.result.outs);
  });
});

describe("GroupPolicy update and delete", () => {
  const PATCH = "PATCH /policies/roleManagementPolicies/:policyId";
  // A group's policy id moves when PIM onboards the group, so the policy is always read by scope: one GET of its
  // assignment with the policy and rules expanded, for the read-back as for the restore.
  const GET_BY_SCOPE = "GET /policies/roleManagementPolicyAssignments";
  const netOps = () => h.group("Tier-2 Network Operators");
  const livePolicy = (groupId: string, access: "member" | "owner") =>
    h.emu.state.policyForGroup(groupId, access)!;
  const liveRules = (groupId: string, access: "member" | "owner") =>
    structuredClone(livePolicy(groupId, access).rules) as unknown as GraphRule[];
  const ruleOf = (groupId: string, access: "member" | "owner", id: string) =>
    livePolicy(groupId, access).rules.find((r) => r.id === id)!;
  const declared = (
    groupId: string,
    groupName: string,
    access: "member" | "owner",
    settings: ResolvedSettings,
  ) => ({
    groupId,
    access,
    groupName,
    settings,
    approverIds: {},
  });
  const withActivation = (maximumDuration: string, requireTicket: boolean): ResolvedSettings => {
    const d = graphDefaults("group");
    return { ...d, activation: { ...d.activation, maximumDuration, requireTicket } };
  };

  it("updates in place with exactly one PATCH and its read-back GET, no lookup", async () => {
    const created = await policies.create(
      declared(netOps(), "Tier-2 Network Operators", "member", withActivation("PT3H", false)),
    );
    // The create's PATCH onboarded the group: the id it recorded is the live one.
    expect(created.outs.policyId).toBe(livePolicy(netOps(), "member").id);
    const beforeUpdate = liveRules(netOps(), "member");
    h.emu.log.clear();
    const { result, d } = await measure(() =>
      policies.update(
        created.id,
        created.outs,
        declared(netOps(), "Tier-2 Network Operators", "member", withActivation("PT1H", true)),
      ),
    );
    expect(d.byRoute).toEqual({ [PATCH]: 1, [GET_BY_SCOPE]: 1 });
    expect(h.emu.log.entries().map((e) => [e.method, e.path.split("?")[0], e.status])).toEqual([
      ["PATCH", `/v1.0/policies/roleManagementPolicies/${created.outs.policyId}`, 200],
      ["GET", "/v1.0/policies/roleManagementPolicyAssignments", 200],
    ]);
    expect(ruleOf(netOps(), "member", "Expiration_EndUser_Assignment").maximumDuration).toBe("PT1H");
    expect(ruleOf(netOps(), "member", "Enablement_EndUser_Assignment").enabledRules).toEqual([
      "Justification",
      "Ticketing",
    ]);
    // Only the two rules that differ were written.
    expect(changedRules(liveRules(netOps(), "member"), beforeUpdate).map((r) => r.id)).toEqual([
      "Expiration_EndUser_Assignment",
      "Enablement_EndUser_Assignment",
    ]);
    expect(result.outs.policyId).toBe(created.outs.policyId);
    expect(result.outs.originalRules).toEqual(created.outs.originalRules);
  });

  it("delete restores the rules the owner policy held before the first apply", async () => {
    const original = liveRules(ops(), "owner");
    const created = await policies.create(
      declared(ops(), "Tier-1 Helpdesk Operators", "owner", withActivation("PT2H", true)),
    );
    expect(changedRules(liveRules(ops(), "owner"), original).map((r) => r.id)).toEqual([
      "Expiration_EndUser_Assignment",
      "Enablement_EndUser_Assignment",
    ]);
    expect(created.outs.originalRules).toEqual(original);
    // The restore reads the live policy, sends one PATCH of the two rules, and reads it back.
    const { d } = await measure(() => policies.delete(created.id, created.outs));
    expect(d.byRoute).toEqual({ [GET_BY_SCOPE]: 2, [PATCH]: 1 });
    expect(changedRules(liveRules(ops(), "owner"), original)).toEqual([]);
    expect(changedRules(original, liveRules(ops(), "owner"))).toEqual([]);
  });
});
