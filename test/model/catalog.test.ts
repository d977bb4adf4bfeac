import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  entraCatalog,
  entraRoleById,
  findAzureRole,
  findDirectoryRole,
} from "../../model";
import { closest } from "../../model/catalog";
import { REPO } from "./badCases";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("the Entra catalog", () => {
  const roles = entraCatalog();

  it("holds 143 built-in roles, 35 of them privileged, as SOURCES.md says", () => {
    expect(roles).toHaveLength(143);
    expect(roles.filter((r) => r.isPrivileged)).toHaveLength(35);
    const sources = fs.readFileSync(path.join(REPO, "model/catalog/SOURCES.md"), "utf8");
    expect(sources).toContain(
      "143 Microsoft Entra built-in directory roles. 35 of them have `isPrivileged: true`.",
    );
  });

  it("names and template ids are unique (case-insensitively), ids are lower-case GUIDs, sorted by name", () => {
    expect(new Set(roles.map((r) => r.displayName.toLowerCase())).size).toBe(roles.length);
    expect(new Set(roles.map((r) => r.templateId)).size).toBe(roles.length);
    for (const r of roles) expect(r.templateId).toMatch(GUID);
    const names = roles.map((r) => r.displayName);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it("the constants point at the right roles", () => {
    expect(entraRoleById(GLOBAL_ADMINISTRATOR)).toEqual({
      kind: "directory",
      name: "Global Administrator",
      id: GLOBAL_ADMINISTRATOR,
      builtIn: true,
      isPrivileged: true,
    });
    expect(entraRoleById(PRIVILEGED_ROLE_ADMINISTRATOR)?.name).toBe("Privileged Role Administrator");
    expect(entraRoleById(GLOBAL_ADMINISTRATOR.toUpperCase())?.name).toBe("Global Administrator");
    expect(entraRoleById("00000000-0000-0000-0000-000000000000")).toBeUndefined();
  });

  it("the roles the demo and the baselines name are there with the expected privilege flag", () => {
    const flag = (name: string) => {
      const hit = findDirectoryRole(name);
      return hit.ok ? hit.role.isPrivileged : "missing";
    };
    expect(
      Object.fromEntries(
        [
          "Global Administrator",
          "Privileged Role Administrator",
          "Privileged Authentication Administrator",
          "Security Administrator",
          "Conditional Access Administrator",
          "User Administrator",
          "Helpdesk Administrator",
          "Exchange Administrator",
          "Security Reader",
          "Reports Reader",
          "Message Center Reader",
        ].map((n) => [n, flag(n)]),
      ),
    ).toEqual({
      "Global Administrator": true,
      "Privileged Role Administrator": true,
      "Privileged Authentication Administrator": true,
      "Security Administrator": true,
      "Conditional Access Administrator": true,
      "User Administrator": true,
      "Helpdesk Administrator": true,
      "Exchange Administrator": false,
      "Security Reader": true,
      "Reports Reader": false,
      "Message Center Reader": false,
    });
  });
});

describe("findDirectoryRole", () => {
  it("by display name, case-insensitively and trimmed, or by template id", () => {
    const ga = {
      kind: "directory",
      name: "Global Administrator",
      id: GLOBAL_ADMINISTRATOR,
      builtIn: true,
      isPrivileged: true,
    };
    expect(findDirectoryRole("Global Administrator")).toEqual({ ok: true, role: ga });
    expect(findDirectoryRole("  global ADMINISTRATOR ")).toEqual({ ok: true, role: ga });
    expect(findDirectoryRole(GLOBAL_ADMINISTRATOR)).toEqual({ ok: true, role: ga });
    expect(findDirectoryRole(GLOBAL_ADMINISTRATOR.toUpperCase())).toEqual({ ok: true, role: ga });
  });

  it("an unknown GUID is a custom role, assumed privileged", () => {
    expect(findDirectoryRole("11111111-2222-3333-4444-555555555555")).toEqual({
      ok: true,
      role: {
        kind: "directory",
        name: "11111111-2222-3333-4444-555555555555",
        id: "11111111-2222-3333-4444-555555555555",
        builtIn: false,
        isPrivileged: true,
      },
    });
  });

  it.each([
    ["Global Adminstrator", ["Global Administrator", "Groups Administrator", "AI Administrator"]],
    ["global admin", ["Global Administrator"]],
    ["Securty Reader", ["Security Reader", "Reports Reader"]],
    ["Helpdesk Admin", ["Helpdesk Administrator"]],
    ["Priviledged Role Administrator", ["Privileged Role Administrator"]],
    ["Intune Admin", ["Intune Administrator"]],
    ["Chief Everything Officer", []],
    ["xyz", []],
  ])("a miss on %j suggests %j", (name, suggestions) => {
    expect(findDirectoryRole(name)).toEqual({ ok: false, suggestions });
  });

  it("Azure role names are not Entra roles", () => {
    expect(findDirectoryRole("Owner").ok).toBe(false);
    expect(findDirectoryRole("Contributor").ok).toBe(false);
  });
});

describe("findAzureRole", () => {
  it("by name (case-insensitive, trimmed) or role definition id", () => {
    const contributor = { kind: "azure", name: "Contributor", id: "b24988ac-6180-42a0-ab88-20f7382dd24c" };
    expect(findAzureRole("contributor")).toEqual({ ok: true, role: contributor });
    expect(findAzureRole("b24988ac-6180-42a0-ab88-20f7382dd24c")).toEqual({ ok: true, role: contributor });
    expect(findAzureRole("Owner ")).toEqual({
      ok: true,
      role: { kind: "azure", name: "Owner", id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" },
    });
  });

  it("suggests near misses; an Entra name is not an Azure role; unknown GUIDs are custom roles", () => {
    expect(findAzureRole("Ownr")).toEqual({ ok: false, suggestions: ["Owner"] });
    expect(findAzureRole("User Access Admin")).toEqual({
      ok: false,
      suggestions: ["User Access Administrator"],
    });
    expect(findAzureRole("Global Administrator")).toEqual({ ok: false, suggestions: [] });
    expect(findAzureRole("AABBCCDD-0000-4000-8000-000000000000")).toEqual({
      ok: true,
      role: {
        kind: "azure",
        name: "AABBCCDD-0000-4000-8000-000000000000",
        id: "aabbccdd-0000-4000-8000-000000000000",
      },
    });
  });
});

describe("closest", () => {
  it("finds misspelt keys within a small edit distance, best first, at most three", () => {
    expect(closest("justfication", ["principal", "justification", "ticket"])).toEqual(["justification"]);
    expect(closest("requestedby", ["requestedBy", "principal"])).toEqual(["requestedBy"]);
    expect(
      closest("activaton", ["activation", "eligibleAssignment", "activeAssignment", "notifications"]),
    ).toEqual(["activation"]);
    expect(closest("domain", ["id", "name"])).toEqual([]);
    expect(closest("a", ["b", "c", "d", "e"])).toEqual(["b", "c", "d"]);
  });
});
