/**
 * The declared tenant, and only it: the providers act on whatever tenant their configuration names, so the stack
 * configuration must name the tenant tenant.yaml declares. `azuread:tenantId` always (the azuread provider and the
 * project's providers both take it), `azure-native:tenantId` when Azure roles are managed. Unset counts as a
 * mismatch: a provider without a tenant uses whatever tenant its credential defaults to.
 */
import type { TenantModel } from "../model";

export interface TenantConfig {
  /** Stack config `azuread:tenantId`. */
  azuread: string | undefined;
  /** Stack config `azure-native:tenantId`. */
  azureNative: string | undefined;
}

/** Whether the stack manages anything through azure-native (Azure role settings, Azure-scoped grants). */
export const usesAzureRoles = (model: TenantModel): boolean =>
  model.roleSettings.some((d) => d.target.kind === "azure") ||
  model.grants.some((g) => g.role.kind === "azure" && g.status !== "expired");

export function declaredTenantProblems(
  model: TenantModel,
  config: TenantConfig,
  stackFile: string,
): string[] {
  const declared = model.tenant.id.toLowerCase();
  const where = `stacks/${model.stack}/tenant.yaml`;
  const check = (key: string, value: string | undefined): string[] => {
    if (!value)
      return [
        `stack config ${key} is not set; set it to ${declared} (tenant.id in ${where}) in ${stackFile}, so that every provider acts on that tenant and no other`,
      ];
    if (value.trim().toLowerCase() !== declared)
      return [
        `stack config ${key} is ${value.trim()}, but ${where} declares tenant.id ${declared}; one of them names the wrong tenant. Fix the one that is wrong in ${stackFile} or ${where}`,
      ];
    return [];
  };
  return [
    ...check("azuread:tenantId", config.azuread),
    ...(usesAzureRoles(model) ? check("azure-native:tenantId", config.azureNative) : []),
  ];
}
