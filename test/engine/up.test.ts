/**
 * `pulumi up` of the demo through the engine double: the program from `stacks/` under cmd/run, the dynamic
 * resources applied by Pulumi's provider host in `stacks/` against the emulator, state kept in a JSON file. Then
 * the same goals again, as a second `up` and a second `preview` of an unchanged program would register them
 * (`replay`: the program is deterministic at a pinned clock and tenant, so one program run serves all three): no
 * write, no update, no request from the engine or the providers. (A real second run also repeats the program's
 * reads before it registers: GETs and `$batch` reads, never a write.)
 */
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator/index";
import { replay, up, type DeployOptions, type DeployResult } from "../../engineDouble/deploy";
import { demoDeploy, graphRequests, PROGRAM_TIMEOUT_MS, startDemoEmulator, TYPES } from "./helpers";

let emu: RunningEmulator;
let opts: DeployOptions;
let first: DeployResult;
let firstRequests: string[];
let second: DeployResult;
let secondRequests: string[];
let preview: DeployResult;
let previewRequests: string[];

beforeAll(async () => {
  emu = await startDemoEmulator();
  opts = demoDeploy(emu);
  first = await up(opts);
  firstRequests = graphRequests(emu);
  let from = emu.log.entries().length;
  second = await replay(opts, "up", first.registrations);
  secondRequests = graphRequests(emu, from);
  from = emu.log.entries().length;
  preview = await replay(opts, "preview", first.registrations);
  previewRequests = graphRequests(emu, from);
}, PROGRAM_TIMEOUT_MS);

afterAll(async () => emu?.stop());

const countOf = (requests: string[]) => {
  const out: Record<string, number> = {};
  for (const r of requests) out[r] = (out[r] ?? 0) + 1;
  return out;
};

describe("first up of the demo", () => {
  it("runs the program without an error and creates every dynamic resource", () => {
    expect(first.program!.exitCode).toBe(0);
    expect(first.errors).toEqual([]);
    expect(first.counts[TYPES.settings]).toEqual({ create: 8 });
    // Ten grants and the role the PIM group holds, a permanent active assignment made through PIM.
    expect(first.counts[TYPES.schedule]).toEqual({ create: 11 });
    expect(first.counts[TYPES.groupPolicy]).toEqual({ create: 2 });
    expect(first.counts[TYPES.groupSchedule]).toEqual({ create: 2 });
  });

  it("writes one settings PATCH per role and per group policy, and one request per grant, nothing else", () => {
    const writes = firstRequests.filter((r) => !r.startsWith("GET ") && r !== "POST /v1.0/$batch");
    const patches = writes.filter((r) => r.startsWith("PATCH /v1.0/policies/roleManagementPolicies/"));
    expect(patches.length).toBe(10);
    expect(countOf(writes.filter((r) => !patches.includes(r)))).toEqual({
      "POST /v1.0/roleManagement/directory/roleEligibilityScheduleRequests": 10,
      "POST /v1.0/roleManagement/directory/roleAssignmentScheduleRequests": 1,
      "POST /v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests": 2,
    });
    expect(emu.counters().writes).toBe(23);
  });

  it("records the other packages' resources without applying them", () => {
    const recorded = first.steps.filter((s) => s.recordedOnly);
    expect(countOf(recorded.map((s) => `${s.op} ${s.type}`))).toEqual({
      "create azuread:index/group:Group": 2,
      "create azuread:index/groupMember:GroupMember": 3,
      // No PIM-for-Groups resource of azuread: the group's policies, memberships and role go through the
      // project's providers. Break-glass accounts are verified by reading and get no assignment resource.
      "create azure-native:authorization:RoleManagementPolicy": 1,
    });
    const group = first.state.resources.find((r) =>
      r.urn.endsWith("::tenant-approvers-pim-approvers-tier-0-group"),
    )!;
    const seeded = [...emu.state.groups.values()].find((g) => g.displayName === "PIM Approvers - Tier 0")!;
    expect([group.recordedOnly, group.id, group.outputs["objectId"]]).toEqual([true, seeded.id, seeded.id]);
  });

  it("writes a state file whose dynamic resources carry the shim, not the provider", () => {
    const saved = JSON.parse(fs.readFileSync(opts.statePath, "utf8"));
    expect(saved).toEqual(first.state);
    const dynamic = first.state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBe(23);
    for (const r of dynamic) {
      expect(r.recordedOnly).toBe(false);
      expect(r.id).not.toBe("");
      expect(r.outputs["__provider"]).toBe(r.inputs["__provider"]);
      expect((r.inputs["__provider"] as string).length).toBeLessThanOrEqual(2048);
    }
    const grants = dynamic.filter((r) => r.type === TYPES.schedule);
    expect(grants.map((g) => emu.state.schedules.has(g.id))).toEqual(grants.map(() => true));
  });
});

describe("second up and second preview, nothing changed", () => {
  it("up: every resource is the same, and not one Graph request is made", () => {
    expect(second.errors).toEqual([]);
    expect(second.counts[TYPES.settings]).toEqual({ same: 8 });
    expect(second.counts[TYPES.schedule]).toEqual({ same: 11 });
    expect(second.counts[TYPES.groupPolicy]).toEqual({ same: 2 });
    expect(second.counts[TYPES.groupSchedule]).toEqual({ same: 2 });
    expect(second.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(secondRequests).toEqual([]);
  });

  it("up: the provider host was asked and answered no change for every dynamic resource", () => {
    const dynamic = second.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.map((s) => s.diff)).toEqual(
      dynamic.map(() => ({ changes: "none", replaces: [], deleteBeforeReplace: false })),
    );
  });

  it("preview: no update, no create, no delete, no request", () => {
    expect(preview.errors).toEqual([]);
    expect(preview.counts[TYPES.settings]).toEqual({ same: 8 });
    expect(preview.counts[TYPES.schedule]).toEqual({ same: 11 });
    expect(preview.counts[TYPES.groupPolicy]).toEqual({ same: 2 });
    expect(preview.counts[TYPES.groupSchedule]).toEqual({ same: 2 });
    expect(preview.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(previewRequests).toEqual([]);
  });
});
