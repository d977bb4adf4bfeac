/**
 * The serialized providers inside Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, what
 * `pulumi-resource-pulumi-nodejs` runs), driven over gRPC the way the engine drives it: a plain Node process with
 * no TypeScript loader, started in the project directory, receiving the stack config through Configure and the
 * provider code through `__provider`. This is the path `pulumi up` takes; no Pulumi CLI is needed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { directoryRoleScheduleProvider } from "../../providers/directoryRoleSchedule/index";
import { directoryRoleSettingsProvider } from "../../providers/directoryRoleSettings/index";
import { graphDefaults } from "../../model/settings/defaults";
import { startHarness, USER_ADMIN, type Harness } from "./helpers";

const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

let h: Harness;
let host: ChildProcess;
let client: any;

beforeAll(async () => {
  h = await startHarness();
  const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  // The host's environment: no TypeScript loader options from the test runner; Graph credentials from the
  // environment, the Graph base URL only from the stack config (below).
  const env = { ...process.env };
  delete env["NODE_OPTIONS"];
  delete env["PIM_GRAPH_BASE_URL"];
  delete env["PIM_PROJECT_ROOT"];
  host = spawn(process.execPath, [script, "127.0.0.1:1"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  host.stderr!.on("data", (d) => (stderr += String(d)));
  const port = await new Promise<string>((resolve, reject) => {
    host.stdout!.once("data", (d) => resolve(String(d).trim()));
    host.once("exit", (code) => reject(new Error(`provider host exited ${code}: ${stderr}`)));
  });
  client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const req = new provproto.ConfigureRequest();
  req.setArgs(
    Struct.fromJavaScript({ "pim:graphBaseUrl": h.emu.baseUrl, "azuread:tenantId": h.emu.tenantId }),
  );
  await call("configure", req);
});

afterAll(async () => {
  client?.close();
  if (host && host.exitCode === null) host.kill();
  await h?.stop();
});

function call(method: string, req: unknown): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](req, (err: Error | null, res: any) => (err ? reject(err) : resolve(res))),
  );
}

const js = (s: any) => s.toJavaScript();

async function providerText(provider: object): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

describe("DirectoryRoleSchedule in Pulumi's provider host", () => {
  it("check, create, read, update and delete over gRPC", async () => {
    const urn = "urn:pulumi:demo::pim::pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::g";
    const inputs = {
      __provider: await providerText(directoryRoleScheduleProvider),
      kind: "eligible",
      principalId: h.user("grace.hopper@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      start: null,
      end: "2027-01-31T00:00:00Z",
      justification: "through the host",
      ticket: null,
      label: "host grant",
    };
    const check = new provproto.CheckRequest();
    check.setUrn(urn);
    check.setOlds(Struct.fromJavaScript({}));
    check.setNews(Struct.fromJavaScript(inputs));
    const checked = await call("check", check);
    expect(checked.getFailuresList()).toEqual([]);

    const create = new provproto.CreateRequest();
    create.setUrn(urn);
    create.setProperties(checked.getInputs());
    const created = await call("create", create);
    const id = created.getId();
    const outs = js(created.getProperties());
    expect(h.emu.state.schedules.get(id)!.endDateTime).toBe("2027-01-31T00:00:00Z");
    expect(outs).toMatchObject({ scheduleId: id, status: "Provisioned", end: "2027-01-31T00:00:00Z" });

    const read = new provproto.ReadRequest();
    read.setId(id);
    read.setUrn(urn);
    read.setProperties(Struct.fromJavaScript(outs));
    const readBack = await call("read", read);
    expect(readBack.getId()).toBe(id);
    expect(js(readBack.getProperties())).toEqual(outs);

    const update = new provproto.UpdateRequest();
    update.setId(id);
    update.setUrn(urn);
    update.setOlds(Struct.fromJavaScript(outs));
    update.setNews(Struct.fromJavaScript({ ...inputs, end: "2027-03-31T00:00:00Z" }));
    const updated = await call("update", update);
    expect(js(updated.getProperties())).toMatchObject({ scheduleId: id, end: "2027-03-31T00:00:00Z" });
    expect(h.emu.state.schedules.get(id)!.endDateTime).toBe("2027-03-31T00:00:00Z");

    const del = new provproto.DeleteRequest();
    del.setId(id);
    del.setUrn(urn);
    del.setProperties(updated.getProperties());
    await call("delete", del);
    expect(h.emu.state.schedules.has(id)).toBe(false);
  });

  it("reports a policy refusal as the provider's sentence", async () => {
    const urn = "urn:pulumi:demo::pim::pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::bad";
    const create = new provproto.CreateRequest();
    create.setUrn(urn);
    create.setProperties(
      Struct.fromJavaScript({
        __provider: await providerText(directoryRoleScheduleProvider),
        kind: "active",
        principalId: h.user("ada.lovelace@contoso.com"),
        roleDefinitionId: USER_ADMIN,
        directoryScopeId: "/",
        start: null,
        end: "2026-12-01T00:00:00Z",
        justification: "",
        ticket: null,
        label: "host grant",
        roleName: "User Administrator",
        principalName: "ada.lovelace@contoso.com",
      }),
    );
    const err = (await call("create", create).catch((e) => e)) as Error;
    expect(err.message).toMatch(
      /User Administrator: Entra refused the active assignment for ada\.lovelace@contoso\.com: JustificationRule — the role requires a justification and the declared justification is empty \(request-id [0-9a-f-]{36}\)/,
    );
  });
});

describe("DirectoryRoleSettings in Pulumi's provider host", () => {
  it("create, read and delete over gRPC", async () => {
    const urn = "urn:pulumi:demo::pim::pulumi-nodejs:dynamic/pim:DirectoryRoleSettings::s";
    const settings = graphDefaults("directory");
    settings.activation.maximumDuration = "PT5H";
    const create = new provproto.CreateRequest();
    create.setUrn(urn);
    create.setProperties(
      Struct.fromJavaScript({
        __provider: await providerText(directoryRoleSettingsProvider),
        roleDefinitionId: USER_ADMIN,
        roleName: "User Administrator",
        settings,
        approverIds: {},
      }),
    );
    const created = await call("create", create);
    const rule = () =>
      h.emu.state.rulesOf(USER_ADMIN)!.find((r) => r.id === "Expiration_EndUser_Assignment")!;
    expect(rule().maximumDuration).toBe("PT5H");

    rule().maximumDuration = "PT9H"; // the portal
    const read = new provproto.ReadRequest();
    read.setId(created.getId());
    read.setUrn(urn);
    read.setProperties(created.getProperties());
    const readBack = await call("read", read);
    expect(js(readBack.getProperties()).settings.activation.maximumDuration).toBe("PT9H");
    expect(js(readBack.getInputs()).settings.activation.maximumDuration).toBe("PT9H");

    const del = new provproto.DeleteRequest();
    del.setId(created.getId());
    del.setUrn(urn);
    del.setProperties(readBack.getProperties());
    await call("delete", del);
    expect(rule().maximumDuration).toBe("PT8H");
  });
});
