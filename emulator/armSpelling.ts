// The 17 PIM rules in ARM's spelling (Microsoft.Authorization/roleManagementPolicies, api-version 2020-10-01):
// the same ids and values as Graph's, with `ruleType` instead of `@odata.type`, a target without
// `@odata.type`, approvers as `{id, userType, isBackup, description}`. The emulator keeps rules in its Graph
// spelling (policyEngine.ts) so that one engine validates both APIs; this module converts at the edge.
// Reads follow the documented examples (GetRoleManagementPolicyByName): empty recipient and approver lists
// read back as null, an unset authentication context as "", operations capitalised ("All").
import { badRequest } from "./errors";
import { NS, RULE_TYPES, ruleKind, type Rule, type RuleKind, type SubjectSet } from "./policyEngine";

export const ARM_RULE_TYPES: Record<RuleKind, string> = {
  Expiration: "RoleManagementPolicyExpirationRule",
  Enablement: "RoleManagementPolicyEnablementRule",
  Notification: "RoleManagementPolicyNotificationRule",
  Approval: "RoleManagementPolicyApprovalRule",
  AuthenticationContext: "RoleManagementPolicyAuthenticationContextRule",
};

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const nullIfEmpty = <T>(xs: T[] | undefined): T[] | null => (xs && xs.length > 0 ? xs : null);

function armApprover(s: SubjectSet): Record<string, unknown> {
  const group = s["@odata.type"].endsWith("groupMembers");
  return {
    id: group ? s.groupId : s.userId,
    description: s.description,
    isBackup: false,
    userType: group ? "Group" : "User",
  };
}

/** One stored rule as ARM reads it back. */
export function toArmRule(r: Rule): Record<string, unknown> {
  const kind = ruleKind(r.id)!;
  const tail = {
    id: r.id,
    ruleType: ARM_RULE_TYPES[kind],
    target: {
      caller: r.target.caller,
      operations: r.target.operations.map(capitalise),
      level: r.target.level,
      targetObjects: null,
      inheritableSettings: null,
      enforcedSettings: null,
    },
  };
  switch (kind) {
    case "Expiration":
      return { isExpirationRequired: r.isExpirationRequired, maximumDuration: r.maximumDuration, ...tail };
    case "Enablement":
      return { enabledRules: [...(r.enabledRules ?? [])], ...tail };
    case "Notification":
      return {
        notificationType: r.notificationType,
        recipientType: r.recipientType,
        isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled,
        notificationLevel: r.notificationLevel,
        notificationRecipients: nullIfEmpty(r.notificationRecipients),
        ...tail,
      };
    case "Approval": {
      const s = r.setting!;
      return {
        setting: {
          isApprovalRequired: s.isApprovalRequired,
          isApprovalRequiredForExtension: s.isApprovalRequiredForExtension,
          isRequestorJustificationRequired: s.isRequestorJustificationRequired,
          approvalMode: s.approvalMode,
          approvalStages: s.approvalStages.map((st) => ({
            approvalStageTimeOutInDays: st.approvalStageTimeOutInDays,
            isApproverJustificationRequired: st.isApproverJustificationRequired,
            escalationTimeInMinutes: st.escalationTimeInMinutes,
            primaryApprovers: nullIfEmpty(st.primaryApprovers.map(armApprover)),
            isEscalationEnabled: st.isEscalationEnabled,
            escalationApprovers: nullIfEmpty(st.escalationApprovers.map(armApprover)),
          })),
        },
        ...tail,
      };
    }
    case "AuthenticationContext":
      return { isEnabled: r.isEnabled, claimValue: r.claimValue ?? "", ...tail };
  }
}

/** ARM approvers → the engine's subject sets; `isBackup: true` is refused (backup approvers are not modelled). */
function graphApprovers(raw: unknown, prop: string): unknown {
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest(`'${prop}' must be a list of approvers.`, "InvalidPolicyRule");
  return raw.map((a, i) => {
    if (!a || typeof a !== "object" || Array.isArray(a))
      throw badRequest(`'${prop}[${i}]' must be an object.`, "InvalidPolicyRule");
    const o = a as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!["id", "userType", "isBackup", "description"].includes(k))
        throw badRequest(`'${prop}[${i}]' has an unknown property '${k}'.`, "InvalidPolicyRule");
    if (o.isBackup !== undefined && o.isBackup !== false)
      throw badRequest(
        `'${prop}[${i}].isBackup' must be false: backup approvers are not supported.`,
        "InvalidPolicyRule",
      );
    if (o.userType !== "User" && o.userType !== "Group")
      throw badRequest(`'${prop}[${i}].userType' must be 'User' or 'Group'.`, "InvalidPolicyRule");
    return o.userType === "Group"
      ? { "@odata.type": `${NS}groupMembers`, groupId: o.id }
      : { "@odata.type": `${NS}singleUser`, userId: o.id };
  });
}

function graphSetting(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const s = { ...(raw as Record<string, unknown>) };
  if (Array.isArray(s.approvalStages))
    s.approvalStages = s.approvalStages.map((st: unknown, i: number) => {
      if (!st || typeof st !== "object" || Array.isArray(st)) return st;
      const o = { ...(st as Record<string, unknown>) };
      for (const k of ["primaryApprovers", "escalationApprovers"])
        if (k in o) o[k] = graphApprovers(o[k], `setting.approvalStages[${i}].${k}`);
      return o;
    });
  return s;
}

/**
 * One rule of an ARM PATCH body → the engine's PATCH shape (policyEngine.applyRulePatch validates the values).
 * `ruleType` must name the kind of the rule `id` names.
 */
export function fromArmRule(raw: unknown, index: number): Record<string, unknown> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw badRequest(`properties.rules[${index}] must be an object.`, "InvalidPolicyRule");
  const { ruleType, id, target, ...rest } = raw as Record<string, unknown>;
  const kind = typeof id === "string" ? ruleKind(id) : null;
  if (!kind) throw badRequest(`The policy rule id ${String(id)} is invalid.`, "InvalidPolicyRule");
  if (ruleType !== ARM_RULE_TYPES[kind])
    throw badRequest(
      `The ruleType '${String(ruleType)}' does not match the type '${ARM_RULE_TYPES[kind]}' of rule '${id as string}'.`,
      "InvalidPolicyRule",
    );
  const out: Record<string, unknown> = { "@odata.type": RULE_TYPES[kind], id, ...rest };
  if (target !== undefined && target !== null) {
    if (typeof target !== "object" || Array.isArray(target))
      throw badRequest(`properties.rules[${index}].target must be an object.`, "InvalidPolicyRule");
    // ARM reads these back as null; a client that sends its read back unchanged must be accepted.
    const t = Object.fromEntries(
      Object.entries(target as Record<string, unknown>).filter(([, v]) => v !== null),
    );
    out.target = t;
  }
  if ("notificationRecipients" in out && out.notificationRecipients === null) out.notificationRecipients = [];
  if ("setting" in out) out.setting = graphSetting(out.setting);
  return out;
}
