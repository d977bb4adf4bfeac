/**
 * Token sources. Real tenants: `@azure/identity` DefaultAzureCredential (workload identity federation in CI,
 * `az login` on a laptop, managed identity on a runner). The emulator: the client-credentials flow against its
 * token endpoint (`<base>/<tenant>/oauth2/v2.0/token`), which `@azure/identity` refuses because it is not https.
 *
 * Nothing here is read at import time; secrets are registered for redaction the moment they are seen.
 */
import type { TokenCredential } from "@azure/identity";
import type { TokenProvider } from "./middleware";
import { GraphError, registerSecret } from "./errors";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/** Renew this long before the token expires. */
const EARLY_RENEWAL_MS = 5 * 60_000;

/**
 * Which credential a real-tenant run uses. Pulumi ESC's `azure-login` (and the azuread provider) speak `ARM_*`:
 * when `ARM_OIDC_TOKEN`, `ARM_CLIENT_ID` and `ARM_TENANT_ID` are set, the same federated token is used as a client
 * assertion, so one set of variables serves azuread and these providers. Otherwise DefaultAzureCredential
 * (`AZURE_*` workload identity, managed identity, `az login`, ...).
 */
export function credentialSource(env: NodeJS.ProcessEnv = process.env): "arm-oidc" | "default" {
  return env["ARM_OIDC_TOKEN"] && env["ARM_CLIENT_ID"] && env["ARM_TENANT_ID"] ? "arm-oidc" : "default";
}

/**
 * The credential for `tenantId`, the declared tenant: DefaultAzureCredential and the federated assertion both take
 * it, so a token is requested for that tenant whatever the environment's default is (the `tid` check in
 * `tenant.ts` then proves the answer is for it).
 */
function defaultCredential(tenantId: string | undefined): TokenCredential {
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  if (credentialSource() === "arm-oidc") {
    return new identity.ClientAssertionCredential(
      tenantId ?? process.env["ARM_TENANT_ID"]!,
      process.env["ARM_CLIENT_ID"]!,
      // Read at each token request: ESC and CI runners refresh the file/variable.
      async () => process.env["ARM_OIDC_TOKEN"] ?? "",
    );
  }
  return new identity.DefaultAzureCredential(tenantId ? { tenantId } : {});
}

/**
 * A token provider over any `@azure/identity` credential (see `credentialSource` when none is given), asking for a
 * token of `tenantId` when one is given.
 */
export function azureIdentityTokenProvider(credential?: TokenCredential, tenantId?: string): TokenProvider {
  let cred = credential;
  return async () => {
    cred ??= defaultCredential(tenantId);
    const t = await cred.getToken(GRAPH_SCOPE, tenantId ? { tenantId } : undefined);
    if (!t?.token)
      throw new Error("@azure/identity returned no token for https://graph.microsoft.com/.default");
    registerSecret(t.token);
    return t.token;
  };
}

export interface ClientCredentialsOptions {
  /** `<base>/<tenant>/oauth2/v2.0/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
  fetch?: typeof fetch;
}

/** Client credentials (emulator mode), cached until five minutes before expiry. */
export function clientCredentialsTokenProvider(opts: ClientCredentialsOptions): TokenProvider {
  registerSecret(opts.clientSecret);
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  const fetchToken = async (): Promise<string> => {
    const doFetch = opts.fetch ?? fetch;
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      scope: GRAPH_SCOPE,
    });
    let res: Response;
    try {
      res = await doFetch(opts.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    } catch (e) {
      throw new GraphError({
        status: 0,
        code: "NetworkError",
        message: `token endpoint unreachable: ${(e as Error).message}`,
        method: "POST",
        path: opts.tokenUrl,
        cause: e,
      });
    }
    const text = await res.text();
    let json: { access_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
    try {
      json = JSON.parse(text);
    } catch {
      // handled below
    }
    if (!res.ok || !json.access_token) {
      throw new GraphError({
        status: res.status,
        code: json.error ?? `HttpError${res.status}`,
        message: json.error_description ?? text.slice(0, 300),
        requestId: res.headers.get("x-ms-request-id") ?? res.headers.get("request-id"),
        method: "POST",
        path: opts.tokenUrl,
      });
    }
    registerSecret(json.access_token);
    cached = { token: json.access_token, expiresAt: now() + (json.expires_in ?? 3600) * 1000 };
    return json.access_token;
  };
  return async () => {
    if (cached && cached.expiresAt - EARLY_RENEWAL_MS > now()) return cached.token;
    // Concurrent requests share one token request.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  };
}
