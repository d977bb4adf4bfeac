/**
 * Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, what the CLI's `pulumi-resource-pulumi-nodejs`
 * script runs), started and driven the way the engine does it:
 *
 * - the script is resolved from the working directory (`require.resolve('@pulumi/pulumi/cmd/dynamic-provider')`, as
 *   the CLI's shell script does), and run with `node <script> <engine address>` in the engine's working directory —
 *   the program directory (`sdk/go/common/resource/plugin/plugin.go` `execPlugin`: `cmd.Dir = pwd`;
 *   pulumi/pulumi#5455), with the CLI's environment;
 * - it prints its port; the engine then sends `Configure` with the whole stack config, namespaces kept (dynamic
 *   providers receive all of it: pulumi/pulumi#17229, #17697), and drives Check, Diff, Create, Read, Update and
 *   Delete over gRPC. The host answers `acceptSecrets=false`, so secret values are sent unwrapped.
 *
 * The host forwards only `changes`, `replaces` and `deleteBeforeReplace` from a provider's diff (no stables, no
 * detailed diff); `diff` here returns exactly those.
 */
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import { cliEnvironment } from "./program";
import { fromStruct, grpc, providerProto, providerRpc, toStruct, unary, type JsonObject } from "./proto";
import { unwrapSecrets } from "./monitor";
import { startPlugin } from "./plugin";

export interface ProviderHostOptions {
  /** The engine's working directory: the program directory (e.g. `<project>/stacks`). */
  cwd: string;
  /** The CLI's environment (default: `cliEnvironment()`). */
  env?: NodeJS.ProcessEnv;
  /** What the engine passes as its own address; the host does not call back for what this project does. */
  engineAddress?: string;
}

export type DiffChanges = "none" | "some" | "unknown";

export interface HostDiff {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface ProviderHost {
  /** The script that was started and where, for reports. */
  invocation: { command: string; args: string[]; cwd: string };
  configure(config: Record<string, string>): Promise<void>;
  check(
    urn: string,
    olds: JsonObject,
    news: JsonObject,
  ): Promise<{ inputs: JsonObject; failures: Failure[] }>;
  diff(
    urn: string,
    id: string,
    olds: JsonObject,
    news: JsonObject,
    oldInputs?: JsonObject,
  ): Promise<HostDiff>;
  create(urn: string, properties: JsonObject): Promise<{ id: string; properties: JsonObject }>;
  read(
    urn: string,
    id: string,
    properties: JsonObject,
    inputs?: JsonObject,
  ): Promise<{ id: string; properties: JsonObject; inputs: JsonObject }>;
  update(
    urn: string,
    id: string,
    olds: JsonObject,
    news: JsonObject,
    oldInputs?: JsonObject,
  ): Promise<JsonObject>;
  delete(urn: string, id: string, properties: JsonObject, oldInputs?: JsonObject): Promise<void>;
  /** Everything the host wrote on stderr so far (the host logs provider errors there). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface Failure {
  property: string;
  reason: string;
}

const CHANGES: Record<number, DiffChanges> = {
  [providerProto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
  [providerProto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
  [providerProto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
};

const plain = (o: JsonObject) => toStruct(unwrapSecrets(o));

/** The fields Diff and Update requests share. */
function changeRequest<
  R extends InstanceType<typeof providerProto.DiffRequest | typeof providerProto.UpdateRequest>,
>(req: R, urn: string, id: string, olds: JsonObject, news: JsonObject, oldInputs: JsonObject | undefined): R {
  req.setUrn(urn);
  req.setId(id);
  req.setOlds(plain(olds));
  req.setNews(plain(news));
  if (oldInputs) req.setOldInputs(plain(oldInputs));
  return req;
}

export async function startProviderHost(opts: ProviderHostOptions): Promise<ProviderHost> {
  const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [opts.cwd] });
  const invocation = {
    command: process.execPath,
    args: [script, opts.engineAddress ?? "127.0.0.1:0"],
    cwd: opts.cwd,
  };
  const plugin = await startPlugin(
    "the provider host",
    invocation.args,
    opts.cwd,
    opts.env ?? cliEnvironment(),
  );
  const client = new providerRpc.ResourceProviderClient(plugin.address, grpc.credentials.createInsecure());
  const call = <T>(method: string, req: unknown) => unary<T>(client, method, req);

  return {
    invocation,
    async configure(config) {
      const req = new providerProto.ConfigureRequest();
      req.setArgs(toStruct(config));
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      await call("configure", req);
    },
    async check(urn, olds, news) {
      const req = new providerProto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(plain(olds));
      req.setNews(plain(news));
      const res = await call<ProviderPb.CheckResponse>("check", req);
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(urn, id, olds, news, oldInputs) {
      const req = changeRequest(new providerProto.DiffRequest(), urn, id, olds, news, oldInputs);
      const res = await call<ProviderPb.DiffResponse>("diff", req);
      return {
        changes: CHANGES[res.getChanges()] ?? "unknown",
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
    },
    async create(urn, properties) {
      const req = new providerProto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(plain(properties));
      const res = await call<ProviderPb.CreateResponse>("create", req);
      return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    },
    async read(urn, id, properties, inputs) {
      const req = new providerProto.ReadRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(plain(properties));
      if (inputs) req.setInputs(plain(inputs));
      const res = await call<ProviderPb.ReadResponse>("read", req);
      return {
        id: res.getId(),
        properties: fromStruct(res.getProperties()),
        inputs: fromStruct(res.getInputs()),
      };
    },
    async update(urn, id, olds, news, oldInputs) {
      const req = changeRequest(new providerProto.UpdateRequest(), urn, id, olds, news, oldInputs);
      const res = await call<ProviderPb.UpdateResponse>("update", req);
      return fromStruct(res.getProperties());
    },
    async delete(urn, id, properties, oldInputs) {
      const req = new providerProto.DeleteRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(plain(properties));
      if (oldInputs) req.setOldInputs(plain(oldInputs));
      await call("delete", req);
    },
    stderr: plugin.stderr,
    async stop() {
      client.close();
      await plugin.stop();
    },
  };
}
