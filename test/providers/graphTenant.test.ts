/**
 * The declared tenant, and only it: tokens are requested for the declared tenant and a token for any other tenant
 * stops the Graph layer before a request carries it, in the program's reads and in a provider's first write.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assertTokenTenant,
  azureIdentityTokenProvider,
  graphForTenant,
  tokenTenant,
} from "../../providers/graph";
import { directoryRoleScheduleProvider } from "../../providers/directoryRoleSchedule/index";
import { startHarness, TENANT_ID, USER_ADMIN, type Harness } from "./helpers";

const OTHER_TENANT = "0b9c7c1e-5f3a-4d2b-8e6f-1a2b3c4d5e6f";
const jwt = (claims: Record<string, unknown>) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

describe("the token's tenant claim", () => {
  it("reads tid lower-cased, and nothing from a token that is not a readable JWT", () => {
    expect(tokenTenant(jwt({ tid: "7C3E9A52-1D4F-4B8E-9A6C-2F5D8E1B0C47", oid: "x" }))).toBe(
      "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
    );
    expect(tokenTenant(jwt({ oid: "x" }))).toBeNull();
    expect(tokenTenant("opaque-token")).toBeNull();
    expect(tokenTenant("a.%%%.c")).toBeNull();
  });

  it("refuses a token for another tenant, or one that does not say, naming both tenants and the fix", () => {
    expect(() => assertTokenTenant(jwt({ tid: OTHER_TENANT }), TENANT_ID)).toThrow(
      `the Graph access token is for tenant ${OTHER_TENANT}, but this stack declares tenant ${TENANT_ID}; nothing was sent with it. ` +
        `Sign in to tenant ${TENANT_ID} (az login --tenant ${TENANT_ID}; in CI, ARM_TENANT_ID or AZURE_TENANT_ID of the deployment identity), ` +
        "or correct tenant.id in tenant.yaml and azuread:tenantId in the stack file.",
    );
    expect(() => assertTokenTenant("opaque-token", TENANT_ID)).toThrow(
      `the Graph access token has no readable tenant claim (tid), so it cannot be shown to be for the declared tenant ${TENANT_ID}; nothing was sent with it.`,
    );
    expect(() => assertTokenTenant(jwt({ tid: TENANT_ID.toUpperCase() }), TENANT_ID)).not.toThrow();
  });

  it("asks @azure/identity for a token of the declared tenant", async () => {
    const asked: unknown[] = [];
    const provider = azureIdentityTokenProvider(
      {
        getToken: async (scope, options) => {
          asked.push([scope, options?.tenantId]);
          return { token: jwt({ tid: TENANT_ID }), expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      },
      TENANT_ID,
    );
    await provider();
    expect(asked).toEqual([["https://graph.microsoft.com/.default", TENANT_ID]]);
  });
});

describe("against the emulator", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());
  afterEach(() => {
    directoryRoleScheduleProvider.configure({ config: { get: () => undefined } } as never);
  });

  const graphRequests = () => h.emu.log.entries().filter((e) => e.path.startsWith("/v1.0"));

  it("reads for the declared tenant when the credential is for it", async () => {
    const g = graphForTenant(TENANT_ID);
    const active = await g.listAll<{ principalId: string }>(
      "/roleManagement/directory/roleAssignmentSchedules",
    );
    expect(active.map((s) => s.principalId)).toEqual([h.user("bg-01@contoso.com")]);
  });

  it("refuses the program's reads when the credential is for another tenant, before any Graph request", async () => {
    h.emu.log.clear();
    // The environment's credential is the emulator tenant's; the declaration names another tenant.
    const g = graphForTenant(OTHER_TENANT);
    const error = await g.get("/roleManagement/directory/roleAssignmentSchedules").catch((e: unknown) => e);
    expect((error as Error).name).toBe("TenantMismatchError");
    expect((error as Error).message).toMatch(
      new RegExp(
        `^the Graph access token is for tenant ${TENANT_ID}, but this stack declares tenant ${OTHER_TENANT};`,
      ),
    );
    expect(graphRequests()).toEqual([]);
  });

  it("refuses a provider's first write when azuread:tenantId is another tenant than the credential's", async () => {
    await directoryRoleScheduleProvider.configure({
      config: { get: (k: string) => (k === "azuread:tenantId" ? OTHER_TENANT : undefined) },
    } as never);
    const before = h.emu.counters();
    h.emu.log.clear();
    const error = await directoryRoleScheduleProvider
      .create({
        kind: "eligible",
        principalId: h.user("ada.lovelace@contoso.com"),
        roleDefinitionId: USER_ADMIN,
        directoryScopeId: "/",
        start: null,
        end: "2027-03-01T00:00:00.000Z",
        justification: "Tenant check",
        ticket: null,
        label: "eligible User Administrator for ada.lovelace@contoso.com (t)",
      })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("TenantMismatchError");
    expect((error as Error).message).toContain(`declares tenant ${OTHER_TENANT.toLowerCase()}`);
    expect(graphRequests()).toEqual([]);
    expect(h.emu.counters().writes).toBe(before.writes);
  });
});
