/**
 * The declared tenant, and only it. Every token this layer obtains is checked against the tenant the stack
 * declares (`tenant.id` in tenant.yaml, which the program also requires stack config `azuread:tenantId` to equal)
 * before any request carries it: a credential that points at another tenant (a stale sign-in, a CI variable of
 * another environment) fails here, naming both tenants, instead of changing the wrong directory.
 *
 * The claim is read, not verified: the signature is Entra's business and Graph checks it. What matters here is
 * which tenant the token is *for*, and a token we cannot read that from is refused rather than trusted.
 */
import { GraphConfigError } from "./config";
import type { TokenProvider } from "./middleware";
import { tokenClaims } from "./token";

export class TenantMismatchError extends GraphConfigError {
  override readonly name = "TenantMismatchError";
}

/** The `tid` claim of a JWT access token, lower-cased; null when the token is not a readable JWT or has none. */
export function tokenTenant(token: string): string | null {
  const tid = tokenClaims(token)?.["tid"];
  return typeof tid === "string" && tid ? tid.toLowerCase() : null;
}

/** Throws `TenantMismatchError` unless `token` is for `expected`; `service` names the token (`Graph`, `ARM`). */
export function assertTokenTenant(token: string, expected: string, service = "Graph"): void {
  const tid = tokenTenant(token);
  const want = expected.trim().toLowerCase();
  if (tid === want) return;
  const fix =
    `Sign in to tenant ${want} (on a laptop: pim:credential device-code or browser; in CI: ARM_TENANT_ID or AZURE_TENANT_ID of the ` +
    `deployment identity), or correct tenant.id in tenant.yaml and azuread:tenantId in the stack file.`;
  throw new TenantMismatchError(
    tid === null
      ? `the ${service} access token has no readable tenant claim (tid), so it cannot be shown to be for the declared tenant ${want}; nothing was sent with it. ${fix}`
      : `the ${service} access token is for tenant ${tid}, but this stack declares tenant ${want}; nothing was sent with it. ${fix}`,
  );
}

/** Wraps a token source so that no request is ever sent with a token for another tenant (checked once per token). */
export function tenantBoundTokenProvider(
  inner: TokenProvider,
  expected: string,
  service = "Graph",
): TokenProvider {
  let checked: string | undefined;
  return async () => {
    const token = await inner();
    if (token !== checked) {
      assertTokenTenant(token, expected, service);
      checked = token;
    }
    return token;
  };
}

export function isTenantMismatch(e: unknown): e is TenantMismatchError {
  return e instanceof Error && e.name === "TenantMismatchError";
}
