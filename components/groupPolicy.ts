/**
 * Maps resolved settings onto azuread's `GroupRoleManagementPolicy` (PIM for Groups, one policy per group and
 * access: member or owner): the one settings mapping (`model/settings/graphRules.ts`) in azuread's spelling
 * (`model/settings/azureadGroupPolicy.ts`). Pure, so it is tested without mocks.
 *
 * azuread exposes a subset of Graph's 17 rules. What it cannot express is either refused (when dropping it would
 * weaken security: a second approval stage, escalation approvers, the `none` notification level azuread rejects)
 * or reported as a warning (settings that stay at Graph's group defaults).
 */
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import { graphDefaults, type ResolvedSettings } from "../model";
import { toAzureadGroupPolicy } from "../model/settings/azureadGroupPolicy";
import { toGraphRules } from "../model/settings/graphRules";
import {
  groupActivationDuration,
  groupExpireAfter,
  groupSettingsProblems,
} from "../model/settings/groupLimits";
import { approverKey } from "./principals";

type PolicyArgs = Omit<azuread.GroupRoleManagementPolicyArgs, "groupId" | "roleId">;

export interface GroupPolicyMapping {
  args: PolicyArgs;
  /** Declared settings azuread cannot apply; they stay at Graph's defaults for groups. */
  warnings: string[];
  /** Declared settings that cannot be applied without weakening them; the component refuses. */
  errors: Array<{ path: string; reason: string }>;
}

export { groupActivationDuration, groupExpireAfter };

export function groupPolicyArgs(
  s: ResolvedSettings,
  approverIds: Record<string, pulumi.Input<string>>,
  label: string,
): GroupPolicyMapping {
  const warnings: string[] = [];
  const errors: GroupPolicyMapping["errors"] = [];
  const a = s.activation;

  // What a group policy cannot hold is refused; the loader reports the same problems offline (pim check).
  errors.push(...groupSettingsProblems(s, label).map(({ path, reason }) => ({ path, reason })));
  const first = a.approval.stages[0];
  if (a.approval.required && first?.approvers.some((ap) => approverIds[approverKey(ap)] === undefined)) {
    errors.push({ path: "approverIds", reason: `an approver of ${label} was not resolved to an object id.` });
  }

  // Graph's group defaults for what azuread does not expose: a difference is reported, not silently dropped.
  const d = graphDefaults("group");
  const unsupported: Array<[boolean, string]> = [
    [s.eligibleAssignment.requireMfa !== d.eligibleAssignment.requireMfa, "eligibleAssignment.requireMfa"],
    [
      s.eligibleAssignment.requireJustification !== d.eligibleAssignment.requireJustification,
      "eligibleAssignment.requireJustification",
    ],
    [
      a.approval.requiredForExtension !== d.activation.approval.requiredForExtension,
      "activation.approval.requiredForExtension",
    ],
    [!!first && first.timeoutDays !== 1, "activation.approval.stages[0].timeoutDays"],
    [!!first && !first.approverJustification, "activation.approval.stages[0].approverJustification"],
  ];
  for (const [differs, path] of unsupported) {
    if (differs)
      warnings.push(
        `${label}: \`${path}\` cannot be applied to a PIM-for-Groups policy through azuread; it stays at Graph's default.`,
      );
  }

  // azuread carries the first stage's primary approvers, and only when approval is required: an approver it does
  // not carry needs no object id, and one it carries without an id was refused above.
  const rules = toGraphRules(s, (ap) => approverIds[approverKey(ap)] ?? `unresolved:${approverKey(ap)}`);
  const args: PolicyArgs = toAzureadGroupPolicy(rules);
  return { args, warnings, errors };
}
