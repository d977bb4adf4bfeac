/** Break-glass rules: how many, which domain, permanent Global Administrator, and kept outside PIM. */
import { describe, expect, it } from "vitest";
import { pim006 } from "../../../policies/rules/pim-006-break-glass-count";
import { pim007 } from "../../../policies/rules/pim-007-break-glass-cloud-only";
import { pim008 } from "../../../policies/rules/pim-008-break-glass-permanent-ga";
import { pim036 } from "../../../policies/rules/pim-036-break-glass-outside-pim";
import { addUser, baseline, GA, inDays, PRA, NOW } from "../fixtures/baseline";
import { check, findings } from "../helpers";

const BG1 = "bg-1@contoso.onmicrosoft.com";

describe("PIM-006 at least two break-glass accounts", () => {
  it("passes the baseline", () => {
    expect(check(pim006, baseline())).toEqual([]);
  });

  it("reports none declared, with the fix", () => {
    const input = baseline();
    input.breakGlass = [];
    expect(findings(pim006, input)).toEqual([
      {
        object: "breakGlass",
        message:
          "0 break-glass accounts are declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out",
        fix: "declare at least 2 cloud-only emergency access accounts (for example bg-1@<tenant>.onmicrosoft.com) under breakGlass",
        severity: "high",
        // The list is what to change: the breakGlass key in tenant.yaml.
        source: { file: "stacks/t/tenant.yaml", line: 49, column: 1 },
        subject: "breakGlass",
      },
    ]);
  });

  it("reports one declared against a minimum of three", () => {
    const input = baseline();
    input.breakGlass = input.breakGlass.slice(0, 1);
    expect(check(pim006, input, { min: 3 }).map((f) => f.message)).toEqual([
      "1 break-glass account is declared; at least 3 are required so that one lost key or locked account cannot lock the tenant out",
    ]);
  });
});

describe("PIM-007 break-glass accounts are cloud-only", () => {
  it("passes the baseline", () => {
    expect(check(pim007, baseline())).toEqual([]);
  });

  it("reports an account on the onmicrosoft.com domain that is synchronised from on-premises", () => {
    const input = baseline();
    input.principals[BG1]!.onPremisesSynced = true;
    expect(check(pim007, input)).toEqual([
      {
        ruleId: "PIM-007",
        severity: "high",
        object: BG1,
        message:
          "break-glass account bg-1@contoso.onmicrosoft.com is synchronised from on-premises; it fails together with the sync and the directory it depends on",
      },
    ]);
  });

  it("reports an account on a federated domain, pointing at its declaration", () => {
    const input = baseline();
    const upn = addUser(input, "bg-3@contoso.com");
    input.breakGlass.push({
      principalId: upn,
      source: { file: "stacks/t/tenant.yaml", line: 54, column: 5 },
    });
    expect(findings(pim007, input)).toEqual([
      {
        object: "bg-3@contoso.com",
        message:
          "break-glass account bg-3@contoso.com is not on the tenant's *.onmicrosoft.com domain; a federated or synchronized account fails with the identity provider it depends on",
        fix: "use a cloud-only account such as bg-1@<tenant>.onmicrosoft.com and declare that one under breakGlass",
        severity: "high",
        source: { file: "stacks/t/tenant.yaml", line: 54, column: 5 },
        subject: "principal:bg-3@contoso.com",
      },
    ]);
  });

  it("skips accounts known only by object id", () => {
    const input = baseline();
    input.breakGlass.push({ principalId: "00000000-0000-0000-0000-00000000b003" });
    expect(check(pim007, input)).toEqual([]);
  });
});

describe("PIM-008 break-glass accounts hold Global Administrator permanently", () => {
  it("passes the baseline", () => {
    expect(check(pim008, baseline())).toEqual([]);
  });

  it("reports an account whose Global Administrator assignment is missing", () => {
    const input = baseline();
    input.assignments = input.assignments.filter((a) => a.principalId !== BG1);
    expect(check(pim008, input)).toEqual([
      {
        ruleId: "PIM-008",
        severity: "medium",
        object: BG1,
        message:
          "break-glass account bg-1@contoso.onmicrosoft.com does not hold Global Administrator permanently; an emergency account that must first activate cannot rescue a tenant whose PIM is broken",
      },
    ]);
  });

  it("reports an account that is only eligible, or active with an end date", () => {
    const input = baseline();
    input.assignments = input.assignments.map((a) =>
      a.principalId === BG1
        ? { ...a, endDateTime: inDays(30) }
        : a.principalId === "bg-2@contoso.onmicrosoft.com"
          ? { ...a, kind: "eligible" as const }
          : a,
    );
    expect(check(pim008, input).map((f) => f.object)).toEqual([BG1, "bg-2@contoso.onmicrosoft.com"]);
  });
});

describe("PIM-036 break-glass accounts are kept outside PIM", () => {
  it("passes the baseline", () => {
    expect(check(pim036, baseline())).toEqual([]);
  });

  it("reports an eligible grant, on the grant file that makes it eligible", () => {
    const input = baseline();
    input.assignments.push({
      kind: "eligible",
      roleId: PRA,
      principalId: BG1,
      scope: "/",
      startDateTime: NOW,
      endDateTime: inDays(30),
      label: "bg1-pra",
      source: { file: "stacks/t/grants/bg1-pra.yaml", line: 1, column: 1 },
    });
    expect(findings(pim036, input)).toEqual([
      {
        object: BG1,
        severity: "high",
        message:
          "break-glass account bg-1@contoso.onmicrosoft.com is eligible for Privileged Role Administrator (bg1-pra)",
        fix: "delete bg1-pra: break-glass accounts hold Global Administrator permanently through breakGlass, and nothing else",
        source: { file: "stacks/t/grants/bg1-pra.yaml", line: 1, column: 1 },
        subject: `principal:${BG1}`,
      },
    ]);
  });

  it("reports an approver, directly and through an approver group", () => {
    const input = baseline();
    input.directoryRolePolicies[
      PRA
    ]!.rules.Approval_EndUser_Assignment!.approvalStages[0]!.primaryApprovers.push({ type: "user", id: BG1 });
    input.groups["approvers"]!.members.push({
      principalId: "bg-2@contoso.onmicrosoft.com",
      kind: "active",
      startDateTime: null,
      endDateTime: null,
    });
    expect(check(pim036, input).map((f) => f.message)).toEqual([
      "break-glass account bg-1@contoso.onmicrosoft.com approves activation of Privileged Role Administrator",
      "break-glass account bg-2@contoso.onmicrosoft.com approves activation of Global Administrator",
      "break-glass account bg-2@contoso.onmicrosoft.com approves activation of Privileged Role Administrator",
    ]);
  });

  it("reports an escalation approver", () => {
    const input = baseline();
    input.directoryRolePolicies[
      PRA
    ]!.rules.Approval_EndUser_Assignment!.approvalStages[0]!.escalationApprovers = [
      { type: "user", id: BG1 },
    ];
    expect(check(pim036, input).map((f) => f.message)).toEqual([
      "break-glass account bg-1@contoso.onmicrosoft.com approves activation of Privileged Role Administrator",
    ]);
  });

  it("reports membership of a group that holds a role, but not of one that holds none", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.owners.push({
      principalId: BG1,
      kind: "active",
      startDateTime: null,
      endDateTime: null,
    });
    input.groups["approvers"]!.owners.push({
      principalId: BG1,
      kind: "active",
      startDateTime: null,
      endDateTime: null,
    });
    expect(check(pim036, input).map((f) => f.message)).toEqual([
      "break-glass account bg-1@contoso.onmicrosoft.com is a member or owner of helpdesk-ops, which holds Helpdesk Administrator",
    ]);
  });

  it("accepts the standing Global Administrator made through a PIM schedule request: the mechanism does not matter", () => {
    const input = baseline();
    const own = input.assignments.find((a) => a.principalId === BG1 && a.roleId === GA)!;
    own.startDateTime = NOW; // a permanent active schedule has a start; a plain assignment has none
    expect(check(pim036, input)).toEqual([]);
  });

  it("reports a second Global Administrator grant, a time-bound one and another role, each on its grant", () => {
    const input = baseline();
    const grant = (label: string, roleId: string, end: string | null) => ({
      kind: "active" as const,
      roleId,
      principalId: BG1,
      scope: "/",
      startDateTime: NOW,
      endDateTime: end,
      label,
      source: { file: `stacks/t/grants/${label}.yaml`, line: 1, column: 1 },
    });
    input.assignments.push(
      grant("bg-1-global-administrator", GA, null),
      grant("bg-1-ga-until", GA, inDays(30)),
      grant("bg-1-pra", PRA, inDays(30)),
    );
    expect(findings(pim036, input).map((f) => [f.message, f.source?.file])).toEqual([
      [
        "break-glass account bg-1@contoso.onmicrosoft.com is granted Global Administrator a second time (bg-1-global-administrator), which a later run can remove",
        "stacks/t/grants/bg-1-global-administrator.yaml",
      ],
      [
        `break-glass account bg-1@contoso.onmicrosoft.com is granted Global Administrator until ${inDays(30).slice(0, 10)} (bg-1-ga-until); an emergency account holds it permanently`,
        "stacks/t/grants/bg-1-ga-until.yaml",
      ],
      [
        "break-glass account bg-1@contoso.onmicrosoft.com is granted Privileged Role Administrator (bg-1-pra); an emergency account holds Global Administrator and nothing else",
        "stacks/t/grants/bg-1-pra.yaml",
      ],
    ]);
  });

  it("does not report the permanent Global Administrator assignment itself", () => {
    const input = baseline();
    expect(input.assignments.some((a) => a.principalId === BG1 && a.roleId === GA)).toBe(true);
    expect(check(pim036, input)).toEqual([]);
  });
});
