// Tokens and permissions. The token endpoint mimics the Microsoft identity platform's v2.0
// client-credentials flow closely enough for a Graph client; tokens are HMAC-SHA256 JWTs signed with
// a per-process key (no real key material, nothing secret-looking). Graph checks the least-privileged
// permission per operation (graph-pim.md §6); `PERMISSIONS` below is that table.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { GraphError, accessDenied } from "./errors";
import type { EmulatorState, ServicePrincipal, User } from "./state";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";
/** Azure Resource Manager's two resource URIs; a token's `aud` is the one it was requested for. */
export const ARM_AUDIENCES = [
  "https://management.azure.com/",
  "https://management.core.windows.net/",
] as const;
export type Audience = "graph" | "arm";

/** The audience a `.default` scope asks for, or null for a resource this emulator does not serve. */
export function audienceOfScope(scope: string): string | null {
  for (const s of scope.split(" ")) {
    if (s === "https://graph.microsoft.com/.default" || s === "00000003-0000-0000-c000-000000000000/.default")
      return GRAPH_AUDIENCE;
    const arm = ARM_AUDIENCES.find((a) => s === `${a}.default` || s === `${a}/.default`);
    if (arm) return arm;
  }
  return null;
}

const isArmAudience = (aud: unknown): boolean =>
  typeof aud === "string" && ARM_AUDIENCES.some((a) => aud === a || aud === a.slice(0, -1));
const isGraphAudience = (aud: unknown): boolean =>
  aud === GRAPH_AUDIENCE || aud === "00000003-0000-0000-c000-000000000000";

/** Thrown by `TokenSigner.verify` for a valid token issued for the other API (Graph vs ARM). */
export class WrongAudience extends Error {
  constructor(readonly audience: string) {
    super(`token audience ${audience}`);
  }
}

/** Who is calling, as derived from the bearer token. */
export interface Caller {
  kind: "app" | "user";
  /** Application (client) id of the calling app. */
  appId: string;
  appDisplayName: string;
  servicePrincipalId: string | null;
  /** For user tokens: the signed-in user. */
  user: User | null;
  /** App permissions (`roles`) or delegated scopes (`scp`). */
  permissions: Set<string>;
  amr: string[];
  acrs: string[];
  /** True when --no-auth synthesised this caller. */
  unchecked: boolean;
}

/**
 * Least-privileged first, then the higher permissions Graph also accepts (graph-pim.md §6; directory
 * objects from the users/groups/servicePrincipals permission tables). The same names serve as app
 * roles and delegated scopes: Graph uses identical names for both in this area.
 */
export const PERMISSIONS = {
  "users.read": [
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  "groups.read": [
    "GroupMember.Read.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  "groups.write": ["Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  "groups.members.write": ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  // Creating a role-assignable group additionally needs RoleManagement.ReadWrite.Directory (group-post-groups doc).
  "groups.roleAssignable.create": ["RoleManagement.ReadWrite.Directory"],
  "applications.read": [
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  "administrativeUnits.read": [
    "AdministrativeUnit.Read.All",
    "AdministrativeUnit.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  "organization.read": [
    "Organization.Read.All",
    "Organization.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "User.Read.All",
  ],
  // `GET /directoryObjects/{id}` and `POST /directoryObjects/getByIds`: their pages list Directory.Read.All alone,
  // application and delegated, with no smaller permission (User.Read.All or Group.Read.All do not do);
  // Directory.ReadWrite.All includes it.
  "directoryObjects.read": ["Directory.Read.All", "Directory.ReadWrite.All"],
  "roleDefinitions.read": [
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
  ],
  // §6 lists RoleManagementPolicy.Read.Directory as least for delegated; PERM names RoleManagement.Read.Directory for apps. Accept both.
  "policies.directory.read": [
    "RoleManagementPolicy.Read.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagementPolicy.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  // Only the policy permission: the docs list RoleManagement.ReadWrite.Directory as higher, PERM says app-only
  // "Not supported", and an app that held Global Administrator got 403 until it was granted
  // RoleManagementPolicy.ReadWrite.Directory (§6 OBS 2026). The safer, narrower choice (README).
  "policies.directory.write": ["RoleManagementPolicy.ReadWrite.Directory"],
  "policies.group.read": [
    "RoleManagementPolicy.Read.AzureADGroup",
    "RoleManagementPolicy.ReadWrite.AzureADGroup",
  ],
  "policies.group.write": ["RoleManagementPolicy.ReadWrite.AzureADGroup"],
  "roleEligibilityRequests.write": [
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  // Removal-only scopes (`.Remove.`) are accepted for adminRemove/selfDeactivate only [UNSURE per §6].
  "roleEligibilityRequests.remove": [
    "RoleEligibilitySchedule.Remove.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  "roleAssignmentRequests.write": [
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  "roleAssignmentRequests.remove": [
    "RoleAssignmentSchedule.Remove.Directory",
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  // Listing requests needs the ReadWrite scope (PERM; app-only RoleManagement.Read.Directory was removed in 2022).
  "roleEligibilityRequests.read": [
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  "roleAssignmentRequests.read": [
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  "roleEligibilitySchedules.read": [
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
  ],
  "roleAssignmentSchedules.read": [
    "RoleAssignmentSchedule.Read.Directory",
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
  ],
  "groupEligibility.write": [
    "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
    "PrivilegedAccess.ReadWrite.AzureADGroup",
  ],
  "groupEligibility.remove": [
    "PrivilegedEligibilitySchedule.Remove.AzureADGroup",
    "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
    "PrivilegedAccess.ReadWrite.AzureADGroup",
  ],
  "groupEligibility.read": [
    "PrivilegedEligibilitySchedule.Read.AzureADGroup",
    "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
    "PrivilegedAccess.Read.AzureADGroup",
    "PrivilegedAccess.ReadWrite.AzureADGroup",
  ],
  "groupAssignment.write": [
    "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    "PrivilegedAccess.ReadWrite.AzureADGroup",
  ],
  "groupAssignment.remove": [
    "PrivilegedAssignmentSchedule.Remove.AzureADGroup",
    "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    "PrivilegedAccess.ReadWrite.AzureADGroup",
  ],
  "groupAssignment.read": [
    "PrivilegedAssignmentSchedule.Read.AzureADGroup",
    "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    "PrivilegedAccess.Read.AzureADGroup",
    "PrivilegedAccess.ReadWrite.AzureADGroup",
  ],
  // Directory.Read.All alone is refused with Authentication_MSGraphPermissionMissing (docs-contrib #8997 OBS).
  "audit.read": ["AuditLog.Read.All"],
  // conditionalaccessroot-list-policies / conditionalaccesspolicy-get: Policy.Read.All, nothing higher listed.
  "conditionalAccess.read": ["Policy.Read.All"],
  // authenticationcontextclassreference-list/-get: Policy.Read.ConditionalAccess least.
  "authenticationContexts.read": [
    "Policy.Read.ConditionalAccess",
    "Policy.Read.All",
    "Policy.ReadWrite.ConditionalAccess",
  ],
  // rbacapplication-list-roleassignments / unifiedroleassignment-get.
  "roleAssignments.read": [
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  // rbacapplication-post-roleassignments / unifiedroleassignment-delete.
  "roleAssignments.write": ["RoleManagement.ReadWrite.Directory"],
} as const satisfies Record<string, readonly string[]>;

export type PermissionKey = keyof typeof PERMISSIONS;

/**
 * Which Graph service answers an operation: each writes its own 403 body when a permission is missing.
 * Directory objects answer like Azure AD Graph; the PIM service wraps its own JSON in `UnknownError`
 * (graph-pim.md §5, terraform-provider-azuread#1386, microsoft-graph-docs#22292); the reporting service and
 * Conditional Access have their own codes (microsoft-graph-explorer-v4#3165, AlexFilipin/ConditionalAccess#10).
 */
function serviceOf(key: PermissionKey): "directory" | "pim" | "audit" | "conditionalAccess" {
  if (key === "audit.read") return "audit";
  if (key === "conditionalAccess.read" || key === "authenticationContexts.read") return "conditionalAccess";
  if (
    key.startsWith("policies.") ||
    key.startsWith("roleEligibility") ||
    key.startsWith("roleAssignmentRequests") ||
    key.startsWith("roleAssignmentSchedules") ||
    key.startsWith("groupEligibility") ||
    key.startsWith("groupAssignment")
  )
    return "pim";
  return "directory";
}

/** The 403 Graph sends when the token lacks every permission Graph accepts for `key`. */
export function missingPermission(key: PermissionKey): GraphError {
  const accepted = PERMISSIONS[key];
  switch (serviceOf(key)) {
    case "pim":
      return new GraphError(
        403,
        "UnknownError",
        JSON.stringify({
          errorCode: "PermissionScopeNotGranted",
          message: `Authorization failed due to missing permission scope ${accepted.join(",")}.`,
          instanceAnnotations: [],
        }),
      );
    case "audit":
      return new GraphError(
        403,
        "Authentication_MSGraphPermissionMissing",
        `Calling principal does not have required MSGraph permissions ${accepted[0]}`,
      );
    case "conditionalAccess":
      return new GraphError(
        403,
        "AccessDenied",
        "You cannot perform the requested operation, required scopes are missing in the token.",
      );
    default:
      return accessDenied();
  }
}

/** Throw Graph's 403 unless the caller holds one of the permissions Graph accepts for `key`. */
export function requirePermission(caller: Caller, key: PermissionKey): void {
  if (caller.unchecked) return;
  for (const p of PERMISSIONS[key]) if (caller.permissions.has(p)) return;
  throw missingPermission(key);
}

/** Delegated scopes a `userToken()` carries unless the test asks for others. */
export const DEFAULT_USER_SCOPES = [
  "User.Read.All",
  "Group.Read.All",
  "RoleManagement.Read.Directory",
  "RoleManagementPolicy.Read.Directory",
  "RoleEligibilitySchedule.Read.Directory",
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleEligibilitySchedule.ReadWrite.Directory",
  "RoleManagementPolicy.Read.AzureADGroup",
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
];

// ------------------------------------------------------------------ JWT

export class TokenSigner {
  private readonly key: Buffer;
  /** Verified tokens (the same bearer token arrives thousands of times in a run). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JWT claims are whatever the token carries; each claim is checked where it is read
  private readonly verified = new Map<string, Record<string, any>>();
  constructor(key?: Buffer) {
    this.key = key ?? randomBytes(32);
  }

  sign(claims: Record<string, unknown>): string {
    const header = b64(JSON.stringify({ typ: "JWT", alg: "HS256", kid: "pim-emulator" }));
    const body = b64(JSON.stringify(claims));
    const sig = createHmac("sha256", this.key).update(`${header}.${body}`).digest("base64url");
    return `${header}.${body}.${sig}`;
  }

  /** Returns the claims or throws the 401 Graph gives for that failure. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JWT claims are whatever the token carries; each claim is checked where it is read
  verify(token: string, audience: Audience = "graph"): Record<string, any> {
    const hit = this.verified.get(token);
    const claims =
      hit && hit.exp * 1000 >= Date.now() && hit.nbf * 1000 <= Date.now() ? hit : this.verifyUncached(token);
    if (claims !== hit) {
      if (this.verified.size > 1000) this.verified.clear();
      this.verified.set(token, claims);
    }
    // Graph refuses ARM tokens and ARM refuses Graph tokens: each API checks `aud` against its own URIs.
    if (!(audience === "graph" ? isGraphAudience(claims.aud) : isArmAudience(claims.aud))) {
      if (audience === "graph") throw invalidToken("Access token validation failure. Invalid audience.");
      throw new WrongAudience(String(claims.aud));
    }
    return claims;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JWT claims are whatever the token carries; each claim is checked where it is read
  private verifyUncached(token: string): Record<string, any> {
    const parts = token.split(".");
    if (parts.length !== 3) throw invalidToken("IDX14100: JWT is not well formed, there are no dots (.).");
    const [h, b, s] = parts as [string, string, string];
    const expected = createHmac("sha256", this.key).update(`${h}.${b}`).digest();
    const got = Buffer.from(s, "base64url");
    if (got.length !== expected.length || !timingSafeEqual(got, expected))
      throw invalidToken("Access token validation failure. Invalid signature.");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JWT claims are whatever the token carries; each claim is checked where it is read
    let claims: Record<string, any>;
    try {
      claims = JSON.parse(Buffer.from(b, "base64url").toString("utf8"));
    } catch {
      throw invalidToken("Access token validation failure.");
    }
    if (!isGraphAudience(claims.aud) && !isArmAudience(claims.aud))
      throw invalidToken("Access token validation failure. Invalid audience.");
    // Token lifetime uses the host clock, not the emulator clock (see clock.ts).
    if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now())
      throw invalidToken("Lifetime validation failed, the token is expired.");
    // A token used before its `nbf` is refused like an expired one (no clock-skew allowance: safer).
    if (typeof claims.nbf !== "number" || claims.nbf * 1000 > Date.now())
      throw invalidToken("Lifetime validation failed, the token is not yet valid.");
    return claims;
  }
}

function b64(s: string): string {
  return Buffer.from(s).toString("base64url");
}

export function invalidToken(message: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, {
    "WWW-Authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  });
}

const TOKEN_LIFETIME_S = 3599;

export function appTokenClaims(
  state: EmulatorState,
  sp: ServicePrincipal,
  aud: string = GRAPH_AUDIENCE,
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud,
    iss: `https://sts.windows.net/${state.tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_S,
    app_displayname: sp.displayName,
    appid: sp.appId,
    appidacr: "1",
    idp: `https://sts.windows.net/${state.tenant.id}/`,
    idtyp: "app",
    oid: sp.id,
    // Graph app permissions are Graph's; an ARM token carries none (Azure RBAC decides there).
    roles: aud === GRAPH_AUDIENCE ? [...sp._permissions] : [],
    sub: sp.id,
    tid: state.tenant.id,
    ver: "1.0",
  };
}

export function userTokenClaims(
  state: EmulatorState,
  user: User,
  client: ServicePrincipal | undefined,
  opts: { mfa?: boolean; authContexts?: string[]; scopes?: string[]; notBefore?: Date; audience?: Audience },
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: opts.audience === "arm" ? ARM_AUDIENCES[0] : GRAPH_AUDIENCE,
    iss: `https://sts.windows.net/${state.tenant.id}/`,
    iat: now,
    // `notBefore` exists for tests of the 401 a token gets before its validity starts.
    nbf: opts.notBefore ? Math.floor(opts.notBefore.getTime() / 1000) : now,
    exp: now + TOKEN_LIFETIME_S,
    // `acrs` carries satisfied authentication contexts (c1…c99); `amr` carries "mfa" after an MFA challenge.
    acrs: opts.authContexts ?? [],
    amr: opts.mfa ? ["pwd", "mfa"] : ["pwd"],
    app_displayname: client?.displayName ?? "Microsoft Graph Command Line Tools",
    appid: client?.appId ?? "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    idtyp: "user",
    name: user.displayName,
    oid: user.id,
    scp: opts.audience === "arm" ? "user_impersonation" : (opts.scopes ?? DEFAULT_USER_SCOPES).join(" "),
    sub: user.id,
    tid: state.tenant.id,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    ver: "1.0",
  };
}

/** Build the caller from verified claims; an unknown app or user is a 401 like a foreign token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JWT claims are whatever the token carries; each claim is checked where it is read
export function callerFromClaims(state: EmulatorState, claims: Record<string, any>): Caller {
  if (claims.tid !== state.tenant.id) throw invalidToken("Access token validation failure. Invalid issuer.");
  if (claims.idtyp === "user") {
    const user = state.findUser(String(claims.oid ?? ""));
    if (!user) throw invalidToken("Access token validation failure. The user no longer exists.");
    if (!user.accountEnabled)
      throw invalidToken("Access token validation failure. The user account is disabled.");
    return {
      kind: "user",
      appId: String(claims.appid),
      appDisplayName: String(claims.app_displayname ?? ""),
      servicePrincipalId: null,
      user,
      permissions: new Set(
        String(claims.scp ?? "")
          .split(" ")
          .filter(Boolean),
      ),
      amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [],
      acrs: Array.isArray(claims.acrs) ? claims.acrs.map(String) : [],
      unchecked: false,
    };
  }
  const sp = [...state.servicePrincipals.values()].find((s) => s.appId === claims.appid);
  if (!sp) throw invalidToken("Access token validation failure. The application no longer exists.");
  return {
    kind: "app",
    appId: sp.appId,
    appDisplayName: sp.displayName,
    servicePrincipalId: sp.id,
    user: null,
    // Permissions are read from the token, as Graph does: a grant revoked after issue still works until expiry.
    permissions: new Set(Array.isArray(claims.roles) ? claims.roles.map(String) : []),
    amr: [],
    acrs: [],
    unchecked: false,
  };
}

/** The caller used when authentication is off (--no-auth): the first app with a secret, all permissions. */
export function uncheckedCaller(state: EmulatorState): Caller {
  const sp =
    [...state.servicePrincipals.values()].find((s) => s._clientSecret) ??
    [...state.servicePrincipals.values()][0];
  return {
    kind: "app",
    appId: sp?.appId ?? "00000000-0000-0000-0000-000000000000",
    appDisplayName: sp?.displayName ?? "pim-emulator",
    servicePrincipalId: sp?.id ?? null,
    user: null,
    permissions: new Set(),
    amr: [],
    acrs: [],
    unchecked: true,
  };
}

// ------------------------------------------------------------------ token endpoint

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

function aadError(
  status: number,
  error: string,
  code: number,
  description: string,
  tenantId: string,
): TokenResult {
  const ts = new Date().toISOString().replace("T", " ").slice(0, 19) + "Z";
  const trace = randomBytes(16).toString("hex");
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${trace} Timestamp: ${ts}`,
      error_codes: [code],
      timestamp: ts,
      trace_id: trace,
      correlation_id: trace,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...(tenantId ? {} : {}),
    },
  };
}

/**
 * POST /{tenant}/oauth2/v2.0/token with an application/x-www-form-urlencoded body. Supports
 * client_credentials (the product) and, for manual exploration, password (ROPC) with the emulator-only
 * parameters `emulator_mfa=true` and `emulator_acrs=c1,c2`.
 */
export function tokenEndpoint(
  state: EmulatorState,
  signer: TokenSigner,
  tenantSegment: string,
  form: URLSearchParams,
): TokenResult {
  const tenantOk =
    tenantSegment === state.tenant.id ||
    state.tenant.domains.some((d) => d.name.toLowerCase() === tenantSegment.toLowerCase());
  if (!tenantOk)
    return aadError(
      400,
      "invalid_request",
      900023,
      `Specified tenant identifier '${tenantSegment}' is neither a valid DNS name, nor a valid external domain.`,
      "",
    );
  const grant = form.get("grant_type");
  const scope = form.get("scope") ?? "";
  const clientId = form.get("client_id") ?? "";
  if (!grant)
    return aadError(
      400,
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'grant_type'.",
      state.tenant.id,
    );
  const sp = [...state.servicePrincipals.values()].find((s) => s.appId === clientId);
  if (grant === "client_credentials") {
    const aud = audienceOfScope(scope);
    if (!aud)
      return aadError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        state.tenant.id,
      );
    if (!sp)
      return aadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${state.tenant.displayName}'.`,
        state.tenant.id,
      );
    const secret = form.get("client_secret");
    if (!secret || !sp._clientSecret || secret !== sp._clientSecret)
      return aadError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.",
        state.tenant.id,
      );
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: TOKEN_LIFETIME_S,
        ext_expires_in: TOKEN_LIFETIME_S,
        access_token: signer.sign(appTokenClaims(state, sp, aud)),
      },
    };
  }
  if (grant === "password") {
    const user = state.findUser(form.get("username") ?? "");
    if (!user || !form.get("password"))
      return aadError(
        400,
        "invalid_grant",
        50126,
        "Error validating credentials due to invalid username or password.",
        state.tenant.id,
      );
    const claims = userTokenClaims(state, user, sp, {
      audience: audienceOfScope(scope) === GRAPH_AUDIENCE || !audienceOfScope(scope) ? "graph" : "arm",
      mfa: form.get("emulator_mfa") === "true",
      authContexts: (form.get("emulator_acrs") ?? "").split(",").filter(Boolean),
    });
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        scope: String(claims.scp),
        expires_in: TOKEN_LIFETIME_S,
        ext_expires_in: TOKEN_LIFETIME_S,
        access_token: signer.sign(claims),
      },
    };
  }
  return aadError(
    400,
    "unsupported_grant_type",
    70003,
    `The app requested an unsupported grant type '${grant}'.`,
    state.tenant.id,
  );
}
