/** Approver rules: enough approvers, no self-approval, no two roles approving each other. */
import { describe, expect, it } from "vitest";
import { pim021 } from "../../../policies/rules/pim-021-two-approvers";
import { pim038 } from "../../../policies/rules/pim-038-no-self-approval";
import { pim039 } from "../../../policies/rules/pim-039-no-mutual-approval";
import { baseline, GA, inDays, PRA, NOW } from "../fixtures/baseline";
import { check, findings } from "../helpers";

describe("PIM-021 at least two approvers", () => {
  it("passes the baseline (a group of two approves GA and PRA)", () => {
    expect(check(pim021, baseline())).toEqual([]);
  });

  it("reports a single approver", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Approval_EndUser_Assignment!.approvalStages = [
      { primaryApprovers: [{ type: "user", id: "margaret@contoso.com" }] },
    ];
    expect(check(pim021, input)).toEqual([
      {
        ruleId: "PIM-021",
        severity: "high",
        object: "Privileged Role Administrator",
        message:
          "activating Privileged Role Administrator requires approval, but only 1 person approves (margaret@contoso.com); at least 2 are needed",
      },
    ]);
  });

  it("counts people, not entries, and honours minApprovers", () => {
    const input = baseline();
    expect(check(pim021, input, { minApprovers: 3 }).map((f) => f.object)).toEqual([
      "Global Administrator",
      "Privileged Role Administrator",
    ]);
  });

  it("does not count a group whose members are unknown", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Approval_EndUser_Assignment!.approvalStages = [
      { primaryApprovers: [{ type: "group", id: "00000000-0000-0000-0000-0000000000aa" }] },
    ];
    expect(check(pim021, input)).toEqual([]);
  });
});

describe("PIM-038 no self-approval", () => {
  it("passes the baseline", () => {
    expect(check(pim038, baseline())).toEqual([]);
  });

  it("reports an approver who is eligible for the role, with the fix, on the grant that lets them activate", () => {
    const input = baseline();
    input.groups["approvers"]!.members.push({
      principalId: "ken@contoso.com",
      kind: "active",
      startDateTime: null,
      endDateTime: null,
    });
    expect(findings(pim038, input)).toEqual([
      {
        object: "Global Administrator",
        message:
          "ken@contoso.com can approve activation of Global Administrator and can activate it themselves, so approval is no second person's check",
        fix: "keep approvers and eligible people apart: remove them from the approvers (or the approver group), or delete their grant for the role",
        severity: "high",
        // The pull request that adds ken's grant is what creates the self-approval: point at that file.
        source: { file: "stacks/t/grants/ken-ga.yaml", line: 1, column: 1 },
        subject: "policy:directory:62e90394-69f5-4237-9190-012177145e10",
      },
    ]);
  });

  it("reports each person who approves themselves once, each on their own grant", () => {
    const input = baseline();
    input.assignments.push({
      kind: "eligible",
      roleId: GA,
      principalId: "margaret@contoso.com",
      scope: "/",
      startDateTime: NOW,
      endDateTime: inDays(30),
      label: "margaret-ga",
      source: { file: "stacks/t/grants/margaret-ga.yaml", line: 1, column: 1 },
    });
    input.groups["approvers"]!.members.push({
      principalId: "ken@contoso.com",
      kind: "active",
      startDateTime: null,
      endDateTime: null,
    });
    expect(findings(pim038, input).map((f) => [f.message.split(" ")[0], f.source!.file])).toEqual([
      ["ken@contoso.com", "stacks/t/grants/ken-ga.yaml"],
      ["margaret@contoso.com", "stacks/t/grants/margaret-ga.yaml"],
    ]);
  });

  it("reports an escalation approver who is eligible for the role", () => {
    const input = baseline();
    const stage = input.directoryRolePolicies[GA]!.rules.Approval_EndUser_Assignment!.approvalStages[0]!;
    stage.escalationApprovers = [{ type: "user", id: "ken@contoso.com" }];
    expect(findings(pim038, input).map((f) => f.message)).toEqual([
      "ken@contoso.com can approve activation of Global Administrator and can activate it themselves, so approval is no second person's check",
    ]);
  });

  it("reports an approver who holds the role through a group", () => {
    const input = baseline();
    input.directoryRolePolicies[
      PRA
    ]!.rules.Approval_EndUser_Assignment!.approvalStages[0]!.primaryApprovers.push({
      type: "user",
      id: "alan@contoso.com",
    });
    input.assignments.push({
      kind: "eligible",
      roleId: PRA,
      principalId: "helpdesk-ops",
      scope: "/",
      startDateTime: NOW,
      endDateTime: inDays(30),
      label: "ops-pra",
    });
    expect(check(pim038, input).map((f) => f.message)).toEqual([
      "alan@contoso.com can approve activation of Privileged Role Administrator and can activate it themselves, so approval is no second person's check",
    ]);
  });
});

describe("PIM-039 no mutual approval", () => {
  it("passes the baseline", () => {
    expect(check(pim039, baseline())).toEqual([]);
  });

  it("reports two roles whose holders approve each other", () => {
    const input = baseline();
    // ken (GA) approves PRA, ada (PRA) approves GA.
    input.directoryRolePolicies[GA]!.rules.Approval_EndUser_Assignment!.approvalStages = [
      {
        primaryApprovers: [
          { type: "user", id: "ada@contoso.com" },
          { type: "user", id: "margaret@contoso.com" },
        ],
      },
    ];
    input.directoryRolePolicies[PRA]!.rules.Approval_EndUser_Assignment!.approvalStages = [
      {
        primaryApprovers: [
          { type: "user", id: "ken@contoso.com" },
          { type: "user", id: "margaret@contoso.com" },
        ],
      },
    ];
    expect(check(pim039, input)).toEqual([
      {
        ruleId: "PIM-039",
        severity: "medium",
        object: "Global Administrator / Privileged Role Administrator",
        message:
          "Global Administrator and Privileged Role Administrator approve each other: ken@contoso.com (Global Administrator) approves Privileged Role Administrator, and ada@contoso.com (Privileged Role Administrator) approves Global Administrator",
      },
    ]);
  });

  it("does not call one person who holds and approves both roles mutual approval: that is self-approval", () => {
    const input = baseline();
    input.assignments.push({
      kind: "eligible",
      roleId: PRA,
      principalId: "ken@contoso.com",
      scope: "/",
      startDateTime: NOW,
      endDateTime: inDays(30),
      label: "ken-pra",
    });
    for (const role of [GA, PRA])
      input.directoryRolePolicies[role]!.rules.Approval_EndUser_Assignment!.approvalStages = [
        {
          primaryApprovers: [
            { type: "user", id: "ken@contoso.com" },
            { type: "user", id: "margaret@contoso.com" },
          ],
        },
      ];
    expect(check(pim039, input)).toEqual([]);
    expect(check(pim038, input).map((f) => [f.object, f.message])).toEqual([
      [
        "Global Administrator",
        "ken@contoso.com can approve activation of Global Administrator and can activate it themselves, so approval is no second person's check",
      ],
      [
        "Privileged Role Administrator",
        "ken@contoso.com can approve activation of Privileged Role Administrator and can activate it themselves, so approval is no second person's check",
      ],
    ]);
  });

  it("does not report one-way approval", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Approval_EndUser_Assignment!.approvalStages = [
      {
        primaryApprovers: [
          { type: "user", id: "ken@contoso.com" },
          { type: "user", id: "margaret@contoso.com" },
        ],
      },
    ];
    expect(check(pim039, input)).toEqual([]);
  });
});
