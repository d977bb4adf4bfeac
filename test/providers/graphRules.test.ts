import { describe, expect, it } from "vitest";
import {
  GRAPH_RULE_IDS,
  RULE_TYPES,
  changedRules,
  describeRuleDifference,
  fromGraphRules,
  sameRule,
  toGraphRules,
  type GraphRule,
} from "../../model/settings/graphRules";
import { graphDefaults } from "../../model/settings/defaults";
import type { ResolvedSettings } from "../../model/types";

const ADA = "11111111-1111-4111-8111-111111111111";
const KEN = "22222222-2222-4222-8222-222222222222";
const TIER0 = "33333333-3333-4333-8333-333333333333";
const SOC = "44444444-4444-4444-8444-444444444444";

const ids = {
  "user:ada.lovelace@contoso.com": ADA,
  "user:ken.thompson@contoso.com": KEN,
  "group:tier-0 approvers": TIER0,
  "group:soc": SOC,
};

/** A settings object that differs from Graph's defaults in every rule. */
function tier0(): ResolvedSettings {
  const s = graphDefaults("directory");
  s.activation = {
    maximumDuration: "PT1H",
    requireMfa: false,
    authenticationContext: "c1",
    requireJustification: true,
    requireTicket: true,
    approval: {
      required: true,
      requiredForExtension: true,
      stages: [
        {
          approvers: [
            { type: "group", ref: "Tier-0 Approvers" },
            { type: "user", ref: "Ada.Lovelace@contoso.com" },
          ],
          timeoutDays: 2,
          approverJustification: true,
          escalation: { afterMinutes: 120, approvers: [{ type: "user", ref: "ken.thompson@contoso.com" }] },
        },
        {
          approvers: [{ type: "group", ref: "SOC" }],
          timeoutDays: 1,
          approverJustification: false,
          escalation: null,
        },
      ],
    },
  };
  s.eligibleAssignment = {
    allowPermanent: false,
    maximumDuration: "P180D",
    requireMfa: true,
    requireJustification: true,
  };
  s.activeAssignment = {
    allowPermanent: false,
    maximumDuration: "P15D",
    requireMfa: true,
    requireJustification: false,
  };
  s.notifications.eligibleAssignment.admin = {
    level: "critical",
    defaultRecipients: false,
    additionalRecipients: ["pim-alerts@contoso.com"],
  };
  s.notifications.activeAssignment.requestor = {
    level: "none",
    defaultRecipients: true,
    additionalRecipients: [],
  };
  s.notifications.activation.approver = {
    level: "all",
    defaultRecipients: true,
    additionalRecipients: ["soc@contoso.com", "a@contoso.com"],
  };
  return s;
}

const byId = (rules: GraphRule[]) => new Map(rules.map((r) => [r.id, r]));

/** What Graph returns for a rule it stored (graph-pim.md §1.7): lowercase operations, no target @odata.type,
 * approvers with userId/groupId plus a display-name description. */
function asRead(rules: GraphRule[]): GraphRule[] {
  return rules.map((r) => {
    const copy = structuredClone(r);
    const { "@odata.type": _t, ...target } = copy.target;
    copy.target = { ...target, operations: target.operations.map((o) => o.toLowerCase()) };
    if (copy.setting) {
      for (const st of copy.setting.approvalStages) {
        for (const a of [...st.primaryApprovers, ...st.escalationApprovers]) a.description = "Display Name";
      }
    }
    return copy;
  });
}

describe("toGraphRules", () => {
  it("returns the 17 rules in Graph's order, each with its @odata.type and a complete target", () => {
    const rules = toGraphRules(graphDefaults("directory"), {});
    expect(rules.map((r) => r.id)).toEqual([...GRAPH_RULE_IDS]);
    expect(rules).toHaveLength(17);
    for (const r of rules) {
      const kind = r.id.split("_")[0] as keyof typeof RULE_TYPES;
      expect(r["@odata.type"]).toBe(RULE_TYPES[kind]);
      expect(r.target).toEqual({
        "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
        caller: r.id.includes("_EndUser_") ? "EndUser" : "Admin",
        operations: ["All"],
        level: r.id.endsWith("_Eligibility") ? "Eligibility" : "Assignment",
        inheritableSettings: [],
        enforcedSettings: [],
      });
    }
  });

  it("maps Graph's documented defaults to Graph's documented default rules (graph-pim.md §1.8)", () => {
    const r = byId(toGraphRules(graphDefaults("directory"), {}));
    expect(r.get("Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: "P365D",
    });
    expect(r.get("Enablement_Admin_Eligibility")!.enabledRules).toEqual([]);
    expect(r.get("Expiration_Admin_Assignment")).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: "P180D",
    });
    expect(r.get("Enablement_Admin_Assignment")!.enabledRules).toEqual(["Justification"]);
    expect(r.get("Expiration_EndUser_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "PT8H",
    });
    expect(r.get("Enablement_EndUser_Assignment")!.enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
    ]);
    expect(r.get("Approval_EndUser_Assignment")!.setting).toEqual({
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
    expect(r.get("AuthenticationContext_EndUser_Assignment")).toMatchObject({
      isEnabled: false,
      claimValue: null,
    });
    for (const id of GRAPH_RULE_IDS.filter((x) => x.startsWith("Notification_"))) {
      expect(r.get(id)).toMatchObject({
        notificationType: "Email",
        recipientType: id.split("_")[1],
        notificationLevel: "All",
        isDefaultRecipientsEnabled: true,
        notificationRecipients: [],
      });
    }
  });

  it("maps each field of a non-default declaration to its rule", () => {
    const r = byId(toGraphRules(tier0(), ids));
    expect(r.get("Expiration_Admin_Eligibility")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P180D",
    });
    expect(r.get("Enablement_Admin_Eligibility")!.enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
    ]);
    expect(r.get("Expiration_Admin_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "P15D",
    });
    expect(r.get("Enablement_Admin_Assignment")!.enabledRules).toEqual(["MultiFactorAuthentication"]);
    expect(r.get("Expiration_EndUser_Assignment")).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: "PT1H",
    });
    expect(r.get("Enablement_EndUser_Assignment")!.enabledRules).toEqual(["Justification", "Ticketing"]);
    expect(r.get("AuthenticationContext_EndUser_Assignment")).toMatchObject({
      isEnabled: true,
      claimValue: "c1",
    });
    expect(r.get("Notification_Admin_Admin_Eligibility")).toMatchObject({
      notificationLevel: "Critical",
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ["pim-alerts@contoso.com"],
    });
    expect(r.get("Notification_Requestor_Admin_Assignment")).toMatchObject({
      recipientType: "Requestor",
      notificationLevel: "None",
    });
    expect(r.get("Notification_Approver_EndUser_Assignment")).toMatchObject({
      recipientType: "Approver",
      notificationRecipients: ["soc@contoso.com", "a@contoso.com"],
    });
  });

  it("writes approvals with user and group approvers, escalation and two serial stages", () => {
    const approval = byId(toGraphRules(tier0(), ids)).get("Approval_EndUser_Assignment")!.setting!;
    expect(approval).toEqual({
      isApprovalRequired: true,
      isApprovalRequiredForExtension: true,
      isRequestorJustificationRequired: true,
      approvalMode: "Serial",
      approvalStages: [
        {
          approvalStageTimeOutInDays: 2,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 120,
          isEscalationEnabled: true,
          primaryApprovers: [
            { "@odata.type": "#microsoft.graph.groupMembers", groupId: TIER0 },
            { "@odata.type": "#microsoft.graph.singleUser", userId: ADA },
          ],
          escalationApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: KEN }],
        },
        {
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: false,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: [{ "@odata.type": "#microsoft.graph.groupMembers", groupId: SOC }],
          escalationApprovers: [],
        },
      ],
    });
  });

  it("refuses an approver without an object id, naming it and the key it looked for", () => {
    const { "group:soc": _soc, ...partial } = ids;
    expect(() => toGraphRules(tier0(), partial)).toThrow(
      'approval stage 2: no object id for group approver "SOC" (expected approverIds["group:soc"])',
    );
  });
});

describe("fromGraphRules", () => {
  it("round-trips the defaults and a declaration that changes every rule", () => {
    expect(fromGraphRules(toGraphRules(graphDefaults("directory"), {}))).toEqual(graphDefaults("directory"));
    const names = {
      [ADA]: "Ada.Lovelace@contoso.com",
      [KEN]: "ken.thompson@contoso.com",
      [TIER0]: "Tier-0 Approvers",
      [SOC]: "SOC",
    };
    expect(fromGraphRules(toGraphRules(tier0(), ids), names)).toEqual(tier0());
  });

  it("reads Graph's read shape (lowercase operations, descriptions, any rule order) the same way", () => {
    const rules = asRead(toGraphRules(tier0(), ids)).reverse();
    const names = {
      [ADA]: "Ada.Lovelace@contoso.com",
      [KEN]: "ken.thompson@contoso.com",
      [TIER0]: "Tier-0 Approvers",
      [SOC]: "SOC",
    };
    expect(fromGraphRules(rules, names)).toEqual(tier0());
  });

  it("returns approvers as object ids when no names are given", () => {
    const s = fromGraphRules(toGraphRules(tier0(), ids));
    expect(s.activation.approval.stages[0]!.approvers).toEqual([
      { type: "group", ref: TIER0 },
      { type: "user", ref: ADA },
    ]);
    expect(s.activation.approval.stages[0]!.escalation).toEqual({
      afterMinutes: 120,
      approvers: [{ type: "user", ref: KEN }],
    });
    expect(s.activation.approval.stages[1]!.approvers).toEqual([{ type: "group", ref: SOC }]);
  });

  it("accepts the legacy approver write shape (`id`) and an empty claim value", () => {
    const rules = toGraphRules(graphDefaults("directory"), {});
    const approval = rules.find((r) => r.id === "Approval_EndUser_Assignment")!;
    approval.setting!.approvalStages[0]!.primaryApprovers = [
      { "@odata.type": "#microsoft.graph.singleUser", id: ADA },
    ];
    const ac = rules.find((r) => r.id === "AuthenticationContext_EndUser_Assignment")!;
    ac.claimValue = "";
    const s = fromGraphRules(rules, { [ADA]: "ada@contoso.com" });
    expect(s.activation.approval.stages[0]!.approvers).toEqual([{ type: "user", ref: "ada@contoso.com" }]);
    expect(s.activation.authenticationContext).toBeNull();
  });

  it("names a missing rule", () => {
    const rules = toGraphRules(graphDefaults("directory"), {}).filter(
      (r) => r.id !== "Notification_Approver_EndUser_Assignment",
    );
    expect(() => fromGraphRules(rules)).toThrow(
      "policy has no rule Notification_Approver_EndUser_Assignment",
    );
  });

  it("refuses approver types PIM does not use", () => {
    const rules = toGraphRules(graphDefaults("directory"), {});
    rules.find((r) => r.id === "Approval_EndUser_Assignment")!.setting!.approvalStages[0]!.primaryApprovers =
      [{ "@odata.type": "#microsoft.graph.requestorManager" }];
    expect(() => fromGraphRules(rules)).toThrow("approvers of type requestorManager are not supported");
  });
});

describe("rule comparison", () => {
  it("treats the read shape of a rule as the rule that was written", () => {
    const written = toGraphRules(tier0(), ids);
    const read = asRead(written);
    expect(changedRules(written, read)).toEqual([]);
    const sameHourSpelledInMinutes = structuredClone(read);
    sameHourSpelledInMinutes.find((r) => r.id === "Expiration_EndUser_Assignment")!.maximumDuration = "PT60M";
    expect(changedRules(written, sameHourSpelledInMinutes)).toEqual([]);
  });

  it("finds exactly the rules whose values differ", () => {
    const before = toGraphRules(graphDefaults("directory"), {});
    const s = graphDefaults("directory");
    s.activation.maximumDuration = "PT2H";
    s.activation.requireTicket = true;
    s.notifications.activation.admin.additionalRecipients = ["soc@contoso.com"];
    const after = toGraphRules(s, {});
    expect(changedRules(after, before).map((r) => r.id)).toEqual([
      "Expiration_EndUser_Assignment",
      "Enablement_EndUser_Assignment",
      "Notification_Admin_EndUser_Assignment",
    ]);
    expect(sameRule(after[0]!, before[0]!)).toBe(true);
  });

  it("describes a difference with the value asked and the value held", () => {
    const asked = toGraphRules(tier0(), ids).find((r) => r.id === "Expiration_EndUser_Assignment")!;
    const held = { ...asked, maximumDuration: "PT8H" };
    expect(describeRuleDifference(asked, held)).toBe('maximumDuration: asked "PT1H", tenant holds "PT8H"');
    expect(describeRuleDifference(asked, undefined)).toBe("the tenant has no such rule");
  });
});
