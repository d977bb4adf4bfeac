/**
 * DirectoryRoleSettings against the emulator: every provider method, request counts from the emulator's counters,
 * portal drift, restore on delete, and the read-back that fails loudly.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { directoryRoleSettingsProvider as provider } from "../../providers/directoryRoleSettings/index";
import type { DirectoryRoleSettingsInputs, DirectoryRoleSettingsOutputs } from "../../providers/types";
import { graphDefaults } from "../../model/settings/defaults";
import { changedRules, toGraphRules, type GraphRule } from "../../model/settings/graphRules";
import type { ResolvedSettings } from "../../model/types";
import {
  delta,
  EXCHANGE_ADMIN,
  HELPDESK_ADMIN,
  SECURITY_READER,
  startHarness,
  USER_ADMIN,
  type Harness,
} from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
beforeEach(() => h.emu.faults.clear());

const PATCH = "PATCH /policies/roleManagementPolicies/:policyId";
const GET_POLICY = "GET /policies/roleManagementPolicies/:policyId";
const GET_ASSIGNMENTS = "GET /policies/roleManagementPolicyAssignments";

function tightened(): ResolvedSettings {
  const s = graphDefaults("directory");
  s.activation.maximumDuration = "PT4H";
  s.activation.requireTicket = true;
  s.eligibleAssignment.allowPermanent = false;
  s.eligibleAssignment.maximumDuration = "P180D";
  return s;
}

function inputs(
  roleDefinitionId: string,
  roleName: string,
  settings: ResolvedSettings,
  approverIds: Record<string, string> = {},
): DirectoryRoleSettingsInputs {
  return { roleDefinitionId, roleName, settings, approverIds };
}

const liveRules = (role: string) => structuredClone(h.emu.state.rulesOf(role)!) as unknown as GraphRule[];
const rule = (role: string, id: string) => h.emu.state.rulesOf(role)!.find((r) => r.id === id)!;

async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; d: ReturnType<typeof delta> }> {
  const before = h.emu.counters();
  const result = await fn();
  return { result, d: delta(before, h.emu.counters()) };
}

describe("check (no network)", () => {
  it("accepts complete settings and names every problem of bad ones", async () => {
    const { d: ok } = await measure(() =>
      provider.check(undefined as never, inputs(USER_ADMIN, "User Administrator", tightened())),
    );
    expect(ok.requests).toBe(0);
    expect(
      await provider.check(undefined as never, inputs(USER_ADMIN, "User Administrator", tightened())),
    ).toEqual({
      inputs: inputs(USER_ADMIN, "User Administrator", tightened()),
    });

    const bad = tightened();
    bad.activation.maximumDuration = "P1Y";
    bad.activation.authenticationContext = "c1";
    bad.activation.approval = {
      required: true,
      requiredForExtension: false,
      stages: [
        {
          approvers: [{ type: "group", ref: "Tier-0 Approvers" }],
          timeoutDays: 1,
          approverJustification: true,
          escalation: null,
        },
      ],
    };
    const { result, d } = await measure(() =>
      provider.check(undefined as never, inputs("not-a-guid", "User Administrator", bad)),
    );
    expect(d.requests).toBe(0);
    expect(result).toEqual({
      failures: [
        { property: "roleDefinitionId", reason: "must be a role template id or role definition id (a GUID)" },
        {
          property: "settings.activation.maximumDuration",
          reason: "must be an ISO 8601 duration such as PT8H or P180D",
        },
      ],
    });
    bad.activation.maximumDuration = "PT1H";
    expect(await provider.check(undefined as never, inputs(USER_ADMIN, "User Administrator", bad))).toEqual({
      failures: [
        {
          property: "approverIds",
          reason:
            'no object id for group approver "Tier-0 Approvers" of approval stage 1 (key group:tier-0 approvers)',
        },
        {
          property: "settings.activation",
          reason: "Entra refuses MFA together with an authentication context on activation: keep one",
        },
      ],
    });
  });
});

describe("diff", () => {
  const olds = (): DirectoryRoleSettingsOutputs => ({
    ...inputs(USER_ADMIN, "User Administrator", tightened()),
    policyId: "p",
    originalRules: [],
  });

  it("reports no change for the same settings, whatever the serialized provider", async () => {
    const o = { ...olds(), __provider: "old code" } as DirectoryRoleSettingsOutputs;
    const n = {
      ...inputs(USER_ADMIN, "User Administrator", tightened()),
      __provider: "new code",
    } as DirectoryRoleSettingsInputs;
    expect(await provider.diff("p", o, n)).toEqual({ changes: false, replaces: [] });
  });

  it("reports no change for the same rule written another way (PT240M is PT4H)", async () => {
    const s = tightened();
    s.activation.maximumDuration = "PT240M";
    expect(await provider.diff("p", olds(), inputs(USER_ADMIN, "User Administrator", s))).toEqual({
      changes: false,
      replaces: [],
    });
  });

  it("updates in place for a settings change and replaces for another role", async () => {
    const s = tightened();
    s.activation.maximumDuration = "PT2H";
    expect(await provider.diff("p", olds(), inputs(USER_ADMIN, "User Administrator", s))).toEqual({
      changes: true,
      replaces: [],
    });
    expect(
      await provider.diff("p", olds(), inputs(HELPDESK_ADMIN, "Helpdesk Administrator", tightened())),
    ).toEqual({
      changes: true,
      replaces: ["roleDefinitionId"],
    });
  });
});

describe("create, read, update, delete", () => {
  it("finds the policy, sends one PATCH of the changed rules, reads it back and captures the original rules", async () => {
    const original = liveRules(USER_ADMIN);
    const { result, d } = await measure(() =>
      provider.create(inputs(USER_ADMIN, "User Administrator", tightened())),
    );
    // The assignment GET expands the policy and its rules; the one GET of the policy is the read-back.
    expect(d.byRoute).toEqual({ [GET_ASSIGNMENTS]: 1, [GET_POLICY]: 1, [PATCH]: 1 });
    const policyId = h.emu.state.policyForRole(USER_ADMIN)!.id;
    expect(result.id).toBe(policyId);
    expect(result.outs.policyId).toBe(policyId);
    expect(changedRules(result.outs.originalRules as GraphRule[], original)).toEqual([]);
    expect(result.outs.originalRules).toHaveLength(17);
    expect(rule(USER_ADMIN, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT4H");
    expect(rule(USER_ADMIN, "Enablement_EndUser_Assignment").enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
      "Ticketing",
    ]);
    expect(rule(USER_ADMIN, "Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P180D",
    });
    // Exactly the three rules that differed were written: the rest are untouched.
    expect(changedRules(liveRules(USER_ADMIN), original).map((r) => r.id)).toEqual([
      "Expiration_Admin_Eligibility",
      "Expiration_EndUser_Assignment",
      "Enablement_EndUser_Assignment",
    ]);
    expect(h.emu.state.policyForRole(USER_ADMIN)!.lastModifiedDateTime).not.toBeNull();
  });

  it("writes nothing when the tenant already holds the declared settings", async () => {
    const { result, d } = await measure(() =>
      provider.create(inputs(SECURITY_READER, "Security Reader", graphDefaults("directory"))),
    );
    expect(d.byRoute).toEqual({ [GET_ASSIGNMENTS]: 1 });
    expect(d.writes).toBe(0);
    expect(result.outs.originalRules).toHaveLength(17);
  });

  it("changes three settings with one PATCH and one read-back, and nothing for a label-only change", async () => {
    const created = await provider.create(inputs(EXCHANGE_ADMIN, "Exchange Administrator", tightened()));
    const next = tightened();
    next.activation.maximumDuration = "PT1H";
    next.activeAssignment.requireMfa = true;
    next.notifications.activation.admin.additionalRecipients = ["soc@contoso.com"];
    const { result, d } = await measure(() =>
      provider.update(created.id, created.outs, inputs(EXCHANGE_ADMIN, "Exchange Administrator", next)),
    );
    expect(d.byRoute).toEqual({ [PATCH]: 1, [GET_POLICY]: 1 });
    expect(rule(EXCHANGE_ADMIN, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT1H");
    expect(rule(EXCHANGE_ADMIN, "Enablement_Admin_Assignment").enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
    ]);
    expect(rule(EXCHANGE_ADMIN, "Notification_Admin_EndUser_Assignment").notificationRecipients).toEqual([
      "soc@contoso.com",
    ]);
    expect(result.outs.originalRules).toEqual(created.outs.originalRules);
    expect(result.outs.policyId).toBe(created.outs.policyId);

    const renamed = await measure(() =>
      provider.update(
        created.id,
        result.outs,
        inputs(EXCHANGE_ADMIN, "Exchange Administrator (renamed)", next),
      ),
    );
    expect(renamed.d.requests).toBe(0);
    expect(renamed.result.outs.roleName).toBe("Exchange Administrator (renamed)");
  });

  it("read reports portal drift in model form, and update puts the declared value back", async () => {
    const created = await provider.create(inputs(HELPDESK_ADMIN, "Helpdesk Administrator", tightened()));
    // The portal: someone raises the activation maximum to ten hours and drops the ticket requirement.
    rule(HELPDESK_ADMIN, "Expiration_EndUser_Assignment").maximumDuration = "PT10H";
    rule(HELPDESK_ADMIN, "Enablement_EndUser_Assignment").enabledRules = [
      "MultiFactorAuthentication",
      "Justification",
    ];

    const { result: read, d } = await measure(() => provider.read(created.id, created.outs));
    expect(d.byRoute).toEqual({ [GET_POLICY]: 1 });
    expect(read.id).toBe(created.id);
    expect(read.props!.settings.activation.maximumDuration).toBe("PT10H");
    expect(read.props!.settings.activation.requireTicket).toBe(false);
    expect(read.props!.originalRules).toEqual(created.outs.originalRules);
    expect(read.inputs).toEqual({
      ...inputs(HELPDESK_ADMIN, "Helpdesk Administrator", read.props!.settings),
    });

    // The next apply sees the difference and restores the declaration with one PATCH of the two drifted rules.
    expect(
      await provider.diff(
        created.id,
        read.props!,
        inputs(HELPDESK_ADMIN, "Helpdesk Administrator", tightened()),
      ),
    ).toEqual({
      changes: true,
      replaces: [],
    });
    const fixed = await measure(() =>
      provider.update(created.id, read.props!, inputs(HELPDESK_ADMIN, "Helpdesk Administrator", tightened())),
    );
    expect(fixed.d.byRoute).toEqual({ [PATCH]: 1, [GET_POLICY]: 1 });
    expect(rule(HELPDESK_ADMIN, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT4H");
    expect(rule(HELPDESK_ADMIN, "Enablement_EndUser_Assignment").enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
      "Ticketing",
    ]);
  });

  it("update also repairs drift it did not know about (a rule changed in the portal since the last refresh)", async () => {
    const role = "158c047a-c907-4556-b7ef-446551a6b5f7"; // Cloud Application Administrator
    const created = await provider.create(inputs(role, "Cloud Application Administrator", tightened()));
    rule(role, "Expiration_Admin_Assignment").maximumDuration = "P365D";
    const next = tightened();
    next.activation.maximumDuration = "PT2H";
    const { d } = await measure(() =>
      provider.update(created.id, created.outs, inputs(role, "Cloud Application Administrator", next)),
    );
    expect(d.byRoute).toEqual({ [PATCH]: 2, [GET_POLICY]: 2 });
    expect(rule(role, "Expiration_Admin_Assignment").maximumDuration).toBe("P180D");
    expect(rule(role, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT2H");
  });

  it("reports approvers by the names they were declared with, users and groups", async () => {
    const role = "c4e39bd9-1100-46d3-8c65-fb160da0071f"; // Authentication Administrator
    const s = tightened();
    s.activation.approval = {
      required: true,
      requiredForExtension: false,
      stages: [
        {
          approvers: [
            { type: "group", ref: "Tier-0 Approvers" },
            { type: "user", ref: "Ada.Lovelace@contoso.com" },
          ],
          timeoutDays: 1,
          approverJustification: true,
          // Escalation approvers on a directory role are refused offline: Graph accepts them and keeps none.
          escalation: null,
        },
      ],
    };
    const ids = {
      "group:tier-0 approvers": h.group("Tier-0 Approvers"),
      "user:ada.lovelace@contoso.com": h.user("ada.lovelace@contoso.com"),
    };
    const created = await provider.create(inputs(role, "Authentication Administrator", s, ids));
    const stage = rule(role, "Approval_EndUser_Assignment").setting!.approvalStages[0]!;
    expect(stage.primaryApprovers).toEqual([
      {
        "@odata.type": "#microsoft.graph.groupMembers",
        groupId: ids["group:tier-0 approvers"],
        description: "Tier-0 Approvers",
      },
      {
        "@odata.type": "#microsoft.graph.singleUser",
        userId: ids["user:ada.lovelace@contoso.com"],
        description: "Ada Lovelace",
      },
    ]);
    const read = await provider.read(created.id, created.outs);
    expect(read.props!.settings).toEqual(s);
    expect(
      await provider.diff(created.id, read.props!, inputs(role, "Authentication Administrator", s, ids)),
    ).toEqual({
      changes: false,
      replaces: [],
    });
  });

  it("fails loudly, naming the rule and both values, when the tenant does not hold what was sent", async () => {
    const role = "194ae4cb-b126-40b2-bd5b-6091b380977d"; // Security Administrator
    const created = await provider.create(inputs(role, "Security Administrator", tightened()));
    const next = tightened();
    next.activation.maximumDuration = "PT2H";
    // Delay the read-back; meanwhile another writer puts the old value back.
    h.emu.faults.add({
      method: "GET",
      path: "/v1.0/policies/roleManagementPolicies/*",
      kind: "latency",
      latencyMs: 300,
      count: 1,
    });
    const pending = provider.update(created.id, created.outs, inputs(role, "Security Administrator", next));
    const taken = pending.catch((e: Error) => e);
    for (let i = 0; i < 100 && rule(role, "Expiration_EndUser_Assignment").maximumDuration !== "PT2H"; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    rule(role, "Expiration_EndUser_Assignment").maximumDuration = "PT4H";
    const err = await taken;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'Security Administrator: the tenant did not take the settings it was sent: Expiration_EndUser_Assignment (maximumDuration: asked "PT2H", tenant holds "PT4H")',
    );
  });

  it("delete restores the rules found before the first apply", async () => {
    const role = "b0f54661-2d74-4c50-afa3-1ec803f12efe"; // Billing Administrator
    const original = liveRules(role);
    const created = await provider.create(inputs(role, "Billing Administrator", tightened()));
    const next = tightened();
    next.activation.requireMfa = false;
    const updated = await provider.update(
      created.id,
      created.outs,
      inputs(role, "Billing Administrator", next),
    );
    expect(changedRules(liveRules(role), original).map((r) => r.id)).toEqual([
      "Expiration_Admin_Eligibility",
      "Expiration_EndUser_Assignment",
      "Enablement_EndUser_Assignment",
    ]);
    const { d } = await measure(() => provider.delete(created.id, updated.outs));
    expect(d.byRoute).toEqual({ [GET_POLICY]: 2, [PATCH]: 1 });
    expect(changedRules(liveRules(role), original)).toEqual([]);
    expect(changedRules(original, liveRules(role))).toEqual([]);
  });

  it("restores approvers and recipients too (the whole-policy PATCH works under the approver-recipient lock)", async () => {
    const role = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"; // Application Administrator
    const original = liveRules(role);
    const s = tightened();
    s.notifications.activation.approver.additionalRecipients = ["approvals@contoso.com"];
    s.activation.approval = {
      required: true,
      requiredForExtension: false,
      stages: [
        {
          approvers: [{ type: "user", ref: "alan.turing@contoso.com" }],
          timeoutDays: 1,
          approverJustification: true,
          escalation: null,
        },
      ],
    };
    const created = await provider.create(
      inputs(role, "Application Administrator", s, {
        "user:alan.turing@contoso.com": h.user("alan.turing@contoso.com"),
      }),
    );
    expect(rule(role, "Notification_Approver_EndUser_Assignment").notificationRecipients).toEqual([
      "approvals@contoso.com",
    ]);
    await provider.delete(created.id, created.outs);
    expect(changedRules(liveRules(role), original)).toEqual([]);
  });

  it("survives a throttled PATCH (Retry-After honoured) with exactly one more attempt", async () => {
    const role = "fdd7a751-b60b-444a-984c-02652fe8fa1c"; // Groups Administrator
    h.emu.log.clear();
    h.emu.faults.add({
      method: "PATCH",
      path: "/v1.0/policies/roleManagementPolicies/*",
      kind: "throttle",
      retryAfterSeconds: 1,
      count: 1,
    });
    await provider.create(inputs(role, "Groups Administrator", tightened()));
    expect(
      h.emu.log
        .entries()
        .filter((e) => e.method === "PATCH")
        .map((e) => e.status),
    ).toEqual([429, 200]);
    expect(rule(role, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT4H");
  });

  it("names a role without a policy", async () => {
    await expect(
      provider.create(inputs("00000000-0000-4000-8000-000000000000", "Imaginary Role", tightened())),
    ).rejects.toThrow(
      "Imaginary Role: Entra has no PIM policy for role 00000000-0000-4000-8000-000000000000",
    );
  });

  it("the desired rules for the declared settings are what the tenant holds after an apply", async () => {
    const role = USER_ADMIN;
    expect(changedRules(toGraphRules(tightened(), {}), liveRules(role))).toEqual([]);
  });
});
