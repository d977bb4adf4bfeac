/** Notification rules: admins are alerted on assignment and activation of privileged roles (CISA MS.AAD.7.7-7.9). */
import { describe, expect, it } from "vitest";
import { pim028 } from "../../../policies/rules/pim-028-assignment-alerts";
import { pim029 } from "../../../policies/rules/pim-029-activation-alert-global-admin";
import { pim030 } from "../../../policies/rules/pim-030-activation-alert-privileged";
import { baseline, EXCHANGE, GA, HELPDESK, PRA } from "../fixtures/baseline";
import { check, findings } from "../helpers";

describe("PIM-028 alert on assignment", () => {
  it("passes the baseline", () => {
    expect(check(pim028, baseline())).toEqual([]);
  });

  it("reports notifications turned off, per event", () => {
    const input = baseline();
    const rules = input.directoryRolePolicies[PRA]!.rules;
    rules.Notification_Admin_Admin_Eligibility = {
      ...rules.Notification_Admin_Admin_Eligibility!,
      notificationLevel: "None",
    };
    rules.Notification_Admin_Admin_Assignment = {
      ...rules.Notification_Admin_Admin_Assignment!,
      notificationRecipients: [],
    };
    expect(check(pim028, input)).toEqual([
      {
        ruleId: "PIM-028",
        severity: "high",
        object: "Privileged Role Administrator",
        message:
          "admins are not alerted when someone is made eligible for Privileged Role Administrator: notifications are turned off (level none)",
      },
      {
        ruleId: "PIM-028",
        severity: "high",
        object: "Privileged Role Administrator",
        message:
          "admins are not alerted when someone is assigned (active) Privileged Role Administrator: there are no additional recipients, and default recipients alone do not reach the security team",
      },
    ]);
  });

  it("treats a missing rule as no alert, with the fix", () => {
    const input = baseline();
    delete input.directoryRolePolicies[EXCHANGE]!.rules.Notification_Admin_Admin_Eligibility;
    expect(findings(pim028, input).map((f) => [f.message, f.fix])).toEqual([
      [
        "admins are not alerted when someone is made eligible for Exchange Administrator: the notification rule is missing",
        "set notifications.eligibleAssignment.admin: { level: all, additionalRecipients: [<security mailbox>] }",
      ],
    ]);
  });

  it("covers every privileged role under the default profile: Helpdesk Administrator (tier1) too", () => {
    const input = baseline();
    input.directoryRolePolicies[HELPDESK]!.rules.Notification_Admin_Admin_Eligibility!.notificationLevel =
      "None";
    input.directoryRolePolicies[HELPDESK]!.fieldSources = {
      "notifications.eligibleAssignment.admin": { file: "stacks/t/tenant.yaml", line: 5, column: 9 },
    };
    expect(findings(pim028, input)).toEqual([
      {
        object: "Helpdesk Administrator",
        severity: "high",
        message:
          "admins are not alerted when someone is made eligible for Helpdesk Administrator: notifications are turned off (level none)",
        fix: "set notifications.eligibleAssignment.admin: { level: all, additionalRecipients: [<security mailbox>] }",
        // The line that turned them off (a profile), not the role's entry.
        source: { file: "stacks/t/tenant.yaml", line: 5, column: 9 },
        subject: `policy:directory:${HELPDESK}`,
      },
    ]);
    expect(check(pim028, input, { roles: ["tier0", "cisa"] })).toEqual([]);
  });
});

describe("PIM-029 alert on Global Administrator activation", () => {
  it("passes the baseline", () => {
    expect(check(pim029, baseline())).toEqual([]);
  });

  it("reports activation alerts turned off", () => {
    const input = baseline();
    input.directoryRolePolicies[GA]!.rules.Notification_Admin_EndUser_Assignment!.notificationLevel = "None";
    expect(check(pim029, input)).toEqual([
      {
        ruleId: "PIM-029",
        severity: "high",
        object: "Global Administrator",
        message:
          "admins are not alerted when someone activates Global Administrator: notifications are turned off (level none)",
      },
    ]);
  });

  it("ignores other roles", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Notification_Admin_EndUser_Assignment!.notificationLevel = "None";
    expect(check(pim029, input)).toEqual([]);
  });
});

describe("PIM-030 alert on activation of other privileged roles", () => {
  it("passes the baseline", () => {
    expect(check(pim030, baseline())).toEqual([]);
  });

  it("reports a CISA role without activation alert, and leaves Global Administrator to PIM-029", () => {
    const input = baseline();
    input.directoryRolePolicies[
      EXCHANGE
    ]!.rules.Notification_Admin_EndUser_Assignment!.notificationRecipients = [];
    input.directoryRolePolicies[GA]!.rules.Notification_Admin_EndUser_Assignment!.notificationRecipients = [];
    expect(check(pim030, input)).toEqual([
      {
        ruleId: "PIM-030",
        severity: "medium",
        object: "Exchange Administrator",
        message:
          "admins are not alerted when someone activates Exchange Administrator: there are no additional recipients, and default recipients alone do not reach the security team",
      },
    ]);
  });

  it("covers every privileged role under the default profile, the PIM group's member policy too", () => {
    const input = baseline();
    input.groupPolicies[0]!.rules.Notification_Admin_EndUser_Assignment!.notificationLevel = "None";
    expect(check(pim030, input).map((f) => f.object)).toEqual(["helpdesk-ops (member)"]);
  });
});
