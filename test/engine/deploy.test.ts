/**
 * The engine double's step order, on hand-made registrations of grants (`replay`, no program), through Pulumi's
 * provider host in `stacks/` against the emulator: an aliased rename is the same resource; a replace creates the
 * new resource first and deletes the old one at the end, unless deleteBeforeReplace; resources no longer
 * registered are deleted at the end in reverse dependency order; protect refuses; retainOnDelete forgets.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import type { RunningEmulator } from "../../emulator/index";
import { replay, type DeployOptions } from "../../engineDouble/deploy";
import type { Registration } from "../../engineDouble/monitor";
import type { JsonObject } from "../../engineDouble/proto";
import { newUrn, type AliasSpec } from "../../engineDouble/urn";
import { directoryRoleScheduleShim } from "../../providers/directoryRoleSchedule/index";
import { demoDeploy, graphRequests, ROOT, startDemoEmulator, TYPES } from "./helpers";

const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const STACK_URN = "urn:pulumi:demo::pim::pulumi:pulumi:Stack::pim-demo";
const REQUESTS = "POST /v1.0/roleManagement/directory/roleEligibilityScheduleRequests";

let emu: RunningEmulator;
let shim: string;

beforeAll(async () => {
  emu = await startDemoEmulator();
  shim = (await pulumi.runtime.serializeFunction(() => directoryRoleScheduleShim, { allowSecrets: true }))
    .text;
});
afterAll(async () => emu?.stop());

/** Fresh state for one scenario. */
function options(): DeployOptions {
  return {
    ...demoDeploy(emu, ROOT),
    statePath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-deploy-")), "state.json"),
  };
}

function registration(
  type: string,
  name: string,
  inputs: JsonObject,
  extra: {
    parent?: string;
    aliases?: AliasSpec[];
    dependencies?: string[];
    options?: Partial<Registration["options"]>;
  } = {},
): Registration {
  const parent = extra.parent ?? STACK_URN;
  return {
    urn: newUrn("demo", "pim", parent, type, name),
    type,
    name,
    parent,
    custom: type !== "pulumi:pulumi:Stack" && !type.startsWith("pim:"),
    inputs,
    dependencies: extra.dependencies ?? [],
    propertyDependencies: {},
    provider: "",
    version: "",
    options: {
      aliases: extra.aliases ?? [],
      protect: undefined,
      retainOnDelete: undefined,
      deleteBeforeReplace: undefined,
      ignoreChanges: [],
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      deletedWith: "",
      importId: "",
      ...extra.options,
    },
  };
}

const stack = () => ({
  ...registration("pulumi:pulumi:Stack", "pim-demo", {}, { parent: "" }),
  custom: false,
});

const grant = (name: string, upn: string, extra: Parameters<typeof registration>[3] = {}) =>
  registration(
    TYPES.schedule,
    name,
    {
      __provider: shim,
      kind: "eligible",
      principalId: emu.state.findUser(upn)!.id,
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      start: null,
      end: "2027-01-31T00:00:00Z",
      justification: `grant for ${upn}`,
      ticket: null,
      label: `User Administrator for ${upn}`,
    },
    extra,
  );

/** Runs `up` with these registrations; returns the result and the Graph requests it made. */
async function upWith(opts: DeployOptions, regs: Registration[]) {
  const from = emu.log.entries().length;
  const result = await replay(opts, "up", regs);
  expect(result.errors).toEqual([]);
  return { result, requests: graphRequests(emu, from) };
}

const scheduleOf = (principal: string) =>
  [...emu.state.schedules.values()].filter(
    (s) => s.principalId === emu.state.findUser(principal)!.id && s._target === USER_ADMIN,
  );

describe("the engine double's step order", () => {
  it("an aliased rename is the same resource: no create, no delete, no request", async () => {
    const opts = options();
    await upWith(opts, [stack(), grant("grant-a", "alan.turing@contoso.com")]);
    const renamed = grant("grant-b", "alan.turing@contoso.com", { aliases: [{ name: "grant-a" }] });
    const { result, requests } = await upWith(opts, [stack(), renamed]);
    expect(result.steps.map((s) => `${s.op} ${s.urn}`)).toEqual([`same ${STACK_URN}`, `same ${renamed.urn}`]);
    expect(requests).toEqual([]);
    expect(result.state.resources.map((r) => r.urn)).toEqual([STACK_URN, renamed.urn]);
    expect(scheduleOf("alan.turing@contoso.com").length).toBe(1);
  });

  it("a replace creates the new resource first and deletes the old one after everything else", async () => {
    const opts = options();
    const first = grant("grant-c", "barbara.liskov@contoso.com");
    await upWith(opts, [stack(), first]);
    const moved = grant("grant-c", "edsger.dijkstra@contoso.com");
    const later = grant("grant-d", "margaret.hamilton@contoso.com");
    const { result, requests } = await upWith(opts, [stack(), moved, later]);
    expect(result.steps.map((s) => `${s.op} ${s.urn}`)).toEqual([
      `same ${STACK_URN}`,
      `replace ${first.urn}`,
      `create ${later.urn}`,
    ]);
    expect(result.steps[1]!.diff).toEqual({
      changes: "some",
      replaces: ["principalId"],
      deleteBeforeReplace: false,
    });
    // Lookup + assign for the replacement, lookup + assign for the later grant, then the old one's removal.
    expect(requests).toEqual([
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules",
      REQUESTS,
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules",
      REQUESTS,
      REQUESTS,
    ]);
    expect([
      scheduleOf("barbara.liskov@contoso.com").length,
      scheduleOf("edsger.dijkstra@contoso.com").length,
    ]).toEqual([0, 1]);
  });

  it("with deleteBeforeReplace the old resource is deleted before its replacement is created", async () => {
    const opts = options();
    const first = grant("grant-e", "katherine.johnson@contoso.com");
    await upWith(opts, [stack(), first]);
    const moved = grant("grant-e", "dorothy.vaughan@contoso.com", { options: { deleteBeforeReplace: true } });
    const { result, requests } = await upWith(opts, [stack(), moved]);
    expect(result.steps.map((s) => [s.op, s.deleteBeforeReplace])).toEqual([
      ["same", undefined],
      ["replace", true],
    ]);
    expect(requests).toEqual([
      REQUESTS,
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules",
      REQUESTS,
    ]);
    expect(scheduleOf("katherine.johnson@contoso.com").length).toBe(0);
    expect(scheduleOf("dorothy.vaughan@contoso.com").length).toBe(1);
  });

  it("deletes what is no longer registered at the end, dependents first", async () => {
    const opts = options();
    const base = grant("grant-f", "grace.hopper@contoso.com");
    const dependent = grant("grant-g", "ken.thompson@contoso.com", { dependencies: [base.urn] });
    await upWith(opts, [stack(), base, dependent]);
    const { result, requests } = await upWith(opts, [stack()]);
    expect(result.steps.map((s) => `${s.op} ${s.urn}`)).toEqual([
      `same ${STACK_URN}`,
      `delete ${dependent.urn}`,
      `delete ${base.urn}`,
    ]);
    expect(requests).toEqual([REQUESTS, REQUESTS]);
    expect(result.state.resources.map((r) => r.urn)).toEqual([STACK_URN]);
  });

  it("refuses to delete a protected resource and forgets a retained one without a request", async () => {
    const opts = options();
    const kept = grant("grant-h", "ada.lovelace@contoso.com", { options: { protect: true } });
    const retained = grant("grant-i", "c-jordan.lee@contoso.com", { options: { retainOnDelete: true } });
    await upWith(opts, [stack(), kept, retained]);
    const from = emu.log.entries().length;
    const result = await replay(opts, "up", [stack()]);
    expect(result.errors).toEqual([
      `${kept.urn}: refusing to delete a protected resource (unprotect it first)`,
    ]);
    expect(result.steps.map((s) => `${s.op} ${s.urn}${s.retained ? " (retained)" : ""}`)).toEqual([
      `same ${STACK_URN}`,
      `delete ${retained.urn} (retained)`,
    ]);
    expect(graphRequests(emu, from)).toEqual([]);
    expect([
      scheduleOf("ada.lovelace@contoso.com").length,
      scheduleOf("c-jordan.lee@contoso.com").length,
    ]).toEqual([1, 1]);
  });

  it("records another package's resource with the hook's outputs and never applies it", async () => {
    const opts = options();
    const group = registration("azuread:index/group:Group", "approvers", {
      displayName: "PIM Approvers - Tier 0",
      securityEnabled: true,
    });
    const from = emu.log.entries().length;
    const result = await replay(opts, "up", [stack(), group]);
    const seeded = [...emu.state.groups.values()].find((g) => g.displayName === "PIM Approvers - Tier 0")!;
    expect(result.steps[1]).toEqual({ op: "create", urn: group.urn, type: group.type, recordedOnly: true });
    expect(result.state.resources[1]).toMatchObject({
      id: seeded.id,
      recordedOnly: true,
      outputs: { displayName: "PIM Approvers - Tier 0", securityEnabled: true, objectId: seeded.id },
    });
    expect(graphRequests(emu, from)).toEqual([]);
  });
});
