/** Activation rules: approval, MFA, justification, ticket, duration bounds, and active-assignment expiry. */
import { describe, expect, it } from "vitest";
import { pim018 } from "../../../policies/rules/pim-018-active-expire";
import { pim019 } from "../../../policies/rules/pim-019-approval-global-admin";
import { pim020 } from "../../../policies/rules/pim-020-approval-privileged";
import { pim022 } from "../../../policies/rules/pim-022-mfa-on-activation";
import { pim024 } from "../../../policies/rules/pim-024-justification";
import { pim025 } from "../../../policies/rules/pim-025-ticket-tier0";
import { pim026 } from "../../../policies/rules/pim-026-activation-duration";
import { pim037 } from "../../../policies/rules/pim-037-activation-not-too-short";
import type { RuleInput } from "../../../policies/rules/input";
import {
  baseline,
  compliantRules,
  EXCHANGE,
  GA,
  HELPDESK,
  PRA,
  SECURITY_ADMIN,
  NOW,
} from "../fixtures/baseline";
import { check, findings } from "../helpers";

/** Gives the PIM group helpdesk-ops a role besides Helpdesk Administrator. */
function groupAlsoHolds(input: RuleInput, roleId: string): void {
  input.assignments.push({
    kind: "active",
    roleId,
    principalId: "helpdesk-ops",
    scope: "/",
    startDateTime: NOW,
    endDateTime: null,
    label: `helpdesk-ops holds ${roleId}`,
  });
}

describe("PIM-018 active assignments must expire (policy)", () => {
  it("passes the baseline", () => {
    expect(check(pim018, baseline())).toEqual([]);
  });

  it("reports a policy allowing permanent active assignments, but not for Global Administrator", () => {
    const input = baseline();
    for (const id of [GA, PRA])
      input.directoryRolePolicies[id]!.rules.Expiration_Admin_Assignment = {
        isExpirationRequired: false,
        maximumDuration: "P180D",
      };
    expect(check(pim018, input)).toEqual([
      {
        ruleId: "PIM-018",
        severity: "medium",
        object: "Privileged Role Administrator",
        message: "Privileged Role Administrator allows permanent active assignments",
      },
    ]);
    expect(check(pim018, input, { exceptRoles: [] }).map((f) => f.object)).toEqual([
      "Global Administrator",
      "Privileged Role Administrator",
    ]);
  });

  it("accepts permanent active assignments on a role only PIM groups hold actively; not once a person holds it too", () => {
    const input = baseline();
    input.directoryRolePolicies[HELPDESK]!.rules.Expiration_Admin_Assignment = {
      isExpirationRequired: false,
      maximumDuration: "P180D",
    };
    // The policy alone does not say who holds the role: flagged.
    expect(check(pim018, input).map((f) => f.object)).toEqual(["Helpdesk Administrator"]);
    // The baseline's PIM group helpdesk-ops holds Helpdesk Administrator: the group's eligibility is the control.
    input.directoryRolePolicies[HELPDESK]!.heldByPimGroups = ["helpdesk-ops"];
    expect(check(pim018, input)).toEqual([]);
    // An eligible person does not change that (activation is bounded by the activation settings).
    input.assignments.push({
      kind: "eligible",
      roleId: HELPDESK,
      principalId: "ada",
      scope: "/",
      startDateTime: NOW,
      endDateTime: "2027-01-01T00:00:00Z",
      label: "ada eligible",
    });
    expect(check(pim018, input)).toEqual([]);
    // A person holding it actively does: the permanent allowance now reaches a person.
    input.assignments.push({
      kind: "active",
      roleId: HELPDESK,
      principalId: "ada",
      scope: "/",
      startDateTime: NOW,
      endDateTime: "2027-01-01T00:00:00Z",
      label: "ada active",
    });
    expect(check(pim018, input).map((f) => f.message)).toEqual([
      "Helpdesk Administrator allows permanent active assignments",
    ]);
  });

  it("reports a maximum beyond maxActive, and applies the strict 30 days", () => {
    const input = baseline();
    input.directoryRolePolicies[EXCHANGE]!.rules.Expiration_Admin_Assignment = {
      isExpirationRequired: true,
      maximumDuration: "P90D",
    };
    expect(check(pim018, input)).toEqual([]);
    expect(check(pim018, input, undefined, "strict").map((f) => f.message)).toEqual([
      "Exchange Administrator lets active assignments last up to 90d; at most 30d is allowed",
    ]);
  });
});

describe("PIM-019 approval to activate Global Administrator", () => {
  it("passes the baseline", () => {
    expect(check(pim019, baseline())).toEqual([]);
  });

  it("reports Global Administrator without approval, with the fix and the line", () => {
    const input = baseline();
    input.directoryRolePolicies[GA]!.rules.Approval_EndUser_Assignment!.isApprovalRequired = false;
    expect(findings(pim019, input)).toEqual([
      {
        object: "Global Administrator",
        message: "activating Global Administrator does not require approval",
        fix: "set activation.approval.required: true and name at least two approvers, or list the role under an approver group's approves",
        severity: "critical",
        source: { file: "stacks/t/tenant.yaml", line: 10, column: 7 },
        subject: "policy:directory:62e90394-69f5-4237-9190-012177145e10",
      },
    ]);
  });

  it("treats a missing approval rule as no approval", () => {
    const input = baseline();
    delete input.directoryRolePolicies[GA]!.rules.Approval_EndUser_Assignment;
    expect(check(pim019, input).map((f) => f.object)).toEqual(["Global Administrator"]);
  });

  it("reports the member policy of a PIM group holding Global Administrator", () => {
    const input = baseline();
    groupAlsoHolds(input, GA);
    expect(check(pim019, input)).toEqual([
      {
        ruleId: "PIM-019",
        severity: "critical",
        object: "helpdesk-ops (member)",
        message:
          "activating membership of helpdesk-ops (member), which holds Global Administrator, does not require approval",
      },
    ]);
  });
});

describe("PIM-020 approval for Privileged Role Administrator and listed roles", () => {
  it("passes the baseline", () => {
    expect(check(pim020, baseline())).toEqual([]);
  });

  it("reports Privileged Role Administrator without approval", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Approval_EndUser_Assignment!.isApprovalRequired = false;
    expect(check(pim020, input)).toEqual([
      {
        ruleId: "PIM-020",
        severity: "high",
        object: "Privileged Role Administrator",
        message: "activating Privileged Role Administrator does not require approval",
      },
    ]);
  });

  it("extends to configured roles, and to Tier-0 in the strict profile", () => {
    const input = baseline();
    input.directoryRolePolicies[SECURITY_ADMIN] = {
      target: { kind: "directoryRole", roleId: SECURITY_ADMIN },
      label: "Security Administrator",
      rules: compliantRules({ approval: false }),
    };
    expect(check(pim020, input)).toEqual([]);
    expect(check(pim020, input, { roles: ["Exchange Administrator"] }).map((f) => f.object)).toEqual([
      "Exchange Administrator",
    ]);
    // Strict asks approval for every Tier-0 role: the baseline's User Administrator too.
    expect(check(pim020, input, undefined, "strict").map((f) => f.object)).toEqual([
      "User Administrator",
      "Security Administrator",
    ]);
  });
});

describe("PIM-022 MFA or authentication context on activation", () => {
  it("passes the baseline", () => {
    expect(check(pim022, baseline())).toEqual([]);
  });

  it("reports a Tier-0 role without MFA as high", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Enablement_EndUser_Assignment = {
      enabledRules: ["Justification"],
    };
    expect(check(pim022, input)).toEqual([
      {
        ruleId: "PIM-022",
        severity: "high",
        object: "Privileged Role Administrator",
        message:
          "activating Privileged Role Administrator requires neither MFA nor a Conditional Access authentication context",
      },
    ]);
  });

  it("accepts an authentication context instead of MFA", () => {
    const input = baseline();
    const rules = input.directoryRolePolicies[PRA]!.rules;
    rules.Enablement_EndUser_Assignment = { enabledRules: ["Justification"] };
    rules.AuthenticationContext_EndUser_Assignment = { isEnabled: true, claimValue: "c1" };
    expect(check(pim022, input)).toEqual([]);
  });

  it("reports a CISA highly privileged role outside Tier 0 (Exchange Administrator) as high", () => {
    const input = baseline();
    input.directoryRolePolicies[EXCHANGE]!.rules.Enablement_EndUser_Assignment = {
      enabledRules: ["Justification", "Ticketing"],
    };
    expect(check(pim022, input)).toEqual([
      {
        ruleId: "PIM-022",
        severity: "high",
        object: "Exchange Administrator",
        message:
          "activating Exchange Administrator requires neither MFA nor a Conditional Access authentication context",
      },
    ]);
  });

  it("reports a group member policy for a tier1 role as medium", () => {
    const input = baseline();
    input.groupPolicies[0]!.rules.Enablement_EndUser_Assignment = { enabledRules: [] };
    expect(check(pim022, input)).toEqual([
      {
        ruleId: "PIM-022",
        severity: "medium",
        object: "helpdesk-ops (member)",
        message:
          "activating membership of helpdesk-ops (member), which holds Helpdesk Administrator, requires neither MFA nor a Conditional Access authentication context",
      },
    ]);
  });
});

describe("PIM-024 justification on activation", () => {
  it("passes the baseline", () => {
    expect(check(pim024, baseline())).toEqual([]);
  });

  it("reports a role without justification", () => {
    const input = baseline();
    input.directoryRolePolicies[HELPDESK]!.rules.Enablement_EndUser_Assignment = {
      enabledRules: ["MultiFactorAuthentication"],
    };
    expect(check(pim024, input)).toEqual([
      {
        ruleId: "PIM-024",
        severity: "medium",
        object: "Helpdesk Administrator",
        message: "activating Helpdesk Administrator does not require a justification",
      },
    ]);
  });
});

describe("PIM-025 ticket on Tier-0 activation", () => {
  it("passes the baseline (Helpdesk, tier1, needs none)", () => {
    expect(check(pim025, baseline())).toEqual([]);
  });

  it("reports a Tier-0 role without ticket", () => {
    const input = baseline();
    input.directoryRolePolicies[GA]!.rules.Enablement_EndUser_Assignment = {
      enabledRules: ["MultiFactorAuthentication", "Justification"],
    };
    expect(check(pim025, input)).toEqual([
      {
        ruleId: "PIM-025",
        severity: "low",
        object: "Global Administrator",
        message: "activating Global Administrator does not require ticket information",
      },
    ]);
  });
});

describe("PIM-026 activation duration bounded per tier", () => {
  it("passes the baseline", () => {
    expect(check(pim026, baseline())).toEqual([]);
  });

  it("reports a Tier-0 role above 4 hours as medium, and above 8 hours as high", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT6H" };
    input.directoryRolePolicies[GA]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT10H" };
    expect(check(pim026, input)).toEqual([
      {
        ruleId: "PIM-026",
        severity: "high",
        object: "Global Administrator",
        message: "activating Global Administrator may last up to 10h; at most 4h is allowed for Tier-0 roles",
      },
      {
        ruleId: "PIM-026",
        severity: "medium",
        object: "Privileged Role Administrator",
        message:
          "activating Privileged Role Administrator may last up to 6h; at most 4h is allowed for Tier-0 roles",
      },
    ]);
  });

  it("bounds other roles at 8 hours", () => {
    const input = baseline();
    input.directoryRolePolicies[HELPDESK]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT12H" };
    expect(check(pim026, input).map((f) => [f.severity, f.message])).toEqual([
      ["medium", "activating Helpdesk Administrator may last up to 12h; at most 8h is allowed"],
    ]);
  });

  it("reports any role beyond the 24 hours Entra accepts as high, whatever the tier", () => {
    const input = baseline();
    input.directoryRolePolicies[HELPDESK]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "P2D" };
    expect(findings(pim026, input)).toEqual([
      {
        object: "Helpdesk Administrator",
        severity: "high",
        message: "activating Helpdesk Administrator may last up to 2d, more than the 24 hours Entra accepts",
        fix: "set activation.maximumDuration to PT24H or less (Entra accepts 30 minutes to 24 hours)",
        source: { file: "stacks/t/tenant.yaml", line: 10, column: 7 },
        subject: `policy:directory:${HELPDESK}`,
      },
    ]);
  });

  it("counts a policy without the rule as not configured: up to 24 hours, high for Tier 0", () => {
    const input = baseline();
    delete input.directoryRolePolicies[GA]!.rules.Expiration_EndUser_Assignment;
    delete input.directoryRolePolicies[HELPDESK]!.rules.Expiration_EndUser_Assignment;
    expect(check(pim026, input).map((f) => [f.severity, f.message])).toEqual([
      [
        "high",
        "activating Global Administrator has no maximum duration configured, so it may last up to 24 hours; at most 4h is allowed for Tier-0 roles",
      ],
      [
        "medium",
        "activating Helpdesk Administrator has no maximum duration configured, so it may last up to 24 hours; at most 8h is allowed",
      ],
    ]);
    // Not configured is not too short.
    expect(check(pim037, input)).toEqual([]);
  });

  it("points at the line that sets the window, which may be a profile", () => {
    const input = baseline();
    const policy = input.directoryRolePolicies[GA]!;
    policy.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT12H" };
    policy.fieldSources = {
      "activation.maximumDuration": { file: "stacks/t/tenant.yaml", line: 4, column: 24 },
    };
    expect(findings(pim026, input).map((f) => [f.severity, f.source])).toEqual([
      ["high", { file: "stacks/t/tenant.yaml", line: 4, column: 24 }],
    ]);
  });

  it("applies perRole limits and the strict profile (1 h Global Administrator, 2 h Tier-0)", () => {
    const input = baseline();
    input.directoryRolePolicies[GA]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT2H" };
    expect(check(pim026, input)).toEqual([]);
    expect(
      check(pim026, input, { perRole: { "Global Administrator": "PT1H" } }).map((f) => f.message),
    ).toEqual(["activating Global Administrator may last up to 2h; at most 1h is allowed for Tier-0 roles"]);
    expect(check(pim026, input, undefined, "strict").map((f) => f.object)).toEqual(["Global Administrator"]);
  });
});

describe("PIM-037 activation long enough to work with", () => {
  it("passes the baseline (1 hour for Tier 0, 4 hours for the daily-driver roles)", () => {
    expect(check(pim037, baseline())).toEqual([]);
  });

  it("holds a daily-driver role (Helpdesk, tier1) to 2 hours: 1 hour is a finding", () => {
    const input = baseline();
    input.directoryRolePolicies[HELPDESK]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT1H" };
    expect(check(pim037, input)).toEqual([
      {
        ruleId: "PIM-037",
        severity: "low",
        object: "Helpdesk Administrator",
        message:
          "activating Helpdesk Administrator lasts at most 1h; below 2h people re-activate a daily-driver role all day and approvals become a formality",
      },
    ]);
    expect(check(pim037, input, { tier1Min: "PT1H" })).toEqual([]);
  });

  it("holds a Tier-0 role to its own minimum, and a group's member policy to its most privileged role's", () => {
    const input = baseline();
    input.directoryRolePolicies[GA]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT45M" };
    input.groupPolicies[0]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT90M" };
    expect(check(pim037, input).map((f) => [f.object, f.message])).toEqual([
      [
        "Global Administrator",
        "activating Global Administrator lasts at most 45m; below 1h people re-activate a Tier-0 role all day and approvals become a formality",
      ],
      [
        "helpdesk-ops (member)",
        "activating membership of helpdesk-ops (member), which holds Helpdesk Administrator, lasts at most 1h30m; below 2h people re-activate a daily-driver role all day and approvals become a formality",
      ],
    ]);
    expect(check(pim037, input, { tier0Min: "PT30M", tier1Min: "PT1H" })).toEqual([]);
  });

  it("reports less than the 30 minutes Entra accepts as high, whatever the parameters", () => {
    const input = baseline();
    input.directoryRolePolicies[EXCHANGE]!.rules.Expiration_EndUser_Assignment = { maximumDuration: "PT10M" };
    expect(check(pim037, input, { tier1Min: "PT5M" })).toEqual([
      {
        ruleId: "PIM-037",
        severity: "high",
        object: "Exchange Administrator",
        message:
          "activating Exchange Administrator lasts at most 10m, less than the 30 minutes Entra accepts",
      },
    ]);
  });
});
