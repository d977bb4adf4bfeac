/**
 * Fake CrossGuard arguments that behave like the analyzer's (node_modules/@pulumi/policy/server.js): `isType`
 * compares the type token with the class's `__pulumiType`, `notApplicable` throws, `getConfig` returns the
 * policy's config. Policies are called directly; policies/index.ts (the gRPC server) is never imported.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

export class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

const opts = (parent?: string): PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  ...(parent ? { parent } : {}),
});

export interface FakeResource {
  type: string;
  name: string;
  props: Record<string, any>;
  /** Parent component types, outermost first (they become the URN's qualified type). */
  parents?: string[];
  /** Name of the direct parent component; resources with the same parents and parentName share a parent. */
  parentName?: string;
}

export function urnOf(r: FakeResource): string {
  return `urn:pulumi:test::pim::${[...(r.parents ?? []), r.type].join("$")}::${r.name}`;
}

/** The parent component's URN, as `opts.parent` carries it. */
export function parentUrnOf(r: FakeResource): string | undefined {
  if (!r.parents?.length) return undefined;
  return `urn:pulumi:test::pim::${r.parents.join("$")}::${r.parentName ?? "parent"}`;
}

/** Props whose listed keys are unknown, as CrossGuard's proxy presents them during preview. */
export function withUnknown(props: Record<string, any>, keys: string[]): Record<string, any> {
  return new Proxy(props, {
    get(target, key) {
      if (typeof key === "string" && keys.includes(key))
        throw new Error(`string value at .${key} can't be known during preview`);
      return target[key as string];
    },
  });
}

const isTypeOf = (type: string) => (cls: { new (...rest: any[]): any }) =>
  (cls as unknown as { __pulumiType?: string }).__pulumiType === type;

export function resourceArgs(r: FakeResource, config: Record<string, unknown> = {}): ResourceValidationArgs {
  const isType = isTypeOf(r.type);
  return {
    type: r.type,
    props: r.props,
    urn: urnOf(r),
    name: r.name,
    opts: opts(parentUrnOf(r)),
    stackTags: new Map(),
    isType,
    asType: ((cls: any) => (isType(cls) ? r.props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicableError(reason);
    },
  };
}

export function stackArgs(
  resources: FakeResource[],
  config: Record<string, unknown> = {},
): StackValidationArgs {
  const policyResources: PolicyResource[] = resources.map((r) => {
    const isType = isTypeOf(r.type);
    return {
      type: r.type,
      props: r.props,
      urn: urnOf(r),
      name: r.name,
      opts: opts(parentUrnOf(r)),
      dependencies: [],
      propertyDependencies: {},
      isType,
      asType: ((cls: any) => (isType(cls) ? r.props : undefined)) as PolicyResource["asType"],
    };
  });
  return {
    resources: policyResources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicableError(reason);
    },
  };
}

export interface Outcome {
  violations: Array<{ message: string; urn?: string }>;
  notApplicable?: string;
}

async function capture(run: (report: ReportViolation) => unknown): Promise<Outcome> {
  const violations: Outcome["violations"] = [];
  const report: ReportViolation = (message, urn) => violations.push(urn ? { message, urn } : { message });
  try {
    await run(report);
  } catch (e) {
    if (e instanceof NotApplicableError) return { violations, notApplicable: e.reason ?? "" };
    throw e;
  }
  return { violations };
}

export function validateResource(
  policy: ResourceValidationPolicy,
  args: ResourceValidationArgs,
): Promise<Outcome> {
  const v = policy.validateResource;
  if (!v || Array.isArray(v)) throw new Error(`${policy.name}: expected one validateResource function`);
  return capture((report) => v(args, report));
}

export function validateStack(policy: StackValidationPolicy, args: StackValidationArgs): Promise<Outcome> {
  return capture((report) => policy.validateStack(args, report));
}

/** Every resource policy on one resource: policy name → violation messages (policies without any left out). */
export async function allResourceViolations(
  policies: ResourceValidationPolicy[],
  r: FakeResource,
  config: Record<string, unknown> = {},
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of policies) {
    const o = await validateResource(p, resourceArgs(r, config));
    if (o.violations.length) out[p.name] = o.violations.map((v) => v.message);
  }
  return out;
}

export async function allStackViolations(
  policies: StackValidationPolicy[],
  resources: FakeResource[],
  config: Record<string, unknown> = {},
): Promise<Record<string, Array<{ message: string; urn?: string }>>> {
  const out: Record<string, Array<{ message: string; urn?: string }>> = {};
  for (const p of policies) {
    const o = await validateStack(p, stackArgs(resources, config));
    if (o.violations.length) out[p.name] = o.violations;
  }
  return out;
}
