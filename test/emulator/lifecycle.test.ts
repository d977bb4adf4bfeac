// Less common paths: renew after expiry, self-extend, approval time-out, PIM-for-Groups approvals,
// and the state helpers tests use to simulate changes made outside the product.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DIR,
  EXCHANGE_ADMIN,
  NOW,
  PIMG,
  SECURITY_ADMIN,
  appToken,
  graphError,
  raw,
  startHarness,
  type Harness,
} from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

const DAY = 86_400_000;

describe("renew and extend", () => {
  it("adminRenew re-creates an eligibility that expired; adminRenew of one that never existed is RoleAssignmentDoesNotExist", async () => {
    // Edsger's Exchange Administrator eligibility ends 30 days after NOW (seed: start -P60D, end P90D).
    const pid = h.userId("edsger.dijkstra@contoso.com");
    h.emu.clock.advance(31 * DAY);
    const gone = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(`principalId eq '${pid}' and roleDefinitionId eq '${EXCHANGE_ADMIN}'`)
      .get();
    expect(gone.value).toEqual([]);
    const body = {
      action: "adminRenew",
      principalId: pid,
      roleDefinitionId: EXCHANGE_ADMIN,
      directoryScopeId: "/",
      justification: "renewal",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } },
    };
    const r = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(body);
    expect(r).toMatchObject({ action: "adminRenew", status: "Provisioned", targetScheduleId: r.id });
    const e = await graphError(
      h.app
        .api(`${DIR}/roleEligibilityScheduleRequests`)
        .post({ ...body, principalId: h.userId("ken.thompson@contoso.com") }),
    );
    expect(e.code).toBe("RoleAssignmentDoesNotExist");
  });

  it("selfExtend asks an administrator: PendingAdminDecision, cancelable", async () => {
    const grace = h.user("grace.hopper@contoso.com");
    const body = {
      action: "selfExtend",
      principalId: h.userId("grace.hopper@contoso.com"),
      roleDefinitionId: SECURITY_ADMIN,
      directoryScopeId: "/",
      justification: "still needed",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P180D" } },
    };
    const r = await grace.api(`${DIR}/roleEligibilityScheduleRequests`).post(body);
    expect(r.status).toBe("PendingAdminDecision");
    await grace.api(`${DIR}/roleEligibilityScheduleRequests/${r.id}/cancel`).post(undefined);
    // An eligibility request that is canceled reads back as Revoked (§3.4).
    expect((await h.app.api(`${DIR}/roleEligibilityScheduleRequests/${r.id}`).get()).status).toBe("Revoked");
  });
});

describe("approval time-out", () => {
  it("a request nobody approves within approvalStageTimeOutInDays is Denied, with an audit event", async () => {
    const margaret = h.user("margaret.hamilton@contoso.com", { mfa: true });
    const r = await margaret.api(`${DIR}/roleAssignmentScheduleRequests`).post({
      action: "selfActivate",
      principalId: h.userId("margaret.hamilton@contoso.com"),
      roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
      directoryScopeId: "/",
      justification: "audit prep",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(r.status).toBe("PendingApproval");
    h.emu.clock.advance(DAY + 1000);
    expect((await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${r.id}`).get()).status).toBe("Denied");
    const audits = await h.app
      .api("/auditLogs/directoryAudits")
      .filter("activityDisplayName eq 'PIM activation request expired'")
      .get();
    expect(audits.value).toHaveLength(1);
  });
});

describe("PIM for Groups approvals (assignmentApprovals, v1.0)", () => {
  it("a member activation that needs approval is approved by the group's approver", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const policy = h.emu.state.policyForGroup(gid, "member")!;
    await h.app.api(`/policies/roleManagementPolicies/${policy.id}/rules/Approval_EndUser_Assignment`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
      setting: {
        isApprovalRequired: true,
        approvalStages: [
          {
            isApproverJustificationRequired: false,
            primaryApprovers: [
              { "@odata.type": "#microsoft.graph.singleUser", userId: h.userId("ken.thompson@contoso.com") },
            ],
          },
        ],
      },
    });
    const alan = h.user("alan.turing@contoso.com");
    const r = await alan.api(`${PIMG}/assignmentScheduleRequests`).post({
      accessId: "member",
      groupId: gid,
      principalId: h.userId("alan.turing@contoso.com"),
      action: "selfActivate",
      justification: "queue",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    });
    expect(r.status).toBe("PendingApproval");
    const ken = h.user("ken.thompson@contoso.com");
    const approval = await ken.api(`${PIMG}/assignmentApprovals/${r.approvalId}`).get();
    expect(approval["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/privilegedAccess/group/assignmentApprovals/$entity",
    );
    const stages = await ken.api(`${PIMG}/assignmentApprovals/${r.approvalId}/stages`).get();
    expect(stages.value).toHaveLength(1);
    expect(stages.value[0].assignedToMe).toBe(true);
    await ken
      .api(`${PIMG}/assignmentApprovals/${r.approvalId}/stages/${stages.value[0].id}`)
      .patch({ reviewResult: "Approve" });
    const after = await h.app.api(`${PIMG}/assignmentScheduleRequests/${r.id}`).get();
    expect(after).toMatchObject({ status: "Provisioned", targetScheduleId: `${gid}_member_${r.id}` });
    const members = await h.app.api(`/groups/${gid}/members`).get();
    expect(members.value.map((m: any) => m.id)).toContain(h.userId("alan.turing@contoso.com"));
    const appCall = await graphError(h.app.api(`${PIMG}/assignmentApprovals/${r.approvalId}`).get());
    expect(appCall.statusCode).toBe(403);
  });
});

describe("state helpers for tests", () => {
  it("portalEditRule changes a rule outside Graph and stamps lastModified*", async () => {
    h.emu.state.portalEditRule(
      SECURITY_ADMIN,
      "Expiration_EndUser_Assignment",
      { maximumDuration: "PT2H" },
      NOW,
    );
    const res = await h.app
      .api("/policies/roleManagementPolicyAssignments")
      .filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${SECURITY_ADMIN}'`)
      .expand("policy($expand=rules)")
      .get();
    const p = res.value[0].policy;
    expect(p.rules.find((r: any) => r.id === "Expiration_EndUser_Assignment").maximumDuration).toBe("PT2H");
    expect(p.lastModifiedBy).toEqual({ displayName: "Portal User", id: null });
  });

  it("addSchedule makes an assignment appear as if created in the portal", async () => {
    const s = h.emu.state.addSchedule({
      kind: "assignment",
      principalId: h.userId("ada.lovelace@contoso.com"),
      roleDefinitionId: EXCHANGE_ADMIN,
      startDateTime: h.emu.clock.now().toISOString(),
      endDateTime: null,
    });
    const inst = await h.app
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`roleAssignmentScheduleId eq '${s.id}'`)
      .get();
    expect(inst.value).toHaveLength(1);
    expect(inst.value[0]).toMatchObject({
      assignmentType: "Assigned",
      endDateTime: null,
      principalId: h.userId("ada.lovelace@contoso.com"),
    });
  });

  it("/beta is served for directory approvals only", async () => {
    const r = await raw(h.emu, "GET", "/beta/users", { token: await appToken(h.emu) });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/\/v1\.0 only/);
  });
});

describe("expansions and lookups", () => {
  it("$expand=roleDefinition,principal on instances and activatedUsing on an activation", async () => {
    const ada = h.userId("ada.lovelace@contoso.com");
    const inst = await h.app
      .api(`${DIR}/roleEligibilityScheduleInstances`)
      .filter(`principalId eq '${ada}'`)
      .expand("roleDefinition,principal")
      .get();
    expect(inst.value[0].roleDefinition).toMatchObject({
      displayName: "Privileged Role Administrator",
      isBuiltIn: true,
    });
    expect(inst.value[0].principal).toMatchObject({
      "@odata.type": "#microsoft.graph.user",
      userPrincipalName: "ada.lovelace@contoso.com",
    });
    const act = await h
      .user("ada.lovelace@contoso.com", { mfa: true })
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post({
        action: "selfActivate",
        principalId: ada,
        roleDefinitionId: "e8611ab8-c189-46e8-94e1-60213ab1f814",
        directoryScopeId: "/",
        justification: "rotate secrets",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
      });
    // Only Global Administrator needs approval in the demo seed.
    expect(act.status).toBe("Provisioned");
    const sched = await h.app.api(`${DIR}/roleAssignmentSchedules/${act.id}`).expand("activatedUsing").get();
    expect(sched.assignmentType).toBe("Activated");
    expect(sched.activatedUsing).toMatchObject({
      principalId: ada,
      roleDefinitionId: "e8611ab8-c189-46e8-94e1-60213ab1f814",
    });
    const bad = await graphError(h.app.api(`${DIR}/roleAssignmentSchedules`).expand("nonsense").get());
    expect(bad.statusCode).toBe(400);
  });

  it("directoryObjects/getByIds and users/{id}/memberOf", async () => {
    const ids = [
      h.userId("ada.lovelace@contoso.com"),
      h.groupId("PIM Approvers - Tier 0"),
      "00000000-0000-0000-0000-000000000000",
    ];
    const r = await h.app.api("/directoryObjects/getByIds").post({ ids, types: ["user", "group"] });
    expect(r.value.map((o: any) => o["@odata.type"]).sort()).toEqual([
      "#microsoft.graph.group",
      "#microsoft.graph.user",
    ]);
    const m = await h.app.api(`/users/${h.userId("margaret.hamilton@contoso.com")}/memberOf`).get();
    expect(m.value.map((g: any) => g.displayName)).toEqual(["PIM Approvers - Tier 0"]);
  });

  it("$select on a policy keeps only the selected properties", async () => {
    const p = h.emu.state.policyForRole(EXCHANGE_ADMIN)!;
    const r = await h.app
      .api(`/policies/roleManagementPolicies/${p.id}`)
      .select("id,lastModifiedDateTime")
      .get();
    expect(Object.keys(r).sort()).toEqual(["@odata.context", "id", "lastModifiedDateTime"]);
  });
});

describe("activation through a role-assignable group's eligibility", () => {
  it("a member of an eligible group activates; the activation has memberType Group", async () => {
    // Seed: "Tier-1 Helpdesk Operators" is eligible for Helpdesk Administrator; make Katherine a member.
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    await h.app.api(`/groups/${gid}/members/$ref`).post({
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${h.userId("katherine.johnson@contoso.com")}`,
    });
    const kate = h.userId("katherine.johnson@contoso.com");
    const r = await h
      .user("katherine.johnson@contoso.com", { mfa: true })
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post({
        action: "selfActivate",
        principalId: kate,
        roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        directoryScopeId: "/",
        justification: "queue",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
      });
    expect(r.status).toBe("Provisioned");
    const inst = await h.app
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`principalId eq '${kate}'`)
      .get();
    expect(inst.value[0]).toMatchObject({ memberType: "Group", assignmentType: "Activated" });
  });
});
