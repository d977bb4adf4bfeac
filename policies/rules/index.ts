/**
 * Placeholder until the safe-default rules land (issue 5): the interface `pim check` calls.
 */
import type { TenantModel } from "../../model/types";

export type FindingSeverity = "critical" | "high" | "medium" | "low";

export interface Finding {
  ruleId: string;
  title: string;
  severity: FindingSeverity;
  /** Mandatory findings fail `pim check` (exit 1) and are mandatory violations in the policy pack. */
  mandatory: boolean;
  /** The offending object in the user's words: a role name, UPN, group name or grant file. */
  object: string;
  message: string;
  fix: string;
  /** Where to change it, when the object came from a file. */
  source?: { file: string; line: number; column: number };
}

export function evaluateSafeDefaults(_model: TenantModel, _opts: { now?: Date } = {}): Finding[] {
  return [];
}
