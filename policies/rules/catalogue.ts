/** The rule catalogue: every rule, in id order. */
import type { AnyRule, Severity } from "./rule";
import { z } from "zod";
import { durationParam } from "./rule";
import { pim001 } from "./pim-001-global-admin-headcount";
import { pim002 } from "./pim-002-finer-grained-roles";
import { pim003 } from "./pim-003-cloud-only-privileged";
import { pim004 } from "./pim-004-no-permanent-active";
import { pim005 } from "./pim-005-only-through-pim";
import { pim006 } from "./pim-006-break-glass-count";
import { pim007 } from "./pim-007-break-glass-cloud-only";
import { pim008 } from "./pim-008-break-glass-permanent-ga";
import { pim011 } from "./pim-011-exclusion-hygiene";
import { pim012 } from "./pim-012-no-guests-tier0";
import { pim015 } from "./pim-015-role-groups-pim-managed";
import { pim017 } from "./pim-017-eligible-expire";
import { pim018 } from "./pim-018-active-expire";
import { pim019 } from "./pim-019-approval-global-admin";
import { pim020 } from "./pim-020-approval-privileged";
import { pim021 } from "./pim-021-two-approvers";
import { pim022 } from "./pim-022-mfa-on-activation";
import { pim023 } from "./pim-023-auth-context-backed";
import { pim024 } from "./pim-024-justification";
import { pim025 } from "./pim-025-ticket-tier0";
import { pim026 } from "./pim-026-activation-duration";
import { pim028 } from "./pim-028-assignment-alerts";
import { pim029 } from "./pim-029-activation-alert-global-admin";
import { pim030 } from "./pim-030-activation-alert-privileged";
import { pim036 } from "./pim-036-break-glass-outside-pim";
import { pim037 } from "./pim-037-activation-not-too-short";
import { pim038 } from "./pim-038-no-self-approval";
import { pim039 } from "./pim-039-no-mutual-approval";
import { pim040 } from "./pim-040-settings-declared";

export const allRules: readonly AnyRule[] = [
  pim001,
  pim002,
  pim003,
  pim004,
  pim005,
  pim006,
  pim007,
  pim008,
  pim011,
  pim012,
  pim015,
  pim017,
  pim018,
  pim019,
  pim020,
  pim021,
  pim022,
  pim023,
  pim024,
  pim025,
  pim026,
  pim028,
  pim029,
  pim030,
  pim036,
  pim037,
  pim038,
  pim039,
  pim040,
] as unknown as readonly AnyRule[];

/** Checks on the safe-defaults configuration itself, run by the evaluator rather than over the rule input. */
export interface MetaRule {
  id: string;
  title: string;
  source: string;
  severity: Severity;
  /** Every severity its findings can have. */
  severities: readonly Severity[];
  docs: string;
  /** Parameters under `safeDefaults.rules.<id>.params`, when it has any. */
  params?: z.ZodObject;
}

export const EXEMPTION_RULE: MetaRule = {
  id: "PIM-041",
  title: "Exemptions are justified, current and expire",
  source: "Project guidance (issue 5: an exemption without an end date is itself a finding)",
  severity: "high",
  severities: ["high", "low"],
  docs:
    "An exemption suppresses one rule for one object until its `expires` date. Without an end date, or with one " +
    "more than `maxLifetime` ahead (an exemption is reviewed again within 90 days), it would turn a safety rule off " +
    "for good (high: it still suppresses, but the run fails until the date is fixed); once expired it no longer " +
    "suppresses anything (high); one that matches no finding is clutter that can later hide a real finding (low). " +
    "This rule's own findings cannot be exempted: the fix is always to edit the exemption.",
  params: z.strictObject({ maxLifetime: durationParam.default("P90D") }),
};

export const CONFIG_RULE: MetaRule = {
  id: "PIM-042",
  title: "Safe-defaults configuration is valid",
  source: "Project guidance (a typo in configuration must not silently change enforcement)",
  severity: "high",
  severities: ["high"],
  docs:
    "Every key under `safeDefaults.rules` is a rule id from this catalogue (or `tiers`), and its params match the " +
    "rule's parameters. A rule whose params are invalid runs with its profile defaults, and the error is reported. " +
    "PIM-041, PIM-042 and PIM-043 always run: an override that switches one off or lowers it is ignored and " +
    "reported.",
};

export const WAIVER_RULE: MetaRule = {
  id: "PIM-043",
  title: "Mandatory rules are not switched off for the whole tenant",
  source: "Project guidance (issue 5: exemptions are explicit, justified and expire)",
  severity: "high",
  severities: ["high"],
  docs:
    "An override under `safeDefaults.rules` that would waive a rule with mandatory findings for every object and " +
    "for ever is itself a mandatory finding: disabling it (`enabled: false`), lowering it to medium or low, " +
    "parameters weaker than the baseline (a wider Global Administrator headcount, narrower role scopes, a longer " +
    "Tier-0 window, fewer approvers, a longer exemption lifetime), or a `tiers` override that takes Global " +
    "Administrator or Privileged Role Administrator out of Tier 0 or a role off the CISA list. Accept a specific " +
    "object with an exemption that has an end date instead, or exempt this finding, with an end date within the " +
    "exemption lifetime and a reason, while the override is reviewed.",
};

export const metaRules: readonly MetaRule[] = [EXEMPTION_RULE, CONFIG_RULE, WAIVER_RULE];

export function findRule(id: string): AnyRule | undefined {
  return allRules.find((r) => r.id.toLowerCase() === id.trim().toLowerCase());
}
