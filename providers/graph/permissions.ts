/**
 * Which Microsoft Graph permission each request this project sends needs, and what to tell a user whose request
 * Graph refused with 403 (`Authorization_RequestDenied`, or `PermissionScopeNotGranted` wrapped in `UnknownError`).
 * One table, request pattern → least-privileged permission, from graph-pim.md §6 (Graph's permission tables of each
 * PIM API page) and the directory objects' pages; every 403 of this layer — a provider's write, the program's reads
 * — is explained from it.
 *
 * The hint depends on the token that was refused: an application (a pipeline) needs an *application* permission; a
 * person needs the *delegated* permission on the app they signed in to, plus an active directory role; and a token of
 * the Azure CLI (`az login`) can never carry the PIM permissions (its first-party app is not consentable for them),
 * so the only fix is to sign in to the deployer app instead.
 */
import { AZURE_CLI_CLIENT_ID, tokenIdentity } from "./token";

export interface PermissionNeed {
  /** What the request does, for the message. */
  what: string;
  /** Least-privileged application permission. */
  application: string;
  /** Least-privileged delegated permission. */
  delegated: string;
  /** The directory role a signed-in person must hold (active) for the call, when Graph requires one. */
  role: string | null;
}

const PRA = "Privileged Role Administrator";
const ROLE_READERS = "Global Reader, Security Reader or Privileged Role Administrator";

const need = (
  what: string,
  application: string,
  delegated = application,
  role: string | null = null,
): PermissionNeed => ({ what, application, delegated, role });

/** Method (or `*`), a pattern over the path and query below the version, and what it needs. First match wins. */
const TABLE: ReadonlyArray<readonly [string, RegExp, PermissionNeed]> = [
  // Role management policies: a group's policy ids start with Group_, its assignments filter on scopeType 'Group'.
  [
    "GET",
    /^\/policies\/roleManagementPolic(y|ies)[^?]*\?(.*)scopeType(%20|\s|\+)eq(%20|\s|\+)(%27|')Group/i,
    need("read PIM for Groups settings", "RoleManagementPolicy.Read.AzureADGroup"),
  ],
  [
    "GET",
    /^\/policies\/roleManagementPolicies\/Group_/i,
    need("read PIM for Groups settings", "RoleManagementPolicy.Read.AzureADGroup"),
  ],
  [
    "PATCH",
    /^\/policies\/roleManagementPolicies\/Group_/i,
    need("change PIM for Groups settings", "RoleManagementPolicy.ReadWrite.AzureADGroup"),
  ],
  [
    "GET",
    /^\/policies\/roleManagementPolic(y|ies)/i,
    need(
      "read directory role settings",
      "RoleManagement.Read.Directory",
      "RoleManagementPolicy.Read.Directory",
      ROLE_READERS,
    ),
  ],
  [
    "PATCH",
    /^\/policies\/roleManagementPolicies\//i,
    need("change directory role settings", "RoleManagementPolicy.ReadWrite.Directory", undefined, PRA),
  ],
  [
    "POST",
    /^\/roleManagement\/directory\/roleEligibilityScheduleRequests/i,
    need(
      "create, change or remove eligible role assignments",
      "RoleEligibilitySchedule.ReadWrite.Directory",
      undefined,
      PRA,
    ),
  ],
  [
    "POST",
    /^\/roleManagement\/directory\/roleAssignmentScheduleRequests/i,
    need(
      "create, change or remove active role assignments",
      "RoleAssignmentSchedule.ReadWrite.Directory",
      undefined,
      PRA,
    ),
  ],
  [
    "GET",
    /^\/roleManagement\/directory\/roleEligibilityScheduleRequests/i,
    need("read eligible assignment requests", "RoleEligibilitySchedule.ReadWrite.Directory", undefined, PRA),
  ],
  [
    "GET",
    /^\/roleManagement\/directory\/roleAssignmentScheduleRequests/i,
    need("read active assignment requests", "RoleAssignmentSchedule.ReadWrite.Directory", undefined, PRA),
  ],
  [
    "GET",
    /^\/roleManagement\/directory\/roleEligibilitySchedule(s|Instances)/i,
    need("read eligible role assignments", "RoleEligibilitySchedule.Read.Directory", undefined, ROLE_READERS),
  ],
  [
    "GET",
    /^\/roleManagement\/directory\/roleAssignmentSchedule(s|Instances)/i,
    need("read active role assignments", "RoleAssignmentSchedule.Read.Directory", undefined, ROLE_READERS),
  ],
  [
    "GET",
    /^\/roleManagement\/directory\/roleDefinitions/i,
    need("read role definitions", "RoleManagement.Read.Directory"),
  ],
  [
    "POST",
    /^\/identityGovernance\/privilegedAccess\/group\/eligibilityScheduleRequests/i,
    need(
      "change PIM for Groups eligible memberships",
      "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
    ),
  ],
  [
    "POST",
    /^\/identityGovernance\/privilegedAccess\/group\/assignmentScheduleRequests/i,
    need("change PIM for Groups active memberships", "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"),
  ],
  [
    "GET",
    /^\/identityGovernance\/privilegedAccess\/group\/eligibilitySchedule/i,
    need("read PIM for Groups eligible memberships", "PrivilegedEligibilitySchedule.Read.AzureADGroup"),
  ],
  [
    "GET",
    /^\/identityGovernance\/privilegedAccess\/group\/assignmentSchedule/i,
    need("read PIM for Groups active memberships", "PrivilegedAssignmentSchedule.Read.AzureADGroup"),
  ],
  // The program's reads of the names the declarations use (`reads/principals.ts`).
  ["GET", /^\/users/i, need("read users (with onPremisesSyncEnabled)", "User.Read.All")],
  ["GET", /^\/groups/i, need("read groups", "GroupMember.Read.All")],
  ["GET", /^\/servicePrincipals/i, need("read service principals", "Application.Read.All")],
  ["GET", /^\/applications/i, need("read applications", "Application.Read.All")],
  [
    "GET",
    /^\/directory\/administrativeUnits/i,
    need("read administrative units", "AdministrativeUnit.Read.All"),
  ],
  ["GET", /^\/auditLogs\/directoryAudits/i, need("read the directory audit log", "AuditLog.Read.All")],
  // The live reader's reads beyond those (`reads/live/read.ts`: import, drift, report).
  ["GET", /^\/organization/i, need("read the organization", "Organization.Read.All", "User.Read")],
  // getByIds has no smaller permission (its page lists Directory.Read.All alone, application and delegated).
  ["POST", /^\/directoryObjects\/getByIds/i, need("read directory objects by id", "Directory.Read.All")],
  [
    "GET",
    /^\/identity\/conditionalAccess\//i,
    need("read Conditional Access policies and authentication contexts", "Policy.Read.All"),
  ],
];

/** The permission a request needs; `path` is below the version (`/roleManagement/...`), with its query. */
export function permissionFor(method: string, path: string): PermissionNeed | null {
  const m = method.toUpperCase();
  return TABLE.find(([tm, re]) => (tm === "*" || tm === m) && re.test(path))?.[2] ?? null;
}

const GRANT_PATH =
  "Entra admin center → App registrations → the deployer app → API permissions → Add a permission → Microsoft Graph";

/**
 * What to say after Graph refused `method path` with 403, for the token that was sent: the permission it lacks, of
 * which kind, and how to grant it.
 */
export function permissionHint(method: string, path: string, token: string | null | undefined): string {
  const need = permissionFor(method, path);
  const who = tokenIdentity(token);
  if (who.kind === "delegated" && who.clientId === AZURE_CLI_CLIENT_ID) {
    return (
      `The token is the Azure CLI's (az login): Graph never grants it the PIM permissions` +
      `${need ? ` (this request needs ${need.delegated})` : ""}, and no consent can add them. Sign in to the deployer ` +
      `app registration instead: stack config pim:credential device-code (or browser) and pim:clientId ` +
      `(README.md, "Signing in as a person").`
    );
  }
  if (!need) {
    return `Graph refused the request for lack of a permission or role; README.md, "The app registration and its permissions", lists what each feature needs.`;
  }
  if (who.kind === "delegated") {
    const role = need.role ? ` You must also hold ${need.role} (active, not only eligible).` : "";
    return (
      `To ${need.what}, the signed-in app needs the delegated Microsoft Graph permission ${need.delegated}.${role} ` +
      `Grant it: ${GRANT_PATH} → Delegated permissions → ${need.delegated}, then Grant admin consent.`
    );
  }
  return (
    `To ${need.what}, the deployment identity needs the Microsoft Graph application permission ${need.application}. ` +
    `Grant it: ${GRANT_PATH} → Application permissions → ${need.application}, then Grant admin consent ` +
    `(README.md, "The app registration and its permissions").`
  );
}
