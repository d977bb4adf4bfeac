/** Adapters for @pulumi/azure-native authorization: Azure resource role policies and eligibility schedules. */
import type { ApproverRef, EnablementRule, NotificationRule, PolicyRules, RolePolicy } from "../rules/input";
import { policyKey } from "../rules/rule";
import { addAzureRole, endFrom, ensurePrincipal, known, lower, str, type Adapter } from "./context";

const ENABLEMENT: Record<string, EnablementRule> = {
  multifactorauthentication: "MultiFactorAuthentication",
  justification: "Justification",
  ticketing: "Ticketing",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
const approverRef = (a: any): ApproverRef => ({
  type: /group/i.test(String(a?.userType)) ? "group" : "user",
  id: lower(a?.id),
});

/** ARM policy rules carry Graph's rule ids; map the ones the rules read. */
export function armPolicyRules(list: unknown): PolicyRules {
  const rules: Record<string, unknown> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
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
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
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

export const roleManagementPolicy: Adapter = (r, input, _ctx, urns) => {
  const scope = str(r.props.scope);
  if (!scope) return;
  // The policy names no role (a RoleManagementPolicyAssignment links it); take it as governing a privileged role.
  const roleId = `assumed-azure:${lower(r.props.roleManagementPolicyName ?? r.name)}`;
  input.roles[roleId] ??= {
    id: roleId,
    kind: "azure",
    displayName: "the role this policy governs (assumed privileged)",
    isPrivileged: true,
    tier: "tier1",
    cisaHighlyPrivileged: false,
  };
  const policy: RolePolicy = {
    target: { kind: "azureRole", roleId, scope },
    label: `${str(r.props.displayName) ?? r.name} on ${scope}`,
    rules: armPolicyRules(r.props.rules),
  };
  input.azureRolePolicies.push(policy);
  urns.set(policyKey(policy), r.urn);
};

export const pimRoleEligibilitySchedule: Adapter = (r, input, ctx, urns) => {
  const scope = str(r.props.scope);
  if (!scope || !str(r.props.roleDefinitionId)) return;
  const principalId = lower(known(() => r.props.principalId, `pending:${r.urn}`));
  if (!principalId) return;
  ensurePrincipal(input, principalId, ctx);
  const info = r.props.scheduleInfo ?? {};
  const start = str(info.startDateTime);
  const exp = info.expiration ?? {};
  const end = /noexpiration/i.test(String(exp.type ?? "NoExpiration"))
    ? null
    : (str(exp.endDateTime) ?? endFrom(start, str(exp.duration), input.now));
  input.assignments.push({
    kind: "eligible",
    roleId: addAzureRole(input, r.props.roleDefinitionId, ctx),
    principalId,
    scope,
    startDateTime: start,
    endDateTime: end,
    mechanism: "pim",
    label: r.name,
  });
  urns.set(`assignment:${r.name}`, r.urn);
};
