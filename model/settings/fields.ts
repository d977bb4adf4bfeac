/**
 * The settings fields, in one table: every leaf of `ResolvedSettings`, what a person calls it, which of Graph's 17
 * rules carries it, and which way it moves security. Diffs (plan, review, drift) and summaries walk this table, so a
 * field added to the model is added here once and every consumer sees it.
 *
 * `risk` names the kind of field; how a change of that kind is judged (weaker, stronger, neutral) lives with the
 * diff (`model/diff/risk.ts`), not here.
 *
 * Placeholder shape-compatible with the settings-mapping work (engineer B): on merge, B's version of this file wins.
 */
import type { ResolvedSettings } from "../types";
import type { GraphRuleId } from "./graphRules";

export type FieldRisk =
  "longerIsWeaker" | "trueIsStronger" | "trueIsWeaker" | "authContext" | "approvalStages" | "notification";

export interface SettingsField {
  /** Dotted path into `ResolvedSettings`, e.g. `activation.approval.required`. */
  path: string;
  label: string;
  rules: readonly GraphRuleId[];
  risk: FieldRisk;
}

const NOTIFIED = [
  ["eligibleAssignment", "eligible assignment", "Admin_Eligibility"],
  ["activeAssignment", "active assignment", "Admin_Assignment"],
  ["activation", "activation", "EndUser_Assignment"],
] as const;
const RECIPIENTS = [
  ["admin", "admin", "Admin"],
  ["requestor", "requestor", "Requestor"],
  ["approver", "approver", "Approver"],
] as const;

function notificationFields(): SettingsField[] {
  const out: SettingsField[] = [];
  for (const [event, eventLabel, ruleSuffix] of NOTIFIED) {
    for (const [recipient, recipientLabel, rulePart] of RECIPIENTS) {
      const rule = `Notification_${rulePart}_${ruleSuffix}` as GraphRuleId;
      const base = `notifications.${event}.${recipient}`;
      const label = `${recipientLabel} notifications on ${eventLabel}`;
      out.push(
        { path: `${base}.level`, label: `${label}: level`, rules: [rule], risk: "notification" },
        {
          path: `${base}.defaultRecipients`,
          label: `${label}: default recipients`,
          rules: [rule],
          risk: "notification",
        },
        {
          path: `${base}.additionalRecipients`,
          label: `${label}: additional recipients`,
          rules: [rule],
          risk: "notification",
        },
      );
    }
  }
  return out;
}

export const SETTINGS_FIELDS: readonly SettingsField[] = [
  {
    path: "activation.maximumDuration",
    label: "activation maximum duration",
    rules: ["Expiration_EndUser_Assignment"],
    risk: "longerIsWeaker",
  },
  {
    path: "activation.requireMfa",
    label: "MFA on activation",
    rules: ["Enablement_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.authenticationContext",
    label: "authentication context on activation",
    rules: ["AuthenticationContext_EndUser_Assignment"],
    risk: "authContext",
  },
  {
    path: "activation.requireJustification",
    label: "justification on activation",
    rules: ["Enablement_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.requireTicket",
    label: "ticket on activation",
    rules: ["Enablement_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.approval.required",
    label: "approval to activate",
    rules: ["Approval_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.approval.requiredForExtension",
    label: "approval to extend",
    rules: ["Approval_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.approval.stages",
    label: "approval stages and approvers",
    rules: ["Approval_EndUser_Assignment"],
    risk: "approvalStages",
  },
  {
    path: "eligibleAssignment.allowPermanent",
    label: "permanent eligible assignment allowed",
    rules: ["Expiration_Admin_Eligibility"],
    risk: "trueIsWeaker",
  },
  {
    path: "eligibleAssignment.maximumDuration",
    label: "eligible assignment maximum duration",
    rules: ["Expiration_Admin_Eligibility"],
    risk: "longerIsWeaker",
  },
  {
    path: "eligibleAssignment.requireMfa",
    label: "MFA to assign eligibility",
    rules: ["Enablement_Admin_Eligibility"],
    risk: "trueIsStronger",
  },
  {
    path: "eligibleAssignment.requireJustification",
    label: "justification to assign eligibility",
    rules: ["Enablement_Admin_Eligibility"],
    risk: "trueIsStronger",
  },
  {
    path: "activeAssignment.allowPermanent",
    label: "permanent active assignment allowed",
    rules: ["Expiration_Admin_Assignment"],
    risk: "trueIsWeaker",
  },
  {
    path: "activeAssignment.maximumDuration",
    label: "active assignment maximum duration",
    rules: ["Expiration_Admin_Assignment"],
    risk: "longerIsWeaker",
  },
  {
    path: "activeAssignment.requireMfa",
    label: "MFA to assign actively",
    rules: ["Enablement_Admin_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activeAssignment.requireJustification",
    label: "justification to assign actively",
    rules: ["Enablement_Admin_Assignment"],
    risk: "trueIsStronger",
  },
  ...notificationFields(),
];

/** The value at a field's path (`undefined` for a path that is not in the table's shape). */
export function fieldValue(s: ResolvedSettings, path: string): unknown {
  let node: unknown = s;
  for (const seg of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
