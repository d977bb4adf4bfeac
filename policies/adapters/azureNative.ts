/** Adapters for @pulumi/azure-native authorization: Azure resource role policies and eligibility schedules. */
import { fromArmRules } from "../../model/settings/armRules";
import type { PolicyRules, RolePolicy } from "../rules/input";
import { policyRulesFromGraph } from "../rules/policyRules";
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

/** ARM policy rules are Graph's rules in ARM's spelling: converted back, they are read like any other policy. */
export function armPolicyRules(list: unknown): PolicyRules {
  return policyRulesFromGraph(fromArmRules(list));
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
