/**
 * The one settings mapping (model/settings/graphRules.ts) and its ARM spelling (model/settings/armRules.ts):
 * exact documents for a fixture whose fields all differ, round trips over that fixture, its one-hot boolean
 * variants and generated settings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolvedSettings } from "../../model/schema/resolvedSettings";
import { ARM_RULE_TYPES, fromArmRules, toArmRules } from "../../model/settings/armRules";
import { fromGraphRules, toGraphRules } from "../../model/settings/graphRules";
import { armPolicyRules } from "../../components/azurePolicy";
import { APPROVER_IDS, APPROVER_NAMES, distinct, oneHot, settingsArb } from "./settingsFixtures";

const TIER0 = APPROVER_IDS["group:tier-0 approvers"]!;
const ADA = APPROVER_IDS["user:ada.lovelace@contoso.com"]!;
const KEN = APPROVER_IDS["user:ken.thompson@contoso.com"]!;
const SOC = APPROVER_IDS["group:soc"]!;
const LEADS = APPROVER_IDS["group:security leads"]!;

const NS = "#microsoft.graph.unifiedRoleManagementPolicy";
const target = (caller: "Admin" | "EndUser", level: "Eligibility" | "Assignment") => ({
  "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
  caller,
  operations: ["All"],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});
const notification = (
  id: string,
  recipientType: string,
  notificationLevel: string,
  isDefaultRecipientsEnabled: boolean,
  notificationRecipients: string[],
) => ({
  "@odata.type": `${NS}NotificationRule`,
  id,
  notificationType: "Email",
  recipientType,
  notificationLevel,
  isDefaultRecipientsEnabled,
  notificationRecipients,
  target: target(
    id.includes("EndUser") ? "EndUser" : "Admin",
    id.endsWith("Eligibility") ? "Eligibility" : "Assignment",
  ),
});

/** `distinct()` as Graph writes it, value by value (graph-pim.md §1.7). */
const DISTINCT_GRAPH = [
  {
    "@odata.type": `${NS}ExpirationRule`,
    id: "Expiration_Admin_Eligibility",
    isExpirationRequired: true,
    maximumDuration: "P90D",
    target: target("Admin", "Eligibility"),
  },
  {
    "@odata.type": `${NS}EnablementRule`,
    id: "Enablement_Admin_Eligibility",
    enabledRules: ["MultiFactorAuthentication"],
    target: target("Admin", "Eligibility"),
  },
  notification("Notification_Admin_Admin_Eligibility", "Admin", "Critical", false, ["el-admin@contoso.com"]),
  notification("Notification_Requestor_Admin_Eligibility", "Requestor", "All", true, [
    "el-requestor@contoso.com",
  ]),
  notification("Notification_Approver_Admin_Eligibility", "Approver", "None", false, [
    "el-approver@contoso.com",
  ]),
  {
    "@odata.type": `${NS}ExpirationRule`,
    id: "Expiration_Admin_Assignment",
    isExpirationRequired: false,
    maximumDuration: "P14D",
    target: target("Admin", "Assignment"),
  },
  {
    "@odata.type": `${NS}EnablementRule`,
    id: "Enablement_Admin_Assignment",
    enabledRules: ["Justification"],
    target: target("Admin", "Assignment"),
  },
  notification("Notification_Admin_Admin_Assignment", "Admin", "All", false, [
    "ac-admin@contoso.com",
    "ac-admin-2@contoso.com",
  ]),
  notification("Notification_Requestor_Admin_Assignment", "Requestor", "None", true, [
    "ac-requestor@contoso.com",
  ]),
  notification("Notification_Approver_Admin_Assignment", "Approver", "Critical", true, [
    "ac-approver@contoso.com",
  ]),
  {
    "@odata.type": `${NS}ExpirationRule`,
    id: "Expiration_EndUser_Assignment",
    isExpirationRequired: true,
    maximumDuration: "PT2H",
    target: target("EndUser", "Assignment"),
  },
  {
    "@odata.type": `${NS}EnablementRule`,
    id: "Enablement_EndUser_Assignment",
    enabledRules: ["MultiFactorAuthentication", "Ticketing"],
    target: target("EndUser", "Assignment"),
  },
  {
    "@odata.type": `${NS}ApprovalRule`,
    id: "Approval_EndUser_Assignment",
    setting: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: "Serial",
      approvalStages: [
        {
          approvalStageTimeOutInDays: 2,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 90,
          isEscalationEnabled: true,
          primaryApprovers: [
            { "@odata.type": "#microsoft.graph.groupMembers", groupId: TIER0 },
            { "@odata.type": "#microsoft.graph.singleUser", userId: ADA },
          ],
          escalationApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: KEN }],
        },
        {
          approvalStageTimeOutInDays: 3,
          isApproverJustificationRequired: false,
          escalationTimeInMinutes: 240,
          isEscalationEnabled: true,
          primaryApprovers: [{ "@odata.type": "#microsoft.graph.groupMembers", groupId: SOC }],
          escalationApprovers: [{ "@odata.type": "#microsoft.graph.groupMembers", groupId: LEADS }],
        },
      ],
    },
    target: target("EndUser", "Assignment"),
  },
  {
    "@odata.type": `${NS}AuthenticationContextRule`,
    id: "AuthenticationContext_EndUser_Assignment",
    isEnabled: true,
    claimValue: "c3",
    target: target("EndUser", "Assignment"),
  },
  notification("Notification_Admin_EndUser_Assignment", "Admin", "None", true, ["act-admin@contoso.com"]),
  notification("Notification_Requestor_EndUser_Assignment", "Requestor", "Critical", false, [
    "act-requestor@contoso.com",
  ]),
  notification("Notification_Approver_EndUser_Assignment", "Approver", "All", false, [
    "act-approver@contoso.com",
  ]),
];

describe("settings → Graph rules: exact documents", () => {
  it("writes distinct() as the 17 rules Graph stores, every value where it belongs", () => {
    expect(toGraphRules(distinct(), APPROVER_IDS)).toEqual(DISTINCT_GRAPH);
  });

  it("takes approver ids from a function as from a map, and writes descriptions only when asked", () => {
    const byFunction = toGraphRules(distinct(), (a) => APPROVER_IDS[`${a.type}:${a.ref.toLowerCase()}`]);
    expect(byFunction).toEqual(DISTINCT_GRAPH);
    const described = toGraphRules(distinct(), APPROVER_IDS, { describeApprovers: true });
    expect(described.find((r) => r.id === "Approval_EndUser_Assignment")!.setting!.approvalStages[1]).toEqual(
      {
        approvalStageTimeOutInDays: 3,
        isApproverJustificationRequired: false,
        escalationTimeInMinutes: 240,
        isEscalationEnabled: true,
        primaryApprovers: [
          { "@odata.type": "#microsoft.graph.groupMembers", groupId: SOC, description: "SOC" },
        ],
        escalationApprovers: [
          { "@odata.type": "#microsoft.graph.groupMembers", groupId: LEADS, description: "Security Leads" },
        ],
      },
    );
  });

  it("refuses an escalation approver without an object id, naming stage and key", () => {
    const { "group:security leads": _leads, ...partial } = APPROVER_IDS;
    expect(() => toGraphRules(distinct(), partial)).toThrow(
      'approval stage 2 escalation: no object id for group approver "Security Leads" (expected approverIds["group:security leads"])',
    );
  });
});

describe("settings → Graph rules → settings", () => {
  it("reads distinct() back field for field", () => {
    expect(fromGraphRules(toGraphRules(distinct(), APPROVER_IDS), APPROVER_NAMES)).toEqual(distinct());
  });

  it.each(oneHot().map((v) => [v.name, v.settings] as const))("reads back %s", (_name, s) => {
    expect(fromGraphRules(toGraphRules(s, APPROVER_IDS), APPROVER_NAMES)).toEqual(s);
  });

  it("reads back any generated settings, and what it reads is valid resolved settings", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const back = fromGraphRules(toGraphRules(s, APPROVER_IDS), APPROVER_NAMES);
        expect(back).toEqual(s);
        expect(resolvedSettings.safeParse(back).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// ------------------------------------------------------------------------------------------ ARM

const armTarget = (caller: string, level: string) => ({ caller, level, operations: ["All"] });

describe("ARM spelling (Azure resource roles)", () => {
  const arm = armPolicyRules(distinct(), APPROVER_IDS) as unknown as Array<Record<string, unknown>>;
  const byId = (id: string) => arm.find((r) => r["id"] === id)!;

  it("spells every rule kind and every approver the way ARM does", () => {
    expect(arm.map((r) => [r["id"], r["ruleType"]])).toEqual(
      DISTINCT_GRAPH.map((g) => [g.id, `RoleManagementPolicy${g["@odata.type"].slice(NS.length)}`]),
    );
    expect(byId("Approval_EndUser_Assignment")).toEqual({
      id: "Approval_EndUser_Assignment",
      ruleType: "RoleManagementPolicyApprovalRule",
      setting: {
        isApprovalRequired: true,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: "Serial",
        approvalStages: [
          {
            approvalStageTimeOutInDays: 2,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 90,
            isEscalationEnabled: true,
            primaryApprovers: [
              { id: TIER0, userType: "Group", description: "Tier-0 Approvers", isBackup: false },
              { id: ADA, userType: "User", description: "Ada.Lovelace@contoso.com", isBackup: false },
            ],
            escalationApprovers: [
              { id: KEN, userType: "User", description: "ken.thompson@contoso.com", isBackup: false },
            ],
          },
          {
            approvalStageTimeOutInDays: 3,
            isApproverJustificationRequired: false,
            escalationTimeInMinutes: 240,
            isEscalationEnabled: true,
            primaryApprovers: [{ id: SOC, userType: "Group", description: "SOC", isBackup: false }],
            escalationApprovers: [
              { id: LEADS, userType: "Group", description: "Security Leads", isBackup: false },
            ],
          },
        ],
      },
      target: armTarget("EndUser", "Assignment"),
    });
  });

  it("keeps every other value as Graph writes it, with ARM's short target", () => {
    expect(byId("Expiration_Admin_Eligibility")).toEqual({
      id: "Expiration_Admin_Eligibility",
      ruleType: ARM_RULE_TYPES.Expiration,
      isExpirationRequired: true,
      maximumDuration: "P90D",
      target: armTarget("Admin", "Eligibility"),
    });
    expect(byId("Expiration_Admin_Assignment")).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: "P14D",
    });
    expect(byId("Expiration_EndUser_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "PT2H",
    });
    expect(byId("Enablement_Admin_Eligibility")["enabledRules"]).toEqual(["MultiFactorAuthentication"]);
    expect(byId("Enablement_Admin_Assignment")["enabledRules"]).toEqual(["Justification"]);
    expect(byId("Enablement_EndUser_Assignment")).toEqual({
      id: "Enablement_EndUser_Assignment",
      ruleType: ARM_RULE_TYPES.Enablement,
      enabledRules: ["MultiFactorAuthentication", "Ticketing"],
      target: armTarget("EndUser", "Assignment"),
    });
    expect(byId("AuthenticationContext_EndUser_Assignment")).toEqual({
      id: "AuthenticationContext_EndUser_Assignment",
      ruleType: ARM_RULE_TYPES.AuthenticationContext,
      isEnabled: true,
      claimValue: "c3",
      target: armTarget("EndUser", "Assignment"),
    });
    expect(byId("Notification_Approver_Admin_Assignment")).toEqual({
      id: "Notification_Approver_Admin_Assignment",
      ruleType: ARM_RULE_TYPES.Notification,
      notificationType: "Email",
      recipientType: "Approver",
      notificationLevel: "Critical",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: ["ac-approver@contoso.com"],
      target: armTarget("Admin", "Assignment"),
    });
    for (const g of DISTINCT_GRAPH.filter((r) => r.id.startsWith("Notification_"))) {
      const { "@odata.type": _t, target: _g, ...values } = g;
      expect(byId(g.id)).toMatchObject(values);
    }
  });

  it("leaves the claim out when there is no authentication context (ARM has no null claim)", () => {
    const s = distinct();
    s.activation.authenticationContext = null;
    expect(
      armPolicyRules(s, APPROVER_IDS).find((r) => r.id === "AuthenticationContext_EndUser_Assignment"),
    ).toEqual({
      id: "AuthenticationContext_EndUser_Assignment",
      ruleType: ARM_RULE_TYPES.AuthenticationContext,
      isEnabled: false,
      target: armTarget("EndUser", "Assignment"),
    });
  });

  it("converts back to the Graph rules it came from (Graph → ARM → Graph), for any settings", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        const graph = toGraphRules(s, APPROVER_IDS, { describeApprovers: true });
        expect(fromArmRules(toArmRules(graph))).toEqual(graph);
        expect(fromGraphRules(fromArmRules(toArmRules(graph)), APPROVER_NAMES)).toEqual(s);
      }),
      { numRuns: 200 },
    );
  });

  it("converts ARM rules to Graph and back unchanged (ARM → Graph → ARM)", () => {
    expect(toArmRules(fromArmRules(arm))).toEqual(arm);
  });

  it("reads the case ARM returns and skips what is not a rule", () => {
    const read = fromArmRules([
      null,
      { id: "X", ruleType: "RoleManagementPolicyPimOnlyModeRule" },
      {
        id: "Approval_EndUser_Assignment",
        ruleType: "RoleManagementPolicyApprovalRule",
        setting: {
          approvalStages: [{ primaryApprovers: [{ id: SOC, userType: "group" }], escalationApprovers: [] }],
        },
      },
    ]);
    expect(read.map((r) => r.id)).toEqual(["Approval_EndUser_Assignment"]);
    expect(read[0]!.setting!.approvalStages[0]!.primaryApprovers).toEqual([
      { "@odata.type": "#microsoft.graph.groupMembers", groupId: SOC },
    ]);
  });
});
