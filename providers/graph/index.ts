/**
 * The single Graph access layer. Only `providers/` and `scripts/` import it. Dynamic providers load it with
 * `require()` at call time (`projectModule` in each provider), so nothing of it is ever serialized.
 */
import { clientCredentialsTokenProvider } from "./auth";
import { createGraphClient, type GraphApi, type GraphClientOptions } from "./client";
import { resolveGraphSettings, type ConfigSource } from "./config";

export { GraphError, isGraphError, redact, registerSecret } from "./errors";
export {
  BearerMiddleware,
  RetryMiddleware,
  RETRY_STATUS,
  retryAfterMs,
  type TokenProvider,
} from "./middleware";
export {
  azureIdentityTokenProvider,
  clientCredentialsTokenProvider,
  credentialSource,
  GRAPH_SCOPE,
} from "./auth";
export { GraphApi, createGraphClient, MAX_BATCH } from "./client";
export type { BatchRequest, BatchResult, GraphClientOptions, GraphResponse, Page } from "./client";
export {
  resolveGraphSettings,
  GraphConfigError,
  GRAPH_BASE_URL,
  type ConfigSource,
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
 * The Graph client for the current configuration (see `config.ts`), created on first use and reused while the
 * configuration stays the same. A rotated secret gives a new client.
 */
export function graphFromEnvironment(
  config: ConfigSource | undefined = configSource,
  overrides: Partial<GraphClientOptions> = {},
): GraphApi {
  const s = resolveGraphSettings(config);
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const secretTag = s.emulator
    ? createHash("sha256").update(s.emulator.clientSecret).digest("hex").slice(0, 12)
    : "";
  const key = [
    s.baseUrl,
    s.emulator?.tenantId,
    s.emulator?.clientId,
    secretTag,
    JSON.stringify(Object.keys(overrides)),
  ].join("|");
  let c = clients.get(key);
  if (!c) {
    c = createGraphClient({
      baseUrl: s.baseUrl,
      ...(s.emulator
        ? {
            tokenProvider: clientCredentialsTokenProvider({
              tokenUrl: s.emulator.tokenUrl,
              clientId: s.emulator.clientId,
              clientSecret: s.emulator.clientSecret,
            }),
          }
        : {}),
      ...overrides,
    });
    if (Object.keys(overrides).length === 0) clients.set(key, c);
  }
  return c;
}

/** Quotes a value for an OData `$filter` literal (`'` doubled) and URL-encodes the whole filter. */
export function odataFilter(clauses: Record<string, string>): string {
  const text = Object.entries(clauses)
    .map(([k, v]) => `${k} eq '${v.replace(/'/g, "''")}'`)
    .join(" and ");
  return `$filter=${encodeURIComponent(text)}`;
}
