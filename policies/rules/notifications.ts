/** Shared by PIM-028/029/030: admin notification rules that must reach someone. */
import type { NotificationRule, PolicyRules, RuleInput, RoleInfo } from "./input";
import { notificationProblem, policiesInScope, policyKey, sourceOf, type RuleFinding } from "./rule";
import type { SettingsFieldPath } from "./input";

type AdminRule =
  | "Notification_Admin_Admin_Eligibility"
  | "Notification_Admin_Admin_Assignment"
  | "Notification_Admin_EndUser_Assignment";

const EVENT: Record<AdminRule, { what: string; yaml: SettingsFieldPath }> = {
  Notification_Admin_Admin_Eligibility: {
    what: "someone is made eligible for",
    yaml: "notifications.eligibleAssignment.admin",
  },
  Notification_Admin_Admin_Assignment: {
    what: "someone is assigned (active)",
    yaml: "notifications.activeAssignment.admin",
  },
  Notification_Admin_EndUser_Assignment: {
    what: "someone activates",
    yaml: "notifications.activation.admin",
  },
};

export function notificationFindings(
  input: RuleInput,
  match: (r: RoleInfo) => boolean,
  ids: AdminRule[],
): RuleFinding[] {
  return policiesInScope(input, match).flatMap(({ policy }) =>
    ids.flatMap((id) => {
      const problem = notificationProblem(
        policy.rules[id as keyof PolicyRules] as NotificationRule | undefined,
      );
      if (!problem) return [];
      const source = sourceOf(policy, EVENT[id].yaml);
      return [
        {
          object: policy.label,
          message: `admins are not alerted when ${EVENT[id].what} ${policy.label}: ${problem}`,
          fix: `set ${EVENT[id].yaml}: { level: all, additionalRecipients: [<security mailbox>] }`,
          ...(source ? { source } : {}),
          subject: policyKey(policy),
        },
      ];
    }),
  );
}
