/** Adapters for @pulumi/azure-native authorization: Azure resource role policies and eligibility schedules. */
import type { ApproverRef, EnablementRule, NotificationRule, PolicyRules, RolePolicy } from "../rules/input";
import { policyKey } from "../rules/rule";
import {
  addAzureRole,
  endFrom,
  ensurePrincipal,
  idFrom,
  instant,
  isUnknown,
  lower,
  roleFrom,
  str,
  type Adapter,
  type ResourceLike,
} from "./context";

const ENABLEMENT: Record<string, EnablementRule> = {
  multifactorauthentication: "MultiFactorAuthentication",
  justification: "Justification",
  ticketing: "Ticketing",
};

const approverRef = (a: any): ApproverRef => ({
  type: /group/i.test(String(a?.userType)) ? "group" : "user",
  id: lower(a?.id),
});

/** ARM policy rules carry Graph's rule ids; map the ones the rules read. */
export function armPolicyRules(list: unknown): PolicyRules {
  const rules: Record<string, unknown> = {};
  for (const r of Array.isArray(list) ? (list as any[]) : []) {
    const id = str(r?.id);
    if (!id) continue;
    switch (r.ruleType) {
      case "RoleManagementPolicyExpirationRule":
        rules[id] =
          id === "Expiration_EndUser_Assignment"
            ? { maximumDuration: str(r.maximumDuration) ?? "PT8H" }
            : {
                isExpirationRequired: r.isExpirationRequired === true,
                maximumDuration: str(r.maximumDuration) ?? "P365D",
              };
        break;
      case "RoleManagementPolicyEnablementRule":
        rules[id] = {
          enabledRules: (r.enabledRules ?? [])
            .map((e: string) => ENABLEMENT[String(e).toLowerCase()])
            .filter(Boolean),
        };
        break;
      case "RoleManagementPolicyAuthenticationContextRule":
        rules[id] = { isEnabled: r.isEnabled === true, claimValue: str(r.claimValue) };
        break;
      case "RoleManagementPolicyApprovalRule":
        rules[id] = {
          isApprovalRequired: r.setting?.isApprovalRequired === true,
          approvalStages: (r.setting?.approvalStages ?? []).map((st: any) => ({
            primaryApprovers: (st.primaryApprovers ?? []).map(approverRef),
            ...(st.isEscalationEnabled === true
              ? { escalationApprovers: (st.escalationApprovers ?? []).map(approverRef) }
              : {}),
          })),
        };
        break;
      case "RoleManagementPolicyNotificationRule": {
        const lv = String(r.notificationLevel ?? "");
        const n: NotificationRule = {
          notificationLevel: /^all$/i.test(lv) ? "All" : /^critical$/i.test(lv) ? "Critical" : "None",
          isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled === true,
          notificationRecipients: Array.isArray(r.notificationRecipients)
            ? r.notificationRecipients.map(String)
            : [],
        };
        rules[id] = n;
        break;
      }
    }
  }
  return rules as PolicyRules;
}

/** The ARM scope: a stand-in while it is not known (a subscription created in this run), null when missing. */
function scopeOf(r: ResourceLike, what: string, unreadable: (reason: string) => void): string | null {
  if (isUnknown(r.props.scope)) return `pending:${r.urn}`;
  const scope = str(r.props.scope);
  if (!scope) unreadable(`scope is missing, so ${what} is not known`);
  return scope;
}

export const roleManagementPolicy: Adapter = (r, input, _ctx, urns, unreadable) => {
  const scope = scopeOf(r, "what the policy governs", unreadable);
  if (!scope) return;
  // The policy names no role (a RoleManagementPolicyAssignment links it); take it as governing a privileged role.
  const roleId = `assumed-azure:${lower(str(r.props.roleManagementPolicyName) ?? r.name)}`;
  input.roles[roleId] ??= {
    id: roleId,
    kind: "azure",
    displayName: "the role this policy governs (assumed privileged)",
    isPrivileged: true,
    tier: "tier1",
    cisaHighlyPrivileged: false,
  };
  let rules: PolicyRules = {};
  try {
    rules = armPolicyRules(r.props.rules);
  } catch {
    rules = {};
  }
  const policy: RolePolicy = {
    target: { kind: "azureRole", roleId, scope },
    label: `${str(r.props.displayName) ?? r.name} on ${scope}`,
    rules,
  };
  input.azureRolePolicies.push(policy);
  urns.set(policyKey(policy), r.urn);
};

export const pimRoleEligibilitySchedule: Adapter = (r, input, ctx, urns, unreadable) => {
  const scope = scopeOf(r, "where the eligibility applies", unreadable);
  if (!scope) return;
  const roleId = roleFrom(
    r,
    r.props.roleDefinitionId,
    "roleDefinitionId",
    input,
    ctx,
    unreadable,
    addAzureRole,
  );
  const principalId = idFrom(r.props.principalId, "principalId", `pending:${r.urn}`, unreadable);
  if (!roleId || !principalId) return;
  ensurePrincipal(input, principalId, ctx);
  const info = r.props.scheduleInfo && typeof r.props.scheduleInfo === "object" ? r.props.scheduleInfo : {};
  const start = instant(info.startDateTime);
  const exp = info.expiration && typeof info.expiration === "object" ? info.expiration : {};
  // Only an explicit end type ends it: a missing or unreadable expiration is the stricter, permanent reading.
  const end = /^afterdatetime$/i.test(String(exp.type ?? ""))
    ? instant(exp.endDateTime)
    : /^afterduration$/i.test(String(exp.type ?? ""))
      ? endFrom(start, str(exp.duration), input.now)
      : null;
  input.assignments.push({
    kind: "eligible",
    roleId,
    principalId,
    scope,
    startDateTime: start ?? input.now,
    endDateTime: end,
    label: r.name,
  });
  urns.set(`assignment:${r.name}`, r.urn);
};
