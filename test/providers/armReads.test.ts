/**
 * The ARM access layer in isolation: `ArmApi` over the Graph layer's retry middleware with a scripted last link
 * (a queue of answers, a log of what reached it), `resolveArmSettings`, and the read of a scope's Azure role
 * settings on answers in ARM's documented shapes (fixtures/arm/shapes.ts). The emulator tests drive the same code
 * against AE's ARM routes.
 */
import { describe, expect, it } from "vitest";
import type { Context } from "@microsoft/microsoft-graph-client";
import { ArmError, createArmClient, resolveArmSettings } from "../../providers/arm";
import { azureRoleSettingsUrls, readAzureRoleSettings } from "../../providers/arm/reads";
import { tenantBoundTokenProvider } from "../../providers/graph";
import { LiveReadError, liveSnapshot } from "../../providers/graph/reads/live";
import { fromGraphRules } from "../../model/settings/graphRules";
import ownerPolicyJson from "./fixtures/arm/ownerPolicy.json";
import { graphDefaults } from "../../model/settings/defaults";
import {
  APPROVER_GROUP_ID,
  assignmentPages,
  CONTRIBUTOR,
  CONTRIBUTOR_POLICY,
  OWNER,
  OWNER_POLICY,
  ownerSettings,
  policiesPage,
  READER,
  READER_POLICY,
  roleDefinitionsPage,
  SUBSCRIPTION,
} from "./fixtures/arm/shapes";

const BASE = "http://127.0.0.1:9911";
type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | "network-error";

function harness(respond: (url: string, n: number) => Scripted) {
  const log: { method: string; url: string; auth: string | null; type: string | null; body: unknown }[] = [];
  const slept: number[] = [];
  const lines: string[] = [];
  let n = 0;
  const transport = {
    async execute(ctx: Context) {
      const headers = new Headers(ctx.options?.headers as ConstructorParameters<typeof Headers>[0]);
      const url = String(ctx.request);
      log.push({
        method: ctx.options?.method ?? "GET",
        url,
        auth: headers.get("authorization"),
        type: headers.get("content-type"),
        body: typeof ctx.options?.body === "string" ? JSON.parse(ctx.options.body) : undefined,
      });
      const next = respond(url, n++);
      if (next === "network-error") throw new TypeError("fetch failed");
      ctx.response = new Response(next.body === undefined ? null : JSON.stringify(next.body), {
        status: next.status,
        headers: { "Content-Type": "application/json", ...next.headers },
      });
    },
  };
  let time = Date.parse("2026-11-23T12:00:00Z");
  const arm = createArmClient({
    baseUrl: `${BASE}/`,
    tokenProvider: async () => "arm-tok-Qw3rTy7890abcd",
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
    now: () => time,
    progress: (l) => lines.push(l),
    transport,
  });
  return { arm, log, slept, lines };
}

const [DEFS, ASSIGNMENTS, POLICIES] = azureRoleSettingsUrls(SUBSCRIPTION) as [string, string, string];
const NEXT = `${BASE}${SUBSCRIPTION}/providers/Microsoft.Authorization/roleManagementPolicyAssignments?api-version=2020-10-01&$skiptoken=page2`;

/** ARM as documented: three lists, the assignments in two pages. */
function armScope(url: string): Scripted {
  const [a, b] = assignmentPages(SUBSCRIPTION, NEXT);
  if (url === `${BASE}${DEFS}`) return { status: 200, body: roleDefinitionsPage() };
  if (url === `${BASE}${ASSIGNMENTS}`) return { status: 200, body: a };
  if (url === NEXT) return { status: 200, body: b };
  if (url === `${BASE}${POLICIES}`) return { status: 200, body: policiesPage() };
  return { status: 404, body: { error: { code: "NotFound", message: `no route ${url}` } } };
}

describe("ArmApi", () => {
  it("sends GETs to the absolute URL with the bearer token and follows nextLink on its origin", async () => {
    const { arm, log } = harness(armScope);
    const items = await arm.listAll<{ name: string }>(ASSIGNMENTS);
    expect(items.map((x) => x.name)).toEqual([
      `${OWNER_POLICY}_${OWNER}`,
      `${CONTRIBUTOR_POLICY}_${CONTRIBUTOR}`,
      `${READER_POLICY}_${READER}`,
    ]);
    expect(log).toEqual([
      {
        method: "GET",
        url: `${BASE}${ASSIGNMENTS}`,
        auth: "Bearer arm-tok-Qw3rTy7890abcd",
        type: null,
        body: undefined,
      },
      { method: "GET", url: NEXT, auth: "Bearer arm-tok-Qw3rTy7890abcd", type: null, body: undefined },
    ]);
  });

  it("refuses a nextLink to another origin without sending the token there", async () => {
    const { arm, log } = harness((url) =>
      url.startsWith(BASE)
        ? { status: 200, body: { value: [{ name: "a" }], nextLink: "https://evil.example/steal?x=1" } }
        : { status: 200, body: { value: [] } },
    );
    const e = await arm.listAll(DEFS).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ArmError);
    expect((e as ArmError).code).toBe("ForeignNextLink");
    expect((e as ArmError).message).toBe(
      `GET https://evil.example/steal → no response ForeignNextLink: ARM named a page at https://evil.example, not ${BASE}; it was not followed (the token stays with ARM)`,
    );
    expect(log.map((l) => l.url)).toEqual([`${BASE}${DEFS}`]);
  });

  it("waits as a 429's Retry-After asks, saying so as Azure Resource Manager, then succeeds", async () => {
    const { arm, slept, lines, log } = harness((_, n) =>
      n === 0
        ? {
            status: 429,
            headers: { "Retry-After": "7" },
            body: { error: { code: "TooManyRequests", message: "slow down" } },
          }
        : { status: 200, body: { value: [{ name: "x" }] } },
    );
    expect(await arm.listAll(DEFS)).toEqual([{ name: "x" }]);
    expect(slept).toEqual([7000]);
    expect(lines).toEqual([
      `pim: Azure Resource Manager is throttling requests (429); waiting 7 s as its Retry-After asks before retrying GET ${DEFS} (retry 1 of 5)`,
    ]);
    expect(log).toHaveLength(2);
  });

  it("turns a 403 CloudError into an ArmError naming the Azure role to assign at the scope", async () => {
    const { arm } = harness(() => ({
      status: 403,
      headers: { "x-ms-request-id": "req-403-arm" },
      body: {
        error: {
          code: "AuthorizationFailed",
          message:
            "The client 'ci' does not have authorization to perform action 'Microsoft.Authorization/roleManagementPolicies/read'.",
        },
      },
    }));
    const e = (await arm.get(POLICIES).catch((x: unknown) => x)) as ArmError;
    expect({ status: e.status, code: e.code, hint: e.hint, requestId: e.requestId }).toEqual({
      status: 403,
      code: "AuthorizationFailed",
      hint: `assign the identity the Azure role Reader at ${SUBSCRIPTION}`,
      requestId: "req-403-arm",
    });
    expect(e.message).toBe(
      `GET ${POLICIES} → 403 AuthorizationFailed: The client 'ci' does not have authorization to perform action 'Microsoft.Authorization/roleManagementPolicies/read'. (request-id req-403-arm). assign the identity the Azure role Reader at ${SUBSCRIPTION}`,
    );
  });

  it("names a writer's role for a refused PATCH, and sends the body as JSON", async () => {
    const { arm, log } = harness(() => ({
      status: 403,
      body: { error: { code: "AuthorizationFailed", message: "no write" } },
    }));
    const path = `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleManagementPolicies/${OWNER_POLICY}?api-version=2020-10-01`;
    const e = (await arm
      .patch(path, { properties: { rules: [{ id: "r1" }] } })
      .catch((x: unknown) => x)) as ArmError;
    expect(e.hint).toBe(
      `assign the identity the Azure role User Access Administrator (or Owner) at ${SUBSCRIPTION}`,
    );
    expect(log).toEqual([
      {
        method: "PATCH",
        url: `${BASE}${path}`,
        auth: "Bearer arm-tok-Qw3rTy7890abcd",
        type: "application/json",
        body: { properties: { rules: [{ id: "r1" }] } },
      },
    ]);
  });

  it("reports no answer as a NetworkError after the retries, and redacts a token ARM echoes", async () => {
    const down = harness(() => "network-error");
    const e = (await down.arm.get(DEFS).catch((x: unknown) => x)) as ArmError;
    expect({ status: e.status, code: e.code }).toEqual({ status: 0, code: "NetworkError" });
    expect(down.log).toHaveLength(6);
    expect(down.lines[0]).toBe(
      `pim: no answer from Azure Resource Manager (network error); waiting 1 s before retrying GET ${DEFS} (retry 1 of 5)`,
    );
    const echo = harness(() => ({
      status: 401,
      body: {
        error: {
          code: "InvalidAuthenticationToken",
          message: "token arm-tok-Qw3rTy7890abcd Bearer arm-tok-Qw3rTy7890abcd is bad",
        },
      },
    }));
    const e401 = (await echo.arm.get(DEFS).catch((x: unknown) => x)) as ArmError;
    expect(e401.code).toBe("InvalidAuthenticationToken");
    expect(e401.message).toContain("Bearer [REDACTED]");
  });

  it("names ARM in the tenant check of its tokens", async () => {
    const claims = Buffer.from(JSON.stringify({ tid: "11111111-2222-4333-8444-555555555555" })).toString(
      "base64url",
    );
    const provider = tenantBoundTokenProvider(
      async () => `h.${claims}.s`,
      "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
      "ARM",
    );
    await expect(provider()).rejects.toThrow(
      /^the ARM access token is for tenant 11111111-2222-4333-8444-555555555555, but this stack declares tenant 7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47; nothing was sent with it\./,
    );
  });
});

describe("ArmApi paging and origins, against seeded bugs", () => {
  it("stops with a paging loop when a nextLink names a page already read, after two requests", async () => {
    const { arm, log } = harness((_, n) =>
      // The fourth answer ends the list: were the loop not noticed, listAll would return three items.
      n < 3
        ? { status: 200, body: { value: [{ name: `p${n}` }], nextLink: NEXT } }
        : { status: 200, body: {} },
    );
    const e = (await arm.listAll(ASSIGNMENTS).catch((x: unknown) => x)) as Error;
    expect(e.message).toBe(`paging loop: ${NEXT} was returned twice`);
    expect(log.map((l) => l.url)).toEqual([`${BASE}${ASSIGNMENTS}`, NEXT]);
  });

  it("refuses a nextLink on the same host by another scheme (https here, http the base): the origin is the scheme too", async () => {
    const other = NEXT.replace("http://", "https://");
    const { arm, log } = harness(() => ({ status: 200, body: { value: [{ name: "a" }], nextLink: other } }));
    const e = (await arm.listAll(DEFS).catch((x: unknown) => x)) as ArmError;
    expect([e.code, e.path]).toEqual([
      "ForeignNextLink",
      "https://127.0.0.1:9911/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/providers/Microsoft.Authorization/roleManagementPolicyAssignments",
    ]);
    expect(log.map((l) => l.url)).toEqual([`${BASE}${DEFS}`]);
  });
});

describe("resolveArmSettings", () => {
  const TENANT = "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47";
  const config = (entries: Record<string, string>) => ({ get: (k: string) => entries[k] });
  const emulatorEnv = {
    PIM_GRAPH_BASE_URL: "http://127.0.0.1:8787",
    PIM_GRAPH_CLIENT_ID: "emu-client",
    PIM_GRAPH_CLIENT_SECRET: "emu-secret-0123456789",
  };

  it("takes each cloud's ARM root and scope from endpoints.ts", () => {
    const cases: [string, string][] = [
      ["https://graph.microsoft.com", "https://management.azure.com"],
      ["https://graph.microsoft.us", "https://management.usgovcloudapi.net"],
      ["https://dod-graph.microsoft.us", "https://management.usgovcloudapi.net"],
      ["https://microsoftgraph.chinacloudapi.cn", "https://management.chinacloudapi.cn"],
    ];
    for (const [graph, arm] of cases) {
      const s = resolveArmSettings(config({ "pim:graphBaseUrl": graph, "azuread:tenantId": TENANT }), {});
      expect({
        baseUrl: s.baseUrl,
        scope: s.scope,
        overridden: s.overridden,
        graph: s.identity.baseUrl,
      }).toEqual({
        baseUrl: arm,
        scope: `${arm}/.default`,
        overridden: null,
        graph,
      });
    }
  });

  it("uses the emulator for ARM when Graph is the emulator, unless PIM_ARM_BASE_URL or pim:armBaseUrl says otherwise", () => {
    const s = resolveArmSettings(config({ "azuread:tenantId": TENANT }), emulatorEnv);
    expect([s.baseUrl, s.scope, s.overridden]).toEqual([
      "http://127.0.0.1:8787",
      "https://management.azure.com/.default",
      null,
    ]);
    const fromConfig = resolveArmSettings(
      config({ "azuread:tenantId": TENANT, "pim:armBaseUrl": "http://127.0.0.1:9000/" }),
      emulatorEnv,
    );
    expect([fromConfig.baseUrl, fromConfig.overridden]).toEqual([
      "http://127.0.0.1:9000",
      "http://127.0.0.1:9000",
    ]);
    const fromEnv = resolveArmSettings(
      config({ "azuread:tenantId": TENANT, "pim:armBaseUrl": "http://127.0.0.1:9000" }),
      {
        ...emulatorEnv,
        PIM_ARM_BASE_URL: "http://127.0.0.1:9001",
      },
    );
    expect(fromEnv.baseUrl).toBe("http://127.0.0.1:9001");
  });

  it("refuses an ARM of another kind or cloud than Graph's, and a Microsoft host that is no ARM root", () => {
    const real = config({ "azuread:tenantId": TENANT });
    expect(() => resolveArmSettings(real, { PIM_ARM_BASE_URL: "http://127.0.0.1:9001" })).toThrow(
      "ARM base URL http://127.0.0.1:9001 (PIM_ARM_BASE_URL) is not Azure Resource Manager, but Graph is Microsoft Graph global service: point both at the emulator, or leave PIM_ARM_BASE_URL unset for the cloud's ARM (https://management.azure.com)",
    );
    expect(() =>
      resolveArmSettings(
        config({ "azuread:tenantId": TENANT, "pim:armBaseUrl": "https://management.azure.com" }),
        emulatorEnv,
      ),
    ).toThrow(
      "ARM base URL https://management.azure.com (stack config pim:armBaseUrl) is Azure Resource Manager, but Graph is the emulator (http://127.0.0.1:8787): the emulator's client credentials are never sent to Azure; point both at the same place",
    );
    expect(() =>
      resolveArmSettings(real, { PIM_ARM_BASE_URL: "https://management.chinacloudapi.cn" }),
    ).toThrow(
      "ARM base URL https://management.chinacloudapi.cn (PIM_ARM_BASE_URL) is the ARM of Microsoft Graph China operated by 21Vianet, but Graph is Microsoft Graph global service: one sign-in cannot serve two clouds; leave PIM_ARM_BASE_URL unset",
    );
    expect(() => resolveArmSettings(real, { PIM_ARM_BASE_URL: "https://management.azure.com:8443" })).toThrow(
      "is reached at https://management.azure.com exactly (https, no port, no path)",
    );
    expect(() => resolveArmSettings(real, { PIM_ARM_BASE_URL: "https://mgmt.azure.com" })).toThrow(
      "ARM base URL https://mgmt.azure.com is in a Microsoft domain but is not an Azure Resource Manager root this project knows (https://management.azure.com, https://management.usgovcloudapi.net, https://management.chinacloudapi.cn)",
    );
  });
});

describe("readAzureRoleSettings", () => {
  it("reads a scope in three lists (the assignments paged) and gives each role its policy name and rules", async () => {
    const { arm, log } = harness(armScope);
    const roles = await readAzureRoleSettings(arm, `${SUBSCRIPTION}/`);
    expect(log.map((l) => l.url).sort()).toEqual(
      [`${BASE}${DEFS}`, `${BASE}${ASSIGNMENTS}`, NEXT, `${BASE}${POLICIES}`].sort(),
    );
    expect(roles.map(({ rules, ...r }) => ({ ...r, rules: rules.length }))).toEqual(
      [
        {
          scope: SUBSCRIPTION,
          roleDefinitionId: READER,
          roleName: "Reader",
          policyName: READER_POLICY,
          rules: 17,
        },
        {
          scope: SUBSCRIPTION,
          roleDefinitionId: OWNER,
          roleName: "Owner",
          policyName: OWNER_POLICY,
          rules: 17,
        },
        {
          scope: SUBSCRIPTION,
          roleDefinitionId: CONTRIBUTOR,
          roleName: "Contributor",
          policyName: CONTRIBUTOR_POLICY,
          rules: 17,
        },
      ].sort((a, b) => (a.roleDefinitionId < b.roleDefinitionId ? -1 : 1)),
    );
    const owner = roles.find((r) => r.roleDefinitionId === OWNER)!;
    expect(fromGraphRules(owner.rules, { [APPROVER_GROUP_ID]: "Azure Owners Approvers" })).toEqual(
      ownerSettings(),
    );
    const contributor = roles.find((r) => r.roleDefinitionId === CONTRIBUTOR)!;
    expect(fromGraphRules(contributor.rules)).toEqual(graphDefaults("azure"));
  });

  it("fails whole, naming the scope and the Azure role to assign, when ARM refuses one list", async () => {
    const { arm } = harness((url) =>
      url.includes("roleManagementPolicies?")
        ? { status: 403, body: { error: { code: "AuthorizationFailed", message: "denied" } } }
        : armScope(url),
    );
    const e = (await readAzureRoleSettings(arm, SUBSCRIPTION).catch((x: unknown) => x)) as LiveReadError;
    expect(e).toBeInstanceOf(LiveReadError);
    expect(e.message).toBe(
      `could not read the Azure role settings of ${SUBSCRIPTION}: GET ${POLICIES} → 403 AuthorizationFailed: denied; nothing was written`,
    );
    expect([e.exitCode, e.permission, e.hint]).toEqual([
      3,
      `Reader at ${SUBSCRIPTION}`,
      `assign the identity the Azure role Reader at ${SUBSCRIPTION}, then run again`,
    ]);
  });

  it("says to check the subscription when ARM does not know it", async () => {
    const { arm } = harness(() => ({
      status: 404,
      body: {
        error: {
          code: "SubscriptionNotFound",
          message: "The subscription '5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' could not be found.",
        },
      },
    }));
    const e = (await readAzureRoleSettings(arm, SUBSCRIPTION).catch((x: unknown) => x)) as LiveReadError;
    expect([e.status, e.permission, e.hint]).toEqual([
      404,
      null,
      "check the subscription id and that it belongs to this stack's tenant",
    ]);
    expect(e.message).toContain(
      "404 SubscriptionNotFound: The subscription '5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' could not be found.",
    );
  });

  it("refuses an answer whose assignment names a policy the list lacks, rather than return part of the scope", async () => {
    const { arm } = harness((url) =>
      url === `${BASE}${POLICIES}`
        ? { status: 200, body: { value: policiesPage().value.filter((p) => p.name !== OWNER_POLICY) } }
        : armScope(url),
    );
    await expect(readAzureRoleSettings(arm, SUBSCRIPTION)).rejects.toThrow(
      `could not read the Azure role settings of ${SUBSCRIPTION}: the policy assignment of role ${OWNER} names policy ${OWNER_POLICY}, which the policy list of the scope lacks; nothing was written`,
    );
  });
});

describe("readAzureRoleSettings on names ARM spells in capitals", () => {
  it("matches a role and its policy whatever the case of their GUIDs, and keeps the policy's name as the list spells it", async () => {
    const POLICY_NAME = OWNER_POLICY.toUpperCase();
    const { arm } = harness((url) => {
      if (url === `${BASE}${ASSIGNMENTS}`)
        return {
          status: 200,
          body: {
            value: [
              {
                name: `${OWNER_POLICY}_${OWNER}`,
                properties: {
                  scope: SUBSCRIPTION.toUpperCase(),
                  roleDefinitionId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${OWNER.toUpperCase()}`,
                  policyId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleManagementPolicies/${OWNER_POLICY}`,
                },
              },
            ],
          },
        };
      if (url === `${BASE}${POLICIES}`)
        return {
          status: 200,
          body: {
            value: policiesPage().value.map((p) =>
              p.name === OWNER_POLICY ? { ...p, name: POLICY_NAME } : p,
            ),
          },
        };
      return armScope(url);
    });
    const roles = await readAzureRoleSettings(arm, SUBSCRIPTION);
    expect(roles.map(({ rules, ...r }) => ({ ...r, rules: rules.length }))).toEqual([
      { scope: SUBSCRIPTION, roleDefinitionId: OWNER, roleName: "Owner", policyName: POLICY_NAME, rules: 17 },
    ]);
    expect(fromGraphRules(roles[0]!.rules, { [APPROVER_GROUP_ID]: "Azure Owners Approvers" })).toEqual(
      ownerSettings(),
    );
  });
});

describe("readAzureRoleSettings on an assignment lacking its role", () => {
  it("refuses it by name as a LiveReadError, not a TypeError", async () => {
    const { arm } = harness((url) =>
      url === `${BASE}${ASSIGNMENTS}`
        ? {
            status: 200,
            body: {
              value: [
                {
                  name: `${READER_POLICY}_${READER}`,
                  properties: {
                    scope: SUBSCRIPTION,
                    policyId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleManagementPolicies/${READER_POLICY}`,
                  },
                },
              ],
            },
          }
        : armScope(url),
    );
    const e = (await readAzureRoleSettings(arm, SUBSCRIPTION).catch((x: unknown) => x)) as LiveReadError;
    expect(e).toBeInstanceOf(LiveReadError);
    expect(e.message).toBe(
      `could not read the Azure role settings of ${SUBSCRIPTION}: ARM returned a policy assignment without roleDefinitionId or policyId (${READER_POLICY}_${READER}); nothing was written`,
    );
  });
});

/** A live read of Azure roles only (no directory part): what liveSnapshot makes of ARM's answers. */
function azureOnlyRead(
  azureRoles: Awaited<ReturnType<typeof readAzureRoleSettings>>,
  objects: [string, { id: string; "@odata.type": string; displayName: string }][] = [],
): Parameters<typeof liveSnapshot>[0] {
  return {
    organization: { id: "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47", displayName: "Contoso" },
    roles: [],
    rolePolicies: new Map(),
    eligibility: [],
    assignments: [],
    groups: [],
    groupPolicies: new Map(),
    groupEligibility: [],
    groupAssignments: [],
    objects: new Map(objects),
    approverMembers: new Map(),
    administrativeUnits: [],
    conditionalAccess: [],
    authenticationContexts: [],
    azureScopes: [SUBSCRIPTION],
    azureRoles,
  };
}

describe("liveSnapshot of Azure role settings", () => {
  it("lists the Azure roles differing from ARM's defaults, approvers by name, and every policy name as a fact", async () => {
    const { arm } = harness(armScope);
    const azureRoles = await readAzureRoleSettings(arm, SUBSCRIPTION);
    const approver = {
      id: APPROVER_GROUP_ID,
      "@odata.type": "#microsoft.graph.group",
      displayName: "Azure Owners Approvers",
    };
    const live = liveSnapshot(azureOnlyRead(azureRoles, [[APPROVER_GROUP_ID, approver]]), "contoso");
    const key = `azure:${SUBSCRIPTION}:${OWNER}`;
    expect(live.snapshot.state.roleSettings).toEqual([
      {
        key,
        label: `Owner on ${SUBSCRIPTION}`,
        target: { kind: "azure", roleId: OWNER, scope: SUBSCRIPTION },
        profile: null,
        settings: ownerSettings(),
      },
    ]);
    expect(live.facts.azureRolePolicies).toEqual({
      [key]: OWNER_POLICY,
      [`azure:${SUBSCRIPTION}:${CONTRIBUTOR}`]: CONTRIBUTOR_POLICY,
      [`azure:${SUBSCRIPTION}:${READER}`]: READER_POLICY,
    });
    expect(live.facts.azureScopes).toEqual([SUBSCRIPTION]);
    // An approver group of an Azure role is named in its stages, not listed as a directory approver group.
    expect(live.snapshot.state.approverGroups).toEqual([]);
  });
});

describe("liveSnapshot labels of Azure role settings", () => {
  it("names a catalogue role as the catalogue does and a custom role as ARM does, each on its scope", async () => {
    const { arm } = harness(armScope);
    const owner = (await readAzureRoleSettings(arm, SUBSCRIPTION)).find((r) => r.roleDefinitionId === OWNER);
    const CUSTOM = "0f9e8d7c-6b5a-4948-8372-615049382716";
    const live = liveSnapshot(
      azureOnlyRead([
        // ARM's roleName is not what the catalogue (and a declaration) calls a built-in role.
        { ...owner!, roleName: "owner (as ARM lists it)" },
        { ...owner!, roleDefinitionId: CUSTOM, roleName: "Contoso Deployer", policyName: "custom-policy" },
      ]),
      "contoso",
    );
    expect(live.snapshot.state.roleSettings.map((e) => e.label)).toEqual([
      `Contoso Deployer on ${SUBSCRIPTION}`,
      `Owner on ${SUBSCRIPTION}`,
    ]);
  });
});

describe("an Owner policy as ARM sends it (fixtures/arm/ownerPolicy.json, written by hand, not by the conversions)", () => {
  const POLICY = "9a5c1d2e-4444-4aaa-8bbb-00000000a004";
  const KEN = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const notice = (level: string, defaultRecipients: boolean, additionalRecipients: string[] = []) => ({
    level,
    defaultRecipients,
    additionalRecipients,
  });

  it("reads every field: nulls where ARM sends them, approvers of both kinds by name", async () => {
    const { arm } = harness((url) => {
      if (url === `${BASE}${POLICIES}`) return { status: 200, body: ownerPolicyJson };
      if (url === `${BASE}${ASSIGNMENTS}`)
        return {
          status: 200,
          body: {
            value: [
              {
                name: `${POLICY}_${OWNER}`,
                properties: {
                  scope: SUBSCRIPTION,
                  roleDefinitionId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
                  policyId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleManagementPolicies/${POLICY}`,
                },
              },
              // Inherited from a management group: governed there, not read as this scope's.
              {
                name: `x_${READER}`,
                properties: {
                  scope: "/providers/Microsoft.Management/managementGroups/contoso",
                  roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
                  policyId:
                    "/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/roleManagementPolicies/x",
                },
              },
            ],
          },
        };
      return armScope(url);
    });
    const [owner, ...others] = await readAzureRoleSettings(arm, SUBSCRIPTION);
    expect(others).toEqual([]);
    expect([owner!.roleName, owner!.policyName]).toEqual(["Owner", POLICY]);
    expect(
      fromGraphRules(owner!.rules, {
        [APPROVER_GROUP_ID]: "Azure Owners Approvers",
        [KEN]: "ken.thompson@contoso.com",
      }),
    ).toEqual({
      activation: {
        maximumDuration: "PT2H",
        requireMfa: true,
        authenticationContext: null,
        requireJustification: true,
        requireTicket: true,
        approval: {
          required: true,
          requiredForExtension: false,
          stages: [
            {
              approvers: [
                { type: "group", ref: "Azure Owners Approvers" },
                { type: "user", ref: "ken.thompson@contoso.com" },
              ],
              timeoutDays: 1,
              approverJustification: true,
              escalation: null,
            },
          ],
        },
      },
      eligibleAssignment: {
        allowPermanent: false,
        maximumDuration: "P90D",
        requireMfa: false,
        requireJustification: false,
      },
      activeAssignment: {
        allowPermanent: false,
        maximumDuration: "P30D",
        requireMfa: true,
        requireJustification: true,
      },
      notifications: {
        eligibleAssignment: {
          admin: notice("critical", false, ["owners-admins@contoso.com"]),
          requestor: notice("all", true),
          approver: notice("all", true),
        },
        activeAssignment: {
          admin: notice("all", true),
          requestor: notice("all", true),
          approver: notice("all", true),
        },
        activation: {
          admin: notice("all", true, ["owner-activations@contoso.com"]),
          requestor: notice("critical", true),
          approver: notice("all", false),
        },
      },
    });
  });
});
