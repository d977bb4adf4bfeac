// The ARM routes for Azure resource roles, read side: role definitions, role management policies (paged with an
// absolute nextLink), policy assignments with and without $filter, token audiences both ways, and the seeds.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  AUTHZ,
  OWNER,
  ROLE_NAMES,
  SUB,
  UAA,
  allPages,
  arm,
  armToken,
  claims,
  expectedRules,
} from "./armHelpers";
import { NOW, appToken } from "./helpers";

const HANDMADE = join(__dirname, "..", "..", "emulator", "seeds", "handmade.yaml");
const DEMO_STACK = join(__dirname, "..", "..", "stacks", "demo", "tenant.yaml");

describe("ARM reads on the handmade seed", () => {
  let emu: RunningEmulator;
  let deployer: string;
  let reader: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, now: NOW, seed: HANDMADE });
    deployer = await armToken(emu);
    reader = await armToken(emu, "pim-reader");
  });
  afterAll(() => emu.stop());

  it("issues ARM tokens for management.azure.com and management.core.windows.net, Graph tokens for Graph", async () => {
    expect(claims(deployer)).toMatchObject({ aud: "https://management.azure.com/", roles: [] });
    const classic = await armToken(emu, "pim-reader", "https://management.core.windows.net//.default");
    expect(claims(classic).aud).toBe("https://management.core.windows.net/");
    expect((await arm(emu, classic, `${AUTHZ}/roleDefinitions?api-version=2022-04-01`)).status).toBe(200);
    const graph = await appToken(emu, "pim-as-code-deployer");
    expect(claims(graph).aud).toBe("https://graph.microsoft.com");
    expect(claims(graph).roles.length).toBeGreaterThan(0);
  });

  it("ARM refuses a Graph token and Graph refuses an ARM token (401 both ways)", async () => {
    const graph = await appToken(emu, "pim-as-code-deployer");
    expect(await arm(emu, graph, `${AUTHZ}/roleManagementPolicies?api-version=2020-10-01`)).toEqual({
      status: 401,
      body: {
        error: {
          code: "InvalidAuthenticationTokenAudience",
          message:
            "The access token has been obtained for wrong audience or resource 'https://graph.microsoft.com'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
        },
      },
    });
    const res = await fetch(`${emu.baseUrl}/v1.0/users`, {
      headers: { Authorization: `Bearer ${deployer}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error).toMatchObject({
      code: "InvalidAuthenticationToken",
      message: "Access token validation failure. Invalid audience.",
    });
  });

  it("lists the subscription's built-in roles", async () => {
    const { values, links } = await allPages(emu, reader, `${AUTHZ}/roleDefinitions?api-version=2022-04-01`);
    expect(links.length).toBe(2);
    const roles = values.flat();
    expect(roles.map((r) => r.properties.roleName)).toEqual(ROLE_NAMES);
    expect(roles.find((r) => r.name === OWNER)).toEqual({
      properties: {
        roleName: "Owner",
        type: "BuiltInRole",
        description:
          "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        assignableScopes: ["/"],
        permissions: [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }],
      },
      id: `${AUTHZ}/roleDefinitions/${OWNER}`,
      type: "Microsoft.Authorization/roleDefinitions",
      name: OWNER,
    });
    const byName = await arm(
      emu,
      reader,
      `${AUTHZ}/roleDefinitions?api-version=2022-04-01&$filter=roleName eq 'Reader'`,
    );
    expect(byName.body.value.map((r: any) => r.name)).toEqual(["acdd72a7-3385-48ef-bd42-f606fba81ae7"]);
  });

  it("lists one policy per role in pages of two, each nextLink an absolute URL to the emulator", async () => {
    const { values, links } = await allPages(
      emu,
      reader,
      `${AUTHZ}/roleManagementPolicies?api-version=2020-10-01`,
    );
    expect(values.map((v) => v.length)).toEqual([2, 2, 1]);
    expect(links).toEqual([
      `${emu.baseUrl}${AUTHZ}/roleManagementPolicies?api-version=2020-10-01&%24skipToken=2`,
      `${emu.baseUrl}${AUTHZ}/roleManagementPolicies?api-version=2020-10-01&%24skipToken=4`,
    ]);
    const policies = values.flat();
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(5);
    for (const n of names)
      expect(n).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const owner = policies[1];
    expect(owner).toEqual({
      properties: {
        scope: `/subscriptions/${SUB}`,
        displayName: null,
        description: null,
        isOrganizationDefault: false,
        lastModifiedDateTime: null,
        lastModifiedBy: { id: null, displayName: null, type: null, email: null },
        rules: expectedRules({
          activation: "P1D",
          activationRules: ["Justification"],
          permanentActive: true,
        }),
        effectiveRules: expectedRules({
          activation: "P1D",
          activationRules: ["Justification"],
          permanentActive: true,
        }),
        policyProperties: {
          scope: { id: `/subscriptions/${SUB}`, displayName: "Contoso Production", type: "subscription" },
        },
      },
      name: "0fe50d9c-dc71-5607-8b66-9471e74b7413",
      id: `${AUTHZ}/roleManagementPolicies/0fe50d9c-dc71-5607-8b66-9471e74b7413`,
      type: "Microsoft.Authorization/RoleManagementPolicies",
    });
    // User Access Administrator was left at Azure's defaults.
    expect(policies[4].properties.rules).toEqual(expectedRules());
  });

  it("gets one policy by name, the same object the list holds", async () => {
    const list = (
      await allPages(emu, reader, `${AUTHZ}/roleManagementPolicies?api-version=2020-10-01`)
    ).values.flat();
    const uaa = list[4];
    const got = await arm(emu, reader, `${AUTHZ}/roleManagementPolicies/${uaa.name}?api-version=2020-10-01`);
    expect(got).toEqual({ status: 200, body: uaa });
  });

  it("lists policy assignments, all of them and by roleDefinitionId", async () => {
    const all = (
      await allPages(emu, reader, `${AUTHZ}/roleManagementPolicyAssignments?api-version=2020-10-01`)
    ).values.flat();
    expect(all.map((a) => a.properties.policyAssignmentProperties.roleDefinition.displayName)).toEqual(
      ROLE_NAMES,
    );
    const roleId = `${AUTHZ}/roleDefinitions/${UAA}`;
    const filtered = await arm(
      emu,
      reader,
      `${AUTHZ}/roleManagementPolicyAssignments?api-version=2020-10-01&$filter=${encodeURIComponent(`roleDefinitionId eq '${roleId}'`)}`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.nextLink).toBeUndefined();
    const policyName = all[4].properties.policyId.split("/").pop();
    const policyId = `${AUTHZ}/roleManagementPolicies/${policyName}`;
    expect(filtered.body.value).toEqual([
      {
        properties: {
          scope: `/subscriptions/${SUB}`,
          roleDefinitionId: roleId,
          policyId,
          effectiveRules: expectedRules(),
          policyAssignmentProperties: {
            scope: { id: `/subscriptions/${SUB}`, displayName: "Contoso Production", type: "subscription" },
            roleDefinition: { id: roleId, displayName: "User Access Administrator", type: "BuiltInRole" },
            policy: {
              id: policyId,
              lastModifiedBy: { id: null, displayName: null, type: null, email: null },
              lastModifiedDateTime: null,
            },
          },
        },
        name: `${policyName}_${UAA}`,
        id: `${AUTHZ}/roleManagementPolicyAssignments/${policyName}_${UAA}`,
        type: "Microsoft.Authorization/RoleManagementPolicyAssignment",
      },
    ]);
  });
});

describe("ARM reads as ARM matches them: case, the provider form, filters and skip tokens", () => {
  let emu: RunningEmulator;
  let reader: string;
  const V = "api-version=2020-10-01";
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, now: NOW, seed: HANDMADE });
    reader = await armToken(emu, "pim-reader");
  });
  afterAll(() => emu.stop());
  const ownerPolicy = () => emu.state.azure.policies.find((p) => p.roleGuid === OWNER)!;

  it("gets a policy by its name in capitals, and under /providers/Microsoft.Subscription, as the same object", async () => {
    const plain = await arm(emu, reader, `${AUTHZ}/roleManagementPolicies/${ownerPolicy().name}?${V}`);
    expect([plain.status, plain.body.name]).toEqual([200, ownerPolicy().name]);
    const capitals = await arm(
      emu,
      reader,
      `${AUTHZ}/roleManagementPolicies/${ownerPolicy().name.toUpperCase()}?${V}`,
    );
    expect(capitals).toEqual(plain);
    const provider = await arm(
      emu,
      reader,
      `/providers/Microsoft.Subscription${AUTHZ}/roleManagementPolicies/${ownerPolicy().name}?${V}`,
    );
    expect(provider).toEqual(plain);
  });

  it("filters role definitions by name in any case; a roleDefinitionId of another subscription matches nothing", async () => {
    const byName = await arm(
      emu,
      reader,
      `${AUTHZ}/roleDefinitions?api-version=2022-04-01&$filter=${encodeURIComponent("roleName eq 'owner'")}`,
    );
    expect(byName.body.value.map((r: any) => r.name)).toEqual([OWNER]);
    const other = `/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`;
    const none = await arm(
      emu,
      reader,
      `${AUTHZ}/roleManagementPolicies?${V}&$filter=${encodeURIComponent(`roleDefinitionId eq '${other}'`)}`,
    );
    expect(none).toEqual({ status: 200, body: { value: [] } });
  });

  it("refuses a skip token past the list and a path longer than a policy's", async () => {
    expect(await arm(emu, reader, `${AUTHZ}/roleManagementPolicies?${V}&$skipToken=6`)).toEqual({
      status: 400,
      body: { error: { code: "BadRequest", message: "The skip token '6' is not valid." } },
    });
    const longer = await arm(emu, reader, `${AUTHZ}/roleManagementPolicies/${ownerPolicy().name}/extra?${V}`);
    expect(longer.status).toBe(404);
    expect(longer.body.error.code).toBe("InvalidResourceType");
  });
});

describe("ARM seeds", () => {
  it("demo.yaml: the same subscription, every role at defaults, the same policy names as handmade.yaml", async () => {
    const demo = await startEmulator({ port: 0, now: NOW });
    const handmade = await startEmulator({ port: 0, now: NOW, seed: HANDMADE });
    try {
      const list = async (emu: RunningEmulator) =>
        (
          await allPages(
            emu,
            await armToken(emu, "pim-reader"),
            `${AUTHZ}/roleManagementPolicies?api-version=2020-10-01`,
          )
        ).values.flat();
      const d = await list(demo);
      const h = await list(handmade);
      expect(d.map((p) => p.name)).toEqual(h.map((p) => p.name));
      for (const p of d) expect(p.properties.rules).toEqual(expectedRules());
      expect(
        demo.state.azure.access.map((a) => [demo.state.displayName(a.principalId), a.roleGuid, a.scope]),
      ).toEqual([
        ["pim-reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", `/subscriptions/${SUB}`],
        ["pim-as-code-deployer", OWNER, `/subscriptions/${SUB}`],
      ]);
    } finally {
      await demo.stop();
      await handmade.stop();
    }
  });

  it("a stack's tenant.yaml: the subscriptions its azureRoles name, at defaults, with the apps' access", async () => {
    const emu = await startEmulator({ port: 0, now: NOW, seed: DEMO_STACK });
    try {
      expect(emu.state.azure.subscriptions).toEqual([
        { id: SUB, displayName: "Contoso Production", resourceGroups: [] },
      ]);
      const owner = await arm(
        emu,
        await armToken(emu, "pim-reader"),
        `${AUTHZ}/roleManagementPolicyAssignments?api-version=2020-10-01&$filter=roleDefinitionId eq '${AUTHZ}/roleDefinitions/${OWNER}'`,
      );
      expect(owner.status).toBe(200);
      expect(owner.body.value.map((a: any) => a.properties.effectiveRules)).toEqual([expectedRules()]);
    } finally {
      await emu.stop();
    }
  });

  it("refuses an unknown role, identity or scope with the seed path", async () => {
    await expect(
      startEmulator({
        port: 0,
        now: NOW,
        seed: {
          tenant: {
            id: "11111111-2222-4333-8444-555555555555",
            displayName: "T",
            domains: [{ name: "t.example" }],
          },
          azure: {
            subscriptions: [
              {
                id: SUB,
                displayName: "S",
                resourceGroups: ["rg-app"],
                access: [
                  {
                    identity: "nobody",
                    role: "Reader",
                    scope: `/subscriptions/${SUB}/resourceGroups/rg-other`,
                  },
                ],
                policies: [{ role: "Janitor", rules: {} }],
              },
            ],
          },
        },
      }),
    ).rejects.toThrow(
      [
        "invalid emulator seed:",
        `  azure.subscriptions[0].access[0].scope: '/subscriptions/${SUB}/resourceGroups/rg-other' is neither this subscription nor one of its resourceGroups (/subscriptions/${SUB}, /subscriptions/${SUB}/resourceGroups/rg-app)`,
        "  azure.subscriptions[0].access[0].identity: 'nobody' matches no user, group or service principal",
        "  azure.subscriptions[0].policies[0].role: unknown Azure role 'Janitor' (known: Contributor, Owner, Reader, Role Based Access Control Administrator, User Access Administrator)",
      ].join("\n"),
    );
  });
});
