/**
 * ARM spelling of the Graph rules. An Azure resource role's policy (`Microsoft.Authorization/roleManagementPolicies`,
 * azure-native's `RoleManagementPolicy`) holds the same 17 rules with the same ids and values as a Graph policy
 * (graph-pim.md §1.6); only the spelling differs:
 *
 * | Graph | ARM |
 * |---|---|
 * | `"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"` | `ruleType: "RoleManagementPolicyExpirationRule"` (same for each kind) |
 * | target with `@odata.type`, `inheritableSettings: []`, `enforcedSettings: []` | target `{ caller, level, operations }` |
 * | approver `{ "@odata.type": "#microsoft.graph.singleUser", userId }` | `{ id, userType: "User", isBackup: false }` |
 * | approver `{ "@odata.type": "#microsoft.graph.groupMembers", groupId }` | `{ id, userType: "Group", isBackup: false }` |
 * | `claimValue: null` | `claimValue` left out |
 *
 * So the settings are mapped once (`graphRules.ts`) and converted here, both ways: the AzureRoleSettings component
 * writes `toArmRules(toGraphRules(...))`, and the policy pack reads a RoleManagementPolicy's rules back through
 * `fromArmRules` into the same rule input as `pim check`. Pure.
 */
import {
  RULE_TYPES,
  SUBJECT_TYPES,
  type GraphApprovalStage,
  type GraphRule,
  type GraphRuleTarget,
  type GraphSubjectSet,
  type RuleKind,
} from "./graphRules";
import { fields, list } from "../untypedJson";

export const ARM_RULE_TYPES = {
  Expiration: "RoleManagementPolicyExpirationRule",
  Enablement: "RoleManagementPolicyEnablementRule",
  Notification: "RoleManagementPolicyNotificationRule",
  Approval: "RoleManagementPolicyApprovalRule",
  AuthenticationContext: "RoleManagementPolicyAuthenticationContextRule",
} as const satisfies Record<RuleKind, string>;
export type ArmRuleType = (typeof ARM_RULE_TYPES)[RuleKind];

export interface ArmRuleTarget {
  caller: string;
  level: string;
  operations: string[];
}

/** ARM's `UserSet`: an approver. */
export interface ArmUserSet<Id = string> {
  id: Id;
  userType: "User" | "Group";
  description?: string;
  isBackup: boolean;
}

export interface ArmApprovalStage<Id = string> {
  approvalStageTimeOutInDays: number;
  isApproverJustificationRequired: boolean;
  escalationTimeInMinutes: number;
  isEscalationEnabled: boolean;
  primaryApprovers: ArmUserSet<Id>[];
  escalationApprovers: ArmUserSet<Id>[];
}

interface ArmRuleBase {
  id: string;
  target: ArmRuleTarget;
}

export type ArmRule<Id = string> =
  | (ArmRuleBase & {
      ruleType: "RoleManagementPolicyExpirationRule";
      isExpirationRequired: boolean;
      maximumDuration: string;
    })
  | (ArmRuleBase & { ruleType: "RoleManagementPolicyEnablementRule"; enabledRules: string[] })
  | (ArmRuleBase & {
      ruleType: "RoleManagementPolicyNotificationRule";
      notificationType: string;
      recipientType: string;
      notificationLevel: string;
      isDefaultRecipientsEnabled: boolean;
      notificationRecipients: string[];
    })
  | (ArmRuleBase & {
      ruleType: "RoleManagementPolicyApprovalRule";
      setting: {
        isApprovalRequired: boolean;
        isApprovalRequiredForExtension: boolean;
        isRequestorJustificationRequired: boolean;
        approvalMode: string;
        approvalStages: ArmApprovalStage<Id>[];
      };
    })
  | (ArmRuleBase & {
      ruleType: "RoleManagementPolicyAuthenticationContextRule";
      isEnabled: boolean;
      claimValue?: string;
    });

const kindOfGraphType = (odataType: string): RuleKind | null =>
  (Object.keys(RULE_TYPES) as RuleKind[]).find((k) => RULE_TYPES[k] === `#${odataType.replace(/^#/, "")}`) ??
  null;

const kindOfArmType = (ruleType: unknown): RuleKind | null =>
  (Object.keys(ARM_RULE_TYPES) as RuleKind[]).find((k) => ARM_RULE_TYPES[k] === ruleType) ?? null;

function toArmUserSet<Id>(s: GraphSubjectSet<Id>): ArmUserSet<Id> {
  const group = s["@odata.type"].endsWith("groupMembers");
  const id = (group ? s.groupId : s.userId) ?? s.id;
  return {
    id: id as Id,
    userType: group ? "Group" : "User",
    ...(typeof s.description === "string" ? { description: s.description } : {}),
    isBackup: false,
  };
}

function toArmStage<Id>(st: GraphApprovalStage<Id>): ArmApprovalStage<Id> {
  return {
    approvalStageTimeOutInDays: st.approvalStageTimeOutInDays,
    isApproverJustificationRequired: st.isApproverJustificationRequired,
    escalationTimeInMinutes: st.escalationTimeInMinutes,
    isEscalationEnabled: st.isEscalationEnabled,
    primaryApprovers: st.primaryApprovers.map(toArmUserSet),
    escalationApprovers: st.escalationApprovers.map(toArmUserSet),
  };
}

/** One Graph rule in ARM's spelling; throws on a rule kind ARM does not have. */
export function toArmRule<Id>(r: GraphRule<Id>): ArmRule<Id> {
  const base = {
    id: r.id,
    target: { caller: r.target.caller, level: r.target.level, operations: [...r.target.operations] },
  };
  switch (kindOfGraphType(r["@odata.type"])) {
    case "Expiration":
      return {
        ...base,
        ruleType: ARM_RULE_TYPES.Expiration,
        isExpirationRequired: r.isExpirationRequired!,
        maximumDuration: r.maximumDuration!,
      };
    case "Enablement":
      return { ...base, ruleType: ARM_RULE_TYPES.Enablement, enabledRules: [...(r.enabledRules ?? [])] };
    case "Notification":
      return {
        ...base,
        ruleType: ARM_RULE_TYPES.Notification,
        notificationType: r.notificationType!,
        recipientType: r.recipientType!,
        notificationLevel: r.notificationLevel!,
        isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled!,
        notificationRecipients: [...(r.notificationRecipients ?? [])],
      };
    case "Approval": {
      const s = r.setting!;
      return {
        ...base,
        ruleType: ARM_RULE_TYPES.Approval,
        setting: {
          isApprovalRequired: s.isApprovalRequired,
          isApprovalRequiredForExtension: s.isApprovalRequiredForExtension,
          isRequestorJustificationRequired: s.isRequestorJustificationRequired,
          approvalMode: s.approvalMode,
          approvalStages: s.approvalStages.map(toArmStage),
        },
      };
    }
    case "AuthenticationContext":
      return {
        ...base,
        ruleType: ARM_RULE_TYPES.AuthenticationContext,
        isEnabled: r.isEnabled === true,
        // ARM has no null claim: "no context" is the claim left out.
        ...(r.claimValue ? { claimValue: r.claimValue } : {}),
      };
    case null:
      throw new Error(`${r.id}: rule type ${r["@odata.type"]} has no ARM spelling`);
  }
}

export const toArmRules = <Id>(rules: readonly GraphRule<Id>[]): ArmRule<Id>[] => rules.map(toArmRule);

// ------------------------------------------------------------------------------------------ ARM → Graph

// ARM rules read back arrive as untyped resource inputs (the policy pack): each object is narrowed with `fields`,
// and a value is carried over as found (`as` below claims only the spelling, the readers judge the value).

function fromArmUserSet(v: unknown): GraphSubjectSet {
  const u = fields(v);
  const group = /^group$/i.test(String(u.userType));
  const id = u.id as string | undefined;
  return {
    "@odata.type": group ? SUBJECT_TYPES.group : SUBJECT_TYPES.user,
    ...(group ? { groupId: id } : { userId: id }),
    ...(typeof u.description === "string" ? { description: u.description } : {}),
  };
}

function fromArmTarget(v: unknown): GraphRuleTarget {
  const t = fields(v);
  return {
    "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyRuleTarget",
    caller: t.caller as string,
    operations: list(t.operations) as string[],
    level: t.level as string,
    inheritableSettings: list(t.inheritableSettings) as string[],
    enforcedSettings: list(t.enforcedSettings) as string[],
  };
}

function fromArmStage(v: unknown): GraphApprovalStage {
  const st = fields(v);
  return {
    approvalStageTimeOutInDays: st.approvalStageTimeOutInDays as number,
    isApproverJustificationRequired: st.isApproverJustificationRequired as boolean,
    escalationTimeInMinutes: st.escalationTimeInMinutes as number,
    isEscalationEnabled: st.isEscalationEnabled as boolean,
    primaryApprovers: list(st.primaryApprovers).map(fromArmUserSet),
    escalationApprovers: list(st.escalationApprovers).map(fromArmUserSet),
  };
}

/**
 * ARM rules in Graph's spelling. Values are carried over as found, not validated: whoever reads the result
 * (`fromGraphRules`, the rule input) decides what a missing or odd value means. Entries that are not rules of a
 * known ARM type are left out.
 */
export function fromArmRules(rules: unknown): GraphRule[] {
  const out: GraphRule[] = [];
  for (const entry of list(rules)) {
    const r = fields(entry);
    const kind = kindOfArmType(r.ruleType);
    if (!kind || typeof r.id !== "string") continue;
    const base = { "@odata.type": RULE_TYPES[kind], id: r.id, target: fromArmTarget(r.target) };
    switch (kind) {
      case "Expiration":
        out.push({
          ...base,
          isExpirationRequired: r.isExpirationRequired as boolean,
          maximumDuration: r.maximumDuration as string,
        });
        break;
      case "Enablement":
        out.push({ ...base, enabledRules: list(r.enabledRules) as string[] });
        break;
      case "Notification":
        out.push({
          ...base,
          notificationType: r.notificationType as string,
          recipientType: r.recipientType as string,
          notificationLevel: r.notificationLevel as string,
          isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled as boolean,
          notificationRecipients: list(r.notificationRecipients) as string[],
        });
        break;
      case "Approval": {
        const s = fields(r.setting);
        out.push({
          ...base,
          setting: {
            isApprovalRequired: s.isApprovalRequired as boolean,
            isApprovalRequiredForExtension: s.isApprovalRequiredForExtension as boolean,
            isRequestorJustificationRequired: s.isRequestorJustificationRequired as boolean,
            approvalMode: s.approvalMode as string,
            approvalStages: list(s.approvalStages).map(fromArmStage),
          },
        });
        break;
      }
      case "AuthenticationContext":
        out.push({
          ...base,
          isEnabled: r.isEnabled as boolean,
          claimValue: (r.claimValue ?? null) as string | null,
        });
        break;
    }
  }
  return out;
}
