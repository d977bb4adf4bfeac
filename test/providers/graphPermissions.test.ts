/**
 * A 403 names the permission the refused request needs, of the kind the token can hold (an application's, a signed-in
 * person's, never the Azure CLI's), and how to grant it: against the emulator, which answers Graph's own 403 bodies
 * (`UnknownError` wrapping `PermissionScopeNotGranted` for PIM, `Authorization_RequestDenied` for the directory).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import {
  clientCredentialsTokenProvider,
  createGraphClient,
  credentialFor,
  resolveGraphSettings,
  type GraphApi,
  type GraphError,
} from "../../providers/graph/index";
import { permissionFor, permissionHint } from "../../providers/graph/permissions";
import { AZURE_CLI_CLIENT_ID } from "../../providers/graph/token";
import { GLOBAL_ADMIN, NOW, seed } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => {
  const s = seed();
  s.applications!.push({
    displayName: "read-only deployer",
    clientSecret: "emu-secret-readonly-42",
    permissions: ["RoleManagement.Read.Directory"],
  });
  emu = await startEmulator({ port: 0, seed: s, now: NOW });
});
afterAll(() => emu.stop());

function appClient(app: string): GraphApi {
  const cc = emu.clientCredentials(app);
  return createGraphClient({
    baseUrl: emu.baseUrl,
    tokenProvider: clientCredentialsTokenProvider({
      tokenUrl: `${emu.baseUrl}/${cc.tenantId}/oauth2/v2.0/token`,
      clientId: cc.clientId,
      clientSecret: cc.clientSecret,
    }),
    progress: () => undefined,
  });
}

const jwt = (claims: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("a 403 names the missing permission and how to grant it", () => {
  it("an application refused a schedule request: the application permission, where to add it", async () => {
    const g = appClient("read-only deployer");
    emu.log.clear();
    const err = (await g
      .post("/roleManagement/directory/roleEligibilityScheduleRequests", {
        action: "adminAssign",
        principalId: emu.state.findUser("ada.lovelace@contoso.com")!.id,
        roleDefinitionId: GLOBAL_ADMIN,
        directoryScopeId: "/",
        scheduleInfo: { startDateTime: "2026-11-23T12:00:00Z", expiration: { type: "noExpiration" } },
      })
      .catch((e) => e)) as GraphError;
    expect([err.status, err.code]).toEqual([403, "PermissionScopeNotGranted"]);
    // Refused, not taken: the only request the emulator saw answered 403.
    expect(emu.log.entries().map((e) => [e.method, e.path, e.status])).toEqual([
      ["POST", `/${emu.tenantId}/oauth2/v2.0/token`, 200],
      ["POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", 403],
    ]);
    expect(err.hint).toBe(
      "To create, change or remove eligible role assignments, the deployment identity needs the Microsoft Graph " +
        "application permission RoleEligibilitySchedule.ReadWrite.Directory. Grant it: Entra admin center → App " +
        "registrations → the deployer app → API permissions → Add a permission → Microsoft Graph → Application " +
        'permissions → RoleEligibilitySchedule.ReadWrite.Directory, then Grant admin consent (README.md, "The app ' +
        'registration and its permissions").',
    );
    expect(err.message).toContain(
      `→ 403 PermissionScopeNotGranted: Authorization failed due to missing permission scope`,
    );
    expect(err.message.endsWith(err.hint!)).toBe(true);
  });

  it("a person signed in to the deployer app: the delegated permission and the active role it also needs", async () => {
    const token = await emu.userToken("ken.thompson@contoso.com", {
      scopes: ["RoleManagement.Read.Directory"],
    });
    const g = createGraphClient({
      baseUrl: emu.baseUrl,
      tokenProvider: async () => token,
      progress: () => undefined,
    });
    const policyId = "DirectoryRole_x_y";
    const err = (await g
      .patch(`/policies/roleManagementPolicies/${policyId}`, { rules: [] })
      .catch((e) => e)) as GraphError;
    expect([err.status, err.code]).toEqual([403, "PermissionScopeNotGranted"]);
    expect(err.hint).toBe(
      "To change directory role settings, the signed-in app needs the delegated Microsoft Graph permission " +
        "RoleManagementPolicy.ReadWrite.Directory. You must also hold Privileged Role Administrator (active, not only " +
        "eligible). Grant it: Entra admin center → App registrations → the deployer app → API permissions → Add a " +
        "permission → Microsoft Graph → Delegated permissions → RoleManagementPolicy.ReadWrite.Directory, then Grant " +
        "admin consent.",
    );
  });

  it("an Azure CLI token (az login): no consent can fix it, sign in to the deployer app instead", () => {
    const token = jwt({ appid: AZURE_CLI_CLIENT_ID, scp: "User.Read AuditLog.Read.All", idtyp: "user" });
    expect(permissionHint("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", token)).toBe(
      "The token is the Azure CLI's (az login): Graph never grants it the PIM permissions (this request needs " +
        "RoleAssignmentSchedule.ReadWrite.Directory), and no consent can add them. Sign in to the deployer app " +
        "registration instead: stack config pim:credential device-code (or browser) and pim:clientId (README.md, " +
        '"Signing in as a person").',
    );
  });

  it("one table: each request this project sends maps to its least-privileged permission", () => {
    const rows = [
      [
        "GET",
        "/policies/roleManagementPolicyAssignments?$filter=scopeId%20eq%20%27g1%27%20and%20scopeType%20eq%20%27Group%27",
      ],
      ["PATCH", "/policies/roleManagementPolicies/Group_g1_p"],
      [
        "GET",
        "/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'",
      ],
      ["PATCH", "/policies/roleManagementPolicies/DirectoryRole_t_p"],
      ["POST", "/roleManagement/directory/roleAssignmentScheduleRequests"],
      ["GET", "/roleManagement/directory/roleEligibilitySchedules?$filter=x"],
      ["POST", "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests"],
      ["GET", "/users/ada%40contoso.com?$select=id"],
      ["GET", "/servicePrincipals/abc"],
      ["GET", "/organization?$select=id,displayName"],
      ["POST", "/directoryObjects/getByIds"],
      ["GET", "/identity/conditionalAccess/authenticationContextClassReferences"],
      ["DELETE", "/users/x"],
    ].map(([m, p]) => {
      const n = permissionFor(m!, p!);
      return n ? [n.application, n.delegated] : null;
    });
    expect(rows).toEqual([
      ["RoleManagementPolicy.Read.AzureADGroup", "RoleManagementPolicy.Read.AzureADGroup"],
      ["RoleManagementPolicy.ReadWrite.AzureADGroup", "RoleManagementPolicy.ReadWrite.AzureADGroup"],
      ["RoleManagement.Read.Directory", "RoleManagementPolicy.Read.Directory"],
      ["RoleManagementPolicy.ReadWrite.Directory", "RoleManagementPolicy.ReadWrite.Directory"],
      ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleAssignmentSchedule.ReadWrite.Directory"],
      ["RoleEligibilitySchedule.Read.Directory", "RoleEligibilitySchedule.Read.Directory"],
      [
        "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
        "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
      ],
      ["User.Read.All", "User.Read.All"],
      ["Application.Read.All", "Application.Read.All"],
      ["Organization.Read.All", "User.Read"],
      ["Directory.Read.All", "Directory.Read.All"],
      ["Policy.Read.All", "Policy.Read.All"],
      null,
    ]);
  });
});

describe("signing in as a person: an explicit setting, never az login", () => {
  const cfg = (m: Record<string, string>) => ({ get: (k: string) => m[k] });
  const usGov = "https://graph.microsoft.us";
  const TENANT = "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47";
  const APP = "3f1c8a57-9d2e-4b6a-8c0f-5e7d1a2b3c4d";

  it("selects device-code or browser with the deployer app's client id, from the stack config or the environment", () => {
    expect(
      resolveGraphSettings(
        cfg({ "pim:credential": "device-code", "pim:clientId": APP, "pim:graphBaseUrl": usGov }),
        {},
      ).credential,
    ).toEqual({ kind: "device-code", clientId: APP, source: "stack config pim:clientId" });
    expect(
      resolveGraphSettings(undefined, { PIM_GRAPH_CREDENTIAL: "browser", AZURE_CLIENT_ID: APP }).credential,
    ).toEqual({
      kind: "browser",
      clientId: APP,
      source: "AZURE_CLIENT_ID",
    });
  });

  it("refuses an unknown kind, and a person's sign-in without the app to sign in to", () => {
    expect(() => resolveGraphSettings(cfg({ "pim:credential": "az-cli" }), {})).toThrow(
      'stack config pim:credential is "az-cli"; it must be one of default, device-code, browser (README.md, "Where credentials come from")',
    );
    expect(() => resolveGraphSettings(undefined, { PIM_GRAPH_CREDENTIAL: "device-code" })).toThrow(
      'PIM_GRAPH_CREDENTIAL is device-code: set stack config pim:clientId (or AZURE_CLIENT_ID) to the application (client) id of the deployer app registration you sign in to (README.md, "Signing in as a person")',
    );
  });

  it("builds the @azure/identity credential for the tenant, the app and the cloud's authority; the device code goes to stderr", () => {
    const made: [string, unknown][] = [];
    const fake = (name: string) =>
      class {
        constructor(...args: unknown[]) {
          made.push([name, args.length === 1 ? args[0] : args]);
        }
      };
    const identity = {
      DeviceCodeCredential: fake("DeviceCodeCredential"),
      InteractiveBrowserCredential: fake("InteractiveBrowserCredential"),
      DefaultAzureCredential: fake("DefaultAzureCredential"),
      ClientAssertionCredential: fake("ClientAssertionCredential"),
    } as unknown as typeof import("@azure/identity");
    const cloud = resolveGraphSettings(cfg({ "pim:graphBaseUrl": usGov }), {}).cloud!;
    credentialFor({ kind: "device-code", clientId: APP, source: "x" }, cloud, TENANT, identity, {});
    credentialFor({ kind: "browser", clientId: APP, source: "x" }, cloud, TENANT, identity, {});
    credentialFor({ kind: "default" }, cloud, TENANT, identity, {});
    const [device, browser, dflt] = made;
    expect(device![0]).toBe("DeviceCodeCredential");
    const opts = device![1] as {
      tenantId: string;
      clientId: string;
      authorityHost: string;
      userPromptCallback: (i: { message: string }) => void;
    };
    expect([opts.tenantId, opts.clientId, opts.authorityHost]).toEqual([
      TENANT,
      APP,
      "https://login.microsoftonline.us",
    ]);
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (written.push(s), true)) as typeof process.stderr.write;
    try {
      opts.userPromptCallback({
        message:
          "To sign in, use a web browser to open https://microsoft.com/devicelogin and enter the code ABC123.",
      });
    } finally {
      process.stderr.write = write;
    }
    expect(written).toEqual([
      `pim: sign in to Microsoft Graph for US Government L4 (GCC High) for tenant ${TENANT}: To sign in, use a web browser to open https://microsoft.com/devicelogin and enter the code ABC123.\n`,
    ]);
    expect(browser).toEqual([
      "InteractiveBrowserCredential",
      {
        tenantId: TENANT,
        clientId: APP,
        authorityHost: "https://login.microsoftonline.us",
        redirectUri: "http://localhost",
      },
    ]);
    expect(dflt).toEqual([
      "DefaultAzureCredential",
      { tenantId: TENANT, authorityHost: "https://login.microsoftonline.us" },
    ]);
  });
});
