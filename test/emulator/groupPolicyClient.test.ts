// PIM for Groups through the official Graph client, as the product's group providers call it: policy assignments by
// group scope with the policy and rules expanded, a whole-policy PATCH, adminAssign, the schedule list, and refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOW, PIMG, graphError, inHours, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

const ASSIGNMENTS = "/policies/roleManagementPolicyAssignments";
const byScope = (gid: string) =>
  h.app
    .api(ASSIGNMENTS)
    .filter(`scopeId eq '${gid}' and scopeType eq 'Group'`)
    .expand("policy($expand=rules)")
    .get();

describe("group policies through the official client", () => {
  it("lists the member and owner assignments of one group with policy and rules expanded", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const res = await byScope(gid);
    expect(res.value).toHaveLength(2);
    const [member, owner] = ["member", "owner"].map((acc) =>
      res.value.find((a: any) => a.roleDefinitionId === acc),
    );
    for (const [a, acc] of [
      [member, "member"],
      [owner, "owner"],
    ] as const) {
      expect(a.id).toBe(`${a.policyId}_${acc}`);
      expect(a.scopeId).toBe(gid);
      expect(a.scopeType).toBe("Group");
      expect(a.policy.id).toBe(a.policyId);
      expect(a.policy.scopeId).toBe(gid);
      expect(a.policy.scopeType).toBe("Group");
      expect(a.policy.rules).toHaveLength(17);
    }
    expect(member.policyId).not.toBe(owner.policyId);
  });

  it("a whole-policy PATCH of a group policy changes only the rules sent; the read-back shows them", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const before = (await byScope(gid)).value.find((a: any) => a.roleDefinitionId === "member");
    const untouched = before.policy.rules.find((r: any) => r.id === "Expiration_Admin_Eligibility");
    const patched = await h.app.api(`/policies/roleManagementPolicies/${before.policyId}`).patch({
      rules: [
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
          id: "Expiration_EndUser_Assignment",
          isExpirationRequired: true,
          maximumDuration: "PT3H",
          target: { caller: "EndUser", operations: ["All"], level: "Assignment" },
        },
      ],
    });
    expect(patched.rules).toBeUndefined();
    const after = (await byScope(gid)).value.find((a: any) => a.roleDefinitionId === "member");
    const rule = after.policy.rules.find((r: any) => r.id === "Expiration_EndUser_Assignment");
    expect(rule.maximumDuration).toBe("PT3H");
    expect(rule.isExpirationRequired).toBe(true);
    expect(after.policy.rules.find((r: any) => r.id === "Expiration_Admin_Eligibility")).toEqual(untouched);
    expect(after.policy.rules).toHaveLength(17);
  });

  it("adminAssign an eligible member, then list it by groupId with exact fields", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const principalId = h.userId("ken.thompson@contoso.com");
    const req = await h.app.api(`${PIMG}/eligibilityScheduleRequests`).post({
      accessId: "member",
      principalId,
      groupId: gid,
      action: "adminAssign",
      justification: "Weekend cover",
      scheduleInfo: {
        startDateTime: NOW.toISOString(),
        expiration: { type: "afterDateTime", endDateTime: inHours(24 * 30) },
      },
    });
    const list = await h.app.api(`${PIMG}/eligibilitySchedules`).filter(`groupId eq '${gid}'`).get();
    const mine = list.value.filter((s: any) => s.principalId === principalId);
    const id = `${gid}_member_${req.id}`;
    expect(mine).toEqual([
      {
        id,
        groupId: gid,
        principalId,
        accessId: "member",
        memberType: "direct",
        status: "Provisioned",
        createdUsing: req.id,
        createdDateTime: "2026-09-01T09:00:00Z",
        // Graph's documented "never modified" value, not null.
        modifiedDateTime: "0001-01-01T08:00:00Z",
        scheduleInfo: {
          startDateTime: "2026-09-01T09:00:00Z",
          recurrence: null,
          expiration: { type: "afterDateTime", endDateTime: "2026-10-01T09:00:00Z", duration: null },
        },
      },
    ]);
  });

  it("a schedule list without a filter is a Graph-shaped 400; a read-only app's PATCH is a 403", async () => {
    const e = await graphError(h.app.api(`${PIMG}/eligibilitySchedules`).get());
    expect([e.statusCode, e.code, e.message]).toEqual([
      400,
      "InvalidFilter",
      "The request requires a $filter with 'eq' on groupId or principalId, for example: groupId eq '{groupId}'.",
    ]);
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const a = (await byScope(gid)).value[0];
    const e2 = await graphError(
      h.reader.api(`/policies/roleManagementPolicies/${a.policyId}`).patch({ rules: [] }),
    );
    expect([e2.statusCode, e2.code, e2.message]).toEqual([
      403,
      "UnknownError",
      '{"errorCode":"PermissionScopeNotGranted","message":"Authorization failed due to missing permission scope RoleManagementPolicy.ReadWrite.AzureADGroup.","instanceAnnotations":[]}',
    ]);
  });
});
