/** Reads of ARM: the Azure resource role settings of a scope (`roleSettings.ts`). */
export {
  azureRoleSettingsUrls,
  readAzureRoleSettings,
  ROLE_DEFINITIONS_API,
  ROLE_MANAGEMENT_POLICIES_API,
  type AzureRolePolicy,
  type RawArmPolicy,
  type RawArmPolicyAssignment,
  type RawArmRoleDefinition,
} from "./roleSettings";
