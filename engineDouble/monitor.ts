/**
 * The resource monitor and engine services a Pulumi program talks to, as a test double: one gRPC server, the two
 * services the Node SDK connects to (`--monitor` and `--engine` may be the same address, as in Pulumi's own
 * `sdk/nodejs/tests/runtime/langhost/run.spec.ts`). It records everything the program sends, in order, and leaves
 * every decision (URN lookups, outputs) to the handler it is given: the deploy driver in `deploy.ts`, or a test.
 *
 * Feature support follows the real engine for what this project uses (`secrets`, `resourceReferences`,
 * `outputValues`, `deletedWith`, `aliasSpecs`) and refuses the rest (`transforms`, hooks, parameterization): the SDK
 * then fails loudly if a program starts to use them, instead of the double pretending to honour them.
 */
import type * as GrpcJs from "@grpc/grpc-js";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as ResourcePb from "@pulumi/pulumi/proto/resource_pb";
import {
  bindLocal,
  emptyProto,
  engineProto,
  engineRpc,
  fromStruct,
  grpc,
  providerProto,
  resourceProto,
  resourceRpc,
  toStruct,
  type JsonObject,
} from "./proto";
import { newUrn, type AliasSpec } from "./urn";

export const SUPPORTED_FEATURES = [
  "secrets",
  "resourceReferences",
  "outputValues",
  "deletedWith",
  "aliasSpecs",
];

/** Everything a `RegisterResource` call carried that a test or the deploy driver may need. */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  /** Parent URN ("" for none: the root stack itself). */
  parent: string;
  custom: boolean;
  /** Inputs as sent (secrets still wrapped in the SDK's secret signature; see `unwrapSecrets`). */
  inputs: JsonObject;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** Explicit provider reference ("" = the default provider of the type's package). */
  provider: string;
  version: string;
  options: {
    aliases: AliasSpec[];
    /** Undefined when the program did not set it. */
    protect: boolean | undefined;
    retainOnDelete: boolean | undefined;
    /** Undefined when the program did not set it (the provider's diff decides). */
    deleteBeforeReplace: boolean | undefined;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    deletedWith: string;
    importId: string;
  };
}

export interface RegisterResult {
  /** "" in a preview of a create (unknown id). */
  id: string;
  outputs: JsonObject;
}

export type RegistrationHandler = (reg: Registration) => Promise<RegisterResult>;

/** Answers one invoke token; throw to fail the invoke with that message. */
export type InvokeHandler = (args: JsonObject, provider: string) => JsonObject | Promise<JsonObject>;

export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

export interface MonitorRecord {
  registrations: Registration[];
  /** RegisterResourceOutputs, by URN (components and the root stack). */
  outputs: Map<string, JsonObject>;
  invokes: Array<{ token: string; args: JsonObject }>;
  /** Invokes no handler answered: each also failed in the program. */
  unhandledInvokes: string[];
  features: string[];
  logs: LogEntry[];
  rootResource: string;
}

export interface MonitorOptions {
  project: string;
  stack: string;
  /** Decides what each registration returns. Default: the root stack and components get `{}`, nothing else is allowed. */
  onRegister?: RegistrationHandler;
  invokes?: Record<string, InvokeHandler>;
}

export interface RunningMonitor {
  /** "127.0.0.1:<port>", for both `--monitor` and `--engine`. */
  address: string;
  record: MonitorRecord;
  /** The root stack's outputs (what `pulumi stack output` shows). */
  stackOutputs(): JsonObject;
  stop(): Promise<void>;
}

const SEVERITY: Record<number, LogEntry["severity"]> = {
  [engineProto.LogSeverity.DEBUG]: "debug",
  [engineProto.LogSeverity.INFO]: "info",
  [engineProto.LogSeverity.WARNING]: "warning",
  [engineProto.LogSeverity.ERROR]: "error",
};

function aliasesOf(req: ResourcePb.RegisterResourceRequest): AliasSpec[] {
  const specs: AliasSpec[] = req.getAliasurnsList().map((urn: string) => ({ urn }));
  for (const a of req.getAliasesList()) {
    if (a.getUrn()) {
      specs.push({ urn: a.getUrn() });
      continue;
    }
    const s = a.getSpec();
    if (!s) continue;
    specs.push({
      name: s.getName() || undefined,
      type: s.getType() || undefined,
      stack: s.getStack() || undefined,
      project: s.getProject() || undefined,
      parentUrn: s.getParenturn() || undefined,
      noParent: s.getNoparent() || undefined,
    });
  }
  return specs;
}

function registrationOf(
  req: ResourcePb.RegisterResourceRequest,
  stack: string,
  project: string,
): Registration {
  const propertyDependencies: Record<string, string[]> = {};
  req
    .getPropertydependenciesMap()
    .forEach(
      (v: ResourcePb.RegisterResourceRequest.PropertyDependencies, k: string) =>
        (propertyDependencies[k] = v.getUrnsList()),
    );
  return {
    urn: newUrn(stack, project, req.getParent(), req.getType(), req.getName()),
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    inputs: fromStruct(req.getObject()),
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    provider: req.getProvider(),
    version: req.getVersion(),
    options: {
      aliases: aliasesOf(req),
      protect: req.hasProtect() ? req.getProtect() : undefined,
      retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
      deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      deletedWith: req.getDeletedwith(),
      importId: req.getImportid(),
    },
  };
}

const defaultRegister: RegistrationHandler = async (reg) => {
  if (reg.custom) throw new Error(`no handler for custom resource ${reg.urn}`);
  return { id: "", outputs: {} };
};

type Callback = (err: Partial<GrpcJs.StatusObject> | null, res?: unknown) => void;
/** A unary call as a grpc-js handler receives it: only the request is read here. */
type Call<Req> = { request: Req };

function fail(callback: Callback, e: unknown): void {
  callback({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) });
}

function unimplemented(name: string) {
  return (_call: unknown, callback: Callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `the engine double does not implement ${name}` });
}

export async function startMonitor(opts: MonitorOptions): Promise<RunningMonitor> {
  const record: MonitorRecord = {
    registrations: [],
    outputs: new Map(),
    invokes: [],
    unhandledInvokes: [],
    features: [],
    logs: [],
    rootResource: "",
  };
  const onRegister = opts.onRegister ?? defaultRegister;
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });

  server.addService(resourceRpc.ResourceMonitorService, {
    supportsFeature(call: Call<ResourcePb.SupportsFeatureRequest>, callback: Callback) {
      const id = call.request.getId();
      record.features.push(id);
      callback(
        null,
        new resourceProto.SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.includes(id)),
      );
    },
    async registerResource(call: Call<ResourcePb.RegisterResourceRequest>, callback: Callback) {
      const reg = registrationOf(call.request, opts.stack, opts.project);
      record.registrations.push(reg);
      try {
        const res = await onRegister(reg);
        const resp = new resourceProto.RegisterResourceResponse();
        resp.setUrn(reg.urn);
        resp.setId(res.id);
        resp.setObject(toStruct(res.outputs));
        callback(null, resp);
      } catch (e) {
        fail(callback, e);
      }
    },
    registerResourceOutputs(call: Call<ResourcePb.RegisterResourceOutputsRequest>, callback: Callback) {
      record.outputs.set(call.request.getUrn(), fromStruct(call.request.getOutputs()));
      callback(null, new emptyProto.Empty());
    },
    async invoke(call: Call<ResourcePb.ResourceInvokeRequest>, callback: Callback) {
      const token: string = call.request.getTok();
      const args = fromStruct(call.request.getArgs());
      record.invokes.push({ token, args });
      const handler = opts.invokes?.[token];
      if (!handler) {
        record.unhandledInvokes.push(token);
        return fail(callback, `the engine double has no handler for invoke ${token}`);
      }
      try {
        const ret = await handler(args, call.request.getProvider());
        callback(null, new providerProto.InvokeResponse().setReturn(toStruct(ret)));
      } catch (e) {
        fail(callback, e);
      }
    },
    signalAndWaitForShutdown(_call: unknown, callback: Callback) {
      callback(null, new emptyProto.Empty());
    },
    readResource: unimplemented("ReadResource"),
    call: unimplemented("Call"),
    getDeploymentInfo: unimplemented("GetDeploymentInfo"),
    registerStackTransform: unimplemented("RegisterStackTransform"),
    registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
    registerResourceHook: unimplemented("RegisterResourceHook"),
    registerErrorHook: unimplemented("RegisterErrorHook"),
    registerPackage: unimplemented("RegisterPackage"),
  });

  server.addService(engineRpc.EngineService, {
    log(call: Call<EnginePb.LogRequest>, callback: Callback) {
      record.logs.push({
        severity: SEVERITY[call.request.getSeverity()] ?? "info",
        message: call.request.getMessage(),
        urn: call.request.getUrn(),
      });
      callback(null, new emptyProto.Empty());
    },
    getRootResource(_call: unknown, callback: Callback) {
      callback(null, new engineProto.GetRootResourceResponse().setUrn(record.rootResource));
    },
    setRootResource(call: Call<EnginePb.SetRootResourceRequest>, callback: Callback) {
      record.rootResource = call.request.getUrn();
      callback(null, new engineProto.SetRootResourceResponse());
    },
    requirePulumiVersion(_call: unknown, callback: Callback) {
      callback(null, new engineProto.RequirePulumiVersionResponse());
    },
    startDebugging: unimplemented("StartDebugging"),
  });

  const address = await bindLocal(server);
  return {
    address,
    record,
    stackOutputs: () => record.outputs.get(record.rootResource) ?? {},
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // A program that is still connected must not keep the test waiting.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}

/** Inputs with the SDK's secret wrappers replaced by their values, as the engine hands them to a provider. */
export function unwrapSecrets<T>(value: T): T {
  const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
  const SIG_KEY = "4dabf18193072939515e22adb298388d";
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o[SIG_KEY] === SECRET_SIG) return walk(o.value);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
