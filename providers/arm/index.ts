/**
 * The Azure Resource Manager access layer: Azure resource role settings (`Microsoft.Authorization`
 * role management policies). A sibling of `providers/graph`, built on its transport, retries, deadline, redaction,
 * credentials and tenant check (`client.ts`, `config.ts`); only `providers/` and `scripts/` import it.
 */
import { settingsCacheKey, settingsTokenProvider, type ConfigSource } from "../graph";
import { createArmClient, type ArmApi, type ArmClientOptions } from "./client";
import { resolveArmSettings } from "./config";

export {
  ArmApi,
  AZURE_RESOURCE_MANAGER,
  createArmClient,
  type ArmClientOptions,
  type ArmPage,
} from "./client";
export { ArmError, armErrorFromResponse, azureRoleFor, isArmError, scopeOfPath } from "./errors";
export { resolveArmSettings, type ArmSettings } from "./config";

const clients = new Map<string, ArmApi>();

/**
 * The ARM client for a stack's tenant (`tenantId`, the declared `tenant.id`) and configuration, with the identity
 * Graph uses; created on first use and reused while the configuration stays the same.
 */
export function armForTenant(
  tenantId: string | undefined,
  config?: ConfigSource,
  overrides: Partial<ArmClientOptions> = {},
): ArmApi {
  const s = resolveArmSettings(config, process.env, tenantId);
  const key = [s.baseUrl, settingsCacheKey(s.identity), JSON.stringify(Object.keys(overrides))].join("|");
  let c = clients.get(key);
  if (!c) {
    c = createArmClient({
      baseUrl: s.baseUrl,
      tokenProvider: settingsTokenProvider(s.identity, s.scope, "ARM"),
      ...overrides,
    });
    if (Object.keys(overrides).length === 0) clients.set(key, c);
  }
  return c;
}
