import { describe, expect, it } from "vitest";
import {
  childAliases,
  legacyNames,
  nameAliases,
  NameRegistry,
  previousNamesOf,
  resourceNames,
  shortHash,
} from "../../components/names";
import { slug } from "../../model/slug";
import * as components from "../../components";

describe("slug", () => {
  it.each([
    ["Global Administrator", "global-administrator"],
    ["ada.lovelace@contoso.com", "ada-lovelace-contoso-com"],
    ["/subscriptions/5F1C/resourceGroups/rg-app/", "subscriptions-5f1c-resourcegroups-rg-app"],
    ["Tier-1 Helpdesk Operators", "tier-1-helpdesk-operators"],
    ["***", "x"],
  ])("%s → %s", (input, out) => {
    expect(slug(input)).toBe(out);
  });
});

const GA = "62e90394-69f5-4237-9190-012177145e10";
const ADA = "1f0c8e2a-5b6d-4c7e-8f90-a1b2c3d4e5f6";

describe("resourceNames", () => {
  // Literal values: a change here renames every resource of every existing stack (add an alias first).
  it("names a grant by kind, role id, principal object id and a hash of the whole identity", () => {
    const identity = `eligible|directory:${GA}|/|${ADA}`;
    expect(shortHash(identity)).toBe("426818a3");
    expect(resourceNames.grant("demo", { kind: "eligible", roleId: GA, principal: ADA, identity })).toBe(
      "demo-grant-eligible-62e90394-1f0c8e2a-426818a3",
    );
    // A group created by this program has no object id yet: its declaration key is hashed instead.
    expect(
      resourceNames.grant("demo", {
        kind: "active",
        roleId: GA,
        principal: "pimGroup:tier-1 helpdesk operators",
        identity: `active|directory:${GA}|/|pimgroup:tier-1 helpdesk operators`,
      }),
    ).toBe(
      `demo-grant-active-62e90394-${shortHash("pimGroup:tier-1 helpdesk operators")}-${shortHash(`active|directory:${GA}|/|pimgroup:tier-1 helpdesk operators`)}`,
    );
  });

  it("gives different identities different names, bounded in length whatever the scope", () => {
    const at = (scope: string, kind: "eligible" | "active" = "eligible") =>
      resourceNames.grant("demo", {
        kind,
        roleId: GA,
        principal: ADA,
        identity: `${kind}|directory:${GA}|${scope}|${ADA}`,
      });
    const names = [at("/"), at("au:0a0a0a0a-0000-4000-8000-000000000001"), at("/", "active")];
    expect(new Set(names).size).toBe(3);
    for (const n of names) expect(n.length).toBeLessThanOrEqual("demo-".length + 45);
  });

  it("names settings by role id (and an Azure scope's hash), groups by their declaration", () => {
    expect(resourceNames.directorySettings("demo", GA.toUpperCase())).toBe(`demo-role-${GA}`);
    expect(
      resourceNames.azureSettings("demo", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "/subscriptions/5F1C/"),
    ).toBe(
      resourceNames.azureSettings("demo", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "/subscriptions/5f1c"),
    );
    expect(
      resourceNames.azureSettings("demo", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "/subscriptions/5f1c"),
    ).toBe(`demo-azure-8e3af657-a8ff-443c-a75c-2fe8c4bcb635-${shortHash("/subscriptions/5f1c")}`);
    expect(resourceNames.pimGroup("demo", "Tier-1 Helpdesk Operators")).toBe(
      "demo-group-tier-1-helpdesk-operators",
    );
    expect(resourceNames.approverGroup("demo", "PIM Approvers - Tier 0")).toBe(
      "demo-approvers-pim-approvers-tier-0",
    );
    expect(resourceNames.approverMember("g", ADA.toUpperCase())).toBe(`g-member-${ADA}`);
  });

  it("knows what earlier releases called the same resources", () => {
    expect(legacyNames.grant("demo", "ada-lovelace-security-reader")).toBe(
      "demo-grant-ada-lovelace-security-reader",
    );
    expect(legacyNames.directorySettings("demo", "Global Administrator")).toBe(
      "demo-role-global-administrator",
    );
    expect(legacyNames.azureSettings("demo", "Owner", "/subscriptions/5f1c")).toBe(
      "demo-azure-owner-subscriptions-5f1c",
    );
    expect(legacyNames.approverMember("g", "ada.lovelace@contoso.com")).toBe(
      "g-member-ada-lovelace-contoso-com",
    );
  });
});

describe("aliases", () => {
  it("lists each previous name once, never the current one", () => {
    expect(nameAliases("a", ["b", "a", "b", "c"])).toEqual([{ name: "b" }, { name: "c" }]);
    expect(previousNamesOf({ aliases: [{ name: "b" }, "urn:pulumi:x::y::t::z", { type: "t" }] })).toEqual([
      "b",
    ]);
    expect(previousNamesOf(undefined)).toEqual([]);
  });

  it("gives a child its names under each previous parent name, and its own previous names under both", () => {
    expect(childAliases("new-schedule", "new", ["old"])).toEqual([{ name: "old-schedule" }]);
    expect(childAliases("g-member-1", "g", ["h"], ["g-member-ada"])).toEqual([
      { name: "g-member-ada" },
      { name: "h-member-1" },
      { name: "h-member-ada" },
    ]);
    expect(childAliases("same-settings", "same", [])).toEqual([]);
  });
});

describe("NameRegistry", () => {
  it("refuses a second claim of a name, naming both claimants", () => {
    const names = new NameRegistry();
    expect(names.claim("t-grant-a-b", "grant a.b.yaml")).toBe("t-grant-a-b");
    expect(() => names.claim("t-grant-a-b", "grant a-b.yaml")).toThrow(
      'resource name "t-grant-a-b" is claimed by both grant a.b.yaml and grant a-b.yaml; rename one of them',
    );
  });
});

describe("COMPONENT_TYPES", () => {
  it("matches every component's registered type token", () => {
    const classes = {
      ApproverGroup: components.ApproverGroup,
      AzureRoleSettings: components.AzureRoleSettings,
      BreakGlass: components.BreakGlass,
      Grant: components.Grant,
      PimGroup: components.PimGroup,
      RoleSettings: components.RoleSettings,
      Tenant: components.Tenant,
    };
    expect(Object.fromEntries(Object.entries(classes).map(([k, c]) => [k, c.__pulumiType]))).toEqual(
      components.COMPONENT_TYPES,
    );
  });
});
