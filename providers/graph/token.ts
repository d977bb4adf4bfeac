/**
 * What an access token says about itself, read without verifying it (the signature is Entra's business and Graph
 * checks it): which tenant it is for (`tenant.ts`), and whether it is an application's or a signed-in person's, of
 * which client app (`permissions.ts`, to say which kind of permission a 403 lacks).
 */

/** The claims of a JWT access token; null when the token is not a readable JWT. */
export function tokenClaims(token: string): Record<string, unknown> | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    return claims && typeof claims === "object" && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The Azure CLI's first-party client id: its Graph tokens cannot carry the PIM permissions. */
export const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

export interface TokenIdentity {
  /** `delegated`: a person signed in to a client app (`scp`); `application`: an app alone (`roles`). */
  kind: "application" | "delegated" | "unknown";
  /** The client app (`appid`, v1 tokens; `azp`, v2). */
  clientId: string | null;
}

export function tokenIdentity(token: string | null | undefined): TokenIdentity {
  const c = token ? tokenClaims(token) : null;
  if (!c) return { kind: "unknown", clientId: null };
  const clientId =
    typeof c["appid"] === "string" ? c["appid"] : typeof c["azp"] === "string" ? c["azp"] : null;
  const kind =
    typeof c["scp"] === "string" || c["idtyp"] === "user"
      ? "delegated"
      : Array.isArray(c["roles"]) || c["idtyp"] === "app"
        ? "application"
        : "unknown";
  return { kind, clientId: clientId?.toLowerCase() ?? null };
}
