/** PIM-011: service accounts excluded from the permanent-active rule are few, justified and cannot activate. */
import { describe, expect, it } from "vitest";
import type { RuleInput } from "../../../policies/rules/input";
import { pim011 } from "../../../policies/rules/pim-011-exclusion-hygiene";
import { addUser, baseline, EXCHANGE, GA, HELPDESK, inDays, NOW, PRA } from "../fixtures/baseline";
import { check, findings } from "../helpers";

const SVC = "svc-backup@contoso.com";
const REASON = "Backup appliance signs in unattended and cannot activate a role (CHG0032001)";

/** The baseline plus a service account holding Exchange Administrator permanently, declared with a reason. */
function withServiceAccount(): RuleInput {
  const input = baseline();
  addUser(input, SVC);
  input.assignments.push({
    kind: "active",
    roleId: EXCHANGE,
    principalId: SVC,
    scope: "/",
    startDateTime: NOW,
    endDateTime: null,
    label: "svc-backup-exchange",
  });
  input.serviceAccounts = [
    {
      principalId: SVC,
      roleIds: [EXCHANGE],
      justification: REASON,
      source: { file: "stacks/t/tenant.yaml", line: 70, column: 7 },
    },
  ];
  return input;
}

describe("PIM-011 exclusion hygiene", () => {
  it("passes the baseline (no exclusions) and a justified service account that cannot activate", () => {
    expect(check(pim011, baseline())).toEqual([]);
    expect(check(pim011, withServiceAccount())).toEqual([]);
  });

  it.each(["TODO", "n/a", "tbd", "short"])(
    "reports a justification that gives no reason (%s) as high",
    (j) => {
      const input = withServiceAccount();
      input.serviceAccounts[0]!.justification = j;
      expect(findings(pim011, input)).toEqual([
        {
          object: SVC,
          severity: "high",
          message: `the service account exclusion for ${SVC} gives no reason ("${j}"), so a reviewer cannot tell why it holds a role permanently`,
          fix: "write in justification why the account cannot activate a role just in time (and the ticket that accepted it)",
          source: { file: "stacks/t/tenant.yaml", line: 70, column: 7 },
          subject: `serviceAccount:${SVC}`,
        },
      ]);
    },
  );

  it("reports a guest or contractor excluded as a service account", () => {
    const input = withServiceAccount();
    input.principals[SVC]!.isContractor = true;
    expect(check(pim011, input).map((f) => [f.severity, f.message])).toEqual([
      [
        "high",
        `${SVC} is a contractor account, a person's account rather than a service account, yet it is excluded from the permanent-active rule`,
      ],
    ]);
  });

  it("reports an exclusion covering Global Administrator or Privileged Role Administrator", () => {
    const input = withServiceAccount();
    input.serviceAccounts[0]!.roleIds.push(GA, PRA);
    expect(check(pim011, input).map((f) => [f.severity, f.message])).toEqual([
      [
        "high",
        `the exclusion lets ${SVC} hold Global Administrator and Privileged Role Administrator permanently; only break-glass accounts hold those roles permanently`,
      ],
    ]);
  });

  it("reports an account that can activate: eligible, an approver, or in a role-holding group", () => {
    const input = withServiceAccount();
    input.assignments.push({
      kind: "eligible",
      roleId: HELPDESK,
      principalId: SVC,
      scope: "/",
      startDateTime: NOW,
      endDateTime: inDays(30),
      label: "svc-helpdesk",
    });
    input.groups["approvers"]!.members.push({
      principalId: SVC,
      kind: "active",
      startDateTime: null,
      endDateTime: null,
    });
    input.groups["helpdesk-ops"]!.members.push({
      principalId: SVC,
      kind: "eligible",
      startDateTime: null,
      endDateTime: inDays(30),
    });
    expect(check(pim011, input).map((f) => [f.severity, f.message])).toEqual([
      [
        "high",
        `${SVC} is eligible for Helpdesk Administrator, approves Global Administrator, approves Privileged Role Administrator and is in helpdesk-ops, so it is used interactively; the exclusion is for accounts that cannot activate`,
      ],
    ]);
  });

  it("reports an exclusion that covers no permanent assignment as low clutter", () => {
    const input = withServiceAccount();
    input.assignments = input.assignments.filter((a) => a.principalId !== SVC);
    expect(check(pim011, input).map((f) => [f.severity, f.message])).toEqual([
      ["low", `the service account exclusion for ${SVC} covers no permanent active assignment`],
    ]);
  });

  it("reports more service accounts than maxServiceAccounts as medium", () => {
    const input = withServiceAccount();
    expect(check(pim011, input, { maxServiceAccounts: 0 })).toEqual([
      {
        ruleId: "PIM-011",
        severity: "medium",
        object: "safeDefaults.serviceAccounts",
        message:
          "1 service account is excluded from the permanent-active rule; at most 0 are expected besides the break-glass accounts",
      },
    ]);
  });
});
