/**
 * The model's resolved settings as the rule input's policy rules: settings → Graph rules (the one settings mapping,
 * `model/settings/graphRules.ts`) → rule input (`policyRules.ts`). Shared by `fromModel` and the pack adapter for
 * DirectoryRoleSettings, whose input carries the same `ResolvedSettings`.
 */
import { toGraphRules } from "../../model/settings/graphRules";
import type { Approver, ResolvedSettings } from "../../model/types";
import type { PolicyRules } from "./input";
import { policyRulesFromGraph } from "./policyRules";

/** `approverId` maps a declared approver to the id the input uses for it (lower-cased ref, or an object id). */
export function settingsToRules(s: ResolvedSettings, approverId: (a: Approver) => string): PolicyRules {
  return policyRulesFromGraph(toGraphRules(s, approverId));
}
