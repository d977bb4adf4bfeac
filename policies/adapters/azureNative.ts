/** Adapters for @pulumi/azure-native authorization: Azure resource role policies and eligibility schedules. */
import { fromArmRules } from "../../model/settings/armRules";
import type { PolicyRules, RolePolicy } from "../rules/input";
import { policyRulesFromGraph } from "../rules/policyRules";
import { policyKey } from "../rules/rule";
import { addAzureRole, endFrom, ensurePrincipal, known, lower, str, type Adapter } from "./context";

/** ARM policy rules are Graph's rules in ARM's spelling: converted back, they are read like any other policy. */
export function armPolicyRules(list: unknown): PolicyRules {
  return policyRulesFromGraph(fromArmRules(list));
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
