// Each read of the live reader, refused by Graph with 403 in turn: the error names that read and the permission
// providers/graph/permissions.ts gives for the refused request (one table for the project), and nothing else is
// read as if it had succeeded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { GraphError, type GraphApi } from "../../providers/graph";
import { LiveReadError, readLiveTenant } from "../../providers/graph/reads/live";
import { emulatorGraph } from "./harness";

const NOW = new Date("2026-11-23T12:00:00Z");

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: NOW });
});
afterAll(async () => {
  await emu.stop();
});

const refusal = (method: string, path: string) =>
  new GraphError({
    status: 403,
    code: "Authorization_RequestDenied",
    message: "Insufficient privileges to complete the operation.",
    method,
    path,
  });

/** A client of the emulator that Graph refuses, with 403, every request whose path (below the version) matches. */
function refusing(refused: RegExp): GraphApi {
  const g = emulatorGraph(emu);
  const [listAll, post, batch] = [g.listAll.bind(g), g.post.bind(g), g.batch.bind(g)];
  const hit = (path: string) => refused.test(g.relative(path));
  g.listAll = async (path) => {
    if (hit(path)) throw refusal("GET", g.relative(path));
    return listAll(path);
  };
  g.post = async (path, body) => {
    if (hit(path)) throw refusal("POST", g.relative(path));
    return post(path, body);
  };
  g.batch = async (requests) =>
    (await batch(requests)).map((r, i) =>
      hit(requests[i]!.url)
        ? { ...r, status: 403, error: refusal(requests[i]!.method, g.relative(requests[i]!.url)) }
        : r,
    );
  return g;
}

describe("a refused live read names the read and the permission the request needs", () => {
  it.each([
    [/^\/organization/, "the organization", "Organization.Read.All"],
    [
      /^\/roleManagement\/directory\/roleDefinitions/,
      "the directory role definitions",
      "RoleManagement.Read.Directory",
    ],
    [
      /^\/policies\/roleManagementPolicyAssignments\?.*DirectoryRole.*62e90394-69f5-4237-9190-012177145e10/,
      "the directory role settings (62e90394-69f5-4237-9190-012177145e10)",
      "RoleManagement.Read.Directory",
    ],
    [
      /^\/roleManagement\/directory\/roleEligibilitySchedules/,
      "the eligible directory-role assignments",
      "RoleEligibilitySchedule.Read.Directory",
    ],
    [
      /^\/roleManagement\/directory\/roleAssignmentSchedules/,
      "the active directory-role assignments",
      "RoleAssignmentSchedule.Read.Directory",
    ],
    [/^\/groups\?/, "the role-assignable groups", "GroupMember.Read.All"],
    [
      /^\/directoryObjects\/getByIds/,
      "the principals the assignments and settings name",
      "Directory.Read.All",
    ],
    [
      /^\/policies\/roleManagementPolicyAssignments\?.*Group/,
      "the PIM for Groups settings",
      "RoleManagementPolicy.Read.AzureADGroup",
    ],
    [
      /^\/identityGovernance\/privilegedAccess\/group\/eligibilitySchedules/,
      "the PIM for Groups eligibilities",
      "PrivilegedEligibilitySchedule.Read.AzureADGroup",
    ],
    [
      /^\/identityGovernance\/privilegedAccess\/group\/assignmentSchedules/,
      "the PIM for Groups assignments",
      "PrivilegedAssignmentSchedule.Read.AzureADGroup",
    ],
    [/^\/groups\/[^/]+\/members/, "the members of the approver groups", "GroupMember.Read.All"],
    [/^\/directory\/administrativeUnits/, "the administrative units", "AdministrativeUnit.Read.All"],
    [/^\/identity\/conditionalAccess\/policies/, "the Conditional Access policies", "Policy.Read.All"],
    [
      /^\/identity\/conditionalAccess\/authenticationContextClassReferences/,
      "the authentication contexts",
      "Policy.Read.All",
    ],
  ])("%s", async (refused, what, permission) => {
    const err = await readLiveTenant(refusing(refused)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveReadError);
    const e = err as LiveReadError;
    // A group's settings are named with the group's id, which the seed generates: only the read's words are fixed.
    expect([e.what.replace(/ \([0-9a-f-]{36}\|member\)$/, ""), e.status, e.permission, e.exitCode]).toEqual([
      what,
      403,
      permission,
      3,
    ]);
    expect(e.hint).toBe(
      `grant the identity the Microsoft Graph permission ${permission} (admin consent), then run again`,
    );
  });
});
