/**
 * Resource inputs → the rule input. One adapter per Pulumi type token; `inputFromResources` runs the matching
 * adapter for each resource, for one resource (resource policies) or a whole stack (stack policies).
 */
import { TYPE_TOKENS } from "../../providers/types";
import { emptyInput, type RuleInput } from "../rules/input";
import { allPolicies } from "../rules/rule";
import * as azuread from "./azuread";
import * as azureNative from "./azureNative";
import { breakGlassComponent } from "./breakGlass";
import {
  snapshot,
  type Adapter,
  type PackContext,
  type ResourceLike,
  type Unreadable,
  type UrnIndex,
} from "./context";
import * as dynamic from "./dynamic";
import { sanitizeRules } from "./sanitize";

export type { PackContext, ResourceLike, Unreadable, UrnIndex } from "./context";

/** The PIM resource types: what the resource policies judge, and what makes the stack policies applicable. */
export const PIM_TYPES = {
  DirectoryRoleSettings: TYPE_TOKENS.DirectoryRoleSettings,
  DirectoryRoleSchedule: TYPE_TOKENS.DirectoryRoleSchedule,
  GroupPolicy: TYPE_TOKENS.GroupPolicy,
  GroupSchedule: TYPE_TOKENS.GroupSchedule,
  /** azuread's PIM-for-Groups resources: our program no longer registers them, other programs may. */
  GroupRoleManagementPolicy: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
  PrivilegedAccessGroupEligibilitySchedule:
    "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  PrivilegedAccessGroupAssignmentSchedule:
    "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
  DirectoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  DirectoryRoleEligibilityScheduleRequest:
    "azuread:index/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest",
  RoleManagementPolicy: "azure-native:authorization:RoleManagementPolicy",
  PimRoleEligibilitySchedule: "azure-native:authorization:PimRoleEligibilitySchedule",
  /** The component that records the verified break-glass accounts (no resource holds their assignments). */
  BreakGlass: "pim:entra:BreakGlass",
} as const;

/** Types the stack policies also read for context: who is in a group, and Conditional Access policies. */
export const CONTEXT_TYPES = {
  Group: "azuread:index/group:Group",
  GroupMember: "azuread:index/groupMember:GroupMember",
  ConditionalAccessPolicy: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
} as const;

export const ADAPTERS: Readonly<Record<string, Adapter>> = {
  [PIM_TYPES.DirectoryRoleSettings]: dynamic.directoryRoleSettings,
  [PIM_TYPES.DirectoryRoleSchedule]: dynamic.directoryRoleSchedule,
  [PIM_TYPES.GroupPolicy]: dynamic.groupPolicy,
  [PIM_TYPES.GroupSchedule]: dynamic.groupSchedule,
  [PIM_TYPES.GroupRoleManagementPolicy]: azuread.groupRoleManagementPolicy,
  [PIM_TYPES.PrivilegedAccessGroupEligibilitySchedule]: azuread.groupEligibilitySchedule,
  [PIM_TYPES.PrivilegedAccessGroupAssignmentSchedule]: azuread.groupAssignmentSchedule,
  [PIM_TYPES.DirectoryRoleAssignment]: azuread.directoryRoleAssignment,
  [PIM_TYPES.DirectoryRoleEligibilityScheduleRequest]: azuread.directoryRoleEligibilityScheduleRequest,
  [PIM_TYPES.RoleManagementPolicy]: azureNative.roleManagementPolicy,
  [PIM_TYPES.PimRoleEligibilitySchedule]: azureNative.pimRoleEligibilitySchedule,
  [PIM_TYPES.BreakGlass]: breakGlassComponent,
  [CONTEXT_TYPES.Group]: azuread.group,
  [CONTEXT_TYPES.GroupMember]: azuread.groupMember,
  [CONTEXT_TYPES.ConditionalAccessPolicy]: azuread.conditionalAccessPolicy,
};

const PIM_TYPE_SET = new Set<string>(Object.values(PIM_TYPES));

export function isPimResource(type: string): boolean {
  return PIM_TYPE_SET.has(type);
}

/** A type the pack reads at all (PIM, or context for the stack policies). */
export function isReadResource(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(ADAPTERS, type);
}

export interface PackInput {
  input: RuleInput;
  urns: UrnIndex;
  /** Resources that could not be read (`pim-resource-readable` reports them). */
  unreadable: Unreadable[];
}

/**
 * Builds the rule input from resources. `mode: "resource"` is one resource seen alone; it assumes nothing about
 * what other resources hold (a PIM group's roles are another resource), so a resource policy reports only what
 * the resource itself shows and the stack-context policies report the rest, each finding once and with the
 * severity `pim check` gives it.
 */
export function inputFromResources(
  resources: readonly ResourceLike[],
  ctx: PackContext,
  opts: { now: string; mode: "resource" | "stack" },
): PackInput {
  const input = emptyInput(opts.now);
  const urns: UrnIndex = new Map();
  const unreadable: Unreadable[] = [];
  input.breakGlass = ctx.breakGlass.map((principalId) => ({ principalId }));
  input.serviceAccounts = ctx.serviceAccounts.map((s) => ({ ...s, roleIds: [...s.roleIds] }));
  input.authenticationContexts = Object.fromEntries(
    Object.entries(ctx.authenticationContexts).map(([id, policy]) => [
      id.toLowerCase(),
      { id, conditionalAccessPolicy: policy },
    ]),
  );
  for (const r of resources) {
    const adapter = ADAPTERS[r.type];
    if (!adapter) continue;
    const plain: ResourceLike = { ...r, props: (snapshot(r.props) ?? {}) as ResourceLike["props"] };
    const report = (reason: string) => unreadable.push({ urn: r.urn, reason });
    try {
      adapter(plain, input, ctx, urns, report);
    } catch (e) {
      // A last resort: an adapter bug must not fail the run and hide every other resource's results.
      report(`the pack could not read it (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  for (const p of allPolicies(input)) p.rules = sanitizeRules(p.rules);
  linkApproverGroups(input);
  return { input, urns, unreadable };
}

/**
 * Approver groups are named by display name until their object id is known (preview): such a reference becomes
 * the id of the group of that name the stack creates, so its members count as approvers.
 */
function linkApproverGroups(input: RuleInput): void {
  const byName = new Map<string, string>();
  for (const g of Object.values(input.groups))
    if (g.displayName !== g.id) byName.set(g.displayName.toLowerCase(), g.id);
  if (!byName.size) return;
  const policies = allPolicies(input);
  for (const p of policies) {
    for (const stage of p.rules.Approval_EndUser_Assignment?.approvalStages ?? []) {
      for (const a of [...stage.primaryApprovers, ...(stage.escalationApprovers ?? [])]) {
        if (a.type === "group" && !input.groups[a.id]) a.id = byName.get(a.id) ?? a.id;
      }
    }
  }
}
