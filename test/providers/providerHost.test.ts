/**
 * State written before the shim, in Pulumi's real dynamic-provider host started where the engine starts it
 * (`stacks/`, the folder of `main`). Such state holds the whole old provider as `__provider` (the captured texts in
 * `fixtures/legacy/`), and the engine hands refresh and delete exactly that code:
 *
 * - the old code still refreshes and deletes, as it did, where it could run at all (it needs PIM_PROJECT_ROOT: it
 *   looked for the project under the working directory only);
 * - the next `up` moves the resource onto the shim: diff (which runs the current code) reports a change, the update
 *   runs the current code and sends nothing to Graph, and the stored code becomes the shim;
 * - from then on refresh and delete run the current code, without PIM_PROJECT_ROOT.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { cliEnvironment } from "../../engineDouble/program";
import { startProviderHost, type ProviderHost } from "../../engineDouble/providerHost";
import type { JsonObject } from "../../engineDouble/proto";
import { directoryRoleScheduleShim } from "../../providers/directoryRoleSchedule/index";
import { directoryRoleSettingsShim } from "../../providers/directoryRoleSettings/index";
import { graphDefaults } from "../../model/settings/defaults";
import { startHarness, USER_ADMIN, type Harness } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS = path.join(ROOT, "stacks");
const legacy = (type: string) =>
  fs.readFileSync(path.join(__dirname, "fixtures", "legacy", `${type}.provider.txt`), "utf8");

let h: Harness;
/** Started with PIM_PROJECT_ROOT, as the old code required. */
let oldHost: ProviderHost;
/** Started as the engine starts it today: no PIM_PROJECT_ROOT, Graph base URL from the stack config only. */
let host: ProviderHost;

beforeAll(async () => {
  h = await startHarness();
  const env = cliEnvironment();
  delete env["PIM_GRAPH_BASE_URL"];
  delete env["PIM_PROJECT_ROOT"];
  const config = { "pim:graphBaseUrl": h.emu.baseUrl, "azuread:tenantId": h.emu.tenantId };
  [oldHost, host] = await Promise.all([
    startProviderHost({ cwd: STACKS, env: { ...env, PIM_PROJECT_ROOT: ROOT } }),
    startProviderHost({ cwd: STACKS, env }),
  ]);
  await Promise.all([oldHost.configure(config), host.configure(config)]);
});

afterAll(async () => {
  await Promise.all([oldHost?.stop(), host?.stop()]);
  await h?.stop();
});

const shimText = async (shim: object) =>
  (await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true })).text;

const withoutProvider = ({ __provider: _p, ...rest }: JsonObject) => rest;

/** What `fn` returned, and the Graph requests the emulator logged meanwhile, as `METHOD path`. */
async function withRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const before = h.emu.log.entries().length;
  const result = await fn();
  const requests = h.emu.log
    .entries()
    .slice(before)
    .map((e) => `${e.method} ${e.path}`)
    .filter((r) => !r.includes("/oauth2/"));
  return { result, requests };
}

describe("DirectoryRoleSchedule state written before the shim", () => {
  const urn = "urn:pulumi:demo::pim::pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::legacy";

  it("refreshes and deletes with the old code, then moves onto the shim on the next up without a Graph write", async () => {
    const grant: JsonObject = {
      kind: "eligible",
      principalId: h.user("grace.hopper@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      start: null,
      end: "2027-01-31T00:00:00Z",
      justification: "created before the shim",
      ticket: null,
      label: "legacy grant",
    };
    const old = legacy("DirectoryRoleSchedule");
    const checked = await oldHost.check(urn, {}, { ...grant, __provider: old });
    const created = await oldHost.create(urn, checked.inputs);
    expect(created.properties["__provider"]).toBe(old);
    expect(h.emu.state.schedules.get(created.id)!.endDateTime).toBe("2027-01-31T00:00:00Z");

    // Refresh with the old code still works where it can run.
    expect((await oldHost.read(urn, created.id, created.properties)).properties).toEqual(created.properties);
    // It cannot run in the folder of main without PIM_PROJECT_ROOT: why the stored code must not stay old.
    await expect(host.read(urn, created.id, created.properties)).rejects.toThrow(
      `cannot find providers/graph under ${STACKS}: run Pulumi from the project root or set PIM_PROJECT_ROOT`,
    );

    // The next up: the program registers the shim; diff runs the current code and asks for an update.
    const shim = await shimText(directoryRoleScheduleShim);
    const news = { ...grant, __provider: shim };
    expect(await host.diff(urn, created.id, created.properties, news, checked.inputs)).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const update = await withRequests(() =>
      host.update(urn, created.id, created.properties, news, checked.inputs),
    );
    expect(update.requests).toEqual([]);
    const migrated = update.result;
    expect(migrated["__provider"]).toBe(shim);
    expect(withoutProvider(migrated)).toEqual(withoutProvider(created.properties));
    expect(await host.diff(urn, created.id, migrated, news)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });

    // From now on refresh and delete run the current code, in the folder of main, without PIM_PROJECT_ROOT.
    expect((await host.read(urn, created.id, migrated)).properties).toEqual(migrated);
    const { requests } = await withRequests(() => host.delete(urn, created.id, migrated));
    expect(requests).toEqual(["POST /v1.0/roleManagement/directory/roleEligibilityScheduleRequests"]);
    expect(h.emu.state.schedules.has(created.id)).toBe(false);
  });

  it("deletes with the old code when that is all the state has", async () => {
    const old = legacy("DirectoryRoleSchedule");
    const grant: JsonObject = {
      kind: "eligible",
      principalId: h.user("ada.lovelace@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      start: null,
      end: "2027-02-28T00:00:00Z",
      justification: "created before the shim",
      ticket: null,
      label: "legacy grant 2",
      __provider: old,
    };
    const created = await oldHost.create(urn, (await oldHost.check(urn, {}, grant)).inputs);
    await oldHost.delete(urn, created.id, created.properties);
    expect(h.emu.state.schedules.has(created.id)).toBe(false);
  });
});

describe("DirectoryRoleSettings state written before the shim", () => {
  const urn = "urn:pulumi:demo::pim::pulumi-nodejs:dynamic/pim:DirectoryRoleSettings::legacy";

  it("moves onto the shim without a PATCH, then restores the original rules on delete with the current code", async () => {
    const settings = graphDefaults("directory");
    settings.activation.maximumDuration = "PT5H";
    const inputs: JsonObject = {
      roleDefinitionId: USER_ADMIN,
      roleName: "User Administrator",
      settings: settings as unknown as JsonObject,
      approverIds: {},
    };
    const old = legacy("DirectoryRoleSettings");
    const created = await oldHost.create(urn, { ...inputs, __provider: old });
    const rule = () =>
      h.emu.state.rulesOf(USER_ADMIN)!.find((r) => r.id === "Expiration_EndUser_Assignment")!;
    expect(rule().maximumDuration).toBe("PT5H");

    const news = { ...inputs, __provider: await shimText(directoryRoleSettingsShim) };

    expect((await host.diff(urn, created.id, created.properties, news)).changes).toBe("some");
    const update = await withRequests(() => host.update(urn, created.id, created.properties, news));
    expect(update.requests).toEqual([]);
    const migrated = update.result;
    expect(migrated["__provider"]).toBe(news.__provider);
    expect(withoutProvider(migrated)).toEqual(withoutProvider(created.properties));

    const { requests } = await withRequests(() => host.delete(urn, created.id, migrated));
    const policy = `/v1.0/policies/roleManagementPolicies/${encodeURIComponent(created.id)}`;
    expect(requests).toEqual([`GET ${policy}`, `PATCH ${policy}`, `GET ${policy}`]);
    expect(rule().maximumDuration).toBe("PT8H");
  });
});
