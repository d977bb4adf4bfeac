/**
 * Token sources. Real tenants: `@azure/identity`, with the credential the configuration chooses (`config.ts`):
 * `default` — Pulumi ESC's / the azuread provider's `ARM_*` federated token when set, else DefaultAzureCredential
 * (workload identity federation in CI, a managed identity on a runner); `device-code` or `browser` — a person
 * signing in to the deployer app registration, which is how a laptop gets a token that carries the PIM permissions.
 *
 * Why not `az login`: the Azure CLI signs in as its own first-party app, whose Graph token lacks the PIM scopes, and
 * Graph answers `PermissionScopeNotGranted` (terraform-provider-azuread#1727, #1234; Azure/azure-cli#26471). The
 * default chain still includes the Azure CLI (it works for the directory reads), but the README's laptop path is
 * `device-code` or `browser`, and a 403 says so (`permissions.ts`).
 *
 * The emulator: the client-credentials flow against its token endpoint (`<base>/<tenant>/oauth2/v2.0/token`), which
 * `@azure/identity` refuses because it is not https.
 *
 * Nothing here is read at import time; secrets are registered for redaction the moment they are seen.
 */
import type { TokenCredential } from "@azure/identity";
import type { CredentialChoice } from "./config";
import { GLOBAL_GRAPH, type MicrosoftGraphCloud } from "./endpoints";
import type { TokenProvider } from "./middleware";
import { GraphError, registerSecret } from "./errors";
import { graphFetch } from "./transport";

/** The global service's `.default` scope (the emulator accepts it too); national clouds use their own. */
export const GRAPH_SCOPE = GLOBAL_GRAPH.scope;

/** Renew this long before the token expires. */
const EARLY_RENEWAL_MS = 5 * 60_000;

/**
 * Which credential a `default` run uses. Pulumi ESC's `azure-login` (and the azuread provider) speak `ARM_*`:
 * when `ARM_OIDC_TOKEN`, `ARM_CLIENT_ID` and `ARM_TENANT_ID` are set, the same federated token is used as a client
 * assertion, so one set of variables serves azuread and these providers. Otherwise DefaultAzureCredential
 * (`AZURE_*` workload identity, managed identity, ...).
 */
export function credentialSource(env: NodeJS.ProcessEnv = process.env): "arm-oidc" | "default" {
  return env["ARM_OIDC_TOKEN"] && env["ARM_CLIENT_ID"] && env["ARM_TENANT_ID"] ? "arm-oidc" : "default";
}

/** Where a person is told what to do to sign in (the device code): stderr, shown by Pulumi as a message of the run. */
const tellUser = (line: string) => void process.stderr.write(`${line}\n`);

/**
 * The `@azure/identity` credential for `choice` in `cloud`, for `tenantId` (the declared tenant): every kind takes
 * it, so a token is requested for that tenant whatever the environment's default is (the `tid` check in `tenant.ts`
 * then proves the answer is for it). `identity` is injectable for tests.
 */
export function credentialFor(
  choice: CredentialChoice,
  cloud: MicrosoftGraphCloud,
  tenantId: string | undefined,
  identity: typeof import("@azure/identity") = require("@azure/identity") as typeof import("@azure/identity"),
  env: NodeJS.ProcessEnv = process.env,
): TokenCredential {
  const authorityHost = cloud.authorityHost;
  switch (choice.kind) {
    case "device-code":
      return new identity.DeviceCodeCredential({
        tenantId,
        clientId: choice.clientId,
        authorityHost,
        userPromptCallback: (info) =>
          tellUser(`pim: sign in to ${cloud.name} for tenant ${tenantId}: ${info.message}`),
      });
    case "browser":
      // The app registration needs the redirect URI http://localhost (platform "Mobile and desktop applications").
      return new identity.InteractiveBrowserCredential({
        tenantId,
        clientId: choice.clientId,
        authorityHost,
        redirectUri: "http://localhost",
      });
    case "default":
      if (credentialSource(env) === "arm-oidc") {
        return new identity.ClientAssertionCredential(
          tenantId ?? env["ARM_TENANT_ID"]!,
          env["ARM_CLIENT_ID"]!,
          // Read at each token request: ESC and CI runners refresh the file/variable.
          async () => env["ARM_OIDC_TOKEN"] ?? "",
          { authorityHost },
        );
      }
      return new identity.DefaultAzureCredential({ ...(tenantId ? { tenantId } : {}), authorityHost });
  }
}

/**
 * A token provider over an `@azure/identity` credential (or a function making one on first use; DefaultAzureCredential
 * of the global cloud when none is given), asking for `scope` (the cloud's `.default`) for `tenantId` when given.
 */
export function azureIdentityTokenProvider(
  credential?: TokenCredential | (() => TokenCredential),
  tenantId?: string,
  scope: string = GRAPH_SCOPE,
): TokenProvider {
  let cred: TokenCredential | undefined;
  return async () => {
    cred ??=
      typeof credential === "function"
        ? credential()
        : (credential ?? credentialFor({ kind: "default" }, GLOBAL_GRAPH, tenantId));
    const t = await cred.getToken(scope, tenantId ? { tenantId } : undefined);
    if (!t?.token) throw new Error(`@azure/identity returned no token for ${scope}`);
    registerSecret(t.token);
    return t.token;
  };
}

export interface ClientCredentialsOptions {
  /** `<base>/<tenant>/oauth2/v2.0/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The `.default` scope asked for: Graph's (default), or ARM's for the emulator's ARM routes. */
  scope?: string;
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
    const doFetch = opts.fetch ?? ((url: string, init?: RequestInit) => graphFetch(url, init));
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      scope: opts.scope ?? GRAPH_SCOPE,
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
