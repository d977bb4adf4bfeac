/**
 * The policy rules an adapter read, kept only where they have the shape the rules expect. A hand-written resource
 * can hold anything (a number where a duration belongs, a string for a list); a rule entry that does not parse
 * is dropped, so the rules read it as not configured instead of failing on it.
 */
import { z } from "zod";
import type { PolicyRules } from "../rules/input";

const approver = z.object({ type: z.enum(["user", "group"]), id: z.string() });
const notification = z.object({
  notificationLevel: z.enum(["All", "Critical", "None"]),
  isDefaultRecipientsEnabled: z.boolean(),
  notificationRecipients: z.array(z.string()),
});
const expiration = z.object({ isExpirationRequired: z.boolean(), maximumDuration: z.string() });
const enablement = z.object({
  enabledRules: z.array(z.enum(["MultiFactorAuthentication", "Justification", "Ticketing"])),
});

const SHAPES: Record<keyof PolicyRules, z.ZodType> = {
  Expiration_EndUser_Assignment: z.object({ maximumDuration: z.string() }),
  Enablement_EndUser_Assignment: enablement,
  AuthenticationContext_EndUser_Assignment: z.object({
    isEnabled: z.boolean(),
    claimValue: z.string().nullable(),
  }),
  Approval_EndUser_Assignment: z.object({
    isApprovalRequired: z.boolean(),
    approvalStages: z.array(
      z.object({ primaryApprovers: z.array(approver), escalationApprovers: z.array(approver).optional() }),
    ),
  }),
  Expiration_Admin_Eligibility: expiration,
  Expiration_Admin_Assignment: expiration,
  Enablement_Admin_Assignment: enablement,
  Notification_Admin_Admin_Eligibility: notification,
  Notification_Requestor_Admin_Eligibility: notification,
  Notification_Approver_Admin_Eligibility: notification,
  Notification_Admin_Admin_Assignment: notification,
  Notification_Requestor_Admin_Assignment: notification,
  Notification_Approver_Admin_Assignment: notification,
  Notification_Admin_EndUser_Assignment: notification,
  Notification_Requestor_EndUser_Assignment: notification,
  Notification_Approver_EndUser_Assignment: notification,
};

export function sanitizeRules(rules: unknown): PolicyRules {
  const out: Record<string, unknown> = {};
  if (!rules || typeof rules !== "object") return {};
  for (const [id, shape] of Object.entries(SHAPES)) {
    const r = shape.safeParse((rules as Record<string, unknown>)[id]);
    if (r.success) out[id] = r.data;
  }
  return out as PolicyRules;
}
