/**
 * Role settings: every value the 17 Graph role-management-policy rules expose, in words a reviewer reads.
 *
 * Which Graph rule carries each field is in `model/settings/fields.ts`. Every field here is optional because a
 * declaration is layered: Graph defaults ← profile (and what it extends) ← per-role overrides. The resolved
 * settings (`ResolvedSettings`, `model/schema/resolvedSettings.ts`) have every field.
 */
import { z } from "zod";
import { duration, email, freeText, nonEmpty, upn, upnOrObjectId } from "./common";

/** An approver: a user by UPN or object id, or every member of a group by name or object id. */
export const approverRef = z.union(
  [
    z.strictObject({ user: upnOrObjectId.describe("UPN or object id of the approving user") }),
    z.strictObject({
      group: nonEmpty.describe("Display name or object id of a group whose members approve"),
    }),
  ],
  { error: "write { user: <UPN or object id> } or { group: <group name or object id> }" },
);
export type ApproverRef = z.infer<typeof approverRef>;

export const approvalStage = z.strictObject({
  approvers: z
    .array(approverRef)
    .optional()
    .describe("Primary approvers. Approver groups that list this role under `approves` are added."),
  timeoutDays: z.number().int().min(1).max(7).optional().describe("Days before the request is denied (1-7)"),
  approverJustification: z.boolean().optional().describe("The approver must write a justification"),
  escalation: z
    .strictObject({
      afterMinutes: z.number().int().min(30).max(10080),
      approvers: z.array(approverRef).min(1),
    })
    .optional()
    .describe("Escalate to these approvers when the primary approvers do not answer in time"),
});

export const approval = z.strictObject({
  required: z.boolean().optional().describe("Activation needs approval"),
  requiredForExtension: z.boolean().optional().describe("Extending an assignment needs approval"),
  stages: z.array(approvalStage).min(1).max(2).optional().describe("One or two approval stages"),
});

export const activation = z.strictObject({
  maximumDuration: duration.optional().describe("Longest activation, e.g. PT1H or PT8H"),
  requireMfa: z
    .boolean()
    .optional()
    .describe("Azure MFA on activation (not together with authenticationContext)"),
  authenticationContext: z
    .union([nonEmpty, z.null()])
    .optional()
    .describe(
      "Conditional Access authentication context id (e.g. c1) required on activation, or null for none",
    ),
  requireJustification: z.boolean().optional(),
  requireTicket: z.boolean().optional(),
  approval: approval.optional(),
});

const assignmentExpiry = {
  allowPermanent: z.boolean().optional().describe("Allow assignments without an end date"),
  maximumDuration: duration
    .optional()
    .describe("Longest assignment when permanent is not allowed, e.g. P90D"),
};

export const eligibleAssignment = z.strictObject({
  ...assignmentExpiry,
  requireMfa: z
    .boolean()
    .optional()
    .describe("MFA to create an eligibility (breaks app-only deployments: app tokens carry no MFA claim)"),
  requireJustification: z.boolean().optional(),
});

export const activeAssignment = z.strictObject({
  ...assignmentExpiry,
  requireMfa: z.boolean().optional().describe("MFA to create an active assignment"),
  requireJustification: z.boolean().optional().describe("Justification to create an active assignment"),
});

export const notificationLevel = z.enum(["all", "critical", "none"]);

export const notification = z.strictObject({
  level: notificationLevel.optional().describe("all, critical (critical emails only) or none"),
  defaultRecipients: z.boolean().optional().describe("Send to the default recipients"),
  additionalRecipients: z.array(email).optional().describe("Extra email recipients"),
});

const notificationTriple = z.strictObject({
  admin: notification.optional().describe("Role assignment or activation alert to administrators"),
  requestor: notification.optional().describe("Notification to the assignee or activating user"),
  approver: notification.optional().describe("Request to approve"),
});

export const notifications = z.strictObject({
  eligibleAssignment: notificationTriple.optional().describe("When a member is assigned as eligible"),
  activeAssignment: notificationTriple.optional().describe("When a member is assigned as active"),
  activation: notificationTriple.optional().describe("When an eligible member activates the role"),
});

export const settingsBody = {
  activation: activation.optional(),
  eligibleAssignment: eligibleAssignment.optional(),
  activeAssignment: activeAssignment.optional(),
  notifications: notifications.optional(),
};

export const settings = z.strictObject(settingsBody);
export type Settings = z.infer<typeof settings>;

/** A named, reusable set of settings; `extends` layers it on another profile. */
export const profile = z.strictObject({
  extends: nonEmpty.optional().describe("Name of a profile this one builds on"),
  description: freeText.optional(),
  ...settingsBody,
});
export type Profile = z.infer<typeof profile>;

/** What every role-settings entry carries besides its target: a profile and overrides. */
export const settingsEntryBody = {
  profile: nonEmpty.optional().describe("Name of a profile under `profiles`"),
  ...settingsBody,
};

// Re-exported for schemas that need a UPN field next to settings.
export { upn };
