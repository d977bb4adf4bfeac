/**
 * Runs rules over a rule input with a profile and per-rule overrides. Shared by `pim check` (index.ts) and the
 * policy pack, so both resolve parameters the same way.
 */
import type { z } from "zod";
import type { RuleOverride } from "../../model/types";
import type { RuleInput } from "./input";
import type { AnyRule, Profile, RuleFinding, Severity } from "./rule";

export type { Profile };
export const PROFILES: readonly Profile[] = ["cisa", "strict", "cis"];

export interface ResolvedParams {
  params: Record<string, unknown>;
  /** Human-readable problems with the override's params; the profile's params are used instead. */
  errors: string[];
}

/** Profile defaults, then the override's params; invalid overrides fall back to the profile (and say why). */
export function resolveParams(
  rule: AnyRule,
  profile: Profile,
  override?: Record<string, unknown>,
): ResolvedParams {
  const base = profile === "cisa" ? {} : { ...(rule.profiles?.[profile] ?? {}) };
  const profileParams = rule.params.parse(base) as Record<string, unknown>;
  if (!override) return { params: profileParams, errors: [] };
  const r = rule.params.safeParse({ ...base, ...override });
  if (r.success) return { params: r.data as Record<string, unknown>, errors: [] };
  return { params: profileParams, errors: r.error.issues.map(formatIssue) };
}

export function formatIssue(i: z.core.$ZodIssue): string {
  const path = i.path.length ? `params.${i.path.map(String).join(".")}` : "params";
  if (i.code === "unrecognized_keys")
    return `${path}: unknown parameter${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")}`;
  return `${path}: ${i.message}`;
}

export interface RuleRun {
  rule: AnyRule;
  severity: Severity;
  findings: Array<RuleFinding & { severity: Severity }>;
  /** The parameters it ran with (profile defaults, then the override's valid params). */
  params: Record<string, unknown>;
  paramErrors: string[];
}

/** Runs one rule; null when the override disables it. */
export function runRule(
  rule: AnyRule,
  input: RuleInput,
  profile: Profile,
  override?: RuleOverride,
): RuleRun | null {
  if (override?.enabled === false) return null;
  const { params, errors } = resolveParams(rule, profile, override?.params);
  const findings = rule.evaluate(input, params as never).map((f) => ({
    ...f,
    severity: override?.severity ?? f.severity ?? rule.severity,
  }));
  return { rule, severity: override?.severity ?? rule.severity, findings, params, paramErrors: errors };
}

export const isMandatory = (s: Severity): boolean => s === "critical" || s === "high";
