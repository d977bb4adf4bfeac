// Role management policies through the official Graph client (graph-pim.md §1, §2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  UnifiedRoleManagementPolicy,
  UnifiedRoleManagementPolicyApprovalRule,
  UnifiedRoleManagementPolicyAssignment,
  UnifiedRoleManagementPolicyEnablementRule,
  UnifiedRoleManagementPolicyExpirationRule,
  UnifiedRoleManagementPolicyNotificationRule,
} from "@microsoft/microsoft-graph-types";
import {
  APPLICATION_ADMIN,
  GLOBAL_ADMIN,
  NOW,
  TEAMS_ADMIN,
  TENANT,
  USER_ADMIN,
  EXCHANGE_ADMIN,
  filterPath,
  graphError,
  raw,
  startHarness,
  appToken,
  type Harness,
} from "./helpers";

const RULE_ORDER = [
  "Expiration_Admin_Eligibility",
  "Enablement_Admin_Eligibility",
  "Notification_Admin_Admin_Eligibility",
  "Notification_Requestor_Admin_Eligibility",
  "Notification_Approver_Admin_Eligibility",
  "Expiration_Admin_Assignment",
  "Enablement_Admin_Assignment",
  "Notification_Admin_Admin_Assignment",
  "Notification_Requestor_Admin_Assignment",
  "Notification_Approver_Admin_Assignment",
  "Expiration_EndUser_Assignment",
  "Enablement_EndUser_Assignment",
  "Approval_EndUser_Assignment",
  "AuthenticationContext_EndUser_Assignment",
  "Notification_Admin_EndUser_Assignment",
  "Notification_Requestor_EndUser_Assignment",
  "Notification_Approver_EndUser_Assignment",
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.emu.stop();
});

const assignmentFilter = (role: string) =>
  `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${role}'`;

async function policyOf(role: string): Promise<UnifiedRoleManagementPolicy> {
  const res = await h.app
    .api("/policies/roleManagementPolicyAssignments")
    .filter(assignmentFilter(role))
    .expand("policy($expand=rules)")
    .get();
  const a = res.value[0] as UnifiedRoleManagementPolicyAssignment;
  return a.policy!;
}

describe("policy assignment lookup (§1.2)", () => {
  it("finds the policy of a role with the documented filter and nested expand", async () => {
    const res = await h.app
      .api("/policies/roleManagementPolicyAssignments")
      .filter(assignmentFilter(APPLICATION_ADMIN))
      .expand("policy($expand=rules)")
      .get();
    expect(res["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))",
    );
    expect(res.value).toHaveLength(1);
    const a = res.value[0] as UnifiedRoleManagementPolicyAssignment;
    expect(a.roleDefinitionId).toBe(APPLICATION_ADMIN);
    expect(a.scopeId).toBe("/");
    expect(a.scopeType).toBe("DirectoryRole");
    expect(a.id).toBe(`${a.policyId}_${APPLICATION_ADMIN}`);
    expect(a.policyId).toMatch(new RegExp(`^DirectoryRole_${TENANT}_[0-9a-f-]{36}$`));
    // The policy GUID is not the role template id (§1.1).
    expect(a.policyId!.endsWith(APPLICATION_ADMIN)).toBe(false);
    expect(a.policy!.rules!.map((r) => r.id)).toEqual(RULE_ORDER);
  });

  it("without expand returns the plain context and no policy", async () => {
    const res = await h.app
      .api("/policies/roleManagementPolicyAssignments")
      .filter(assignmentFilter(USER_ADMIN))
      .get();
    expect(res["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments",
    );
    expect(Object.keys(res.value[0]).sort()).toEqual([
      "id",
      "policyId",
      "roleDefinitionId",
      "scopeId",
      "scopeType",
    ]);
  });

  it("lists one assignment per built-in role with scopeType Directory too", async () => {
    const res = await h.app
      .api("/policies/roleManagementPolicyAssignments")
      .filter("scopeId eq '/' and scopeType eq 'Directory'")
      .top(999)
      .get();
    expect(res.value.length).toBe(h.emu.state.roleDefinitions.size);
  });

  it.each([
    ["no filter", ""],
    ["scopeId only", "?$filter=" + encodeURIComponent("scopeId eq '/'")],
    ["or instead of and", "?$filter=" + encodeURIComponent("scopeId eq '/' or scopeType eq 'DirectoryRole'")],
  ])("refuses a list without the required scope filter (%s)", async (_n, q) => {
    const r = await raw(h.emu, "GET", `/v1.0/policies/roleManagementPolicyAssignments${q}`, {
      token: await appToken(h.emu),
    });
    expect(r.status).toBe(400);
    expect(["InvalidFilter", "BadRequest"]).toContain(r.json.error.code);
  });

  it("gets one assignment by id with $expand=policy", async () => {
    const p = await h.app
      .api("/policies/roleManagementPolicyAssignments")
      .filter(assignmentFilter(USER_ADMIN))
      .get();
    const id = p.value[0].id as string;
    const one = await h.app.api(`/policies/roleManagementPolicyAssignments/${id}`).expand("policy").get();
    expect(one["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy())/$entity",
    );
    expect(one.policy.id).toBe(p.value[0].policyId);
    expect(one.policy.rules).toBeUndefined();
  });
});

describe("policy read (§1.3, §1.8)", () => {
  it("returns the documented defaults on an untouched policy", async () => {
    const p = await policyOf(EXCHANGE_ADMIN);
    expect(p.lastModifiedDateTime).toBeNull();
    expect(p.lastModifiedBy).toEqual({ displayName: null, id: null });
    expect(p.displayName).toBe("DirectoryRole");
    expect(p.isOrganizationDefault).toBe(false);
    const byId = Object.fromEntries(p.rules!.map((r) => [r.id, r])) as Record<string, any>;
    expect(byId.Expiration_Admin_Eligibility).toMatchObject({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      isExpirationRequired: false,
      maximumDuration: "P365D",
    });
    expect(byId.Expiration_Admin_Assignment).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: "P180D",
    });
    expect(byId.Expiration_EndUser_Assignment).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "PT8H",
    });
    expect(byId.Enablement_Admin_Assignment.enabledRules).toEqual(["Justification"]);
    expect(byId.Enablement_EndUser_Assignment.enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
    ]);
    expect(byId.AuthenticationContext_EndUser_Assignment).toMatchObject({
      isEnabled: false,
      claimValue: null,
    });
    expect(byId.Approval_EndUser_Assignment.setting).toEqual({
      isApprovalRequired: false,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: "SingleStage",
      approvalStages: [
        {
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: [],
          escalationApprovers: [],
        },
      ],
    });
    expect(byId.Notification_Approver_EndUser_Assignment).toEqual({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
      id: "Notification_Approver_EndUser_Assignment",
      notificationType: "Email",
      recipientType: "Approver",
      notificationLevel: "All",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [],
      target: {
        caller: "EndUser",
        operations: ["all"],
        level: "Assignment",
        inheritableSettings: [],
        enforcedSettings: [],
      },
    });
  });

  it("applies per-role default overrides from the seed (Teams Administrator without MFA)", async () => {
    const p = await policyOf(TEAMS_ADMIN);
    const rule = p.rules!.find(
      (r) => r.id === "Enablement_EndUser_Assignment",
    ) as UnifiedRoleManagementPolicyEnablementRule;
    expect(rule.enabledRules).toEqual(["Justification"]);
  });

  it("GET policy without and with $expand=rules", async () => {
    const p = await policyOf(USER_ADMIN);
    const plain = await h.app.api(`/policies/roleManagementPolicies/${p.id}`).get();
    expect(plain["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies/$entity",
    );
    expect(plain.rules).toBeUndefined();
    const withRules = await h.app.api(`/policies/roleManagementPolicies/${p.id}`).expand("rules").get();
    expect(withRules["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies(rules())/$entity",
    );
    expect(withRules.rules).toHaveLength(17);
    const both = await h.app
      .api(`/policies/roleManagementPolicies/${p.id}`)
      .expand("effectiveRules,rules")
      .get();
    expect(both["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies(effectiveRules(),rules())/$entity",
    );
    expect(both.effectiveRules).toEqual(both.rules);
  });

  it("lists policies with the required filter, and rules($select=id) adds rules@odata.context", async () => {
    const res = await h.app
      .api("/policies/roleManagementPolicies")
      .filter("scopeId eq '/' and scopeType eq 'DirectoryRole'")
      .expand("rules($select=id)")
      .top(2)
      .get();
    expect(res["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies(rules())",
    );
    expect(res.value).toHaveLength(2);
    expect(res["@odata.nextLink"]).toContain("$skiptoken=");
    const p = res.value[0];
    expect(p["rules@odata.context"]).toContain(`roleManagementPolicies('${p.id}')/rules(id)`);
    expect(Object.keys(p.rules[0]).sort()).toEqual(["@odata.type", "id"]);
  });

  it("GET rules and one rule", async () => {
    const p = await policyOf(USER_ADMIN);
    const rules = await h.app.api(`/policies/roleManagementPolicies/${p.id}/rules`).get();
    expect(rules.value).toHaveLength(17);
    const one = await h.app
      .api(`/policies/roleManagementPolicies/${p.id}/rules/Expiration_EndUser_Assignment`)
      .get();
    expect(one["@odata.context"]).toBe(
      `https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('${p.id}')/rules/$entity`,
    );
    expect(one["@odata.type"]).toBe("#microsoft.graph.unifiedRoleManagementPolicyExpirationRule");
    const e = await graphError(h.app.api(`/policies/roleManagementPolicies/${p.id}/rules/Nope_Rule`).get());
    expect(e.statusCode).toBe(400);
    expect(e.message).toBe("The policy rule id Nope_Rule is invalid.");
  });

  it("a malformed policy id gets the observed UnknownError/MissingProvider answer (§1.9)", async () => {
    const e = await graphError(h.app.api("/policies/roleManagementPolicies/P").get());
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("UnknownError");
    expect(JSON.parse(e.message)).toEqual({
      errorCode: "MissingProvider",
      message: "The provider is missing.",
      instanceAnnotations: [],
    });
  });
});

describe("PATCH one rule (§1.4)", () => {
  it("updates the rule, answers 200 with the rule body and stamps lastModified*", async () => {
    const p = await policyOf(APPLICATION_ADMIN);
    const before = h.emu.clock.now();
    const res = await h.app
      .api(`/policies/roleManagementPolicies/${p.id}/rules/Expiration_EndUser_Assignment`)
      .patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        id: "Expiration_EndUser_Assignment",
        isExpirationRequired: true,
        maximumDuration: "PT1H45M",
        target: {
          "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
          caller: "EndUser",
          operations: ["All"],
          level: "Assignment",
          inheritableSettings: [],
          enforcedSettings: [],
        },
      });
    expect(res["@odata.context"]).toBe(
      `https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('${p.id}')/rules/$entity`,
    );
    expect(res.maximumDuration).toBe("PT1H45M");
    // Written "All", read back lowercase (§1.7).
    expect(res.target.operations).toEqual(["all"]);
    const after = await h.app.api(`/policies/roleManagementPolicies/${p.id}`).get();
    expect(after.lastModifiedDateTime).toBe(before.toISOString().replace(".000Z", "Z"));
    expect(after.lastModifiedBy).toEqual({ displayName: "pim-as-code-deployer", id: null });
    const rule = (await policyOf(APPLICATION_ADMIN)).rules!.find(
      (r) => r.id === "Expiration_EndUser_Assignment",
    ) as UnifiedRoleManagementPolicyExpirationRule;
    expect(rule.maximumDuration).toBe("PT1H45M");
  });

  it("accepts an approver written as `id` and reads it back as `userId` + description", async () => {
    const p = await policyOf(USER_ADMIN);
    const approver = h.userId("katherine.johnson@contoso.com");
    await h.app.api(`/policies/roleManagementPolicies/${p.id}/rules/Approval_EndUser_Assignment`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
      id: "Approval_EndUser_Assignment",
      setting: {
        isApprovalRequired: true,
        approvalStages: [
          {
            primaryApprovers: [
              {
                "@odata.type": "#microsoft.graph.singleUser",
                isBackup: false,
                id: approver,
                description: null,
              },
            ],
          },
        ],
      },
    });
    const rule = (await policyOf(USER_ADMIN)).rules!.find(
      (r) => r.id === "Approval_EndUser_Assignment",
    ) as UnifiedRoleManagementPolicyApprovalRule;
    expect(rule.setting!.isApprovalRequired).toBe(true);
    expect(rule.setting!.approvalStages![0]!.primaryApprovers).toEqual([
      { "@odata.type": "#microsoft.graph.singleUser", userId: approver, description: "Katherine Johnson" },
    ]);
  });

  it.each([
    [
      "missing @odata.type",
      { id: "Expiration_EndUser_Assignment", maximumDuration: "PT2H" },
      "InvalidPolicyRule",
      /@odata.type/,
    ],
    [
      "wrong @odata.type",
      { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule", maximumDuration: "PT2H" },
      "InvalidPolicyRule",
      /does not match/,
    ],
    [
      "unknown property",
      { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", maxDuration: "PT2H" },
      "BadRequest",
      /The property 'maxDuration' does not exist on type 'microsoft.graph.unifiedRoleManagementPolicyExpirationRule'/,
    ],
    [
      "wrong type",
      {
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        isExpirationRequired: "yes",
      },
      "BadRequest",
      /Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'/,
    ],
    [
      "bad duration",
      {
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        maximumDuration: "8 hours",
      },
      "BadRequest",
      /Edm.Duration/,
    ],
  ])("refuses a rule body with %s", async (_n, body, code, msg) => {
    const p = await policyOf(EXCHANGE_ADMIN);
    const e = await graphError(
      h.app.api(`/policies/roleManagementPolicies/${p.id}/rules/Expiration_EndUser_Assignment`).patch(body),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(msg);
  });

  it("refuses MFA together with an authentication context", async () => {
    const p = await policyOf(EXCHANGE_ADMIN);
    const e = await graphError(
      h.app
        .api(`/policies/roleManagementPolicies/${p.id}/rules/AuthenticationContext_EndUser_Assignment`)
        .patch({
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
          isEnabled: true,
          claimValue: "c1",
        }),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("MfaAndAcrsConflict");
    // Dropping MFA first makes the auth context acceptable.
    await h.app.api(`/policies/roleManagementPolicies/${p.id}/rules/Enablement_EndUser_Assignment`).patch({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      enabledRules: ["Justification"],
    });
    const ok = await h.app
      .api(`/policies/roleManagementPolicies/${p.id}/rules/AuthenticationContext_EndUser_Assignment`)
      .patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
        isEnabled: true,
        claimValue: "c1",
      });
    expect(ok).toMatchObject({ isEnabled: true, claimValue: "c1" });
  });

  it("refuses approval required without approvers", async () => {
    const p = await policyOf(TEAMS_ADMIN);
    const e = await graphError(
      h.app.api(`/policies/roleManagementPolicies/${p.id}/rules/Approval_EndUser_Assignment`).patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
        setting: { isApprovalRequired: true },
      }),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("InvalidPolicyRule");
    expect(e.message).toMatch(/no approvers/);
  });

  it("approver-notification recipients lock per-rule PATCH until a whole-policy PATCH clears them (§1.9)", async () => {
    const p = await policyOf(TEAMS_ADMIN);
    const notif = (recipients: string[]) => ({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
      id: "Notification_Approver_EndUser_Assignment",
      notificationRecipients: recipients,
    });
    await h.app
      .api(`/policies/roleManagementPolicies/${p.id}/rules/Notification_Approver_EndUser_Assignment`)
      .patch(notif(["secops@contoso.com"]));
    const e = await graphError(
      h.app.api(`/policies/roleManagementPolicies/${p.id}/rules/Expiration_EndUser_Assignment`).patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        maximumDuration: "PT2H",
      }),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe("ActivationCustomApproversNotEmpty");
    const e2 = await graphError(
      h.app
        .api(`/policies/roleManagementPolicies/${p.id}/rules/Notification_Approver_EndUser_Assignment`)
        .patch(notif([])),
    );
    expect(e2.code).toBe("ActivationCustomApproversNotEmpty");
    const whole = await h.app.api(`/policies/roleManagementPolicies/${p.id}`).patch({ rules: [notif([])] });
    expect(whole.id).toBe(p.id);
    const ok = await h.app
      .api(`/policies/roleManagementPolicies/${p.id}/rules/Expiration_EndUser_Assignment`)
      .patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        maximumDuration: "PT2H",
      });
    expect(ok.maximumDuration).toBe("PT2H");
  });
});

describe("PATCH the whole policy (§1.5)", () => {
  it("updates a subset of rules and answers 200 with the policy without rules", async () => {
    const p = await policyOf(USER_ADMIN);
    h.emu.clock.advance(60_000);
    const res = await h.app.api(`/policies/roleManagementPolicies/${p.id}`).patch({
      rules: [
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
          id: "Expiration_Admin_Eligibility",
          isExpirationRequired: true,
          maximumDuration: "P90D",
        },
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
          id: "Enablement_EndUser_Assignment",
          enabledRules: ["MultiFactorAuthentication", "Justification", "Ticketing"],
        },
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
          id: "Notification_Admin_Admin_Eligibility",
          notificationLevel: "Critical",
          notificationRecipients: ["pim-alerts@contoso.com"],
        },
      ],
    });
    expect(res["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies/$entity",
    );
    expect(res.rules).toBeUndefined();
    expect(res.lastModifiedDateTime).toBe(
      new Date(NOW.getTime() + 60_000).toISOString().replace(".000Z", "Z"),
    );
    const rules = (await policyOf(USER_ADMIN)).rules!;
    expect(rules.find((r) => r.id === "Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P90D",
    });
    expect(
      (
        rules.find(
          (r) => r.id === "Notification_Admin_Admin_Eligibility",
        ) as UnifiedRoleManagementPolicyNotificationRule
      ).notificationRecipients,
    ).toEqual(["pim-alerts@contoso.com"]);
  });

  it("refuses unknown rule ids and read-only properties", async () => {
    const p = await policyOf(USER_ADMIN);
    const e = await graphError(
      h.app.api(`/policies/roleManagementPolicies/${p.id}`).patch({
        rules: [
          {
            "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
            id: "Expiration_Nobody",
          },
        ],
      }),
    );
    expect(e.message).toBe("The policy rule id Expiration_Nobody is invalid.");
    const e2 = await graphError(
      h.app.api(`/policies/roleManagementPolicies/${p.id}`).patch({ displayName: "x" }),
    );
    expect(e2.statusCode).toBe(400);
  });

  it("writes an audit event 'Update role setting in PIM'", async () => {
    const res = await h.app
      .api("/auditLogs/directoryAudits")
      .filter("loggedByService eq 'PIM' and activityDisplayName eq 'Update role setting in PIM'")
      .get();
    expect(res.value.length).toBeGreaterThan(0);
    expect(res.value[0]).toMatchObject({
      loggedByService: "PIM",
      category: "RoleManagement",
      result: "success",
      initiatedBy: { app: { displayName: "pim-as-code-deployer" }, user: null },
    });
  });

  it("the read-only app gets the PIM service's 403 on writes but can read", async () => {
    const p = await policyOf(USER_ADMIN);
    await expect(
      h.reader.api(`/policies/roleManagementPolicies/${p.id}`).expand("rules").get(),
    ).resolves.toBeTruthy();
    const e = await graphError(
      h.reader.api(`/policies/roleManagementPolicies/${p.id}/rules/Expiration_EndUser_Assignment`).patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        maximumDuration: "PT2H",
      }),
    );
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe("UnknownError");
    expect(JSON.parse(e.message)).toEqual({
      errorCode: "PermissionScopeNotGranted",
      message:
        "Authorization failed due to missing permission scope RoleManagementPolicy.ReadWrite.Directory.",
      instanceAnnotations: [],
    });
  });

  it("Global Administrator's seeded approval rule names the approver group", async () => {
    const rule = (await policyOf(GLOBAL_ADMIN)).rules!.find(
      (r) => r.id === "Approval_EndUser_Assignment",
    ) as UnifiedRoleManagementPolicyApprovalRule;
    expect(rule.setting!.approvalStages![0]!.primaryApprovers).toEqual([
      {
        "@odata.type": "#microsoft.graph.groupMembers",
        groupId: h.groupId("PIM Approvers - Tier 0"),
        description: "PIM Approvers - Tier 0",
      },
    ]);
  });
});

describe("PIM for Groups policies (§2)", () => {
  it("returns two Group_ policies per group, member and owner, with group defaults", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const res = await h.app
      .api("/policies/roleManagementPolicyAssignments")
      .filter(`scopeId eq '${gid}' and scopeType eq 'Group'`)
      .expand("policy($expand=rules)")
      .get();
    expect(res.value.map((a: any) => a.roleDefinitionId).sort()).toEqual(["member", "owner"]);
    const member = res.value.find((a: any) => a.roleDefinitionId === "member");
    expect(member.id).toBe(`${member.policyId}_member`);
    expect(member.policyId).toMatch(new RegExp(`^Group_${gid}_[0-9a-f-]{36}$`));
    expect(member.policy).toMatchObject({
      displayName: "Group",
      description: "Group",
      scopeId: gid,
      scopeType: "Group",
    });
    const rules = Object.fromEntries(member.policy.rules.map((r: any) => [r.id, r]));
    expect(rules.Expiration_Admin_Eligibility).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P365D",
    });
    expect(rules.Expiration_Admin_Assignment).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P180D",
    });
    expect(rules.Enablement_EndUser_Assignment.enabledRules).toEqual(["Justification"]);
  });

  it("changes the policy ids when a group is onboarded by a policy update", async () => {
    const gid = h.groupId("PIM Approvers - Tier 0");
    const list = async () =>
      (
        await h.app
          .api("/policies/roleManagementPolicies")
          .filter(`scopeId eq '${gid}' and scopeType eq 'Group'`)
          .get()
      ).value
        .map((p: any) => p.id)
        .sort();
    const before = await list();
    expect(before).toHaveLength(2);
    await h.app
      .api(`/policies/roleManagementPolicies/${before[0]}/rules/Expiration_EndUser_Assignment`)
      .patch({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        maximumDuration: "PT4H",
      });
    const after = await list();
    expect(after).toHaveLength(2);
    expect(after.filter((id: string) => before.includes(id))).toEqual([]);
  });

  it("group policy writes need RoleManagementPolicy.ReadWrite.AzureADGroup", async () => {
    const gid = h.groupId("Tier-1 Helpdesk Operators");
    const res = await h.reader
      .api("/policies/roleManagementPolicies")
      .filter(`scopeId eq '${gid}' and scopeType eq 'Group'`)
      .get();
    const e = await graphError(
      h.reader
        .api(`/policies/roleManagementPolicies/${res.value[0].id}/rules/Expiration_EndUser_Assignment`)
        .patch({
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
          maximumDuration: "PT4H",
        }),
    );
    expect(e.statusCode).toBe(403);
  });

  it("unknown filter property is refused", async () => {
    const r = await raw(
      h.emu,
      "GET",
      filterPath(
        "/v1.0/policies/roleManagementPolicies",
        "scopeId eq '/' and scopeType eq 'DirectoryRole' and displayName eq 'x'",
      ),
      { token: await appToken(h.emu) },
    );
    expect(r.status).toBe(400);
  });
});
