/**
 * "A delete undoes only what that resource still owns" (issue 8 item 3), against the emulator, in the engine's order
 * for a replacement (create the new resource, then delete the old one) within one provider process: the old
 * resource's delete leaves the schedule or policy that the new one adopted, sends nothing and says why; a delete by
 * the resource that holds it still removes or restores.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphDefaults } from "../../model/settings/defaults";
import { changedRules, type GraphRule } from "../../model/settings/graphRules";
import type {
  DirectoryRoleScheduleInputs,
  DirectoryRoleScheduleOutputs,
  DirectoryRoleSettingsInputs,
  DirectoryRoleSettingsOutputs,
  GroupScheduleInputs,
  GroupScheduleOutputs,
} from "../../providers/types";
import type { ResolvedSettings } from "../../model/types";
import {
  delta,
  EXCHANGE_ADMIN,
  HELPDESK_ADMIN,
  providerModule,
  seed,
  startHarness,
  USER_ADMIN,
  type Harness,
} from "./helpers";

interface Lifecycle<I, O> {
  create(i: I): Promise<{ id: string; outs: O }>;
  delete(id: string, o: O): Promise<void>;
}

const ELIG_REQ = "POST /roleManagement/directory/roleEligibilityScheduleRequests";
const GROUP_ELIG_REQ = "POST /identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const PATCH = "PATCH /policies/roleManagementPolicies/:policyId";
const GET_POLICY = "GET /policies/roleManagementPolicies/:policyId";

let h: Harness;
let schedules: Lifecycle<DirectoryRoleScheduleInputs, DirectoryRoleScheduleOutputs>;
let groupSchedules: Lifecycle<GroupScheduleInputs, GroupScheduleOutputs>;
let settings: Lifecycle<DirectoryRoleSettingsInputs, DirectoryRoleSettingsOutputs>;

beforeAll(async () => {
  h = await startHarness({
    seed: seed({
      groups: [{ displayName: "Tier-1 Helpdesk Operators", members: [] }],
      // The providers' least privilege, and PIM for Groups eligibility for the group family's test.
      applications: seed().applications!.map((a) => ({
        ...a,
        permissions: [...a.permissions!, "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup"],
      })),
    }),
  });
  // The implementations exactly as the shim loads them, so they share the provider process's one handover record.
  schedules = providerModule<{ provider: typeof schedules }>(
    "providers/directoryRoleSchedule/provider.ts",
  ).provider;
  groupSchedules = providerModule<{ provider: typeof groupSchedules }>(
    "providers/groupSchedule/provider.ts",
  ).provider;
  settings = providerModule<{ provider: typeof settings }>(
    "providers/directoryRoleSettings/provider.ts",
  ).provider;
});
afterAll(async () => h?.stop());
beforeEach(() => {
  // Each test starts like a new provider process.
  providerModule<typeof import("../../providers/pim/handover")>("providers/pim/handover.ts").resetHandovers();
  providerModule<typeof import("../../providers/pim/scheduleLookups")>(
    "providers/pim/scheduleLookups.ts",
  ).resetSharedState();
  h.progress.length = 0;
});

async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; d: ReturnType<typeof delta> }> {
  const before = h.emu.counters();
  const result = await fn();
  return { result, d: delta(before, h.emu.counters()) };
}

function grant(principal: string, roleDefinitionId: string, file: string): DirectoryRoleScheduleInputs {
  return {
    kind: "eligible",
    principalId: h.user(principal),
    roleDefinitionId,
    directoryScopeId: "/",
    start: null,
    end: "2027-01-31T00:00:00Z",
    justification: "On-call rotation 2026-Q4",
    ticket: null,
    label: `eligible ${roleDefinitionId} for ${principal} (${file})`,
  };
}

const liveEligible = (principalId: string, role: string) =>
  h.emu.state.findSchedules({
    scope: "directory",
    kind: "eligibility",
    principalId,
    target: role,
    directoryScopeId: "/",
  });

describe("a schedule taken over in the same run", () => {
  it("is kept when the resource replaced is deleted: 0 requests, one line saying who took it over", async () => {
    const old = grant("ada.lovelace@contoso.com", USER_ADMIN, "grants/ada.yaml");
    const renamed = grant("ada.lovelace@contoso.com", USER_ADMIN, "grants/ada-lovelace.yaml");
    const a = await schedules.create(old);
    const { result: b, d: adopt } = await measure(() => schedules.create(renamed));
    expect(b.id).toBe(a.id);
    expect(adopt.writes).toBe(0);

    const { d } = await measure(() => schedules.delete(a.id, a.outs));
    expect(d.requests).toBe(0);
    expect(liveEligible(old.principalId, USER_ADMIN).map((s) => s.id)).toEqual([a.id]);
    expect(h.progress).toEqual([
      `pim: ${old.label}: schedule ${a.id} was taken over by ${renamed.label} in this run; not removing it`,
    ]);

    // The new owner's own delete (the grant file removed later in the same process) still removes it.
    const { d: removal } = await measure(() => schedules.delete(b.id, b.outs));
    expect(removal.byRoute).toEqual({ [ELIG_REQ]: 1 });
    expect(liveEligible(old.principalId, USER_ADMIN)).toEqual([]);
    expect(h.progress).toHaveLength(1);
  });

  it("is removed by the resource that holds it, created and deleted in one process", async () => {
    const g = grant("grace.hopper@contoso.com", EXCHANGE_ADMIN, "grants/grace.yaml");
    const created = await schedules.create(g);
    const { d } = await measure(() => schedules.delete(created.id, created.outs));
    expect(d.byRoute).toEqual({ [ELIG_REQ]: 1 });
    expect(liveEligible(g.principalId, EXCHANGE_ADMIN)).toEqual([]);
    expect(h.progress).toEqual([]);
  });

  it("is removed when the other declaration governs something else (a different role is no takeover)", async () => {
    const first = await schedules.create(
      grant("alan.turing@contoso.com", HELPDESK_ADMIN, "grants/alan.yaml"),
    );
    await schedules.create(grant("alan.turing@contoso.com", EXCHANGE_ADMIN, "grants/alan.yaml"));
    const { d } = await measure(() => schedules.delete(first.id, first.outs));
    expect(d.byRoute).toEqual({ [ELIG_REQ]: 1 });
    expect(liveEligible(h.user("alan.turing@contoso.com"), HELPDESK_ADMIN)).toEqual([]);
    expect(liveEligible(h.user("alan.turing@contoso.com"), EXCHANGE_ADMIN)).toHaveLength(1);
  });

  it("is kept for PIM for Groups too (the same lifecycle, the group family)", async () => {
    const ops = h.group("Tier-1 Helpdesk Operators");
    const member = (label: string): GroupScheduleInputs => ({
      kind: "eligible",
      access: "member",
      groupId: ops,
      principalId: h.user("grace.hopper@contoso.com"),
      start: null,
      end: "2027-04-30T00:00:00Z",
      justification: "Second-line rota",
      ticket: null,
      label,
      groupName: "Tier-1 Helpdesk Operators",
    });
    const a = await groupSchedules.create(member("eligible member of Tier-1 for grace (groups/tier1.yaml)"));
    const b = await groupSchedules.create(
      member("eligible member of Tier-1 for grace (groups/helpdesk.yaml)"),
    );
    expect(b.id).toBe(a.id);
    const { d } = await measure(() => groupSchedules.delete(a.id, a.outs));
    expect(d.requests).toBe(0);
    expect(h.emu.state.schedules.has(a.id)).toBe(true);
    expect(h.progress).toEqual([
      `pim: eligible member of Tier-1 for grace (groups/tier1.yaml): schedule ${a.id} was taken over by eligible member of Tier-1 for grace (groups/helpdesk.yaml) in this run; not removing it`,
    ]);
    const { d: removal } = await measure(() => groupSchedules.delete(b.id, b.outs));
    expect(removal.byRoute).toEqual({ [GROUP_ELIG_REQ]: 1 });
    expect(h.emu.state.schedules.has(a.id)).toBe(false);
  });
});

function tightened(): ResolvedSettings {
  const s = graphDefaults("directory");
  s.activation.maximumDuration = "PT4H";
  s.activation.requireTicket = true;
  s.eligibleAssignment.allowPermanent = false;
  s.eligibleAssignment.maximumDuration = "P180D";
  return s;
}

const liveRules = (role: string) => structuredClone(h.emu.state.rulesOf(role)!) as unknown as GraphRule[];

describe("a policy taken over in the same run", () => {
  it("keeps the new owner's rules when the resource replaced is deleted: no PATCH of the original rules", async () => {
    const role = "b0f54661-2d74-4c50-afa3-1ec803f12efe"; // Billing Administrator
    const original = liveRules(role);
    const old = {
      roleDefinitionId: role,
      roleName: "Billing Administrator",
      settings: tightened(),
      approverIds: {},
    };
    const renamed = { ...old, roleName: "Billing Administrator (finance)" };
    const a = await settings.create(old);
    const managed = liveRules(role);
    expect(changedRules(managed, original).length).toBeGreaterThan(0);
    const { result: b, d: adopt } = await measure(() => settings.create(renamed));
    expect(b.id).toBe(a.id);
    expect(adopt.writes).toBe(0);

    const { d } = await measure(() => settings.delete(a.id, a.outs));
    expect(d.requests).toBe(0);
    expect(changedRules(liveRules(role), managed)).toEqual([]);
    expect(h.progress).toEqual([
      `pim: Billing Administrator: policy ${a.id} was taken over by Billing Administrator (finance) in this run; not restoring the settings found before the first apply`,
    ]);
  });

  it("restores the original rules when the resource that holds it is deleted", async () => {
    const role = "fdd7a751-b60b-444a-984c-02652fe8fa1c"; // Groups Administrator
    const original = liveRules(role);
    const created = await settings.create({
      roleDefinitionId: role,
      roleName: "Groups Administrator",
      settings: tightened(),
      approverIds: {},
    });
    expect(changedRules(liveRules(role), original).length).toBeGreaterThan(0);
    const { d } = await measure(() => settings.delete(created.id, created.outs));
    expect(d.byRoute).toEqual({ [GET_POLICY]: 2, [PATCH]: 1 });
    expect(changedRules(liveRules(role), original)).toEqual([]);
    expect(h.progress).toEqual([]);
  });
});
