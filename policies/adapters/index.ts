/**
 * Resource inputs → the rule input. One adapter per Pulumi type token; `inputFromResources` runs the matching
 * adapter for each resource, for one resource (resource policies) or a whole stack (stack policies).
 */
import { TYPE_TOKENS } from "../../providers/types";
import { emptyInput, type RuleInput } from "../rules/input";
import * as azuread from "./azuread";
import * as azureNative from "./azureNative";
import { breakGlassComponent } from "./breakGlass";
import {
  assumeGroupPrivileged,
  type Adapter,
  type PackContext,
  type ResourceLike,
  type UrnIndex,
} from "./context";
import * as dynamic from "./dynamic";

export type { PackContext, ResourceLike, UrnIndex } from "./context";

/** The type tokens the pack understands, with their adapters. */
export const PIM_TYPES = {
  DirectoryRoleSettings: TYPE_TOKENS.DirectoryRoleSettings,
  DirectoryRoleSchedule: TYPE_TOKENS.DirectoryRoleSchedule,
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

export const ADAPTERS: Readonly<Record<string, Adapter>> = {
  [PIM_TYPES.DirectoryRoleSettings]: dynamic.directoryRoleSettings,
  [PIM_TYPES.DirectoryRoleSchedule]: dynamic.directoryRoleSchedule,
  [PIM_TYPES.GroupRoleManagementPolicy]: azuread.groupRoleManagementPolicy,
  [PIM_TYPES.PrivilegedAccessGroupEligibilitySchedule]: azuread.groupEligibilitySchedule,
  [PIM_TYPES.PrivilegedAccessGroupAssignmentSchedule]: azuread.groupAssignmentSchedule,
  [PIM_TYPES.DirectoryRoleAssignment]: azuread.directoryRoleAssignment,
  [PIM_TYPES.DirectoryRoleEligibilityScheduleRequest]: azuread.directoryRoleEligibilityScheduleRequest,
  [PIM_TYPES.RoleManagementPolicy]: azureNative.roleManagementPolicy,
  [PIM_TYPES.PimRoleEligibilitySchedule]: azureNative.pimRoleEligibilitySchedule,
  [PIM_TYPES.BreakGlass]: breakGlassComponent,
};

export function isPimResource(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(ADAPTERS, type);
}

/**
 * Builds the rule input from resources. `mode: "resource"` is one resource seen alone: PIM groups whose role
 * assignments are elsewhere are taken as privileged (see `assumeGroupPrivileged`).
 */
export function inputFromResources(
  resources: readonly ResourceLike[],
  ctx: PackContext,
  opts: { now: string; mode: "resource" | "stack" },
): { input: RuleInput; urns: UrnIndex } {
  const input = emptyInput(opts.now);
  const urns: UrnIndex = new Map();
  input.breakGlass = ctx.breakGlass.map((principalId) => ({ principalId }));
  for (const r of resources) ADAPTERS[r.type]?.(r, input, ctx, urns);
  if (opts.mode === "resource") assumeGroupPrivileged(input);
  return { input, urns };
}
