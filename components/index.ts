/** ComponentResources that map the declaration model onto resources. No HTTP, no file reading. */
export { ApproverGroup, type ApproverGroupArgs, type ApproverGroupMember } from "./approverGroup";
export { AzureRoleSettings, type AzureRoleSettingsArgs } from "./azureRoleSettings";
export { BreakGlass, type BreakGlassArgs } from "./breakGlass";
export { Grant, type GrantArgs, armRoleDefinitionId } from "./grant";
export { PimGroup, type PimGroupArgs } from "./pimGroup";
export { approverKey, approversOf, isObjectId } from "./principals";
export {
  breakGlassReference,
  Directory,
  directoryReferences,
  resolveDirectory,
  type PlannedReference,
  type ResolvedPrincipal,
} from "./directory";
export { breakGlassIsolation, duplicateGrants, grantIdentity, identityProblems } from "./identity";
export { RoleSettings, type RoleSettingsArgs } from "./roleSettings";
export { Tenant, type TenantArgs } from "./tenant";
export { summarize, type TenantSummary, type RoleSummary, type GrantSummary } from "./summary";

/** Component type tokens, for the policy pack and preview-JSON tooling (`args.type === COMPONENT_TYPES.Grant`). */
export const COMPONENT_TYPES = {
  ApproverGroup: "pim:entra:ApproverGroup",
  AzureRoleSettings: "pim:azure:AzureRoleSettings",
  BreakGlass: "pim:entra:BreakGlass",
  Grant: "pim:index:Grant",
  PimGroup: "pim:entra:PimGroup",
  RoleSettings: "pim:entra:RoleSettings",
  Tenant: "pim:index:Tenant",
} as const;
