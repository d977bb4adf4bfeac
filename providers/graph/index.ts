/**
 * The single Graph access layer. Only `providers/` and `scripts/` import it. Dynamic providers load it with
 * `require()` at call time (`projectModule` in each provider), so nothing of it is ever serialized.
 */
import {
  azureIdentityTokenProvider,
  clientCredentialsTokenProvider,
  credentialFor,
  GRAPH_SCOPE,
} from "./auth";
import { createGraphClient, type GraphApi, type GraphClientOptions } from "./client";
import {
  GraphConfigError,
  operationTimeoutMs,
  resolveGraphSettings,
  type ConfigSource,
  type GraphSettings,
} from "./config";
import { withDeadline } from "./deadline";
import type { TokenProvider } from "./middleware";
import { tenantBoundTokenProvider } from "./tenant";

export { GraphError, isGraphError, redact, registerSecret } from "./errors";
export {
  BearerMiddleware,
  RetryMiddleware,
  RETRY_STATUS,
  RETRY_STATUS_IF_REPEATABLE,
  MICROSOFT_GRAPH,
  type ServiceName,
  retryAfterMs,
  waitLine,
  type RetryInfo,
  type TokenProvider,
} from "./middleware";
export {
  azureIdentityTokenProvider,
  clientCredentialsTokenProvider,
  credentialFor,
  credentialSource,
  GRAPH_SCOPE,
} from "./auth";
export {
  armEndpoint,
  graphEndpoint,
  MICROSOFT_GRAPH_CLOUDS,
  type GraphEndpoint,
  type MicrosoftGraphCloud,
} from "./endpoints";
export { proxyEnvironment, proxyFor, type ProxyEnvironment } from "./proxy";
export { graphFetch, ProxyAwareHttpHandler, type TransportOptions } from "./transport";
export { currentDeadline, DeadlineExceededError, withDeadline, type OperationDeadline } from "./deadline";
export { GraphApi, createGraphClient, MAX_BATCH, retryOptions } from "./client";
export { networkMessage } from "./client";
export {
  assertTokenTenant,
  isTenantMismatch,
  tenantBoundTokenProvider,
  TenantMismatchError,
  tokenTenant,
} from "./tenant";
export type { BatchRequest, BatchResult, GraphClientOptions, GraphResponse, Page } from "./client";
export {
  resolveGraphSettings,
  operationTimeoutMs,
  GraphConfigError,
  GRAPH_BASE_URL,
  CREDENTIAL_KINDS,
  DEFAULT_OPERATION_TIMEOUT_S,
  type ConfigSource,
  type CredentialChoice,
  type GraphSettings,
} from "./config";

/** One client per distinct endpoint and identity in this process (token cache and connection reuse). */
const clients = new Map<string, GraphApi>();

/** Stack config handed over by a dynamic provider's `configure()`; process-wide, never serialized. */
let configSource: ConfigSource | undefined;

export function setConfigSource(config: ConfigSource | undefined): void {
  configSource = config;
}

/**
 * Runs one provider operation (`label`: `directoryRoleSchedule create`) within the overall deadline the stack
 * configures (`operationTimeoutMs`: env `PIM_OPERATION_TIMEOUT_SECONDS`, stack config `pim:operationTimeoutSeconds`,
 * default 600 s). Every wait and request of the Graph layer inside `fn` honours it (`deadline.ts`).
 */
export function withOperationDeadline<T>(label: string, fn: () => Promise<T>): Promise<T> {
  return withDeadline(label, operationTimeoutMs(configSource), fn);
}

/**
 * The Graph client for the current configuration (see `config.ts`), created on first use and reused while the
 * configuration stays the same. A rotated secret gives a new client.
 */
export function graphFromEnvironment(
  config: ConfigSource | undefined = configSource,
  overrides: Partial<GraphClientOptions> = {},
): GraphApi {
  return clientFor(resolveGraphSettings(config), overrides);
}

/**
 * The client the program reads through before it registers anything: same base URL, credentials and caches as the
 * providers', with tokens requested for and checked against `tenantId` (the declared `tenant.id`).
 */
export function graphForTenant(tenantId: string, config?: ConfigSource): GraphApi {
  return clientFor(resolveGraphSettings(config, process.env, tenantId));
}

function clientFor(s: GraphSettings, overrides: Partial<GraphClientOptions> = {}): GraphApi {
  const key = [settingsCacheKey(s), JSON.stringify(Object.keys(overrides))].join("|");
  let c = clients.get(key);
  if (!c) {
    c = createGraphClient({ baseUrl: s.baseUrl, tokenProvider: settingsTokenProvider(s), ...overrides });
    if (Object.keys(overrides).length === 0) clients.set(key, c);
  }
  return c;
}

/** What a cached client's key holds of `s`: the endpoint and identity (a rotated emulator secret gives a new one). */
export function settingsCacheKey(s: GraphSettings): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const secretTag = s.emulator
    ? createHash("sha256").update(s.emulator.clientSecret).digest("hex").slice(0, 12)
    : "";
  return [
    s.baseUrl,
    s.tenantId,
    s.credential ? JSON.stringify(s.credential) : "",
    s.emulator?.tenantId,
    s.emulator?.clientId,
    secretTag,
  ].join("|");
}

/**
 * The tokens of the identity `s` describes, for `scope` (default: the Graph cloud's `.default`; ARM asks for its
 * own), checked to be for the declared tenant before any request carries one (`tenant.ts`). `service` names the
 * token in that check's message.
 */
export function settingsTokenProvider(
  s: GraphSettings,
  scope: string = s.cloud?.scope ?? GRAPH_SCOPE,
  service = "Graph",
): TokenProvider {
  if (!s.tenantId) {
    throw new GraphConfigError(
      `no tenant to request ${service} tokens for: set stack config azuread:tenantId to the tenant's id (tenant.id in tenant.yaml)`,
    );
  }
  const source = s.emulator
    ? clientCredentialsTokenProvider({
        tokenUrl: s.emulator.tokenUrl,
        clientId: s.emulator.clientId,
        clientSecret: s.emulator.clientSecret,
        scope,
      })
    : azureIdentityTokenProvider(
        () => credentialFor(s.credential!, s.cloud!, s.tenantId!),
        s.tenantId,
        scope,
      );
  // No request leaves with a token for another tenant than the declared one (`tenant.ts`).
  return tenantBoundTokenProvider(source, s.tenantId, service);
}

/**
 * `$filter=<k eq v and …>`, URL-encoded: strings become OData literals (`'` doubled), booleans stay bare
 * (`securityEnabled eq true`).
 */
export function odataFilter(clauses: Record<string, string | boolean>): string {
  const text = Object.entries(clauses)
    .map(([k, v]) => `${k} eq ${typeof v === "boolean" ? String(v) : `'${v.replace(/'/g, "''")}'`}`)
    .join(" and ");
  return `$filter=${encodeURIComponent(text)}`;
}
