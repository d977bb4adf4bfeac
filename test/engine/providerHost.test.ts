/**
 * Both dynamic resource types in Pulumi's dynamic-provider host, started where the engine starts it: in `stacks/`,
 * the folder of `main`, with the CLI's environment (no PIM_PROJECT_ROOT, no PIM_GRAPH_BASE_URL: the Graph URL and
 * tenant come from the stack config through Configure). Each operation is sent as the engine sends it, with the
 * shim as `__provider`, and asserted by its answer and by the exact Graph requests the emulator logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import type { RunningEmulator } from "../../emulator/index";
import { startProviderHost, type ProviderHost } from "../../engineDouble/providerHost";
import type { JsonObject } from "../../engineDouble/proto";
import { graphDefaults } from "../../model/settings/defaults";
import { directoryRoleScheduleShim } from "../../providers/directoryRoleSchedule/index";
import { directoryRoleSettingsShim } from "../../providers/directoryRoleSettings/index";
import { demoEnvironment, graphRequests, startDemoEmulator, STACKS, TYPES } from "./helpers";

const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";

let emu: RunningEmulator;
let host: ProviderHost;

beforeAll(async () => {
  emu = await startDemoEmulator();
  host = await startProviderHost({ cwd: STACKS, env: demoEnvironment(emu) });
  await host.configure({ "pim:graphBaseUrl": emu.baseUrl, "azuread:tenantId": emu.tenantId });
});

afterAll(async () => {
  await host?.stop();
  await emu?.stop();
});

const shimText = async (shim: object) =>
  (await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true })).text;

/** What `fn` returned and the Graph requests logged meanwhile. */
async function withRequests<T>(fn: () => Promise<T>): Promise<[T, string[]]> {
  const from = emu.log.entries().length;
  const result = await fn();
  return [result, graphRequests(emu, from)];
}

it("starts the host script resolved from stacks/, in stacks/", () => {
  expect(host.invocation.cwd).toBe(STACKS);
  expect(host.invocation.args[0]).toMatch(/node_modules\/@pulumi\/pulumi\/cmd\/dynamic-provider\/index\.js$/);
});

describe("DirectoryRoleSchedule", () => {
  const urn = `urn:pulumi:demo::pim::${TYPES.schedule}::host-grant`;
  const requests = "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests";

  it("check, diff, create, read, update, delete over gRPC, each with its exact Graph requests", async () => {
    const principalId = emu.state.findUser("grace.hopper@contoso.com")!.id;
    const inputs: JsonObject = {
      __provider: await shimText(directoryRoleScheduleShim),
      kind: "eligible",
      principalId,
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      start: null,
      end: "2027-01-31T00:00:00Z",
      justification: "through the host",
      ticket: { system: "ServiceNow", number: "RITM0000042" },
      label: "host grant",
    };
    const [checked, checkRequests] = await withRequests(() => host.check(urn, {}, inputs));
    expect(checked).toEqual({ inputs, failures: [] });
    expect(checkRequests).toEqual([]);

    const [created, createRequests] = await withRequests(() => host.create(urn, checked.inputs));
    expect(createRequests).toEqual([
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules",
      `POST ${requests}`,
    ]);
    const id = created.id;
    expect(emu.state.schedules.get(id)!.endDateTime).toBe("2027-01-31T00:00:00Z");
    expect(created.properties).toEqual({ ...inputs, scheduleId: id, status: "Provisioned" });

    const unchanged = { changes: "none", replaces: [], deleteBeforeReplace: false };
    expect(await host.diff(urn, id, created.properties, inputs)).toEqual(unchanged);
    expect(await host.diff(urn, id, created.properties, { ...inputs, end: "2027-03-31T00:00:00Z" })).toEqual({
      ...unchanged,
      changes: "some",
    });
    const other = emu.state.findUser("ada.lovelace@contoso.com")!.id;
    expect(await host.diff(urn, id, created.properties, { ...inputs, principalId: other })).toEqual({
      changes: "some",
      replaces: ["principalId"],
      deleteBeforeReplace: false,
    });

    const [read, readRequests] = await withRequests(() => host.read(urn, id, created.properties));
    expect(read).toEqual({
      id,
      properties: created.properties,
      inputs: { ...inputs, ticket: inputs["ticket"] },
    });
    expect(readRequests).toEqual(["POST /v1.0/$batch"]);

    const later = { ...inputs, end: "2027-03-31T00:00:00Z" };
    const [updated, updateRequests] = await withRequests(() =>
      host.update(urn, id, created.properties, later),
    );
    expect(updateRequests).toEqual([`POST ${requests}`]);
    expect(updated).toEqual({ ...later, scheduleId: id, status: "Provisioned" });
    expect(emu.state.schedules.get(id)!.endDateTime).toBe("2027-03-31T00:00:00Z");

    const [, deleteRequests] = await withRequests(() => host.delete(urn, id, updated));
    expect(deleteRequests).toEqual([`POST ${requests}`]);
    expect(emu.state.schedules.has(id)).toBe(false);
  });

  it("reports a check failure per property, without a Graph request", async () => {
    const shim = await shimText(directoryRoleScheduleShim);
    const [checked, checkRequests] = await withRequests(() =>
      host.check(
        urn,
        {},
        {
          __provider: shim,
          kind: "permanent",
          principalId: "not-an-id",
          roleDefinitionId: USER_ADMIN,
          directoryScopeId: "/",
          start: null,
          end: null,
          justification: "",
          ticket: null,
          label: "bad",
        },
      ),
    );
    expect(checkRequests).toEqual([]);
    expect(checked.failures).toEqual([
      { property: "kind", reason: 'bad: Invalid option: expected one of "eligible"|"active"' },
      { property: "principalId", reason: "bad: must be an object id (GUID)" },
    ]);
  });

  it("reports a policy refusal as the provider's sentence", async () => {
    const err = (await host
      .create(urn, {
        __provider: await shimText(directoryRoleScheduleShim),
        kind: "active",
        principalId: emu.state.findUser("ada.lovelace@contoso.com")!.id,
        roleDefinitionId: USER_ADMIN,
        directoryScopeId: "/",
        start: null,
        end: "2026-12-01T00:00:00Z",
        justification: "",
        ticket: null,
        label: "host grant",
        roleName: "User Administrator",
        principalName: "ada.lovelace@contoso.com",
      })
      .catch((e) => e)) as Error;
    expect(err.message).toMatch(
      /User Administrator: Entra refused the active assignment for ada\.lovelace@contoso\.com: JustificationRule — the policy requires a justification and the declared justification is empty \(request-id [0-9a-f-]{36}\)/,
    );
  });
});

describe("DirectoryRoleSettings", () => {
  const urn = `urn:pulumi:demo::pim::${TYPES.settings}::host-settings`;

  it("check, diff, create, read, update, delete over gRPC, each with its exact Graph requests", async () => {
    const settings = graphDefaults("directory");
    settings.activation.maximumDuration = "PT5H";
    const inputs: JsonObject = {
      __provider: await shimText(directoryRoleSettingsShim),
      roleDefinitionId: USER_ADMIN,
      roleName: "User Administrator",
      settings: settings as unknown as JsonObject,
      approverIds: {},
    };
    expect(await host.check(urn, {}, inputs)).toEqual({ inputs, failures: [] });
    const rule = () => emu.state.rulesOf(USER_ADMIN)!.find((r) => r.id === "Expiration_EndUser_Assignment")!;
    const before = rule().maximumDuration;

    const [created, createRequests] = await withRequests(() => host.create(urn, inputs));
    const policy = `/v1.0/policies/roleManagementPolicies/${encodeURIComponent(created.id)}`;
    // The policy assignment is read with its policy and rules expanded: one GET finds and reads the policy.
    expect(createRequests).toEqual([
      "GET /v1.0/policies/roleManagementPolicyAssignments",
      `PATCH ${policy}`,
      `GET ${policy}`,
    ]);
    expect(rule().maximumDuration).toBe("PT5H");
    expect(created.properties["policyId"]).toBe(created.id);

    expect(await host.diff(urn, created.id, created.properties, inputs)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });

    rule().maximumDuration = "PT9H"; // the portal
    const [read, readRequests] = await withRequests(() => host.read(urn, created.id, created.properties));
    expect(readRequests).toEqual([`GET ${policy}`]);
    expect((read.properties["settings"] as any).activation.maximumDuration).toBe("PT9H");
    expect((read.inputs["settings"] as any).activation.maximumDuration).toBe("PT9H");
    expect(await host.diff(urn, created.id, read.properties, inputs)).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });

    const [updated, updateRequests] = await withRequests(() =>
      host.update(urn, created.id, read.properties, inputs),
    );
    expect(updateRequests).toEqual([`PATCH ${policy}`, `GET ${policy}`]);
    expect(rule().maximumDuration).toBe("PT5H");

    const [, deleteRequests] = await withRequests(() => host.delete(urn, created.id, updated));
    expect(deleteRequests).toEqual([`GET ${policy}`, `PATCH ${policy}`, `GET ${policy}`]);
    expect(rule().maximumDuration).toBe(before);
  });
});
