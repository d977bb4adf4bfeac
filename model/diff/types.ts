/**
 * What changed between two snapshots, judged for security. One shape for every consumer: `pim plan` (declarations
 * at two commits), `pim review` (a Pulumi preview) and the coming live drift report (declared vs live).
 */
import type { SourceRef } from "../types";

/**
 * `critical`: a break-glass change or a change of tenant, always the highest risk. `weaker`: more access or less
 * control (approval removed, a longer window, a new grant). `stronger`: the opposite. `neutral`: neither
 * (a justification reworded), or a direction that cannot be told offline.
 */
export type Risk = "critical" | "weaker" | "neutral" | "stronger";

/** Highest risk first: the order reports list changes in. */
export const RISKS: readonly Risk[] = ["critical", "weaker", "neutral", "stronger"];

export type Section =
  | "tenant"
  | "breakGlass"
  | "safeDefaults"
  | "profiles"
  | "roleSettings"
  | "grants"
  | "approverGroups"
  | "pimGroups"
  | "memberships"
  | "findings";

/** The order sections are reported in. */
export const SECTIONS: readonly Section[] = [
  "tenant",
  "breakGlass",
  "safeDefaults",
  "roleSettings",
  "profiles",
  "grants",
  "memberships",
  "approverGroups",
  "pimGroups",
  "findings",
];

export interface FieldChange {
  /** Settings path (`activation.approval.required`) or entry field (`end`, `members`). */
  field: string;
  /** What a person calls it: `approval to activate`. */
  label: string;
  /** Absent when the value did not exist on that side. */
  before?: unknown;
  after?: unknown;
  risk: Risk;
  /** The judgement in words: `no longer required`, `extended by 365 days`. */
  note: string;
  /** The profile whose own text changed this value, when one did. */
  viaProfile?: string;
}

export interface Change {
  section: Section;
  /** The object's key (the head side's for a change of kind or scope). */
  key: string;
  action: "added" | "removed" | "changed";
  /** The object in the user's words: `Global Administrator`, `eligible Global Administrator for c-…`. */
  subject: string;
  /** The highest risk of the change itself and of its fields. */
  risk: Risk;
  /** Why the action itself carries its risk (`new access`, `break-glass account removed`). */
  note: string;
  fields: FieldChange[];
  /** The entry on each side (absent on the side where the object does not exist). */
  before?: unknown;
  after?: unknown;
  /** Where to look: the head side's declaration, or the base side's for a removal. */
  source?: SourceRef;
  /** Profiles only: the roles whose effective settings this profile's change reaches. */
  affects?: string[];
}

export interface TenantDiff {
  /** Highest risk first, then by section, then by subject: the same order on every run. */
  changes: Change[];
  counts: Record<Risk, number> & { total: number };
  /** null when nothing changed. */
  highest: Risk | null;
}

/** What the findings diff needs of a safe-default finding (the rules' `Finding` satisfies it). */
export interface FindingLike {
  ruleId: string;
  title: string;
  severity: string;
  mandatory: boolean;
  object: string;
  message: string;
  source?: SourceRef;
  exempted?: unknown;
}
