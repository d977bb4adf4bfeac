import { describe, expect, it } from "vitest";
import { NameRegistry, slug } from "../../components/names";
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
