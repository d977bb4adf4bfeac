/**
 * GroupPolicy create on a group whose PIM policies Entra has not created yet (issue 9): the bounded wait of
 * POLICY_WAIT, then success, or beyond the bound a clear error naming the group.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphDefaults } from "../../model/settings/defaults";
import type { GroupPolicyInputs } from "../../providers/types";
import { providerModule, seed, startHarness, CLIENT_SECRET, type Harness } from "./helpers";

let h: Harness;
type Provider = { create(i: GroupPolicyInputs): Promise<{ id: string; outs: { policyId: string } }> };
let policies: Provider;
const wait = () => providerModule<typeof import("../../providers/pim/wait")>("providers/pim/wait.ts");

beforeAll(async () => {
  h = await startHarness({
    seed: seed({
      groups: [{ displayName: "Seeded Operators", members: [] }],
      applications: [
        {
          displayName: "pim-as-code",
          clientSecret: CLIENT_SECRET,
          permissions: ["RoleManagementPolicy.ReadWrite.AzureADGroup"],
        },
      ],
    }),
  });
  policies = providerModule<{ provider: Provider }>("providers/groupPolicy/provider.ts").provider;
});
afterAll(async () => h?.stop());

/** A group as `POST /groups` creates it while the lag control is set: its policies appear only `lagMs` from now. */
function newGroup(displayName: string, id: string, lagMs: number): string {
  const template = h.emu.state.groups.get(h.group("Seeded Operators"))!;
  h.emu.state.groups.set(id, {
    ...template,
    id,
    displayName,
    mailNickname: displayName.replace(/ /g, ""),
    _members: [],
    _owners: [],
    _policiesVisibleAtMs: Date.now() + lagMs,
  });
  return id;
}

const inputs = (groupName: string): GroupPolicyInputs => ({
  groupId: h.group(groupName),
  access: "member",
  groupName,
  settings: graphDefaults("group"),
  approverIds: {},
});

describe("GroupPolicy create waits for a new group's policies", () => {
  it("looks again after the first delay and succeeds once the policies appear", async () => {
    // The emulator's lag runs on the host clock, so this wait really sleeps (a little longer than the lag). The
    // wait's own clock advances only by its sleeps, so the figures it prints do not depend on the machine's load.
    const gid = newGroup("Night Shift Operators", "a3c1e7d2-5b4f-4e8a-9c6d-1f2e3d4c5b6a", 1000);
    let waitedMs = 0;
    const restore = wait().setWaitHooks({
      now: () => waitedMs,
      sleep: (ms) => {
        waitedMs += ms;
        return new Promise((r) => setTimeout(r, Math.min(ms, 1200)));
      },
    });
    try {
      const created = await policies.create(inputs("Night Shift Operators"));
      expect(created.outs.policyId).toBe(h.emu.state.groupPolicyAssignment(gid, "member")!.policyId);
    } finally {
      restore();
    }
    expect(h.progress).toEqual([
      "pim: waiting for Entra to create the PIM policy of Night Shift Operators (member) (a new group's policies appear shortly after the group): 0 s so far, looking again in 2 s, at most 3 min",
    ]);
  });

  it("beyond the bound fails with a message naming the group and what to do", async () => {
    h.progress.length = 0;
    const gid = newGroup("Never Onboarded Ops", "b7d2f4a1-8c3e-4f6b-a1d9-2e4c6a8b0d13", 3_600_000);
    // The harness's waits pass on the emulator's clock, instantly: delays 2, 4, 8, then 15 s up to the 3 min bound.
    await expect(policies.create(inputs("Never Onboarded Ops"))).rejects.toThrow(
      new RegExp(
        `^Never Onboarded Ops \\(member\\): Entra has not created the PIM policies of group ${gid} after 3 min\\. ` +
          "A new group's policies appear shortly after the group is created: run the deployment again in a few minutes\\.",
      ),
    );
    expect(h.progress.at(-1)).toBe(
      "pim: waiting for Entra to create the PIM policy of Never Onboarded Ops (member) (a new group's policies appear shortly after the group): 2 min 59 s so far, looking again in 1 s, at most 3 min",
    );
    expect(h.emu.state.groupPolicyAssignment(gid, "member")).toBeUndefined();
  });
});
