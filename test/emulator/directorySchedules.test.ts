// Directory role schedule requests, schedules and instances (graph-pim.md §3, §5) through the Graph client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  UnifiedRoleAssignmentScheduleInstance,
  UnifiedRoleEligibilitySchedule,
  UnifiedRoleEligibilityScheduleInstance,
  UnifiedRoleEligibilityScheduleRequest,
} from "@microsoft/microsoft-graph-types";
import {
  APPLICATION_ADMIN,
  DIR,
  EXCHANGE_ADMIN,
  GLOBAL_ADMIN,
  HELPDESK_ADMIN,
  NOW,
  PRIVILEGED_ROLE_ADMIN,
  SECURITY_ADMIN,
  TEAMS_ADMIN,
  USER_ADMIN,
  appToken,
  graphError,
  inHours,
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

const isoZ = (d: Date | string) => new Date(d).toISOString().replace(".000Z", "Z");

function eligibility(principal: string, role: string, extra: Record<string, unknown> = {}) {
  return {
    action: "adminAssign",
    principalId: h.userId(principal),
    roleDefinitionId: role,
    directoryScopeId: "/",
    justification: "Onboarding per CHG-2001",
    scheduleInfo: {
      startDateTime: NOW.toISOString(),
      expiration: { type: "afterDateTime", endDateTime: inHours(24 * 90) },
    },
    ...extra,
  };
}

async function policyId(role: string): Promise<string> {
  const res = await h.app
    .api("/policies/roleManagementPolicyAssignments")
    .filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${role}'`)
    .get();
  return res.value[0].policyId;
}

describe("eligibility requests (§3.2–§3.4)", () => {
  let created: UnifiedRoleEligibilityScheduleRequest;

  it("adminAssign answers 201 with the documented shape and status Provisioned", async () => {
    created = await h.app
      .api(`${DIR}/roleEligibilityScheduleRequests`)
      .post(eligibility("grace.hopper@contoso.com", EXCHANGE_ADMIN));
    expect(created).toEqual({
      "@odata.context":
        "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleEligibilityScheduleRequests/$entity",
      id: created.id,
      status: "Provisioned",
      createdDateTime: isoZ(NOW),
      completedDateTime: isoZ(NOW),
      approvalId: null,
      customData: null,
      action: "adminAssign",
      createdBy: {
        application: {
          displayName: "pim-as-code-deployer",
          id: h.emu.clientCredentials("pim-as-code-deployer").clientId,
        },
        device: null,
        user: null,
      },
      isValidationOnly: false,
      justification: "Onboarding per CHG-2001",
      scheduleInfo: {
        startDateTime: isoZ(NOW),
        recurrence: null,
        expiration: { type: "afterDateTime", endDateTime: isoZ(inHours(24 * 90)), duration: null },
      },
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      targetScheduleId: created.id,
      principalId: h.userId("grace.hopper@contoso.com"),
      roleDefinitionId: EXCHANGE_ADMIN,
      directoryScopeId: "/",
      appScopeId: null,
    });
  });

  it("materialises a schedule (id = request id) and an instance with a -1-e id", async () => {
    const s: UnifiedRoleEligibilitySchedule = await h.app
      .api(`${DIR}/roleEligibilitySchedules/${created.id}`)
      .get();
    expect(s).toMatchObject({
      id: created.id,
      createdUsing: created.id,
      status: "Provisioned",
      memberType: "Direct",
      principalId: created.principalId,
      roleDefinitionId: EXCHANGE_ADMIN,
      directoryScopeId: "/",
      appScopeId: null,
      modifiedDateTime: "0001-01-01T08:00:00Z",
    });
    expect(s.scheduleInfo).toEqual({
      startDateTime: isoZ(NOW),
      recurrence: null,
      expiration: { type: "afterDateTime", endDateTime: isoZ(inHours(24 * 90)), duration: null },
    });
    const inst = await h.app
      .api(`${DIR}/roleEligibilityScheduleInstances`)
      .filter(`principalId eq '${created.principalId}' and roleDefinitionId eq '${EXCHANGE_ADMIN}'`)
      .get();
    expect(inst.value).toHaveLength(1);
    const i = inst.value[0] as UnifiedRoleEligibilityScheduleInstance;
    expect(i.id).toMatch(/^[A-Za-z0-9_-]{43}-1-e$/);
    expect(i).toMatchObject({
      roleEligibilityScheduleId: created.id,
      startDateTime: isoZ(NOW),
      endDateTime: isoZ(inHours(24 * 90)),
      memberType: "Direct",
    });
    const one = await h.app.api(`${DIR}/roleEligibilityScheduleInstances/${i.id}`).get();
    expect(one.id).toBe(i.id);
  });

  it("filters schedules by principalId, roleDefinitionId and directoryScopeId, alone and combined", async () => {
    const pid = created.principalId!;
    const a = await h.app.api(`${DIR}/roleEligibilitySchedules`).filter(`principalId eq '${pid}'`).get();
    expect(a.value.map((s: any) => s.roleDefinitionId).sort()).toEqual(
      [EXCHANGE_ADMIN, SECURITY_ADMIN].sort(),
    );
    const b = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(
        `directoryScopeId eq '/' and roleDefinitionId eq '${EXCHANGE_ADMIN}' and principalId eq '${pid}'`,
      )
      .get();
    expect(b.value).toHaveLength(1);
    const c = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(`roleDefinitionId eq '${HELPDESK_ADMIN}'`)
      .get();
    expect(c.value.map((s: any) => s.directoryScopeId).sort()).toEqual([
      "/",
      `/administrativeUnits/${[...h.emu.state.administrativeUnits.keys()][0]}`,
    ]);
    const d = await h.app
      .api(`${DIR}/roleEligibilityScheduleInstances`)
      .filter(
        `roleDefinitionId eq '${HELPDESK_ADMIN}' and principalId ne '${h.userId("alan.turing@contoso.com")}'`,
      )
      .expand("principal")
      .get();
    expect(d.value).toHaveLength(1);
    expect(d.value[0].principal).toMatchObject({
      "@odata.type": "#microsoft.graph.group",
      displayName: "Tier-1 Helpdesk Operators",
    });
    const e = await h.app
      .api(`${DIR}/roleEligibilityScheduleInstances`)
      .filter(`(isof(principal,'microsoft.graph.user') and roleDefinitionId eq '${HELPDESK_ADMIN}')`)
      .get();
    expect(e.value.map((x: any) => x.principalId)).toEqual([h.userId("alan.turing@contoso.com")]);
  });

  it("a second identical adminAssign is RoleAssignmentExists", async () => {
    const e = await graphError(
      h.app
        .api(`${DIR}/roleEligibilityScheduleRequests`)
        .post(eligibility("grace.hopper@contoso.com", EXCHANGE_ADMIN)),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("RoleAssignmentExists");
    expect(e.message).toBe("The Role assignment already exists.");
  });

  it("adminExtend and adminUpdate keep the schedule id stable", async () => {
    const ext = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(
      eligibility("grace.hopper@contoso.com", EXCHANGE_ADMIN, {
        action: "AdminExtend",
        scheduleInfo: {
          startDateTime: NOW.toISOString(),
          expiration: { type: "afterDateTime", endDateTime: inHours(24 * 180) },
        },
      }),
    );
    expect(ext.action).toBe("adminExtend");
    expect(ext.status).toBe("Provisioned");
    expect(ext.targetScheduleId).toBe(created.id);
    expect(ext.id).not.toBe(created.id);
    const upd = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(
      eligibility("grace.hopper@contoso.com", EXCHANGE_ADMIN, {
        action: "adminUpdate",
        scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } },
      }),
    );
    expect(upd.targetScheduleId).toBe(created.id);
    const s = await h.app.api(`${DIR}/roleEligibilitySchedules/${created.id}`).get();
    expect(s.scheduleInfo.expiration.endDateTime).toBe(isoZ(inHours(24 * 30)));
    expect(s.modifiedDateTime).toBe(isoZ(NOW));
  });

  it("adminRemove answers Revoked and removes the schedule; again is RoleAssignmentDoesNotExist", async () => {
    const body = {
      action: "adminRemove",
      principalId: created.principalId,
      roleDefinitionId: EXCHANGE_ADMIN,
      directoryScopeId: "/",
    };
    const r = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(body);
    expect(r).toMatchObject({
      status: "Revoked",
      completedDateTime: null,
      targetScheduleId: null,
      justification: null,
      scheduleInfo: null,
      action: "adminRemove",
    });
    const e = await graphError(h.app.api(`${DIR}/roleEligibilitySchedules/${created.id}`).get());
    expect(e.statusCode).toBe(404);
    const again = await graphError(h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(body));
    expect(again.code).toBe("RoleAssignmentDoesNotExist");
    expect(again.message).toBe("The Role assignment does not exist.");
    for (const action of ["adminUpdate", "adminExtend", "adminRenew"]) {
      const x = await graphError(
        h.app
          .api(`${DIR}/roleEligibilityScheduleRequests`)
          .post(eligibility("grace.hopper@contoso.com", EXCHANGE_ADMIN, { action })),
      );
      expect(x.code).toBe("RoleAssignmentDoesNotExist");
    }
  });

  it("lists requests, gets one by id, and audits the operations", async () => {
    const list = await h.app
      .api(`${DIR}/roleEligibilityScheduleRequests`)
      .filter(`principalId eq '${created.principalId}'`)
      .get();
    expect(list.value.map((r: any) => r.action)).toEqual([
      "adminAssign",
      "adminExtend",
      "adminUpdate",
      "adminRemove",
    ]);
    const one = await h.app.api(`${DIR}/roleEligibilityScheduleRequests/${created.id}`).get();
    expect(one.id).toBe(created.id);
    const audits = await h.app
      .api("/auditLogs/directoryAudits")
      .filter(`loggedByService eq 'PIM' and targetResources/any(t: t/id eq '${created.principalId}')`)
      .get();
    const names = audits.value.map((a: any) => a.activityDisplayName);
    expect(names).toContain("Add eligible member to role in PIM completed (timebound)");
    expect(names).toContain("Remove eligible member from role in PIM completed (permanent)");
  });
});

describe("policy enforcement (§5)", () => {
  it("ExpirationRule in the text form, naming the rule", async () => {
    // Expiration_Admin_Eligibility: 365 days maximum once expiry is required.
    const pid = await policyId(SECURITY_ADMIN);
    await h.app.api(`/policies/roleManagementPolicies/${pid}/rules/Expiration_Admin_Eligibility`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      isExpirationRequired: true,
      maximumDuration: "P365D",
    });
    const long = await graphError(
      h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(
        eligibility("ken.thompson@contoso.com", SECURITY_ADMIN, {
          scheduleInfo: {
            startDateTime: NOW.toISOString(),
            expiration: { type: "afterDuration", duration: "P400D" },
          },
        }),
      ),
    );
    expect(long.statusCode).toBe(400);
    expect(long.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(long.message).toBe(
      "The following policy rules failed: ExpirationRule - The duration in the request is greater than maximum allowed duration",
    );
    const permanent = await graphError(
      h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(
        eligibility("ken.thompson@contoso.com", SECURITY_ADMIN, {
          scheduleInfo: { startDateTime: NOW.toISOString(), expiration: { type: "noExpiration" } },
        }),
      ),
    );
    expect(permanent.message).toMatch(/^The following policy rules failed: ExpirationRule - /);
  });

  it('the list form `["A","B"]` when the seed/admin setting asks for it, with several rules', async () => {
    h.emu.state.settings.policyErrorMessageFormat = "list";
    try {
      const pid = await policyId(SECURITY_ADMIN);
      await h.app.api(`/policies/roleManagementPolicies/${pid}/rules/Enablement_Admin_Eligibility`).patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
        enabledRules: ["Justification", "Ticketing"],
      });
      const e = await graphError(
        h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(
          eligibility("ken.thompson@contoso.com", SECURITY_ADMIN, {
            justification: "",
            scheduleInfo: {
              startDateTime: NOW.toISOString(),
              expiration: { type: "afterDuration", duration: "P400D" },
            },
          }),
        ),
      );
      expect(e.message).toBe(
        'The following policy rules failed: ["ExpirationRule","JustificationRule","TicketingRule"]',
      );
      const ok = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).post(
        eligibility("ken.thompson@contoso.com", SECURITY_ADMIN, {
          ticketInfo: { ticketNumber: "CHG-9", ticketSystem: "ServiceNow" },
        }),
      );
      expect(ok.ticketInfo).toEqual({ ticketNumber: "CHG-9", ticketSystem: "ServiceNow" });
    } finally {
      h.emu.state.settings.policyErrorMessageFormat = "text";
    }
  });

  it("an MFA rule on eligibility creation fails every app-only request with MfaRule (§1.9)", async () => {
    const pid = await policyId(TEAMS_ADMIN);
    await h.app.api(`/policies/roleManagementPolicies/${pid}/rules/Enablement_Admin_Eligibility`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      enabledRules: ["MultiFactorAuthentication"],
    });
    const e = await graphError(
      h.app
        .api(`${DIR}/roleEligibilityScheduleRequests`)
        .post(eligibility("ken.thompson@contoso.com", TEAMS_ADMIN)),
    );
    expect(e.message).toBe(
      "The following policy rules failed: MfaRule - Multi-factor authentication is required",
    );
    // Nothing was persisted.
    const list = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(
        `principalId eq '${h.userId("ken.thompson@contoso.com")}' and roleDefinitionId eq '${TEAMS_ADMIN}'`,
      )
      .get();
    expect(list.value).toEqual([]);
  });

  it("justification on active assignment (Enablement_Admin_Assignment default)", async () => {
    const e = await graphError(
      h.app
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post({ ...eligibility("ken.thompson@contoso.com", USER_ADMIN), justification: undefined }),
    );
    expect(e.message).toBe(
      "The following policy rules failed: JustificationRule - Justification is required",
    );
  });

  it("refuses assignments shorter than five minutes", async () => {
    const e = await graphError(
      h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post(
        eligibility("ken.thompson@contoso.com", USER_ADMIN, {
          scheduleInfo: { expiration: { type: "afterDuration", duration: "PT4M" } },
        }),
      ),
    );
    expect(e.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(e.message).toMatch(/ExpirationRule/);
  });

  it("isValidationOnly validates without persisting", async () => {
    const r = await h.app
      .api(`${DIR}/roleEligibilityScheduleRequests`)
      .post(eligibility("ken.thompson@contoso.com", USER_ADMIN, { isValidationOnly: true }));
    expect(r.isValidationOnly).toBe(true);
    const list = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(
        `principalId eq '${h.userId("ken.thompson@contoso.com")}' and roleDefinitionId eq '${USER_ADMIN}'`,
      )
      .get();
    expect(list.value).toEqual([]);
  });
});

describe("bad input on requests", () => {
  it.each([
    [
      "unknown principal",
      { principalId: "11111111-2222-3333-4444-555555555555" },
      "SubjectNotFound",
      "The subject is not found.",
    ],
    [
      "malformed principal id",
      { principalId: "not-a-guid" },
      "InvalidRoleAssignmentRequest",
      /^The role assignment request is invalid\./,
    ],
    [
      "unknown role",
      { roleDefinitionId: "11111111-2222-3333-4444-555555555555" },
      "RoleNotFound",
      "The role is not found.",
    ],
    [
      "unknown action",
      { action: "adminDelete" },
      "BadRequest",
      "Requested value 'adminDelete' was not found.",
    ],
    [
      "unknown property",
      { colour: "blue" },
      "BadRequest",
      /The property 'colour' does not exist on type 'microsoft.graph.unifiedRoleEligibilityScheduleRequest'/,
    ],
    [
      "wrong type",
      { isValidationOnly: "no" },
      "BadRequest",
      "Cannot convert the literal 'no' to the expected type 'Edm.Boolean'.",
    ],
    ["wrong @odata.type", { "@odata.type": "#microsoft.graph.user" }, "BadRequest", /could not be resolved/],
    ["bad scope", { directoryScopeId: "/nowhere" }, "InvalidRoleAssignmentRequest", /directory scope/],
    [
      "selfActivate on eligibility",
      { action: "selfActivate" },
      "InvalidRoleAssignmentRequest",
      /not valid for an eligibility request/,
    ],
  ])("%s", async (_n, patch, code, message) => {
    const e = await graphError(
      h.app
        .api(`${DIR}/roleEligibilityScheduleRequests`)
        .post({ ...eligibility("ken.thompson@contoso.com", APPLICATION_ADMIN), ...patch }),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe(code);
    if (typeof message === "string") expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
  });

  it("malformed JSON is Graph's 400 with the documented message", async () => {
    const r = await raw(h.emu, "POST", `/v1.0${DIR}/roleEligibilityScheduleRequests`, {
      token: await appToken(h.emu),
      body: '{"action": "adminAssign",',
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("BadRequest");
    expect(r.json.error.message).toBe(
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
    expect(r.json.error.innerError["request-id"]).toBe(r.headers.get("request-id"));
    expect(r.json.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it("service principals can only get active assignments", async () => {
    const sp = [...h.emu.state.servicePrincipals.values()][1]!;
    const e = await graphError(
      h.app
        .api(`${DIR}/roleEligibilityScheduleRequests`)
        .post({ ...eligibility("ken.thompson@contoso.com", APPLICATION_ADMIN), principalId: sp.id }),
    );
    expect(e.code).toBe("InvalidRoleAssignmentRequest");
    const ok = await h.app
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post({ ...eligibility("ken.thompson@contoso.com", APPLICATION_ADMIN), principalId: sp.id });
    expect(ok.status).toBe("Provisioned");
  });
});

describe("activation, deactivation and approval (§3.3)", () => {
  const activate = (upn: string, role: string, extra: Record<string, unknown> = {}) => ({
    action: "selfActivate",
    principalId: h.userId(upn),
    roleDefinitionId: role,
    directoryScopeId: "/",
    justification: "INC-1234 investigate sign-in failures",
    scheduleInfo: {
      startDateTime: h.emu.clock.now().toISOString(),
      expiration: { type: "afterDuration", duration: "PT2H" },
    },
    ...extra,
  });

  it("selfActivate without an MFA claim fails MfaRule; with MFA it is Provisioned", async () => {
    const e = await graphError(
      h
        .user("alan.turing@contoso.com")
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("alan.turing@contoso.com", USER_ADMIN)),
    );
    // User Administrator was seeded with [MultiFactorAuthentication] only.
    expect(e.message).toBe(
      "The following policy rules failed: MfaRule - Multi-factor authentication is required",
    );
    const ok = await h
      .user("alan.turing@contoso.com", { mfa: true })
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activate("alan.turing@contoso.com", USER_ADMIN));
    expect(ok).toMatchObject({
      status: "Provisioned",
      action: "selfActivate",
      createdBy: {
        application: null,
        device: null,
        user: { displayName: null, id: h.userId("alan.turing@contoso.com") },
      },
    });
    expect(ok.scheduleInfo.expiration).toEqual({
      type: "afterDuration",
      endDateTime: null,
      duration: "PT2H",
    });
    const inst = await h.app
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`principalId eq '${ok.principalId}' and roleDefinitionId eq '${USER_ADMIN}'`)
      .get();
    const i = inst.value[0] as UnifiedRoleAssignmentScheduleInstance;
    expect(i).toMatchObject({
      assignmentType: "Activated",
      memberType: "Direct",
      roleAssignmentScheduleId: ok.id,
      startDateTime: isoZ(h.emu.clock.now()),
    });
    expect(i.id).toMatch(/^[A-Za-z0-9_-]{43}-1$/);
    expect(i.roleAssignmentOriginId).toBe(i.id);
    const again = await graphError(
      h
        .user("alan.turing@contoso.com", { mfa: true })
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("alan.turing@contoso.com", USER_ADMIN)),
    );
    expect(again.code).toBe("RoleAssignmentExists");
  });

  it("activation longer than the policy maximum fails ExpirationRule", async () => {
    const e = await graphError(
      h
        .user("edsger.dijkstra@contoso.com", { mfa: true })
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(
          activate("edsger.dijkstra@contoso.com", EXCHANGE_ADMIN, {
            scheduleInfo: { expiration: { type: "afterDuration", duration: "PT9H" } },
          }),
        ),
    );
    expect(e.message).toBe(
      "The following policy rules failed: ExpirationRule - The duration in the request is greater than maximum allowed duration",
    );
  });

  it("Teams Administrator (no MFA by default override) activates without MFA", async () => {
    const pid = await policyId(TEAMS_ADMIN);
    await h.app.api(`/policies/roleManagementPolicies/${pid}/rules/Enablement_EndUser_Assignment`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      enabledRules: ["Justification"],
    });
    const ok = await h
      .user("edsger.dijkstra@contoso.com")
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activate("edsger.dijkstra@contoso.com", TEAMS_ADMIN));
    expect(ok.status).toBe("Provisioned");
  });

  it("an authentication-context rule needs the acrs claim", async () => {
    const pid = await policyId(EXCHANGE_ADMIN);
    await h.app.api(`/policies/roleManagementPolicies/${pid}`).patch({
      rules: [
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
          id: "Enablement_EndUser_Assignment",
          enabledRules: ["Justification"],
        },
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
          id: "AuthenticationContext_EndUser_Assignment",
          isEnabled: true,
          claimValue: "c1",
        },
      ],
    });
    const e = await graphError(
      h
        .user("edsger.dijkstra@contoso.com", { mfa: true })
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("edsger.dijkstra@contoso.com", EXCHANGE_ADMIN)),
    );
    expect(e.code).toBe("RoleAssignmentRequestAcrsValidationFailed");
    const ok = await h
      .user("edsger.dijkstra@contoso.com", { authContexts: ["c1"] })
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activate("edsger.dijkstra@contoso.com", EXCHANGE_ADMIN));
    expect(ok.status).toBe("Provisioned");
  });

  it("activating without an eligibility fails; activating for someone else is refused", async () => {
    const e = await graphError(
      h
        .user("grace.hopper@contoso.com", { mfa: true })
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("grace.hopper@contoso.com", USER_ADMIN)),
    );
    expect(e.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(e.message).toMatch(/EligibilityRule/);
    const other = await graphError(
      h
        .user("grace.hopper@contoso.com", { mfa: true })
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("alan.turing@contoso.com", USER_ADMIN)),
    );
    expect(other.code).toBe("InvalidRoleAssignmentRequest");
    const app = await graphError(
      h.app
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("alan.turing@contoso.com", USER_ADMIN)),
    );
    expect(app.code).toBe("InvalidRoleAssignmentRequest");
  });

  it("selfDeactivate within five minutes is ActiveDurationTooShort, afterwards Revoked", async () => {
    const me = h.user("alan.turing@contoso.com", { mfa: true });
    const body = {
      action: "selfDeactivate",
      principalId: h.userId("alan.turing@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
    };
    const e = await graphError(me.api(`${DIR}/roleAssignmentScheduleRequests`).post(body));
    expect(e.code).toBe("ActiveDurationTooShort");
    expect(e.message).toBe("The Active duration is too short. Miniumum Required is 5 minutes.");
    h.emu.clock.advance(5 * 60_000);
    const ok = await me.api(`${DIR}/roleAssignmentScheduleRequests`).post(body);
    expect(ok.status).toBe("Revoked");
    const again = await graphError(me.api(`${DIR}/roleAssignmentScheduleRequests`).post(body));
    expect(again.code).toBe("RoleAssignmentDoesNotExist");
  });

  it("approval-required activation goes to PendingApproval and an approver approves it", async () => {
    // Global Administrator: approval by the "PIM Approvers - Tier 0" group (seed).
    const margaret = h.user("margaret.hamilton@contoso.com", { mfa: true });
    const req = await margaret
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activate("margaret.hamilton@contoso.com", GLOBAL_ADMIN));
    expect(req.status).toBe("PendingApproval");
    expect(req.approvalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.targetScheduleId).toBeNull();
    // The requester is a member of the approver group but never approves her own request.
    const own = await margaret.api(`${DIR}/roleAssignmentApprovals/${req.approvalId}`).get();
    expect(own.stages[0]).toMatchObject({
      assignedToMe: false,
      status: "InProgress",
      reviewResult: "NotReviewed",
    });
    const ownTry = await graphError(
      margaret
        .api(`${DIR}/roleAssignmentApprovals/${req.approvalId}/stages/${own.stages[0].id}`)
        .patch({ reviewResult: "Approve", justification: "ok" }),
    );
    expect(ownTry.statusCode).toBe(403);
    const kath = h.user("katherine.johnson@contoso.com", { mfa: true });
    const mine = await kath
      .api(`${DIR}/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')`)
      .get();
    expect(mine.value.map((r: any) => r.id)).toContain(req.id);
    const approval = await kath.api(`${DIR}/roleAssignmentApprovals/${req.approvalId}`).get();
    expect(approval.stages[0].assignedToMe).toBe(true);
    const noJust = await graphError(
      kath
        .api(`${DIR}/roleAssignmentApprovals/${req.approvalId}/stages/${approval.stages[0].id}`)
        .patch({ reviewResult: "Approve" }),
    );
    expect(noJust.statusCode).toBe(400);
    await kath
      .api(`${DIR}/roleAssignmentApprovals/${req.approvalId}/stages/${approval.stages[0].id}`)
      .patch({ reviewResult: "Approve", justification: "Known incident INC-1234" });
    const after = await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${req.id}`).get();
    expect(after.status).toBe("Provisioned");
    expect(after.targetScheduleId).toBe(req.id);
    const stage = await kath
      .api(`${DIR}/roleAssignmentApprovals/${req.approvalId}/stages/${approval.stages[0].id}`)
      .get();
    expect(stage).toMatchObject({
      reviewResult: "Approve",
      status: "Completed",
      justification: "Known incident INC-1234",
      reviewedBy: { id: h.userId("katherine.johnson@contoso.com"), displayName: "Katherine Johnson" },
    });
    const audits = await h.app
      .api("/auditLogs/directoryAudits")
      .filter("activityDisplayName eq 'Add member to role request approved (PIM activation)'")
      .get();
    expect(audits.value).toHaveLength(1);
  });

  it("a denied request ends Denied; a pending one can be canceled", async () => {
    h.emu.state.schedules.set("seed-elig-dorothy", {
      ...[...h.emu.state.schedules.values()].find(
        (s) => s._kind === "eligibility" && s._target === GLOBAL_ADMIN,
      )!,
      id: "seed-elig-dorothy",
      principalId: h.userId("dorothy.vaughan@contoso.com"),
      _instanceKey: "dorothy-ga",
    });
    const dorothy = h.user("dorothy.vaughan@contoso.com", { mfa: true });
    const req = await dorothy
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activate("dorothy.vaughan@contoso.com", GLOBAL_ADMIN));
    const kath = h.user("katherine.johnson@contoso.com");
    const approval = await kath.api(`${DIR}/roleAssignmentApprovals/${req.approvalId}`).get();
    await kath
      .api(`${DIR}/roleAssignmentApprovals/${req.approvalId}/stages/${approval.stages[0].id}`)
      .patch({ reviewResult: "Deny", justification: "Not now" });
    expect((await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${req.id}`).get()).status).toBe("Denied");
    const req2 = await dorothy
      .api(`${DIR}/roleAssignmentScheduleRequests`)
      .post(activate("dorothy.vaughan@contoso.com", GLOBAL_ADMIN));
    const dup = await graphError(
      dorothy
        .api(`${DIR}/roleAssignmentScheduleRequests`)
        .post(activate("dorothy.vaughan@contoso.com", GLOBAL_ADMIN)),
    );
    expect(dup.code).toBe("PendingRoleAssignmentRequest");
    await dorothy.api(`${DIR}/roleAssignmentScheduleRequests/${req2.id}/cancel`).post(undefined);
    expect((await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${req2.id}`).get()).status).toBe(
      "Canceled",
    );
    const notCancelable = await graphError(
      dorothy.api(`${DIR}/roleAssignmentScheduleRequests/${req2.id}/cancel`).post(undefined),
    );
    expect(notCancelable.statusCode).toBe(400);
  });
});

describe("Entra safeguards and time", () => {
  it("the last active Global Administrator cannot be removed", async () => {
    const rm = (upn: string) => ({
      action: "adminRemove",
      principalId: h.userId(upn),
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: "/",
    });
    // Margaret's approved activation is also an active GA assignment; remove it first.
    h.emu.clock.advance(6 * 60_000);
    await h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post(rm("margaret.hamilton@contoso.com"));
    await h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post(rm("bg-alpha@contoso.onmicrosoft.com"));
    const e = await graphError(
      h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post(rm("bg-bravo@contoso.onmicrosoft.com")),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("LastActiveRoleAssignment");
    expect(e.message).toMatch(/Global Administrator/);
  });

  it("the last active Privileged Role Administrator cannot be removed", async () => {
    const e = await graphError(
      h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post({
        action: "adminRemove",
        principalId: h.userId("barbara.liskov@contoso.com"),
        roleDefinitionId: PRIVILEGED_ROLE_ADMIN,
        directoryScopeId: "/",
      }),
    );
    expect(e.code).toBe("LastActiveRoleAssignment");
  });

  it("future-dated assignment is Granted, can be canceled, and starts when the clock passes", async () => {
    const start = new Date(h.emu.clock.now().getTime() + 86_400_000);
    const body = {
      action: "adminAssign",
      principalId: h.userId("ken.thompson@contoso.com"),
      roleDefinitionId: HELPDESK_ADMIN,
      directoryScopeId: "/",
      justification: "rota",
      scheduleInfo: {
        startDateTime: start.toISOString(),
        expiration: { type: "afterDuration", duration: "P7D" },
      },
    };
    const r1 = await h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post(body);
    expect(r1.status).toBe("Granted");
    expect(r1.completedDateTime).toBe(isoZ(start));
    await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${r1.id}/cancel`).post(undefined);
    expect((await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${r1.id}`).get()).status).toBe("Canceled");
    const r2 = await h.app.api(`${DIR}/roleAssignmentScheduleRequests`).post(body);
    const sched = await h.app.api(`${DIR}/roleAssignmentSchedules/${r2.id}`).get();
    expect(sched.status).toBe("Granted");
    const noInst = await h.app
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`roleAssignmentScheduleId eq '${r2.id}'`)
      .get();
    expect(noInst.value).toEqual([]);
    h.emu.clock.advance(86_400_000 + 1000);
    const inst = await h.app
      .api(`${DIR}/roleAssignmentScheduleInstances`)
      .filter(`roleAssignmentScheduleId eq '${r2.id}'`)
      .get();
    expect(inst.value).toHaveLength(1);
    expect((await h.app.api(`${DIR}/roleAssignmentScheduleRequests/${r2.id}`).get()).status).toBe(
      "Provisioned",
    );
    // …and ends when the clock passes its end.
    h.emu.clock.advance(7 * 86_400_000);
    await graphError(h.app.api(`${DIR}/roleAssignmentSchedules/${r2.id}`).get());
  });

  it("activations expire with an audit event, and requests are purged after 45 days", async () => {
    const before = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).top(999).get();
    expect(before.value.length).toBeGreaterThan(0);
    h.emu.clock.advance(46 * 86_400_000);
    const after = await h.app.api(`${DIR}/roleEligibilityScheduleRequests`).top(999).get();
    expect(after.value).toEqual([]);
    const expired = await h.app
      .api("/auditLogs/directoryAudits")
      .filter("activityDisplayName eq 'Remove member from role (PIM activation expired)'")
      .get();
    expect(expired.value.length).toBeGreaterThan(0);
    expect(expired.value[0].initiatedBy.user.displayName).toBe("Azure AD PIM");
    // Schedules survive the purge (state is keyed on schedules, ARCHITECTURE decision 4).
    const sched = await h.app
      .api(`${DIR}/roleEligibilitySchedules`)
      .filter(`principalId eq '${h.userId("ken.thompson@contoso.com")}'`)
      .get();
    expect(sched.value.length).toBeGreaterThan(0);
  });
});
