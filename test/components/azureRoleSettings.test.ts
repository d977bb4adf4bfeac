import { beforeAll, describe, expect, it } from "vitest";
import { graphDefaults } from "../../model";
import { armPolicyRules } from "../../components/azurePolicy";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";
import { approvalSettings, azureRole } from "./fixtures";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

const SUB = "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const RULE_IDS = [
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

describe("AzureRoleSettings", () => {
  it("registers one RoleManagementPolicy for the scope and role with all 17 rules, retained on delete", async () => {
    new components.AzureRoleSettings("az", {
      scope: `${SUB}/`,
      role: azureRole("Owner"),
      policyName: "0b9c3f1e-1111-4e3a-9a9a-2c2c2c2c2c2c",
      settings: approvalSettings([{ type: "group", ref: "Cloud Approvers" }]),
      approverIds: { "group:cloud approvers": "oid-cloud-approvers" },
    });
    await settle();

    expect(h.byName("az").type).toBe("pim:azure:AzureRoleSettings");
    expect(h.children("az")).toEqual([[TYPES.armPolicy, "az-policy"]]);
    const p = h.byName("az-policy");
    expect(typeChain(p.urn)).toBe(`pim:azure:AzureRoleSettings$${TYPES.armPolicy}`);
    expect(p.retainOnDelete).toBe(true);
    expect(p.inputs["scope"]).toBe(SUB);
    expect(p.inputs["roleManagementPolicyName"]).toBe("0b9c3f1e-1111-4e3a-9a9a-2c2c2c2c2c2c");
    const rules = p.inputs["rules"] as Array<Record<string, any>>;
    expect(rules.map((r) => r["id"])).toEqual(RULE_IDS);
    const byId = (id: string) => rules.find((r) => r["id"] === id)!;
    expect(byId("Approval_EndUser_Assignment")).toEqual({
      id: "Approval_EndUser_Assignment",
      ruleType: "RoleManagementPolicyApprovalRule",
      setting: {
        isApprovalRequired: true,
        isApprovalRequiredForExtension: true,
        isRequestorJustificationRequired: true,
        approvalMode: "SingleStage",
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            isEscalationEnabled: false,
            escalationTimeInMinutes: 0,
            primaryApprovers: [
              {
                id: "oid-cloud-approvers",
                userType: "Group",
                description: "Cloud Approvers",
                isBackup: false,
              },
            ],
            escalationApprovers: [],
          },
        ],
      },
      target: { caller: "EndUser", level: "Assignment", operations: ["All"] },
    });
    expect(byId("Expiration_Admin_Eligibility")).toEqual({
      id: "Expiration_Admin_Eligibility",
      ruleType: "RoleManagementPolicyExpirationRule",
      isExpirationRequired: true,
      maximumDuration: "P180D",
      target: { caller: "Admin", level: "Eligibility", operations: ["All"] },
    });
    expect(byId("Expiration_EndUser_Assignment")["maximumDuration"]).toBe("PT1H");
    expect(byId("Enablement_EndUser_Assignment")["enabledRules"]).toEqual([
      "MultiFactorAuthentication",
      "Justification",
      "Ticketing",
    ]);
    expect(byId("Enablement_Admin_Assignment")["enabledRules"]).toEqual([
      "MultiFactorAuthentication",
      "Justification",
    ]);
    expect(byId("Notification_Admin_EndUser_Assignment")).toEqual({
      id: "Notification_Admin_EndUser_Assignment",
      ruleType: "RoleManagementPolicyNotificationRule",
      notificationType: "Email",
      recipientType: "Admin",
      notificationLevel: "All",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [],
      target: { caller: "EndUser", level: "Assignment", operations: ["All"] },
    });
  });

  it("refuses settings naming an approver without an object id", () => {
    expect(
      () =>
        new components.AzureRoleSettings("az-missing", {
          scope: SUB,
          role: azureRole("Owner"),
          policyName: "p",
          settings: approvalSettings([{ type: "user", ref: "x@contoso.com" }]),
          approverIds: {},
        }),
    ).toThrow(`\`approverIds\` has no object id for user:x@contoso.com named by Owner on ${SUB}.`);
  });
});

describe("armPolicyRules (pure)", () => {
  it("maps permanent-allowed expiry, the none level and an authentication context", () => {
    const s = graphDefaults("azure");
    const rules = armPolicyRules(
      {
        ...s,
        activation: { ...s.activation, requireMfa: false, authenticationContext: "c2" },
        notifications: {
          ...s.notifications,
          eligibleAssignment: {
            ...s.notifications.eligibleAssignment,
            requestor: { level: "none", defaultRecipients: false, additionalRecipients: [] },
          },
        },
      },
      {},
    ) as Array<Record<string, any>>;
    const byId = (id: string) => rules.find((r) => r["id"] === id)!;
    expect(byId("Expiration_Admin_Eligibility")["isExpirationRequired"]).toBe(false);
    expect(byId("Expiration_Admin_Assignment")["isExpirationRequired"]).toBe(true);
    expect(byId("AuthenticationContext_EndUser_Assignment")).toMatchObject({
      isEnabled: true,
      claimValue: "c2",
    });
    expect(byId("Enablement_EndUser_Assignment")["enabledRules"]).toEqual(["Justification"]);
    expect(byId("Notification_Requestor_Admin_Eligibility")).toMatchObject({
      notificationLevel: "None",
      isDefaultRecipientsEnabled: false,
    });
  });
});
