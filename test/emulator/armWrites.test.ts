// The ARM routes for Azure resource roles, write side and refusals: the policy PATCH (validated by the same
// engine as Graph's), Azure RBAC at subscription and resource-group scope, ARM's CloudError for every refusal,
// and state files keeping the ARM state.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import { OWNER, arm, expectedRules, target } from "./armHelpers";
import { NOW } from "./helpers";

const DEV = "0d7a3c1e-9b2f-4e8d-a6c5-3f1e2d4c5b6a";
const SCOPE = `/subscriptions/${DEV}`;
const WEB = `${SCOPE}/resourceGroups/rg-web`;
const authz = (scope: string) => `${scope}/providers/Microsoft.Authorization`;
const V = "api-version=2020-10-01";
const DOMAIN = "fabrikam.example";
const upn = (name: string) => `${name}@${DOMAIN}`;

/**
 * Fabrikam's dev subscription: a reader at the subscription, an Owner of one resource group only, a group holding
 * User Access Administrator, an RBAC Administrator and someone with no Azure role. Owner's settings differ at the
 * subscription (PT2H activations) and at rg-web (PT3H, eligibility expiring after P30D), so a test that reads
 * the wrong scope fails.
 */
const FABRIKAM: EmulatorSeed = {
  tenant: {
    id: "3a9e1f0c-7b2d-4c5e-8f6a-1d2c3b4a5e6f",
    displayName: "Fabrikam",
    domains: [{ name: DOMAIN, isDefault: true }],
  },
  users: [
    { upn: upn("rita.reader"), displayName: "Rita Reader" },
    { upn: upn("otto.owner"), displayName: "Otto Owner" },
    { upn: upn("gina.group"), displayName: "Gina Group" },
    { upn: upn("rob.rbac"), displayName: "Rob Rbac" },
    { upn: upn("cora.contributor"), displayName: "Cora Contributor" },
    { upn: upn("nora.none"), displayName: "Nora None" },
  ],
  groups: [
    { displayName: "Azure Access Admins", members: [upn("gina.group")] },
    { displayName: "Azure Approvers", members: [upn("rita.reader")] },
  ],
  azure: {
    subscriptions: [
      {
        id: DEV,
        displayName: "Fabrikam Dev",
        resourceGroups: ["rg-web", "rg-data"],
        access: [
          { identity: upn("rita.reader"), role: "Reader" },
          { identity: upn("otto.owner"), role: "Owner", scope: WEB },
          { identity: "Azure Access Admins", role: "User Access Administrator" },
          { identity: upn("rob.rbac"), role: "Role Based Access Control Administrator" },
          { identity: upn("cora.contributor"), role: "Contributor" },
        ],
        policies: [
          { role: "Owner", rules: { Expiration_EndUser_Assignment: { maximumDuration: "PT2H" } } },
          {
            role: "Owner",
            scope: WEB,
            rules: {
              Expiration_EndUser_Assignment: { maximumDuration: "PT3H" },
              Expiration_Admin_Eligibility: { isExpirationRequired: true, maximumDuration: "P30D" },
            },
          },
        ],
      },
    ],
  },
};

const rule = (rules: any[], id: string) => rules.find((r) => r.id === id);

async function ownerPolicyName(emu: RunningEmulator, token: string, scope: string): Promise<string> {
  const r = await arm(
    emu,
    token,
    `${authz(scope)}/roleManagementPolicyAssignments?${V}&$filter=roleDefinitionId eq '${authz(SCOPE)}/roleDefinitions/${OWNER}'`,
  );
  expect(r.status).toBe(200);
  return r.body.value[0].properties.policyId.split("/").pop();
}

describe("ARM policy PATCH, RBAC and refusals (Fabrikam dev subscription)", () => {
  let emu: RunningEmulator;
  const token = (name: string) => emu.userToken(upn(name), { audience: "arm" });
  let subOwnerPolicy: string;
  let webOwnerPolicy: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, now: NOW, seed: FABRIKAM });
    subOwnerPolicy = await ownerPolicyName(emu, await token("rita.reader"), SCOPE);
    webOwnerPolicy = await ownerPolicyName(emu, await token("rita.reader"), WEB);
  });
  afterAll(() => emu.stop());

  it("a role at the subscription reads its resource groups; each scope holds its own policy", async () => {
    const rita = await token("rita.reader");
    expect(subOwnerPolicy).not.toBe(webOwnerPolicy);
    const sub = await arm(emu, rita, `${authz(SCOPE)}/roleManagementPolicies/${subOwnerPolicy}?${V}`);
    const web = await arm(emu, rita, `${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}?${V}`);
    expect([sub.status, web.status]).toEqual([200, 200]);
    expect(rule(sub.body.properties.rules, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT2H");
    expect(rule(web.body.properties.rules, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT3H");
    expect(rule(web.body.properties.rules, "Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P30D",
    });
    expect(rule(sub.body.properties.rules, "Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: "P365D",
    });
    expect(web.body.properties.policyProperties).toEqual({
      scope: { id: WEB, displayName: "rg-web", type: "resourcegroup" },
    });
    expect(web.body.id).toBe(`${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}`);
    // The policy of one scope is not found at another.
    expect(await arm(emu, rita, `${authz(SCOPE)}/roleManagementPolicies/${webOwnerPolicy}?${V}`)).toEqual({
      status: 404,
      body: {
        error: {
          code: "RoleManagementPolicyNotFound",
          message: `The role management policy '${webOwnerPolicy}' could not be found at scope '${SCOPE}'.`,
        },
      },
    });
  });

  it("PATCH through a group's User Access Administrator: 200 with the policy, GET shows it, assignments too", async () => {
    const gina = await token("gina.group");
    const approvers = [...emu.state.groups.values()].find((g) => g.displayName === "Azure Approvers")!;
    const path = `${authz(SCOPE)}/roleManagementPolicies/${subOwnerPolicy}?${V}`;
    emu.clock.set(new Date("2026-09-01T10:30:00Z"));
    const patched = await arm(emu, gina, path, {
      method: "PATCH",
      body: {
        properties: {
          rules: [
            {
              id: "Expiration_EndUser_Assignment",
              ruleType: "RoleManagementPolicyExpirationRule",
              isExpirationRequired: true,
              maximumDuration: "PT4H",
              target: target("EndUser", "Assignment"),
            },
            {
              id: "Approval_EndUser_Assignment",
              ruleType: "RoleManagementPolicyApprovalRule",
              setting: {
                isApprovalRequired: true,
                isApprovalRequiredForExtension: false,
                isRequestorJustificationRequired: true,
                approvalMode: "SingleStage",
                approvalStages: [
                  {
                    approvalStageTimeOutInDays: 1,
                    isApproverJustificationRequired: true,
                    escalationTimeInMinutes: 0,
                    primaryApprovers: [{ id: approvers.id, userType: "Group", isBackup: false }],
                    isEscalationEnabled: false,
                    escalationApprovers: null,
                  },
                ],
              },
            },
            {
              id: "Notification_Admin_Admin_Assignment",
              ruleType: "RoleManagementPolicyNotificationRule",
              notificationLevel: "Critical",
              isDefaultRecipientsEnabled: false,
              notificationRecipients: ["azure-pim@fabrikam.example"],
            },
          ],
        },
      },
    });
    expect(patched.status).toBe(200);
    const rules = patched.body.properties.rules;
    expect(rule(rules, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT4H");
    expect(rule(rules, "Approval_EndUser_Assignment").setting).toEqual({
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: "SingleStage",
      approvalStages: [
        {
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          primaryApprovers: [
            { id: approvers.id, description: "Azure Approvers", isBackup: false, userType: "Group" },
          ],
          isEscalationEnabled: false,
          escalationApprovers: null,
        },
      ],
    });
    expect(rule(rules, "Notification_Admin_Admin_Assignment")).toMatchObject({
      notificationLevel: "Critical",
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ["azure-pim@fabrikam.example"],
    });
    // Rules the PATCH did not name keep their values.
    expect(rule(rules, "Enablement_EndUser_Assignment")).toEqual(
      rule(expectedRules(), "Enablement_EndUser_Assignment"),
    );
    expect(patched.body.properties.lastModifiedBy).toEqual({
      id: null,
      displayName: "Gina Group",
      type: null,
      email: null,
    });
    expect(patched.body.properties.lastModifiedDateTime).toBe("2026-09-01T10:30:00Z");
    expect(patched.body.properties.effectiveRules).toEqual(rules);

    const read = await arm(emu, await token("rita.reader"), path);
    expect(read).toEqual({ status: 200, body: patched.body });
    const assignment = await arm(
      emu,
      await token("rita.reader"),
      `${authz(SCOPE)}/roleManagementPolicyAssignments?${V}&$filter=roleDefinitionId eq '${authz(SCOPE)}/roleDefinitions/${OWNER}'`,
    );
    expect(assignment.body.value[0].properties.effectiveRules).toEqual(rules);
    expect(assignment.body.value[0].properties.policyAssignmentProperties.policy).toEqual({
      id: `${authz(SCOPE)}/roleManagementPolicies/${subOwnerPolicy}`,
      lastModifiedBy: { id: null, displayName: "Gina Group", type: null, email: null },
      lastModifiedDateTime: "2026-09-01T10:30:00Z",
    });
    // The resource group's Owner policy did not move.
    const web = await arm(
      emu,
      await token("rita.reader"),
      `${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}?${V}`,
    );
    expect(rule(web.body.properties.rules, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT3H");
  });

  it("an Owner of a resource group changes its policy there and nothing at the subscription", async () => {
    const otto = await token("otto.owner");
    const ok = await arm(emu, otto, `${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}?${V}`, {
      method: "PATCH",
      body: {
        properties: {
          rules: [
            {
              id: "Expiration_Admin_Assignment",
              ruleType: "RoleManagementPolicyExpirationRule",
              isExpirationRequired: true,
              maximumDuration: "P15D",
            },
          ],
        },
      },
    });
    expect(ok.status).toBe(200);
    expect(rule(ok.body.properties.rules, "Expiration_Admin_Assignment").maximumDuration).toBe("P15D");
    expect(await arm(emu, otto, `${authz(SCOPE)}/roleManagementPolicies?${V}`)).toEqual({
      status: 403,
      body: {
        error: {
          code: "AuthorizationFailed",
          message: `The client '${upn("otto.owner")}' with object id '${emu.state.findUser(upn("otto.owner"))!.id}' does not have authorization to perform action 'Microsoft.Authorization/roleManagementPolicies/read' over scope '${authz(SCOPE)}/roleManagementPolicies' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        },
      },
    });
  });

  it("a Reader cannot PATCH: 403 naming roleManagementPolicies/write and the policy; nothing changes", async () => {
    const rita = await token("rita.reader");
    const path = `${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}?${V}`;
    const before = await arm(emu, rita, path);
    const refused = await arm(emu, rita, path, {
      method: "PATCH",
      body: {
        properties: {
          rules: [
            {
              id: "Expiration_EndUser_Assignment",
              ruleType: "RoleManagementPolicyExpirationRule",
              maximumDuration: "PT1H",
            },
          ],
        },
      },
    });
    expect(refused).toEqual({
      status: 403,
      body: {
        error: {
          code: "AuthorizationFailed",
          message: `The client '${upn("rita.reader")}' with object id '${emu.state.findUser(upn("rita.reader"))!.id}' does not have authorization to perform action 'Microsoft.Authorization/roleManagementPolicies/write' over scope '${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        },
      },
    });
    expect(await arm(emu, rita, path)).toEqual(before);
  });

  it("Contributor and Role Based Access Control Administrator read but cannot PATCH", async () => {
    // Contributor's not-actions hold Microsoft.Authorization/*/Write; RBAC Administrator's actions are role
    // assignments only.
    const path = `${authz(SCOPE)}/roleManagementPolicies/${subOwnerPolicy}?${V}`;
    for (const name of ["rob.rbac", "cora.contributor"]) {
      const t = await token(name);
      expect((await arm(emu, t, path)).status).toBe(200);
      const refused = await arm(emu, t, path, { method: "PATCH", body: { properties: { rules: [] } } });
      expect([refused.status, refused.body.error.code]).toEqual([403, "AuthorizationFailed"]);
    }
  });

  it("an identity without an Azure role cannot read: 403 naming roleManagementPolicies/read", async () => {
    const nora = await token("nora.none");
    const r = await arm(emu, nora, `${authz(SCOPE)}/roleManagementPolicyAssignments?${V}`);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain(
      "does not have authorization to perform action 'Microsoft.Authorization/roleManagementPolicyAssignments/read'",
    );
    const p = await arm(emu, nora, `${authz(SCOPE)}/roleManagementPolicies/${subOwnerPolicy}?${V}`);
    expect(p.body.error.message).toContain("'Microsoft.Authorization/roleManagementPolicies/read'");
  });

  describe("refused PATCH bodies get ARM's error and change nothing", () => {
    const cases: [string, unknown, number, string, string][] = [
      [
        "MFA together with an authentication context",
        {
          properties: {
            rules: [
              {
                id: "AuthenticationContext_EndUser_Assignment",
                ruleType: "RoleManagementPolicyAuthenticationContextRule",
                isEnabled: true,
                claimValue: "c1",
              },
            ],
          },
        },
        400,
        "MfaAndAcrsConflict",
        "Multi-factor authentication and an authentication context cannot both be required on activation. Remove MultiFactorAuthentication from Enablement_EndUser_Assignment or disable AuthenticationContext_EndUser_Assignment.",
      ],
      [
        "approval required without approvers",
        {
          properties: {
            rules: [
              {
                id: "Approval_EndUser_Assignment",
                ruleType: "RoleManagementPolicyApprovalRule",
                setting: { isApprovalRequired: true },
              },
            ],
          },
        },
        400,
        "InvalidPolicyRule",
        "Approval is required for activation but no approvers are set. Add at least one primary approver.",
      ],
      [
        "a ruleType that does not match the rule id",
        {
          properties: {
            rules: [{ id: "Expiration_EndUser_Assignment", ruleType: "RoleManagementPolicyEnablementRule" }],
          },
        },
        400,
        "InvalidPolicyRule",
        "The ruleType 'RoleManagementPolicyEnablementRule' does not match the type 'RoleManagementPolicyExpirationRule' of rule 'Expiration_EndUser_Assignment'.",
      ],
      [
        "an unknown rule id",
        {
          properties: {
            rules: [{ id: "Expiration_Everyone", ruleType: "RoleManagementPolicyExpirationRule" }],
          },
        },
        400,
        "InvalidPolicyRule",
        "The policy rule id Expiration_Everyone is invalid.",
      ],
      [
        "a duration that is not ISO 8601",
        {
          properties: {
            rules: [
              {
                id: "Expiration_EndUser_Assignment",
                ruleType: "RoleManagementPolicyExpirationRule",
                maximumDuration: "8 hours",
              },
            ],
          },
        },
        400,
        "BadRequest",
        "Cannot convert the literal '8 hours' to the expected type 'Edm.Duration'.",
      ],
      [
        "an approver that does not exist",
        {
          properties: {
            rules: [
              {
                id: "Approval_EndUser_Assignment",
                ruleType: "RoleManagementPolicyApprovalRule",
                setting: {
                  approvalStages: [
                    {
                      primaryApprovers: [
                        { id: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", userType: "User", isBackup: false },
                      ],
                    },
                  ],
                },
              },
            ],
          },
        },
        400,
        "InvalidPolicyRule",
        "The approver '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' does not exist in the directory.",
      ],
      [
        "a backup approver",
        {
          properties: {
            rules: [
              {
                id: "Approval_EndUser_Assignment",
                ruleType: "RoleManagementPolicyApprovalRule",
                setting: {
                  approvalStages: [{ primaryApprovers: [{ id: "x", userType: "User", isBackup: true }] }],
                },
              },
            ],
          },
        },
        400,
        "InvalidPolicyRule",
        "'setting.approvalStages[0].primaryApprovers[0].isBackup' must be false: backup approvers are not supported.",
      ],
      [
        "no properties",
        { rules: [] },
        400,
        "InvalidRequestContent",
        "The request content must hold 'properties'.",
      ],
      [
        "the same rule twice (the second would silently win)",
        {
          properties: {
            rules: [
              {
                id: "Expiration_EndUser_Assignment",
                ruleType: "RoleManagementPolicyExpirationRule",
                isExpirationRequired: true,
                maximumDuration: "PT1H",
              },
              {
                id: "Expiration_EndUser_Assignment",
                ruleType: "RoleManagementPolicyExpirationRule",
                isExpirationRequired: true,
                maximumDuration: "PT8H",
              },
            ],
          },
        },
        400,
        "InvalidPolicyRule",
        "The policy rule id Expiration_EndUser_Assignment appears more than once.",
      ],
      [
        "a property a policy does not have",
        { properties: { rules: [], owner: "me" } },
        400,
        "InvalidRequestContent",
        "The property 'properties.owner' is not a property of a role management policy.",
      ],
    ];
    for (const [name, body, status, code, message] of cases)
      it(name, async () => {
        const gina = await token("gina.group");
        const path = `${authz(WEB)}/roleManagementPolicies/${webOwnerPolicy}?${V}`;
        const before = await arm(emu, gina, path);
        expect(await arm(emu, gina, path, { method: "PATCH", body })).toEqual({
          status,
          body: { error: { code, message } },
        });
        expect(await arm(emu, gina, path)).toEqual(before);
      });
  });

  it("ARM's errors for api-version, subscription, resource group, token and $filter", async () => {
    const rita = await token("rita.reader");
    const list = `${authz(SCOPE)}/roleManagementPolicies`;
    const err = (status: number, code: string, message: string) => ({
      status,
      body: { error: { code, message } },
    });
    expect(await arm(emu, rita, list)).toEqual(
      err(
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      ),
    );
    expect(await arm(emu, rita, `${list}?api-version=2022-04-01`)).toEqual(
      err(
        400,
        "InvalidApiVersionParameter",
        "The api-version '2022-04-01' is invalid. The supported versions are '2020-10-01'.",
      ),
    );
    expect(await arm(emu, rita, `${authz(SCOPE)}/roleDefinitions?${V}`)).toEqual(
      err(
        400,
        "InvalidApiVersionParameter",
        "The api-version '2020-10-01' is invalid. The supported versions are '2022-04-01'.",
      ),
    );
    const other = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    expect(
      await arm(
        emu,
        rita,
        `/subscriptions/${other}/providers/Microsoft.Authorization/roleManagementPolicies?${V}`,
      ),
    ).toEqual(err(404, "SubscriptionNotFound", `The subscription '${other}' could not be found.`));
    expect(
      await arm(emu, rita, `${authz(`${SCOPE}/resourceGroups/rg-nope`)}/roleManagementPolicies?${V}`),
    ).toEqual(err(404, "ResourceGroupNotFound", "Resource group 'rg-nope' could not be found."));
    expect(await arm(emu, null, `${list}?${V}`)).toEqual(
      err(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
    );
    expect(await arm(emu, "not.a.token", `${list}?${V}`)).toEqual(
      err(401, "InvalidAuthenticationToken", "The access token is invalid."),
    );
    expect(await arm(emu, rita, `${list}?${V}&$filter=${encodeURIComponent("roleName eq 'Owner'")}`)).toEqual(
      err(
        400,
        "BadRequest",
        "The filter 'roleName eq 'Owner'' is not supported. Supported filter: roleDefinitionId eq '{value}'.",
      ),
    );
    expect(
      await arm(emu, rita, `${authz(SCOPE)}/roleManagementPolicyAssignments?${V}&$filter=principalId eq 'x'`),
    ).toEqual(
      err(
        400,
        "BadRequest",
        "The filter 'principalId eq 'x'' is not supported. Supported filter: roleDefinitionId eq '{value}'.",
      ),
    );
    expect(await arm(emu, rita, `${list}?${V}&$skipToken=99`)).toEqual(
      err(400, "BadRequest", "The skip token '99' is not valid."),
    );
    expect(await arm(emu, rita, `${authz(SCOPE)}/roleEligibilityScheduleRequests?${V}`)).toEqual(
      err(
        404,
        "InvalidResourceType",
        "The resource type could not be found in the namespace 'Microsoft.Authorization' for api version '2020-10-01'.",
      ),
    );
  });

  it("an expired ARM token is refused with ARM's code", async () => {
    const future = emu.userToken(upn("rita.reader"), {
      audience: "arm",
      notBefore: new Date(Date.now() + 3_600_000),
    });
    expect(await arm(emu, await future, `${authz(SCOPE)}/roleManagementPolicies?${V}`)).toEqual({
      status: 401,
      body: {
        error: {
          code: "ExpiredAuthenticationToken",
          message: "The access token is expired or not yet valid.",
        },
      },
    });
  });
});

/** Runs `test` on a Fabrikam emulator of its own (a PATCH there changes no other test's policy), as Gina, whose
 * group holds User Access Administrator, with the path of Owner's policy at the subscription. */
async function onFreshFabrikam(
  test: (emu: RunningEmulator, gina: string, path: string) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator({ port: 0, now: NOW, seed: FABRIKAM });
  try {
    const gina = await emu.userToken(upn("gina.group"), { audience: "arm" });
    await test(
      emu,
      gina,
      `${authz(SCOPE)}/roleManagementPolicies/${await ownerPolicyName(emu, gina, SCOPE)}?${V}`,
    );
  } finally {
    await emu.stop();
  }
}

describe("ARM policy PATCH of a rule sent back as read", () => {
  it("accepts the nulls ARM reads back (recipients, target fields) and changes nothing", () =>
    onFreshFabrikam(async (emu, gina, path) => {
      const before = (await arm(emu, gina, path)).body.properties.rules;
      const sent = rule(before, "Notification_Admin_Admin_Eligibility");
      expect([sent.notificationRecipients, sent.target.targetObjects]).toEqual([null, null]);
      const r = await arm(emu, gina, path, { method: "PATCH", body: { properties: { rules: [sent] } } });
      expect(r.status).toBe(200);
      expect(r.body.properties.rules).toEqual(before);
    }));
});

describe("ARM policy PATCH of an approval stage with escalation on", () => {
  it("reads back the stage's escalation flag and time as set (Entra keeps no escalation approvers)", () =>
    onFreshFabrikam(async (emu, gina, path) => {
      const approvers = [...emu.state.groups.values()].find((g) => g.displayName === "Azure Approvers")!;
      const stage = {
        approvalStageTimeOutInDays: 2,
        isApproverJustificationRequired: false,
        escalationTimeInMinutes: 90,
        primaryApprovers: [{ id: approvers.id, userType: "Group", isBackup: false }],
        isEscalationEnabled: true,
        escalationApprovers: null,
      };
      const r = await arm(emu, gina, path, {
        method: "PATCH",
        body: {
          properties: {
            rules: [
              {
                id: "Approval_EndUser_Assignment",
                ruleType: "RoleManagementPolicyApprovalRule",
                setting: {
                  isApprovalRequired: true,
                  isApprovalRequiredForExtension: false,
                  isRequestorJustificationRequired: false,
                  approvalMode: "SingleStage",
                  approvalStages: [stage],
                },
              },
            ],
          },
        },
      });
      expect(r.status).toBe(200);
      const read = (await arm(emu, gina, path)).body.properties.rules;
      expect(rule(read, "Approval_EndUser_Assignment").setting.approvalStages).toEqual([
        {
          ...stage,
          primaryApprovers: [
            { id: approvers.id, description: "Azure Approvers", isBackup: false, userType: "Group" },
          ],
        },
      ]);
    }));
});

describe("ARM state in --state files", () => {
  it("a PATCH survives a restart from the state file", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "pim-arm-state-")), "state.json");
    const a = await startEmulator({ port: 0, now: NOW, seed: FABRIKAM, statePath });
    const tokenA = await a.userToken(upn("gina.group"), { audience: "arm" });
    const name = await ownerPolicyName(a, tokenA, SCOPE);
    const path = `${authz(SCOPE)}/roleManagementPolicies/${name}?${V}`;
    const patched = await arm(a, tokenA, path, {
      method: "PATCH",
      body: {
        properties: {
          rules: [
            {
              id: "Expiration_EndUser_Assignment",
              ruleType: "RoleManagementPolicyExpirationRule",
              maximumDuration: "PT5H",
            },
          ],
        },
      },
    });
    expect(patched.status).toBe(200);
    await a.stop();
    const b = await startEmulator({ port: 0, now: NOW, seed: FABRIKAM, statePath });
    try {
      const again = await arm(b, await b.userToken(upn("gina.group"), { audience: "arm" }), path);
      expect(again).toEqual({ status: 200, body: patched.body });
      expect(rule(again.body.properties.rules, "Expiration_EndUser_Assignment").maximumDuration).toBe("PT5H");
    } finally {
      await b.stop();
    }
  });
});

describe("ARM under malformed requests", () => {
  it("answers every one with a CloudError, never a 500 or a Graph envelope", async () => {
    const emu = await startEmulator({ port: 0, now: NOW, seed: FABRIKAM });
    try {
      const gina = await emu.userToken(upn("gina.group"), { audience: "arm" });
      const paths = [
        `${authz(SCOPE)}/roleManagementPolicies/%E0%A4%A?${V}`,
        `${authz(SCOPE)}/roleManagementPolicies/x/y?${V}`,
        `/subscriptions/?${V}`,
        `/subscriptions/${DEV}/resourceGroups/?${V}`,
        `/subscriptions/${DEV}/providers/Microsoft.Compute/virtualMachines?${V}`,
        `/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`,
        `${authz(SCOPE)}/roleManagementPolicies?${V}&$skipToken=-1`,
        `${authz(SCOPE)}/roleManagementPolicies?${V}&$filter=(((`,
      ];
      const bodies = [
        undefined,
        null,
        [],
        "text",
        { properties: null },
        { properties: { rules: [null, 1, "x"] } },
      ];
      for (const p of paths)
        for (const method of ["GET", "PATCH", "PUT", "DELETE"])
          for (const body of method === "PATCH" ? bodies : [undefined]) {
            const r = await arm(emu, gina, p, { method, body });
            expect(r.status, `${method} ${p}`).toBeGreaterThanOrEqual(400);
            expect(r.status, `${method} ${p}`).toBeLessThan(500);
            expect(Object.keys(r.body.error).sort(), `${method} ${p}`).toEqual(["code", "message"]);
          }
      const raw = await fetch(`${emu.baseUrl}${authz(SCOPE)}/roleManagementPolicies/x?${V}`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${gina}`, "Content-Type": "application/json" },
        body: "{not json",
      });
      expect([raw.status, await raw.json()]).toEqual([
        400,
        {
          error: {
            code: "InvalidRequestContent",
            message: "The request content was invalid and could not be deserialized.",
          },
        },
      ]);
    } finally {
      await emu.stop();
    }
  });
});
