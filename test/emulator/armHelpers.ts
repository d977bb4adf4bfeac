// Shared by the ARM route tests: tokens for ARM, a fetch wrapper, and the default rules in ARM's spelling.
import { expect } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { appToken } from "./helpers";

export const SUB = "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
export const AUTHZ = `/subscriptions/${SUB}/providers/Microsoft.Authorization`;
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
/** Catalog order (model/catalog/azure-roles.json). */
export const ROLE_NAMES = [
  "Contributor",
  "Owner",
  "Reader",
  "Role Based Access Control Administrator",
  "User Access Administrator",
];

/** Client-credentials token for ARM (`https://management.azure.com/.default`) over HTTP. */
export const armToken = (
  emu: RunningEmulator,
  appName = "pim-as-code-deployer",
  scope = "https://management.azure.com/.default",
): Promise<string> => appToken(emu, appName, scope);

export async function arm(
  emu: RunningEmulator,
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(path.startsWith("http") ? path : `${emu.baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json() };
}

export const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));

export const target = (caller: string, level: string) => ({
  caller,
  operations: ["All"],
  level,
  targetObjects: null,
  inheritableSettings: null,
  enforcedSettings: null,
});
const notification = (id: string, recipientType: string, caller: string, level: string) => ({
  notificationType: "Email",
  recipientType,
  isDefaultRecipientsEnabled: true,
  notificationLevel: "All",
  notificationRecipients: null,
  id,
  ruleType: "RoleManagementPolicyNotificationRule",
  target: target(caller, level),
});

/**
 * An untouched Azure role's 17 rules in ARM's spelling: activation PT8H with MFA and justification, no approval,
 * eligible assignments may be permanent (else P365D), active assignments must expire (P180D), notifications All.
 * `activation` and `permanentActive` let a test state the handmade Owner's differences.
 */
export function expectedRules(
  o: { activation?: string; activationRules?: string[]; permanentActive?: boolean } = {},
) {
  return [
    {
      isExpirationRequired: false,
      maximumDuration: "P365D",
      id: "Expiration_Admin_Eligibility",
      ruleType: "RoleManagementPolicyExpirationRule",
      target: target("Admin", "Eligibility"),
    },
    {
      enabledRules: [],
      id: "Enablement_Admin_Eligibility",
      ruleType: "RoleManagementPolicyEnablementRule",
      target: target("Admin", "Eligibility"),
    },
    notification("Notification_Admin_Admin_Eligibility", "Admin", "Admin", "Eligibility"),
    notification("Notification_Requestor_Admin_Eligibility", "Requestor", "Admin", "Eligibility"),
    notification("Notification_Approver_Admin_Eligibility", "Approver", "Admin", "Eligibility"),
    {
      isExpirationRequired: !(o.permanentActive ?? false),
      maximumDuration: "P180D",
      id: "Expiration_Admin_Assignment",
      ruleType: "RoleManagementPolicyExpirationRule",
      target: target("Admin", "Assignment"),
    },
    {
      enabledRules: ["Justification"],
      id: "Enablement_Admin_Assignment",
      ruleType: "RoleManagementPolicyEnablementRule",
      target: target("Admin", "Assignment"),
    },
    notification("Notification_Admin_Admin_Assignment", "Admin", "Admin", "Assignment"),
    notification("Notification_Requestor_Admin_Assignment", "Requestor", "Admin", "Assignment"),
    notification("Notification_Approver_Admin_Assignment", "Approver", "Admin", "Assignment"),
    {
      isExpirationRequired: true,
      maximumDuration: o.activation ?? "PT8H",
      id: "Expiration_EndUser_Assignment",
      ruleType: "RoleManagementPolicyExpirationRule",
      target: target("EndUser", "Assignment"),
    },
    {
      enabledRules: o.activationRules ?? ["MultiFactorAuthentication", "Justification"],
      id: "Enablement_EndUser_Assignment",
      ruleType: "RoleManagementPolicyEnablementRule",
      target: target("EndUser", "Assignment"),
    },
    {
      setting: {
        isApprovalRequired: false,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: "SingleStage",
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            primaryApprovers: null,
            isEscalationEnabled: false,
            escalationApprovers: null,
          },
        ],
      },
      id: "Approval_EndUser_Assignment",
      ruleType: "RoleManagementPolicyApprovalRule",
      target: target("EndUser", "Assignment"),
    },
    {
      isEnabled: false,
      claimValue: "",
      id: "AuthenticationContext_EndUser_Assignment",
      ruleType: "RoleManagementPolicyAuthenticationContextRule",
      target: target("EndUser", "Assignment"),
    },
    notification("Notification_Admin_EndUser_Assignment", "Admin", "EndUser", "Assignment"),
    notification("Notification_Requestor_EndUser_Assignment", "Requestor", "EndUser", "Assignment"),
    notification("Notification_Approver_EndUser_Assignment", "Approver", "EndUser", "Assignment"),
  ];
}

/** Every page of a list, following nextLink; returns the pages' values and the links followed. */
export async function allPages(emu: RunningEmulator, token: string, path: string) {
  const values: any[][] = [];
  const links: string[] = [];
  let next: string | undefined = path;
  while (next) {
    const r = await arm(emu, token, next);
    expect(r.status).toBe(200);
    values.push(r.body.value);
    next = r.body.nextLink;
    if (next) links.push(next);
  }
  return { values, links };
}
