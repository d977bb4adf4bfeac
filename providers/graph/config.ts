/**
 * Where Graph is and how to authenticate, read at call time (never captured by a serialized provider, never an
 * input, never in state).
 *
 * Base URL: env `PIM_GRAPH_BASE_URL`, else stack config `pim:graphBaseUrl`, else https://graph.microsoft.com.
 * The environment wins so a test or benchmark can point one run at an emulator on a random port whatever the
 * stack file says.
 *
 * Any base URL other than Graph's is emulator mode: client credentials from `PIM_GRAPH_CLIENT_ID` and
 * `PIM_GRAPH_CLIENT_SECRET` against the emulator's token endpoint for tenant `PIM_GRAPH_TENANT_ID` (else stack
 * config `azuread:tenantId`). Against Graph itself: DefaultAzureCredential.
 *
 * Tenant: tokens are requested for, and checked against (`tenant.ts`), the declared tenant: the program passes
 * `tenant.id`; a provider takes stack config `azuread:tenantId`, which the program refuses to run without, equal
 * to `tenant.id`. In emulator mode without either, `PIM_GRAPH_TENANT_ID` (tests and benchmarks drive providers
 * directly).
 */

/** What `configure()` of a dynamic provider receives (`req.config`), reduced to the part we use. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export const GRAPH_BASE_URL = "https://graph.microsoft.com";

export interface GraphSettings {
  /** Without trailing slash and without the version. */
  baseUrl: string;
  /** The declared tenant: every token is requested for it and checked to be for it. Null: none is known. */
  tenantId: string | null;
  /** Client credentials for the emulator; null against Graph (DefaultAzureCredential). */
  emulator: { tenantId: string; clientId: string; clientSecret: string; tokenUrl: string } | null;
}

export class GraphConfigError extends Error {
  override readonly name: string = "GraphConfigError";
}

export function normalizeBaseUrl(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, "")
    .replace(/\/(v1\.0|beta)$/, "");
}

export function resolveGraphSettings(
  config?: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
  declaredTenantId?: string,
): GraphSettings {
  const raw = env["PIM_GRAPH_BASE_URL"] || config?.get("pim:graphBaseUrl") || GRAPH_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new GraphConfigError(
      `Graph base URL "${raw}" is not a URL (PIM_GRAPH_BASE_URL or pim:graphBaseUrl)`,
    );
  }
  const baseUrl = normalizeBaseUrl(parsed.toString());
  const declared = (declaredTenantId || config?.get("azuread:tenantId") || "").toLowerCase() || null;
  if (baseUrl === GRAPH_BASE_URL) return { baseUrl, tenantId: declared, emulator: null };
  // The tenant asked for a token: the environment's (a test may point it elsewhere), else the declared one.
  const tenantId = env["PIM_GRAPH_TENANT_ID"] || declared;
  const clientId = env["PIM_GRAPH_CLIENT_ID"];
  const clientSecret = env["PIM_GRAPH_CLIENT_SECRET"];
  const missing = [
    !tenantId && "PIM_GRAPH_TENANT_ID (or stack config azuread:tenantId)",
    !clientId && "PIM_GRAPH_CLIENT_ID",
    !clientSecret && "PIM_GRAPH_CLIENT_SECRET",
  ].filter(Boolean);
  if (missing.length) {
    throw new GraphConfigError(
      `Graph base URL ${baseUrl} is not Microsoft Graph, so the emulator's client credentials are needed; set ${missing.join(", ")}`,
    );
  }
  return {
    baseUrl,
    tenantId: declared ?? tenantId!.toLowerCase(),
    emulator: {
      tenantId: tenantId!,
      clientId: clientId!,
      clientSecret: clientSecret!,
      tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    },
  };
}
