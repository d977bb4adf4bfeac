import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";
import { SOURCE } from "./fixtures";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks({
    directory: {
      users: {
        "bg-alpha@contoso.onmicrosoft.com": "oid-alpha",
        "bg-bravo@contoso.onmicrosoft.com": "oid-bravo",
      },
    },
  });
  components = await import("../../components/index.js");
});

describe("BreakGlass", () => {
  it("looks the accounts up, assigns Global Administrator permanently and protects the assignments", async () => {
    const bg = new components.BreakGlass("bg", {
      accounts: [
        { upn: "bg-alpha@contoso.onmicrosoft.com", description: "site A", source: SOURCE },
        { upn: "bg-bravo@contoso.onmicrosoft.com", description: "site B", source: SOURCE },
      ],
    });
    await settle();

    expect(h.byName("bg").type).toBe("pim:entra:BreakGlass");
    expect(h.children("bg")).toEqual([
      [TYPES.directoryRoleAssignment, "bg-bg-alpha-contoso-onmicrosoft-com"],
      [TYPES.directoryRoleAssignment, "bg-bg-bravo-contoso-onmicrosoft-com"],
    ]);
    for (const [name, oid] of [
      ["bg-bg-alpha-contoso-onmicrosoft-com", "oid-alpha"],
      ["bg-bg-bravo-contoso-onmicrosoft-com", "oid-bravo"],
    ] as const) {
      const a = h.byName(name);
      expect(typeChain(a.urn)).toBe(`pim:entra:BreakGlass$${TYPES.directoryRoleAssignment}`);
      expect(a.inputs).toEqual({
        roleId: "62e90394-69f5-4237-9190-012177145e10",
        principalObjectId: oid,
        directoryScopeId: "/",
      });
      // A run can never remove a break-glass assignment: the engine refuses, and deletion leaves it in the tenant.
      expect(a.protect).toBe(true);
      expect(a.retainOnDelete).toBe(true);
    }
    // Referenced, never created: one lookup per account and no user resource.
    expect(h.invokes.map((i) => [i.token, i.inputs["userPrincipalName"]])).toEqual([
      ["azuread:index/getUser:getUser", "bg-alpha@contoso.onmicrosoft.com"],
      ["azuread:index/getUser:getUser", "bg-bravo@contoso.onmicrosoft.com"],
    ]);
    expect(h.ofType("azuread:index/user:User")).toEqual([]);
    // Never eligible: nothing but permanent assignments under the component.
    expect(h.resources.filter((r) => r.type.includes("Eligibility") || r.type === TYPES.schedule)).toEqual(
      [],
    );
    await expect(new Promise((r) => bg.objectIds.apply(r))).resolves.toEqual({
      "bg-alpha@contoso.onmicrosoft.com": "oid-alpha",
      "bg-bravo@contoso.onmicrosoft.com": "oid-bravo",
    });
  });
});
