/** PIM-023: an authentication context stands in for MFA only when an enforcing Conditional Access policy backs it. */
import { describe, expect, it } from "vitest";
import type { ConditionalAccessPolicyFact, RuleInput } from "../../../policies/rules/input";
import { pim022 } from "../../../policies/rules/pim-022-mfa-on-activation";
import { pim023 } from "../../../policies/rules/pim-023-auth-context-backed";
import { baseline, PRA } from "../fixtures/baseline";
import { check, findings } from "../helpers";

/** PRA (Tier 0) and the Helpdesk group (tier1) require context c1 instead of MFA. */
function withContext(): RuleInput {
  const input = baseline();
  for (const rules of [input.directoryRolePolicies[PRA]!.rules, input.groupPolicies[0]!.rules]) {
    rules.Enablement_EndUser_Assignment = { enabledRules: ["Justification", "Ticketing"] };
    rules.AuthenticationContext_EndUser_Assignment = { isEnabled: true, claimValue: "c1" };
  }
  return input;
}

const enforcing = (over: Partial<ConditionalAccessPolicyFact> = {}): ConditionalAccessPolicyFact => ({
  id: "ca-1",
  displayName: "CA010 PIM activation",
  state: "enabled",
  authenticationContexts: ["c1"],
  includeUsers: ["All"],
  excludeUsers: [],
  excludeGroups: [],
  includeRoles: [],
  requiresMfa: false,
  authenticationStrength: "00000000-0000-0000-0000-000000000004",
  ...over,
});

const PRA_MSG =
  "activating Privileged Role Administrator requires authentication context c1, which asks for nothing: ";
const GROUP_MSG =
  "activating membership of helpdesk-ops (member), which holds Helpdesk Administrator, requires authentication context c1, which asks for nothing: ";

describe("PIM-023 authentication context backed by Conditional Access", () => {
  it("passes the baseline (MFA, no context)", () => {
    expect(check(pim023, baseline())).toEqual([]);
  });

  it("PIM-022 accepts the context, so PIM-023 is what catches a context nothing enforces", () => {
    const input = withContext();
    expect(check(pim022, input)).toEqual([]);
    const why =
      "authentication context c1 is not declared under authenticationContexts with the Conditional Access policy that enforces it";
    expect(check(pim023, input)).toEqual([
      {
        ruleId: "PIM-023",
        severity: "high",
        object: "Privileged Role Administrator",
        message: PRA_MSG + why,
      },
      { ruleId: "PIM-023", severity: "medium", object: "helpdesk-ops (member)", message: GROUP_MSG + why },
    ]);
  });

  it("offline, trusts the Conditional Access policy tenant.yaml names for the context", () => {
    const input = withContext();
    input.authenticationContexts["c1"] = { id: "c1", conditionalAccessPolicy: "CA010 PIM activation" };
    expect(check(pim023, input)).toEqual([]);
  });

  it("a named policy that is visible and report-only backs nothing, and the finding says so", () => {
    const input = withContext();
    input.authenticationContexts["c1"] = { id: "c1", conditionalAccessPolicy: "CA010 PIM activation" };
    input.facts.conditionalAccess.policies = [
      enforcing({ authenticationContexts: [], state: "enabledForReportingButNotEnforced" }),
    ];
    expect(check(pim023, input).map((f) => f.message)).toEqual([
      `${PRA_MSG}Conditional Access policy "CA010 PIM activation" is report-only, so it enforces nothing`,
      `${GROUP_MSG}Conditional Access policy "CA010 PIM activation" is report-only, so it enforces nothing`,
    ]);
  });

  it.each([
    [
      { state: "disabled" as const },
      'Conditional Access policy "CA010 PIM activation" is off, so it enforces nothing',
    ],
    [
      { authenticationStrength: null },
      'Conditional Access policy "CA010 PIM activation" requires neither MFA nor an authentication strength',
    ],
    [
      { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] },
      'Conditional Access policy "CA010 PIM activation" is scoped to directory roles, so it does not apply to someone who is activating one',
    ],
    [
      { includeUsers: ["margaret@contoso.com"] },
      'Conditional Access policy "CA010 PIM activation" does not apply to all users',
    ],
    [
      { excludeUsers: ["ada@contoso.com"] },
      'Conditional Access policy "CA010 PIM activation" excludes ada@contoso.com, who can activate the role',
    ],
  ])("on a live tenant, a policy that does not enforce (%o) backs nothing", (over, why) => {
    const input = withContext();
    input.facts.conditionalAccess = { complete: true, policies: [enforcing(over)] };
    expect(check(pim023, input).find((f) => f.object === "Privileged Role Administrator")?.message).toBe(
      PRA_MSG + why,
    );
  });

  it("on a live tenant, a context no policy targets, or a named policy that does not exist, backs nothing", () => {
    const input = withContext();
    input.facts.conditionalAccess = {
      complete: true,
      policies: [enforcing({ authenticationContexts: ["c2"] })],
    };
    expect(check(pim023, input)[0]!.message).toBe(
      `${PRA_MSG}no Conditional Access policy targets authentication context c1`,
    );
    input.authenticationContexts["c1"] = { id: "c1", conditionalAccessPolicy: "CA999 gone" };
    expect(check(pim023, input)[0]!.message).toBe(
      `${PRA_MSG}Conditional Access policy "CA999 gone", which tenant.yaml names, does not exist`,
    );
  });

  it("an enforcing policy backs the context; for Tier 0 it should also require an authentication strength", () => {
    const input = withContext();
    input.facts.conditionalAccess = { complete: true, policies: [enforcing()] };
    expect(check(pim023, input)).toEqual([]);
    input.facts.conditionalAccess.policies = [enforcing({ authenticationStrength: null, requiresMfa: true })];
    expect(findings(pim023, input)).toEqual([
      {
        object: "Privileged Role Administrator",
        severity: "medium",
        message:
          'activating Privileged Role Administrator requires authentication context c1, whose Conditional Access policy "CA010 PIM activation" asks for MFA but no authentication strength, so any MFA method will do',
        fix: 'require the Phishing-resistant MFA authentication strength in "CA010 PIM activation"',
        source: { file: "stacks/t/tenant.yaml", line: 10, column: 7 },
        subject: `policy:directory:${PRA}`,
      },
    ]);
  });

  it("leaves a role that requires MFA as well alone", () => {
    const input = withContext();
    input.directoryRolePolicies[PRA]!.rules.Enablement_EndUser_Assignment = {
      enabledRules: ["MultiFactorAuthentication"],
    };
    expect(check(pim023, input).map((f) => f.object)).toEqual(["helpdesk-ops (member)"]);
  });
});
