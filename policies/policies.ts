/**
 * The CrossGuard policies, pure: built from the rule catalogue, importable by tests (index.ts alone constructs
 * the PolicyPack, which starts a gRPC server; pulumi-notes.md gotcha 3/13).
 *
 * - One resource policy per `resource`-scope rule, run on each PIM resource alone (the project's dynamic types,
 *   azuread and azure-native PIM resources, whoever declared them). Unrelated resources are not applicable.
 * - One stack policy per `stack`-scope rule (counting and cross-references: headcount, break-glass, approvers).
 * - Two stack policies (`pim-stack-context-mandatory` / `-advisory`) report what the resource policies cannot
 *   see alone: findings of resource-scope rules that need other resources (for example, a PIM group's member
 *   policy once the stack shows the group holds Global Administrator).
 *
 * Enforcement follows severity: critical and high are mandatory, medium and low advisory. Each policy takes the
 * rule's parameters plus `profile`, `tiers`, `breakGlass` and `contractors` from policy-pack config
 * (`pulumi preview --policy-pack policies --policy-pack-config config.json`).
 */
import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { z } from "zod";
import { inputFromResources, isPimResource, type PackContext, type ResourceLike } from "./adapters";
import { allRules } from "./rules/catalogue";
import { formatIssue, isMandatory, resolveParams, runRule, type Profile } from "./rules/engine";
import type { AnyRule, RuleFinding, Severity } from "./rules/rule";
import { resolveTiers, tiersSchema } from "./rules/tiers";

/** Config keys every policy accepts besides its rule's parameters. */
const sharedConfig = z.strictObject({
  profile: z.enum(["cisa", "strict"]).default("cisa"),
  tiers: tiersSchema.default(tiersSchema.parse({})),
  /** Object ids of the break-glass accounts (the pack sees ids, not UPNs). */
  breakGlass: z.array(z.string().min(1)).default([]),
  /** Object ids of contractor accounts. */
  contractors: z.array(z.string().min(1)).default([]),
});
const SHARED_KEYS = Object.keys(sharedConfig.shape);

export interface PackOptions {
  /** The clock; tests pass a fixed instant. */
  now?: () => Date;
}

export const policyName = (rule: AnyRule): string =>
  `${rule.id.toLowerCase()}-${rule.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}`;

export const enforcementOf = (s: Severity) =>
  isMandatory(s) ? ("mandatory" as const) : ("advisory" as const);

/** `[PIM-019] Global Administrator: activating ... does not require approval. Fix: ...` */
export function violationMessage(ruleId: string, f: RuleFinding): string {
  return `[${ruleId}] ${f.object}: ${f.message}. Fix: ${f.fix}.`;
}

interface PackConfig {
  profile: Profile;
  ctx: PackContext;
  params: Record<string, unknown>;
}

/** Reads a policy's config. Bad config throws: a typo must fail the run, never silently change enforcement. */
export function readConfig(name: string, raw: Record<string, unknown>, rule?: AnyRule): PackConfig {
  const shared: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw ?? {})) (SHARED_KEYS.includes(k) ? shared : params)[k] = v;
  const s = sharedConfig.safeParse(shared);
  const problems = s.success
    ? []
    : s.error.issues.map(formatIssue).map((m) => m.replace(/^params/, "config"));
  let resolved: Record<string, unknown> = {};
  if (rule) {
    const r = resolveParams(rule, s.success ? s.data.profile : "cisa", params);
    problems.push(...r.errors);
    resolved = r.params;
  } else if (Object.keys(params).length) {
    problems.push(
      `config: unknown key${Object.keys(params).length > 1 ? "s" : ""} ${Object.keys(params).join(", ")}`,
    );
  }
  if (problems.length || !s.success) {
    throw new Error(`policy ${name}: invalid policy-pack config: ${problems.join("; ")}`);
  }
  const lower = (xs: string[]) => xs.map((x) => x.trim().toLowerCase());
  return {
    profile: s.data.profile,
    ctx: {
      tiers: resolveTiers(s.data.tiers),
      breakGlass: lower(s.data.breakGlass),
      contractors: lower(s.data.contractors),
    },
    params: resolved,
  };
}

/** The rule's parameters as JSON Schema, without defaults: the CLI would fill them in and mask the profile's. */
function configSchemaFor(rule?: AnyRule): PolicyConfigSchema {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "$schema") continue;
      if (k === "default") {
        out["description"] = `Default (cisa profile): ${JSON.stringify(v)}`;
        continue;
      }
      out[k] = strip(v);
    }
    return out;
  };
  const shared = strip(z.toJSONSchema(sharedConfig, { io: "input" })) as {
    properties: Record<string, unknown>;
  };
  const own = rule
    ? (strip(z.toJSONSchema(rule.params, { io: "input" })) as { properties?: Record<string, unknown> })
    : {};
  return {
    properties: { ...shared.properties, ...(own.properties ?? {}) } as PolicyConfigSchema["properties"],
  };
}

/** The fields a rule's resource policy and stack policy share: one place, so the two kinds cannot drift apart. */
function policyHeader(rule: AnyRule, name: string) {
  return {
    name,
    description: `${rule.id} ${rule.title}. ${rule.docs}`,
    configSchema: configSchemaFor(rule),
    enforcementLevel: enforcementOf(rule.severity),
    severity: rule.severity,
  };
}

function resourcePolicy(rule: AnyRule, now: () => Date): ResourceValidationPolicy {
  const name = policyName(rule);
  return {
    ...policyHeader(rule, name),
    validateResource: (args, report) => {
      if (!isPimResource(args.type)) {
        return args.notApplicable(`${rule.id} applies to Entra PIM resources only`);
      }
      const cfg = readConfig(name, args.getConfig<Record<string, unknown>>(), rule);
      const { input } = inputFromResources([args], cfg.ctx, { now: now().toISOString(), mode: "resource" });
      const run = runRule(rule, input, cfg.profile, { params: cfg.params });
      for (const f of run?.findings ?? []) report(violationMessage(rule.id, f));
    },
  };
}

function stackPolicy(rule: AnyRule, now: () => Date): StackValidationPolicy {
  const name = policyName(rule);
  return {
    ...policyHeader(rule, name),
    validateStack: (args, report) => {
      const resources = args.resources.filter((r) => isPimResource(r.type));
      if (!resources.length) return args.notApplicable("the stack holds no Entra PIM resources");
      const cfg = readConfig(name, args.getConfig<Record<string, unknown>>(), rule);
      const { input, urns } = inputFromResources(resources, cfg.ctx, {
        now: now().toISOString(),
        mode: "stack",
      });
      const run = runRule(rule, input, cfg.profile, { params: cfg.params });
      for (const f of run?.findings ?? [])
        report(violationMessage(rule.id, f), f.subject ? urns.get(f.subject) : undefined);
    },
  };
}

/**
 * Resource-scope rules over the whole stack, minus what each resource alone already reported: the findings that
 * need context from other resources. Uses the profile's parameters (per-rule params live in each rule's policy).
 */
function stackContextPolicy(
  kind: "mandatory" | "advisory",
  rules: readonly AnyRule[],
  now: () => Date,
): StackValidationPolicy {
  const name = `pim-stack-context-${kind}`;
  return {
    name,
    description:
      `Findings of the per-resource rules that only the whole stack reveals (${kind} ones), such as a PIM group's ` +
      "member policy once the stack shows which roles the group holds.",
    configSchema: configSchemaFor(),
    enforcementLevel: kind,
    severity: kind === "mandatory" ? "high" : "medium",
    validateStack: (args, report: ReportViolation) => {
      const resources = args.resources.filter((r) => isPimResource(r.type));
      if (!resources.length) return args.notApplicable("the stack holds no Entra PIM resources");
      const cfg = readConfig(name, args.getConfig<Record<string, unknown>>());
      const at = now().toISOString();
      const { input, urns } = inputFromResources(resources, cfg.ctx, { now: at, mode: "stack" });
      for (const rule of rules) {
        const seen = new Set<string>();
        for (const r of resources as ResourceLike[]) {
          const alone = inputFromResources([r], cfg.ctx, { now: at, mode: "resource" }).input;
          for (const f of runRule(rule, alone, cfg.profile)?.findings ?? []) seen.add(f.subject ?? f.object);
        }
        for (const f of runRule(rule, input, cfg.profile)?.findings ?? []) {
          if (seen.has(f.subject ?? f.object) || isMandatory(f.severity) !== (kind === "mandatory")) continue;
          report(violationMessage(rule.id, f), f.subject ? urns.get(f.subject) : undefined);
        }
      }
    },
  };
}

export function createPolicies(opts: PackOptions = {}): {
  resourcePolicies: ResourceValidationPolicy[];
  stackPolicies: StackValidationPolicy[];
} {
  const now = opts.now ?? (() => new Date());
  const perResource = allRules.filter((r) => r.scope === "resource");
  return {
    resourcePolicies: perResource.map((r) => resourcePolicy(r, now)),
    stackPolicies: [
      ...allRules.filter((r) => r.scope === "stack").map((r) => stackPolicy(r, now)),
      stackContextPolicy("mandatory", perResource, now),
      stackContextPolicy("advisory", perResource, now),
    ],
  };
}

const built = createPolicies();
export const resourcePolicies = built.resourcePolicies;
export const stackPolicies = built.stackPolicies;
export const allPolicies: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  ...resourcePolicies,
  ...stackPolicies,
];
