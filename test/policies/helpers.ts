/** Runs one rule the way the evaluator does and keeps what the tests assert on. */
import type { Profile } from "../../policies/rules/engine";
import { runRule } from "../../policies/rules/engine";
import type { RuleInput } from "../../policies/rules/input";
import type { AnyRule } from "../../policies/rules/rule";

export interface Seen {
  ruleId: string;
  severity: string;
  object: string;
  message: string;
}

export function check(
  rule: AnyRule,
  input: RuleInput,
  params?: Record<string, unknown>,
  profile: Profile = "cisa",
): Seen[] {
  const run = runRule(rule, input, profile, params ? { params } : undefined);
  if (!run) throw new Error("rule disabled");
  if (run.paramErrors.length) throw new Error(run.paramErrors.join("; "));
  return run.findings.map((f) => ({
    ruleId: rule.id,
    severity: f.severity,
    object: f.object,
    message: f.message,
  }));
}

/** Full findings, with fix, source and subject. */
export function findings(
  rule: AnyRule,
  input: RuleInput,
  params?: Record<string, unknown>,
  profile: Profile = "cisa",
) {
  return runRule(rule, input, profile, params ? { params } : undefined)!.findings;
}
