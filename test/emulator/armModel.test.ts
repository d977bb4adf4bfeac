// The emulator's Azure RBAC and policy naming (emulator/armModel.ts) on exact values: the policy name a scope and
// role derive (seeds, state files and stack configs hold it), which scopes a held role covers, and which actions
// a built-in role allows.
import { describe, expect, it } from "vitest";
import { mayPerform, policyName, roleAllows, scopeCovers, emptyAzureState } from "../../emulator/armModel";

const SUB = "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const WRITE = "Microsoft.Authorization/roleManagementPolicies/write";

describe("policyName", () => {
  it("is one GUID per scope and role, whatever the case or trailing slash they are written with", () => {
    const name = "0fe50d9c-dc71-5607-8b66-9471e74b7413";
    expect(policyName(`/subscriptions/${SUB}`, OWNER)).toBe(name);
    expect(policyName(`/SUBSCRIPTIONS/${SUB.toUpperCase()}/`, OWNER.toUpperCase())).toBe(name);
    expect(policyName(`/subscriptions/${SUB}`, READER)).not.toBe(name);
    expect(policyName(`/subscriptions/${SUB}/resourceGroups/rg-web`, OWNER)).not.toBe(name);
  });
});

describe("Azure RBAC", () => {
  it("a role held at a scope covers that scope and those below it, not a sibling whose name extends it", () => {
    expect(scopeCovers(`/subscriptions/${SUB}`, `/Subscriptions/${SUB}/resourceGroups/rg-web`)).toBe(true);
    expect(scopeCovers(`/subscriptions/${SUB}/`, `/subscriptions/${SUB}`)).toBe(true);
    expect(
      scopeCovers(`/subscriptions/${SUB}/resourceGroups/rg`, `/subscriptions/${SUB}/resourceGroups/rg-web`),
    ).toBe(false);
    expect(scopeCovers(`/subscriptions/${SUB}/resourceGroups/rg-web`, `/subscriptions/${SUB}`)).toBe(false);
  });

  it("Contributor's notActions take away the policy write its '*' grants; actions match in any case", () => {
    expect(roleAllows(OWNER, WRITE)).toBe(true);
    expect(roleAllows(CONTRIBUTOR, WRITE)).toBe(false);
    expect(
      roleAllows(CONTRIBUTOR, WRITE.replace("roleManagementPolicies/write", "roleManagementPolicies/read")),
    ).toBe(true);
    expect(roleAllows(READER, "microsoft.authorization/rolemanagementpolicies/READ")).toBe(true);
    expect(roleAllows(READER, WRITE)).toBe(false);
  });

  it("an Owner of a resource group may write there, not at its subscription", () => {
    const azure = {
      ...emptyAzureState(),
      access: [
        {
          principalId: "AB000000-0000-4000-8000-000000000001",
          roleGuid: OWNER,
          scope: `/subscriptions/${SUB}/resourceGroups/rg-web`,
        },
      ],
    };
    const ids = ["ab000000-0000-4000-8000-000000000001"];
    expect(mayPerform(azure, ids, WRITE, `/subscriptions/${SUB}/resourceGroups/rg-web`)).toBe(true);
    expect(mayPerform(azure, ids, WRITE, `/subscriptions/${SUB}`)).toBe(false);
  });
});
