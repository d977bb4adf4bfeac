/**
 * Where Azure Resource Manager is, read at call time like Graph's settings (`providers/graph/config.ts`), and with
 * the same identity: the credential, tenant and (for the emulator) client credentials of the Graph settings, so one
 * sign-in serves both. Only the base URL and the token scope are ARM's own.
 *
 * Base URL: env `PIM_ARM_BASE_URL`, else stack config `pim:armBaseUrl`, else the ARM of the cloud the Graph base
 * URL names (management.azure.com for the global service) — or, when Graph is the emulator, the emulator itself,
 * which serves ARM's routes beside Graph's. What the URL is decided by `armEndpoint` (`providers/graph/endpoints.ts`),
 * the same rule as Graph's: a cloud's ARM root exactly, never another Microsoft host, anything else the emulator.
 *
 * Graph and ARM must be the same kind of endpoint, of the same cloud: the emulator's client credentials are never
 * sent to a real authority, and a real token never to the emulator.
 */
import {
  armEndpoint,
  GraphConfigError,
  resolveGraphSettings,
  type ConfigSource,
  type GraphSettings,
} from "../graph";
import { normalizeBaseUrl } from "../graph/config";

/** The `.default` scope the emulator's token endpoint is asked for (it accepts the global service's). */
const EMULATOR_ARM_SCOPE = "https://management.azure.com/.default";

export interface ArmSettings {
  /** Without trailing slash: `https://management.azure.com`, or the emulator's origin. */
  baseUrl: string;
  /** The `.default` scope of this ARM. */
  scope: string;
  /** The identity (tenant, credential or emulator client credentials), shared with Graph. */
  identity: GraphSettings;
  /** Set by `PIM_ARM_BASE_URL` or `pim:armBaseUrl` (import records it in a new stack config). */
  overridden: string | null;
}

export function resolveArmSettings(
  config?: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
  declaredTenantId?: string,
): ArmSettings {
  const identity = resolveGraphSettings(config, env, declaredTenantId);
  const fromEnv = env["PIM_ARM_BASE_URL"];
  const overridden = fromEnv || config?.get("pim:armBaseUrl") || null;
  const where = fromEnv ? "PIM_ARM_BASE_URL" : "stack config pim:armBaseUrl";
  const raw = overridden ?? (identity.cloud ? identity.cloud.arm.baseUrl : identity.baseUrl);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new GraphConfigError(`ARM base URL "${raw}" is not a URL (${where})`);
  }
  const baseUrl = normalizeBaseUrl(parsed.toString());
  const endpoint = armEndpoint(baseUrl, identity.cloud);
  if (endpoint.kind === "emulator" && identity.cloud)
    throw new GraphConfigError(
      `ARM base URL ${baseUrl} (${where}) is not Azure Resource Manager, but Graph is ${identity.cloud.name}: ` +
        `point both at the emulator, or leave ${where} unset for the cloud's ARM (${identity.cloud.arm.baseUrl})`,
    );
  if (endpoint.kind === "microsoft" && !identity.cloud)
    throw new GraphConfigError(
      `ARM base URL ${baseUrl} (${where}) is Azure Resource Manager, but Graph is the emulator (${identity.baseUrl}): ` +
        `the emulator's client credentials are never sent to Azure; point both at the same place`,
    );
  if (endpoint.kind === "microsoft" && endpoint.cloud.authorityHost !== identity.cloud!.authorityHost)
    throw new GraphConfigError(
      `ARM base URL ${baseUrl} (${where}) is the ARM of ${endpoint.cloud.name}, but Graph is ${identity.cloud!.name}: ` +
        `one sign-in cannot serve two clouds; leave ${where} unset`,
    );
  return {
    baseUrl,
    scope: endpoint.kind === "microsoft" ? endpoint.cloud.arm.scope : EMULATOR_ARM_SCOPE,
    identity,
    overridden: overridden ? baseUrl : null,
  };
}
