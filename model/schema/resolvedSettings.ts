/**
 * Resolved settings: every value of one role's policy, nothing optional — what the loader makes of a declaration
 * (defaults ← profile chain ← overrides, `model/settings/merge.ts`), what `fromGraphRules` reads off a live policy,
 * and what a DirectoryRoleSettings resource carries in its inputs. The TypeScript types are inferred from here
 * (`model/types.ts` re-exports them), and the providers' `check` validates resource inputs with the same schema.
 *
 * Each leaf is carried by one entry of `model/settings/fields.ts` and by the Graph rules of
 * `model/settings/graphRules.ts`; `test/model/settingsFields.test.ts` derives the leaves from this schema and fails
 * when a new one is missing from either.
 */
import { z } from "zod";
import { parseDuration } from "../duration";
import { notificationLevel } from "./settings";

/** An ISO 8601 duration as Graph stores them (days, hours, minutes, seconds; no years or months). */
const duration = z
  .string()
  .refine((v) => parseDuration(v).ok, "must be an ISO 8601 duration such as PT8H or P180D");

export const resolvedApprover = z.strictObject({
  type: z.enum(["user", "group"]),
  /** UPN, group display name, or object id, as declared. */
  ref: z.string().min(1),
});

export const resolvedApprovalStage = z.strictObject({
  approvers: z.array(resolvedApprover),
  timeoutDays: z.number().int().min(1),
  approverJustification: z.boolean(),
  escalation: z
    .strictObject({ afterMinutes: z.number().int().min(0), approvers: z.array(resolvedApprover) })
    .nullable(),
});

export const resolvedNotification = z.strictObject({
  level: notificationLevel,
  defaultRecipients: z.boolean(),
  additionalRecipients: z.array(z.string()),
});

export const notificationTriple = z.strictObject({
  admin: resolvedNotification,
  requestor: resolvedNotification,
  approver: resolvedNotification,
});

export const assignmentExpiry = z.strictObject({
  allowPermanent: z.boolean(),
  /** Applies when permanent is not allowed (Graph keeps it either way). */
  maximumDuration: duration,
  requireMfa: z.boolean(),
  requireJustification: z.boolean(),
});

export const resolvedSettings = z.strictObject({
  activation: z.strictObject({
    maximumDuration: duration,
    requireMfa: z.boolean(),
    authenticationContext: z.string().min(1).nullable(),
    requireJustification: z.boolean(),
    requireTicket: z.boolean(),
    approval: z.strictObject({
      required: z.boolean(),
      requiredForExtension: z.boolean(),
      stages: z.array(resolvedApprovalStage).min(1).max(2),
    }),
  }),
  eligibleAssignment: assignmentExpiry,
  activeAssignment: assignmentExpiry,
  notifications: z.strictObject({
    eligibleAssignment: notificationTriple,
    activeAssignment: notificationTriple,
    activation: notificationTriple,
  }),
});

export type NotificationLevel = z.infer<typeof notificationLevel>;
export type Approver = z.infer<typeof resolvedApprover>;
export type ResolvedApprovalStage = z.infer<typeof resolvedApprovalStage>;
export type ResolvedNotification = z.infer<typeof resolvedNotification>;
export type NotificationTriple = z.infer<typeof notificationTriple>;
export type AssignmentExpiry = z.infer<typeof assignmentExpiry>;
/** Every setting of one role's policy, nothing optional. Maps 1:1 onto the 17 Graph rules. */
export type ResolvedSettings = z.infer<typeof resolvedSettings>;
