/**
 * A CrossGuard policy pack started the way the engine starts an analyzer plugin, and driven over gRPC
 * (pulumi/pulumi `sdk/go/common/resource/plugin/analyzer_plugin.go` `NewPolicyAnalyzer`, `constructEnv`; the CLI's
 * `pulumi-analyzer-policy` script):
 *
 *   node <@pulumi/pulumi/cmd/run-policy-pack resolved from the pack directory> <engine address> . [-<opt>=<value>]
 *
 * in the pack directory, with the CLI's environment plus `PULUMI_CONFIG` (the stack config, `ns:key` keys),
 * `PULUMI_NODEJS_ORGANIZATION` / `_PROJECT` / `_STACK` / `_DRY_RUN` and their `PULUMI_*` twins; the options are
 * PulumiPolicy.yaml's `runtime.options`. `run-policy-pack` registers ts-node with type checking (tsconfig.json from
 * the pack directory) and runs the package's `main`; `new PolicyPack` prints its port.
 *
 * Then, as the engine does: `ConfigureStack`, `GetAnalyzerInfo`, `Configure` with the policy config when there is
 * one, `Analyze` per resource with its checked inputs (keys starting with `__`, such as `__provider`, are skipped:
 * `MarshalOptions{SkipInternalKeys: true}`), and `AnalyzeStack` with every resource.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { parse } from "yaml";
import { cliEnvironment, DEFAULT_ORGANIZATION } from "./program";
import { analyzerProto, analyzerRpc, emptyProto, grpc, toStruct, unary, type JsonObject } from "./proto";
import type { Registration } from "./monitor";
import { startPlugin } from "./plugin";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
  [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
};

export interface PolicyPackOptions {
  /** The folder holding PulumiPolicy.yaml and the pack's package.json. */
  packDir: string;
  project: string;
  stack: string;
  organization?: string;
  dryRun: boolean;
  /** The stack config (`ns:key` → value). */
  config?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  engineAddress?: string;
}

/** A resource as the engine shows it to an analyzer. */
export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  properties: JsonObject;
  parent: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: { protect: boolean; ignoreChanges: string[]; deleteBeforeReplace?: boolean; aliases: string[] };
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn: string;
}

export interface PolicyInfo {
  name: string;
  enforcementLevel: EnforcementLevel;
}

export interface RunningPolicyPack {
  invocation: { command: string; args: string[]; cwd: string; addedEnv: Record<string, string> };
  info(): Promise<{ name: string; version: string; policies: PolicyInfo[] }>;
  /** Policy config as `--policy-pack-config` gives it: policy name → level and properties. */
  configure(
    config: Record<string, { enforcementLevel?: EnforcementLevel; properties?: JsonObject }>,
  ): Promise<void>;
  analyze(resource: AnalyzedResource): Promise<Diagnostic[]>;
  analyzeStack(resources: AnalyzedResource[]): Promise<Diagnostic[]>;
  /** What the pack wrote on stderr (load and type errors land here). */
  stderr(): string;
  stop(): Promise<void>;
}

/** A registration as the engine hands it to `Analyze`: its inputs without internal (`__`) keys. */
export function analyzedResource(reg: Registration, aliasUrns: string[] = []): AnalyzedResource {
  return {
    urn: reg.urn,
    type: reg.type,
    name: reg.name,
    properties: Object.fromEntries(Object.entries(reg.inputs).filter(([k]) => !k.startsWith("__"))),
    parent: reg.parent,
    dependencies: reg.dependencies,
    propertyDependencies: reg.propertyDependencies,
    options: {
      protect: reg.options.protect ?? false,
      ignoreChanges: reg.options.ignoreChanges,
      deleteBeforeReplace: reg.options.deleteBeforeReplace,
      aliases: aliasUrns,
    },
  };
}

function diagnosticsOf(res: AnalyzerPb.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

function optionsOf(r: AnalyzedResource): unknown {
  const o = new analyzerProto.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList(r.options.ignoreChanges);
  o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace ?? false);
  o.setAliasesList(r.options.aliases);
  o.setParent(r.parent);
  return o;
}

/** The fields an Analyze request and a stack's resource share. */
function withResource<
  R extends InstanceType<typeof analyzerProto.AnalyzeRequest | typeof analyzerProto.AnalyzerResource>,
>(req: R, r: AnalyzedResource): R {
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(toStruct(r.properties));
  req.setOptions(optionsOf(r) as never);
  return req;
}

export async function startPolicyPack(opts: PolicyPackOptions): Promise<RunningPolicyPack> {
  const script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [opts.packDir] });
  const manifest = parse(fs.readFileSync(path.join(opts.packDir, "PulumiPolicy.yaml"), "utf8")) as {
    runtime: string | { name: string; options?: Record<string, unknown> };
  };
  const runtimeOptions = typeof manifest.runtime === "object" ? (manifest.runtime.options ?? {}) : {};
  const args = [
    script,
    opts.engineAddress ?? "127.0.0.1:0",
    ".",
    ...Object.entries(runtimeOptions)
      .filter(([, v]) => `${v}` !== "")
      .map(([k, v]) => `-${k}=${v}`),
  ];
  const organization = opts.organization ?? DEFAULT_ORGANIZATION;
  const addedEnv: Record<string, string> = {
    ...(opts.config ? { PULUMI_CONFIG: JSON.stringify(opts.config) } : {}),
    PULUMI_NODEJS_ORGANIZATION: organization,
    PULUMI_NODEJS_PROJECT: opts.project,
    PULUMI_NODEJS_STACK: opts.stack,
    PULUMI_NODEJS_DRY_RUN: String(opts.dryRun),
    PULUMI_ORGANIZATION: organization,
    PULUMI_PROJECT: opts.project,
    PULUMI_STACK: opts.stack,
    PULUMI_DRY_RUN: String(opts.dryRun),
  };
  const plugin = await startPlugin("the policy pack", args, opts.packDir, {
    ...(opts.env ?? cliEnvironment()),
    ...addedEnv,
  });
  const client = new analyzerRpc.AnalyzerClient(plugin.address, grpc.credentials.createInsecure());
  const call = <T>(method: string, req: unknown) => unary<T>(client, method, req);

  const stackReq = new analyzerProto.AnalyzerStackConfigureRequest();
  stackReq.setStack(opts.stack);
  stackReq.setProject(opts.project);
  stackReq.setOrganization(organization);
  stackReq.setDryRun(opts.dryRun);
  for (const [k, v] of Object.entries(opts.config ?? {})) stackReq.getConfigMap().set(k, v);
  await call("configureStack", stackReq);

  return {
    invocation: { command: process.execPath, args, cwd: opts.packDir, addedEnv },
    async info() {
      const res = await call<AnalyzerPb.AnalyzerInfo>("getAnalyzerInfo", new emptyProto.Empty());
      return {
        name: res.getName(),
        version: res.getVersion(),
        policies: res.getPoliciesList().map((p) => ({
          name: p.getName(),
          enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        })),
      };
    },
    async configure(config) {
      const req = new analyzerProto.ConfigureAnalyzerRequest();
      for (const [name, c] of Object.entries(config)) {
        const pc = new analyzerProto.PolicyConfig();
        const level = Object.entries(LEVELS).find(([, l]) => l === (c.enforcementLevel ?? "advisory"))![0];
        pc.setEnforcementlevel(Number(level) as never);
        if (c.properties) pc.setProperties(toStruct(c.properties));
        req.getPolicyconfigMap().set(name, pc);
      }
      await call("configure", req);
    },
    async analyze(r) {
      return diagnosticsOf(
        await call<AnalyzerPb.AnalyzeResponse>(
          "analyze",
          withResource(new analyzerProto.AnalyzeRequest(), r),
        ),
      );
    },
    async analyzeStack(resources) {
      const req = new analyzerProto.AnalyzeStackRequest();
      req.setResourcesList(
        resources.map((r) => {
          const ar = withResource(new analyzerProto.AnalyzerResource(), r);
          ar.setParent(r.parent);
          ar.setDependenciesList(r.dependencies);
          return ar;
        }),
      );
      return diagnosticsOf(await call<AnalyzerPb.AnalyzeResponse>("analyzeStack", req));
    },
    stderr: plugin.stderr,
    async stop() {
      client.close();
      await plugin.stop();
    },
  };
}
