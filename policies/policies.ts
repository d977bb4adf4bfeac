/**
 * The CrossGuard policies, pure: built from the rule catalogue, importable by tests (index.ts alone constructs
 * the PolicyPack, which starts a gRPC server; pulumi-notes.md gotcha 3/13).
 *
 * - Resource policies for `resource`-scope rules, run on each PIM resource alone (the project's dynamic types,
 *   azuread and azure-native PIM resources, whoever declared them). Unrelated resources are not applicable.
 * - Stack policies for `stack`-scope rules (counting and cross-references: headcount, break-glass, approvers).
 * - Two stack policies (`pim-stack-context-mandatory` / `-advisory`) report what the resource policies cannot
 *   see alone: findings of resource-scope rules that need other resources (for example, a PIM group's member
 *   policy once the stack shows the group holds Global Administrator).
 * - `pim-resource-readable` (mandatory) reports a PIM resource the pack cannot attribute to a role or principal.
 *
 * Mandatory or advisory is decided per finding, as `pim check` decides it: a rule whose findings can be either
 * (PIM-026: high past 8 hours for Tier 0, medium otherwise) has one policy per enforcement level, the second named
 * `<name>-mandatory` or `<name>-advisory`, each reporting the findings of its level. The finding's severity is in
 * the message. Each policy takes the rule's parameters plus the shared keys (`profile`, `tiers`, `breakGlass`,
 * `contractors`, `synchronizedAccounts`, `serviceAccounts`, `authenticationContexts`) from policy-pack config.
 */
import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { z } from "zod";
import {
  inputFromResources,
  isPimResource,
  isReadResource,
  type PackContext,
  type ResourceLike,
} from "./adapters";
import { findAzureRole, findDirectoryRole } from "../model/catalog";
import { allRules } from "./rules/catalogue";
import { PROFILES, formatIssue, isMandatory, resolveParams, runRule, type Profile } from "./rules/engine";
import { severitiesOf, type AnyRule, type RuleFinding, type Severity } from "./rules/rule";
import { resolveTiers, tiersSchema } from "./rules/tiers";

const objectIds = z.array(z.string().min(1)).default([]);

/** A role display name or id, as tenant.yaml names them. */
const roleRef = z
  .string()
  .min(1)
  .refine((v) => findDirectoryRole(v).ok || findAzureRole(v).ok, { message: "is not a role in the catalog" });

/** Config keys every policy accepts besides its rule's parameters. */
const sharedConfig = z.strictObject({
  profile: z.enum(PROFILES as [Profile, ...Profile[]]).default("cisa"),
  tiers: tiersSchema.default(tiersSchema.parse({})),
  /** Object ids of the break-glass accounts (the pack sees ids, not UPNs). */
  breakGlass: objectIds,
  /** Object ids of contractor accounts. */
  contractors: objectIds,
  /** Object ids of accounts synchronised from on-premises (tenant.yaml `synchronizedAccounts`). */
  synchronizedAccounts: objectIds,
  /** Service accounts that may hold the listed roles permanently (tenant.yaml `safeDefaults.serviceAccounts`). */
  serviceAccounts: z
    .array(
      z.strictObject({
        principalId: z.string().min(1),
        roles: z.array(roleRef).min(1),
        justification: z.string().min(1),
      }),
    )
    .default([]),
  /** Authentication context id → the Conditional Access policy enforcing it (tenant.yaml `authenticationContexts`). */
  authenticationContexts: z.record(z.string(), z.string().min(1)).default({}),
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

export type Enforcement = "mandatory" | "advisory";

export const enforcementOf = (s: Severity): Enforcement => (isMandatory(s) ? "mandatory" : "advisory");

/** `[PIM-019 critical] Global Administrator: activating ... does not require approval. Fix: ...` */
export function violationMessage(ruleId: string, f: RuleFinding & { severity: Severity }): string {
  return `[${ruleId} ${f.severity}] ${f.object}: ${f.message}. Fix: ${f.fix}.`;
}

/** The enforcement levels a rule's findings span, the rule's own level first: one policy each. */
export function levelsOf(rule: AnyRule): Enforcement[] {
  const own = enforcementOf(rule.severity);
  const other: Enforcement = own === "mandatory" ? "advisory" : "mandatory";
  return severitiesOf(rule).some((s) => enforcementOf(s) === other) ? [own, other] : [own];
}

/** The policy of one rule at one enforcement level; the rule's own level keeps the plain name. */
export function policyNameAt(rule: AnyRule, level: Enforcement): string {
  return level === enforcementOf(rule.severity) ? policyName(rule) : `${policyName(rule)}-${level}`;
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

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
  const roleId = (ref: string) => {
    const d = findDirectoryRole(ref);
    if (d.ok) return d.role.id;
    const a = findAzureRole(ref);
    return a.ok ? a.role.id.toLowerCase() : ref.toLowerCase();
  };
  return {
    profile: s.data.profile,
    ctx: {
      tiers: resolveTiers(s.data.tiers),
      breakGlass: lower(s.data.breakGlass),
      contractors: lower(s.data.contractors),
      synchronizedAccounts: lower(s.data.synchronizedAccounts),
      serviceAccounts: s.data.serviceAccounts.map((a) => ({
        principalId: a.principalId.trim().toLowerCase(),
        roleIds: a.roles.map(roleId),
        justification: a.justification,
      })),
      authenticationContexts: s.data.authenticationContexts,
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

/** The fields of one rule's policy at one enforcement level. */
function policyHeader(rule: AnyRule, level: Enforcement) {
  const severity = [...severitiesOf(rule)]
    .filter((s) => enforcementOf(s) === level)
    .sort((a, b) => RANK[a] - RANK[b])[0]!;
  return {
    name: policyNameAt(rule, level),
    description: `${rule.id} ${rule.title} (its ${level} findings). ${rule.docs}`,
    configSchema: configSchemaFor(rule),
    enforcementLevel: level,
    severity,
  };
}

/** The rule over one input, keeping the findings of one enforcement level. */
function findingsAt(
  rule: AnyRule,
  level: Enforcement,
  input: Parameters<typeof runRule>[1],
  cfg: PackConfig,
) {
  return (runRule(rule, input, cfg.profile, { params: cfg.params })?.findings ?? []).filter(
    (f) => enforcementOf(f.severity) === level,
  );
}

function resourcePolicy(rule: AnyRule, level: Enforcement, now: () => Date): ResourceValidationPolicy {
  const header = policyHeader(rule, level);
  return {
    ...header,
    validateResource: (args, report) => {
      if (!isPimResource(args.type)) {
        return args.notApplicable(`${rule.id} applies to Entra PIM resources only`);
      }
      const cfg = readConfig(header.name, args.getConfig<Record<string, unknown>>(), rule);
      const { input } = inputFromResources([args], cfg.ctx, { now: now().toISOString(), mode: "resource" });
      for (const f of findingsAt(rule, level, input, cfg)) report(violationMessage(rule.id, f));
    },
  };
}

const stackResources = (resources: readonly ResourceLike[]) =>
  resources.filter((r) => isReadResource(r.type));

function stackPolicy(rule: AnyRule, level: Enforcement, now: () => Date): StackValidationPolicy {
  const header = policyHeader(rule, level);
  return {
    ...header,
    validateStack: (args, report) => {
      if (!args.resources.some((r) => isPimResource(r.type)))
        return args.notApplicable("the stack holds no Entra PIM resources");
      const cfg = readConfig(header.name, args.getConfig<Record<string, unknown>>(), rule);
      const { input, urns } = inputFromResources(stackResources(args.resources), cfg.ctx, {
        now: now().toISOString(),
        mode: "stack",
      });
      for (const f of findingsAt(rule, level, input, cfg))
        report(violationMessage(rule.id, f), f.subject ? urns.get(f.subject) : undefined);
    },
  };
}

/**
 * Resource-scope rules over the whole stack, minus what each resource alone already reported: the findings that
 * need context from other resources. Uses the profile's parameters (per-rule params live in each rule's policy).
 */
function stackContextPolicy(
  kind: Enforcement,
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
      if (!args.resources.some((r) => isPimResource(r.type)))
        return args.notApplicable("the stack holds no Entra PIM resources");
      const cfg = readConfig(name, args.getConfig<Record<string, unknown>>());
      const at = now().toISOString();
      const resources = stackResources(args.resources);
      const { input, urns } = inputFromResources(resources, cfg.ctx, { now: at, mode: "stack" });
      const alone = resources
        .filter((r) => isPimResource(r.type))
        .map((r) => inputFromResources([r], cfg.ctx, { now: at, mode: "resource" }).input);
      for (const rule of rules) {
        const seen = new Set<string>();
        for (const one of alone)
          for (const f of runRule(rule, one, cfg.profile)?.findings ?? [])
            seen.add(violationMessage(rule.id, f));
        for (const f of runRule(rule, input, cfg.profile)?.findings ?? []) {
          const message = violationMessage(rule.id, f);
          if (seen.has(message) || enforcementOf(f.severity) !== kind) continue;
          report(message, f.subject ? urns.get(f.subject) : undefined);
        }
      }
    },
  };
}

/** A PIM resource the adapters cannot attribute to a role or principal: nothing about it can be checked. */
function readablePolicy(now: () => Date): ResourceValidationPolicy {
  const name = "pim-resource-readable";
  return {
    name,
    description:
      "Every Entra PIM resource names the role and principal it is about, so the safe-default rules can judge it; " +
      "one the pack cannot read is a mandatory violation rather than a resource no rule checks.",
    configSchema: configSchemaFor(),
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: (args, report) => {
      if (!isPimResource(args.type)) return args.notApplicable("applies to Entra PIM resources only");
      const cfg = readConfig(name, args.getConfig<Record<string, unknown>>());
      const { unreadable } = inputFromResources([args], cfg.ctx, {
        now: now().toISOString(),
        mode: "resource",
      });
      for (const u of unreadable) report(`${args.name}: ${u.reason}; no safe-default rule can check it.`);
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
    resourcePolicies: [
      ...perResource.flatMap((r) => levelsOf(r).map((level) => resourcePolicy(r, level, now))),
      readablePolicy(now),
    ],
    stackPolicies: [
      ...allRules
        .filter((r) => r.scope === "stack")
        .flatMap((r) => levelsOf(r).map((level) => stackPolicy(r, level, now))),
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
