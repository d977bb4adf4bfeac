/**
 * The settings fields, once, as data: where each lives in `ResolvedSettings`, what a reviewer calls it, which Graph
 * rule(s) carry it, and which way a change weakens the policy. The summaries (stack outputs, `pim check`) read
 * settings through this table, and the semantic diff of `pim plan` grades changes with it.
 *
 * Every leaf of the `resolvedSettings` schema is covered by exactly one field: its own, or an `approvalStages` /
 * `notification` field that owns the whole subtree. `test/model/settingsFields.test.ts` derives the leaves from the
 * schema and checks this table and the mapping (`graphRules.ts`) against them, so a field added to the schema but
 * forgotten here or in the mapping fails a test.
 */
import type { ResolvedSettings } from "../types";
import type { GraphRuleId } from "./graphRules";

export type FieldRisk =
  /** ISO durations: activation.maximumDuration, *Assignment.maximumDuration. */
  | "longerIsWeaker"
  /** requireMfa, requireJustification, requireTicket, approval.required, ... */
  | "trueIsStronger"
  /** allowPermanent. */
  | "trueIsWeaker"
  /** null → value stronger, value → null weaker, value → other value neutral. */
  | "authContext"
  /** The stages array: approvers, timeouts, escalation. */
  | "approvalStages"
  /** A ResolvedNotification triple member (level, defaultRecipients, recipients). */
  | "notification";

export interface SettingsField {
  /** Dotted path into ResolvedSettings, e.g. "activation.requireMfa". */
  path: string;
  /** What a reviewer reads: "Activation: require MFA". */
  label: string;
  /** The Graph rule(s) that carry it. */
  rules: readonly GraphRuleId[];
  risk: FieldRisk;
}

const expiry = (
  k: "eligibleAssignment" | "activeAssignment",
  who: string,
  rule: "Admin_Eligibility" | "Admin_Assignment",
) =>
  [
    {
      path: `${k}.allowPermanent`,
      label: `${who}: allow permanent`,
      rules: [`Expiration_${rule}`],
      risk: "trueIsWeaker",
    },
    {
      path: `${k}.maximumDuration`,
      label: `${who}: expire after`,
      rules: [`Expiration_${rule}`],
      risk: "longerIsWeaker",
    },
    {
      path: `${k}.requireMfa`,
      label: `${who}: require MFA`,
      rules: [`Enablement_${rule}`],
      risk: "trueIsStronger",
    },
    {
      path: `${k}.requireJustification`,
      label: `${who}: require justification`,
      rules: [`Enablement_${rule}`],
      risk: "trueIsStronger",
    },
  ] as const;

// Names as the Entra admin center shows them (graph-pim.md §1.6).
const notifications = (
  k: "eligibleAssignment" | "activeAssignment" | "activation",
  when: string,
  event: "Admin_Eligibility" | "Admin_Assignment" | "EndUser_Assignment",
  admin: string,
  requestor: string,
  approver: string,
) =>
  [
    {
      path: `notifications.${k}.admin`,
      label: `${when}: ${admin}`,
      rules: [`Notification_Admin_${event}`],
      risk: "notification",
    },
    {
      path: `notifications.${k}.requestor`,
      label: `${when}: ${requestor}`,
      rules: [`Notification_Requestor_${event}`],
      risk: "notification",
    },
    {
      path: `notifications.${k}.approver`,
      label: `${when}: ${approver}`,
      rules: [`Notification_Approver_${event}`],
      risk: "notification",
    },
  ] as const;

const FIELDS = [
  {
    path: "activation.maximumDuration",
    label: "Activation: maximum duration",
    rules: ["Expiration_EndUser_Assignment"],
    risk: "longerIsWeaker",
  },
  {
    path: "activation.requireMfa",
    label: "Activation: require MFA",
    rules: ["Enablement_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.authenticationContext",
    label: "Activation: require authentication context",
    rules: ["AuthenticationContext_EndUser_Assignment"],
    risk: "authContext",
  },
  {
    path: "activation.requireJustification",
    label: "Activation: require justification",
    rules: ["Enablement_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.requireTicket",
    label: "Activation: require ticket information",
    rules: ["Enablement_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.approval.required",
    label: "Activation: require approval",
    rules: ["Approval_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.approval.requiredForExtension",
    label: "Activation: require approval to extend",
    rules: ["Approval_EndUser_Assignment"],
    risk: "trueIsStronger",
  },
  {
    path: "activation.approval.stages",
    label: "Activation: approval stages (approvers, timeouts, escalation)",
    rules: ["Approval_EndUser_Assignment"],
    risk: "approvalStages",
  },
  ...expiry("eligibleAssignment", "Eligible assignment", "Admin_Eligibility"),
  ...expiry("activeAssignment", "Active assignment", "Admin_Assignment"),
  ...notifications(
    "eligibleAssignment",
    "Eligible assignment notice",
    "Admin_Eligibility",
    "role assignment alert",
    "notification to the assignee",
    "request to approve renewal or extension",
  ),
  ...notifications(
    "activeAssignment",
    "Active assignment notice",
    "Admin_Assignment",
    "role assignment alert",
    "notification to the assignee",
    "request to approve renewal or extension",
  ),
  ...notifications(
    "activation",
    "Activation notice",
    "EndUser_Assignment",
    "role activation alert",
    "notification to the activated user",
    "request to approve an activation",
  ),
] as const satisfies readonly SettingsField[];

export const SETTINGS_FIELDS: readonly SettingsField[] = FIELDS;

/** The path of a field in the table. */
export type SettingsFieldPath = (typeof FIELDS)[number]["path"];

/** The type of the value at a dotted path of `T`. */
type ValueAt<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T
    ? ValueAt<T[K], Rest>
    : unknown
  : P extends keyof T
    ? T[P]
    : unknown;

const BY_PATH = new Map(SETTINGS_FIELDS.map((f) => [f.path, f]));

/** The field at `path`; throws on a path that is not in the table. */
export function settingsField(path: string): SettingsField {
  const f = BY_PATH.get(path);
  if (!f) throw new Error(`"${path}" is not a settings field (model/settings/fields.ts)`);
  return f;
}

/** The value of one field of `s`; throws on a path that is not in the table. */
export function fieldValue<P extends SettingsFieldPath>(
  s: ResolvedSettings,
  path: P,
): ValueAt<ResolvedSettings, P>;
export function fieldValue(s: ResolvedSettings, path: string): unknown;
export function fieldValue(s: ResolvedSettings, path: string): unknown {
  settingsField(path);
  return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], s);
}
