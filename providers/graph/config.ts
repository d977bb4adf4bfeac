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
 */

/** What `configure()` of a dynamic provider receives (`req.config`), reduced to the part we use. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export const GRAPH_BASE_URL = "https://graph.microsoft.com";

export interface GraphSettings {
  /** Without trailing slash and without the version. */
  baseUrl: string;
  /** Client credentials for the emulator; null against Graph (DefaultAzureCredential). */
  emulator: { tenantId: string; clientId: string; clientSecret: string; tokenUrl: string } | null;
}

export class GraphConfigError extends Error {
  override readonly name = "GraphConfigError";
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
  if (baseUrl === GRAPH_BASE_URL) return { baseUrl, emulator: null };
  const tenantId = env["PIM_GRAPH_TENANT_ID"] || config?.get("azuread:tenantId");
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
    emulator: {
      tenantId: tenantId!,
      clientId: clientId!,
      clientSecret: clientSecret!,
      tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    },
  };
}
