/**
 * Where Graph is and how to authenticate, read at call time (never captured by a serialized provider, never an
 * input, never in state).
 *
 * Base URL: env `PIM_GRAPH_BASE_URL`, else stack config `pim:graphBaseUrl`, else https://graph.microsoft.com.
 * The environment wins so a test or benchmark can point one run at an emulator on a random port whatever the
 * stack file says. What the URL is — a Microsoft Graph (global or national cloud) or the emulator — is decided in
 * one place, `endpoints.ts`.
 *
 * Against a Microsoft Graph, tokens come from `@azure/identity` (`auth.ts`) with the credential chosen by env
 * `PIM_GRAPH_CREDENTIAL`, else stack config `pim:credential`: `default` (CI: workload identity federation, a
 * managed identity, Pulumi ESC's `ARM_*`), `device-code` or `browser` (a person on a laptop, signed in to the
 * deployer app registration `pim:clientId`, else env `AZURE_CLIENT_ID`).
 *
 * The emulator: client credentials from `PIM_GRAPH_CLIENT_ID` and `PIM_GRAPH_CLIENT_SECRET` against its token
 * endpoint for tenant `PIM_GRAPH_TENANT_ID` (else stack config `azuread:tenantId`).
 *
 * Tenant: tokens are requested for, and checked against (`tenant.ts`), the declared tenant: the program passes
 * `tenant.id`; a provider takes stack config `azuread:tenantId`, which the program refuses to run without, equal
 * to `tenant.id`. In emulator mode without either, `PIM_GRAPH_TENANT_ID` (tests and benchmarks drive providers
 * directly).
 */
import { GraphConfigError } from "./configError";
import { GLOBAL_GRAPH, graphEndpoint, type MicrosoftGraphCloud } from "./endpoints";

export { GraphConfigError } from "./configError";

/** What `configure()` of a dynamic provider receives (`req.config`), reduced to the part we use. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export const GRAPH_BASE_URL = GLOBAL_GRAPH.baseUrl;

/** How a person or a pipeline signs in to a Microsoft Graph (never used for the emulator). */
export type CredentialChoice =
  { kind: "default" } | { kind: "device-code" | "browser"; clientId: string; source: string };

export const CREDENTIAL_KINDS = ["default", "device-code", "browser"] as const;

export interface GraphSettings {
  /** Without trailing slash and without the version. */
  baseUrl: string;
  /** The declared tenant: every token is requested for it and checked to be for it. Null: none is known. */
  tenantId: string | null;
  /** The Microsoft Graph cloud the base URL names; null for the emulator. */
  cloud: MicrosoftGraphCloud | null;
  /** Against a Microsoft Graph: how tokens are obtained. Null for the emulator. */
  credential: CredentialChoice | null;
  /** Client credentials for the emulator; null against a Microsoft Graph. */
  emulator: { tenantId: string; clientId: string; clientSecret: string; tokenUrl: string } | null;
}

export function normalizeBaseUrl(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, "")
    .replace(/\/(v1\.0|beta)$/, "");
}

function credentialChoice(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): CredentialChoice {
  const fromEnv = env["PIM_GRAPH_CREDENTIAL"];
  const kind = (fromEnv || config?.get("pim:credential") || "default").trim();
  const where = fromEnv ? "PIM_GRAPH_CREDENTIAL" : "stack config pim:credential";
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(kind)) {
    throw new GraphConfigError(
      `${where} is "${kind}"; it must be one of ${CREDENTIAL_KINDS.join(", ")} (README.md, "Where credentials come from")`,
    );
  }
  if (kind === "default") return { kind: "default" };
  const fromConfig = config?.get("pim:clientId");
  const clientId = (fromConfig || env["AZURE_CLIENT_ID"] || "").trim();
  if (!clientId) {
    throw new GraphConfigError(
      `${where} is ${kind}: set stack config pim:clientId (or AZURE_CLIENT_ID) to the application (client) id of ` +
        `the deployer app registration you sign in to (README.md, "Signing in as a person")`,
    );
  }
  return {
    kind: kind as "device-code" | "browser",
    clientId,
    source: fromConfig ? "stack config pim:clientId" : "AZURE_CLIENT_ID",
  };
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
  const endpoint = graphEndpoint(baseUrl);
  if (endpoint.kind === "microsoft") {
    return {
      baseUrl,
      tenantId: declared,
      cloud: endpoint.cloud,
      credential: credentialChoice(config, env),
      emulator: null,
    };
  }
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
    cloud: null,
    credential: null,
    emulator: {
      tenantId: tenantId!,
      clientId: clientId!,
      clientSecret: clientSecret!,
      tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    },
  };
}

/** Default overall deadline of one provider operation (create, read, update, delete): ten minutes. */
export const DEFAULT_OPERATION_TIMEOUT_S = 600;

/**
 * The overall deadline of one provider operation, in milliseconds: env `PIM_OPERATION_TIMEOUT_SECONDS`, else stack
 * config `pim:operationTimeoutSeconds`, else ten minutes — long enough for a few throttling waits (Graph asks for
 * seconds to a few minutes) and the settings read-back, short enough that a stuck run ends with a message.
 */
export function operationTimeoutMs(config?: ConfigSource, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env["PIM_OPERATION_TIMEOUT_SECONDS"];
  const raw = fromEnv || config?.get("pim:operationTimeoutSeconds");
  if (raw === undefined || raw === "") return DEFAULT_OPERATION_TIMEOUT_S * 1000;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw new GraphConfigError(
      `${fromEnv ? "PIM_OPERATION_TIMEOUT_SECONDS" : "stack config pim:operationTimeoutSeconds"} is "${raw}"; ` +
        `give a whole number of seconds between 1 and 86400 (default ${DEFAULT_OPERATION_TIMEOUT_S})`,
    );
  }
  return seconds * 1000;
}
