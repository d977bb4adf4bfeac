/**
 * The CrossGuard policies called directly with fake validation arguments: each PIM resource type passes when
 * compliant and reports the right violation when changed, at the enforcement level `pim check` gives the finding;
 * unrelated resources are not applicable.
 */
import { describe, expect, it } from "vitest";
import { PIM_TYPES } from "../../policies/adapters";
import { createPolicies, enforcementOf, levelsOf, policyName, policyNameAt } from "../../policies/policies";
import { allRules } from "../../policies/rules/catalogue";
import { severitiesOf } from "../../policies/rules/rule";
import * as R from "./fixtures/resources";
import {
  allResourceViolations,
  allStackViolations,
  resourceArgs,
  stackArgs,
  urnOf,
  validateResource,
  validateStack,
  withUnknown,
} from "./packHelpers";

const { resourcePolicies, stackPolicies } = createPolicies({ now: () => R.NOW });
const byName = (name: string) => [...resourcePolicies, ...stackPolicies].find((p) => p.name === name)!;
/** The violations of the named policies only (small stacks also trip the headcount rules). */
const pick = <T>(found: Record<string, T>, names: string[]) =>
  Object.fromEntries(Object.entries(found).filter(([k]) => names.includes(k)));
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const P004 = "pim-004-no-permanent-active-role-assignments";
const P005 = "pim-005-privileged-roles-are-assigned-only-through-pim";
const P017 = "pim-017-eligible-assignments-expire";
const P022 = "pim-022-mfa-or-authentication-context-required-on-activation";
const P026 = "pim-026-activation-duration-bounded-per-tier";

describe("pack layout", () => {
  it("has one policy per rule and enforcement level its findings span, plus the readable and stack-context policies", () => {
    const perLevel = (scope: "resource" | "stack") =>
      allRules.filter((r) => r.scope === scope).flatMap((r) => levelsOf(r).map((l) => policyNameAt(r, l)));
    expect(resourcePolicies.map((p) => p.name)).toEqual([...perLevel("resource"), "pim-resource-readable"]);
    expect(stackPolicies.map((p) => p.name)).toEqual([
      ...perLevel("stack"),
      "pim-stack-context-mandatory",
      "pim-stack-context-advisory",
    ]);
    expect(policyName(allRules[0]!)).toBe("pim-001-global-administrator-headcount-within-bounds");
    expect(resourcePolicies.filter((p) => p.name.startsWith("pim-026")).map((p) => p.name)).toEqual([
      P026,
      `${P026}-mandatory`,
    ]);
  });

  it("keeps the rule's own level on the plain name, and the other level on its sibling", () => {
    for (const rule of allRules) {
      expect(byName(policyName(rule)).enforcementLevel).toBe(enforcementOf(rule.severity));
      const levels = new Set(severitiesOf(rule).map(enforcementOf));
      expect(levelsOf(rule).length).toBe(levels.size);
    }
    expect(byName(`${P026}-mandatory`).enforcementLevel).toBe("mandatory");
    expect(byName(`${P026}-mandatory`).severity).toBe("high");
    expect(byName(`${P022}-advisory`).enforcementLevel).toBe("advisory");
    expect(byName("pim-025-ticket-required-on-tier-0-activation").enforcementLevel).toBe("advisory");
    expect(byName(P004).severity).toBe("critical");
  });

  it("declares config schemas without defaults, so the profile's values are not masked by the CLI", () => {
    const shared = [
      "profile",
      "tiers",
      "breakGlass",
      "contractors",
      "synchronizedAccounts",
      "serviceAccounts",
      "authenticationContexts",
    ];
    for (const p of [...resourcePolicies, ...stackPolicies]) {
      expect(JSON.stringify(p.configSchema)).not.toContain('"default"');
      expect(Object.keys(p.configSchema!.properties)).toEqual(expect.arrayContaining(shared));
    }
    for (const name of [P026, `${P026}-mandatory`])
      expect(Object.keys(byName(name).configSchema!.properties)).toEqual([
        ...shared,
        "tier0Max",
        "max",
        "perRole",
      ]);
  });
});

describe("resource policies, per resource type", () => {
  const compliant = R.compliantPimResources();

  it.each(compliant.map((r) => [r.type, r] as const))("a compliant %s has no violation", async (_type, r) => {
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({});
  });

  it("every resource policy is applicable to each PIM type and not to unrelated or context resources", async () => {
    for (const p of resourcePolicies) {
      for (const r of compliant)
        expect((await validateResource(p, resourceArgs(r))).notApplicable).toBeUndefined();
      for (const other of [R.unrelated(), R.approverGroup(), R.approverMember(R.ADA, "m1"), R.caPolicy()]) {
        const o = await validateResource(p, resourceArgs(other));
        expect(o.violations).toEqual([]);
        expect(o.notApplicable).toMatch(/applies to Entra PIM resources only$/);
      }
    }
  });

  it("DirectoryRoleSettings: Global Administrator without approval → PIM-019 (critical)", async () => {
    const r = R.directoryRoleSettings();
    r.props.settings.activation.approval.required = false;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-019-approval-required-to-activate-global-administrator": [
        "[PIM-019 critical] Global Administrator: activating Global Administrator does not require approval. Fix: set activation.approval.required: true and name at least two approvers, or list the role under an approver group's approves.",
      ],
    });
  });

  it("DirectoryRoleSettings: a 12-hour Tier-0 window is mandatory and a 6-hour one advisory, as in pim check", async () => {
    const r = R.directoryRoleSettings();
    r.props.settings.activation.maximumDuration = "PT12H";
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      [`${P026}-mandatory`]: [
        "[PIM-026 high] Global Administrator: activating Global Administrator may last up to 12h; at most 4h is allowed for Tier-0 roles. Fix: set activation.maximumDuration to PT4H or less.",
      ],
    });
    r.props.settings.activation.maximumDuration = "PT6H";
    expect(Object.keys(await allResourceViolations(resourcePolicies, r))).toEqual([P026]);
    r.props.settings.activation.maximumDuration = "P2D";
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      [`${P026}-mandatory`]: [
        "[PIM-026 high] Global Administrator: activating Global Administrator may last up to 2d, more than the 24 hours Entra accepts. Fix: set activation.maximumDuration to PT24H or less (Entra accepts 30 minutes to 24 hours).",
      ],
    });
  });

  it("DirectoryRoleSettings lacking a block does not throw: its rules count as not configured", async () => {
    const r = R.directoryRoleSettings();
    delete r.props.settings.notifications;
    const found = await allResourceViolations(resourcePolicies, r);
    expect(Object.keys(found)).toEqual([
      "pim-017-eligible-assignments-expire",
      "pim-019-approval-required-to-activate-global-administrator",
      "pim-022-mfa-or-authentication-context-required-on-activation",
      "pim-024-justification-required-on-activation",
      "pim-025-ticket-required-on-tier-0-activation",
      `${P026}-mandatory`,
      "pim-028-alert-on-eligible-and-active-assignment-to-privileged-roles",
      "pim-029-alert-on-global-administrator-activation",
    ]);
    expect(found["pim-029-alert-on-global-administrator-activation"]).toEqual([
      "[PIM-029 high] Global Administrator: admins are not alerted when someone activates Global Administrator: the notification rule is missing. Fix: set notifications.activation.admin: { level: all, additionalRecipients: [<security mailbox>] }.",
    ]);
  });

  it("DirectoryRoleSettings: approver ids resolve, so a single approver is counted → PIM-021", async () => {
    const r = R.directoryRoleSettings();
    r.props.settings.activation.approval.stages[0].approvers = [
      { type: "user", ref: "margaret@contoso.com" },
    ];
    r.props.approverIds = { "user:margaret@contoso.com": "33333333-3333-3333-3333-333333333333" };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-021-at-least-two-approvers": [
        "[PIM-021 high] Global Administrator: activating Global Administrator requires approval, but only 1 person approves (33333333-3333-3333-3333-333333333333); at least 2 are needed. Fix: name at least 2 approvers, for example an approver group with 2 or more members that lists this role under approves.",
      ],
    });
  });

  it("DirectoryRoleSchedule: a permanent active Global Administrator → PIM-004 (critical), named as declared", async () => {
    const r = R.directoryRoleSchedule();
    Object.assign(r.props, { kind: "active", end: null });
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      [P004]: [
        "[PIM-004 critical] ken-thompson-global-administrator: ken.thompson@contoso.com holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ken.thompson@contoso.com is an emergency access account, declare it under breakGlass; if it is a service account that cannot activate, declare it under safeDefaults.serviceAccounts with the role and the reason.",
      ],
    });
  });

  it("DirectoryRoleSchedule: a break-glass account or a service account named in config is allowed", async () => {
    const r = R.directoryRoleSchedule();
    Object.assign(r.props, { kind: "active", end: null });
    expect(await allResourceViolations(resourcePolicies, r, { breakGlass: [R.KEN.toUpperCase()] })).toEqual(
      {},
    );
    const svc = { principalId: R.KEN, roles: ["Global Administrator"], justification: "appliance (CHG1)" };
    expect(await allResourceViolations(resourcePolicies, r, { serviceAccounts: [svc] })).toEqual({});
    const other = { ...svc, roles: ["Exchange Administrator"] };
    expect(
      Object.keys(await allResourceViolations(resourcePolicies, r, { serviceAccounts: [other] })),
    ).toEqual([P004]);
  });

  it("DirectoryRoleSchedule: a guest (from principalName) eligible for a Tier-0 role is seen by the stack", async () => {
    const r = R.directoryRoleSchedule();
    r.props.principalName = "eve_fabrikam.com#EXT#@contoso.onmicrosoft.com";
    const found = await validateStack(byName("pim-012-no-guests-in-tier-0-roles") as never, stackArgs([r]));
    expect(found.violations.map((v) => v.message.split(";")[0])).toEqual([
      "[PIM-012 high] ken-thompson-global-administrator: guest eve_fabrikam.com#EXT#@contoso.onmicrosoft.com can activate Global Administrator",
    ]);
  });

  it("PIM-for-Groups resources alone assume nothing about the group's roles: the stack decides", async () => {
    const policy = R.groupRoleManagementPolicy();
    policy.props.activationRules.requireMultifactorAuthentication = false;
    const member = R.groupEligibilitySchedule();
    member.props = { ...member.props, permanentAssignment: true };
    delete member.props.expirationDate;
    expect(await allResourceViolations(resourcePolicies, policy)).toEqual({});
    expect(await allResourceViolations(resourcePolicies, member)).toEqual({});
    const found = pick(
      await allStackViolations(stackPolicies, [policy, member, R.pimGroupRoleAssignment(HELPDESK)]),
      [
        "pim-stack-context-mandatory",
        "pim-stack-context-advisory",
        "pim-040-settings-declared-for-every-privileged-role-in-use",
      ],
    );
    expect(found).toEqual({
      "pim-stack-context-advisory": [
        {
          message: `[PIM-017 medium] ${R.GROUP} member ${R.ADA}: eligible membership of ${R.GROUP} for ${R.ADA} has no end date; at most 365d is allowed. Fix: set end within 365d of the start.`,
          urn: urnOf(member),
        },
        {
          message:
            "[PIM-022 medium] ops-member-policy (member): activating membership of ops-member-policy (member), which holds Helpdesk Administrator, requires neither MFA nor a Conditional Access authentication context. Fix: set activation.requireMfa: true, or activation.authenticationContext: <id> bound to a Conditional Access policy that requires phishing-resistant MFA.",
          urn: urnOf(policy),
        },
      ],
      "pim-040-settings-declared-for-every-privileged-role-in-use": [
        {
          message:
            '[PIM-040 medium] Helpdesk Administrator: Helpdesk Administrator is granted (ops-role-assignment) but its role settings are not declared, so MFA, approval, duration and alerts are whatever the tenant holds. Fix: add "- role: Helpdesk Administrator" with a profile under roleSettings.directoryRoles.',
        },
      ],
    });
  });

  it("PrivilegedAccessGroupEligibilitySchedule: a contractor held to 90 days (from config), in the stack", async () => {
    const resources = [
      R.groupEligibilitySchedule(),
      R.pimGroupRoleAssignment(HELPDESK),
      R.groupRoleManagementPolicy(),
    ];
    const found = await allStackViolations(stackPolicies, resources, { contractors: [R.ADA] });
    expect(found["pim-stack-context-advisory"]!.map((v) => v.message.split(";")[0])).toEqual([
      `[PIM-017 medium] ${R.GROUP} member ${R.ADA}: eligible membership of ${R.GROUP} for ${R.ADA} lasts 158 days`,
    ]);
  });

  it("PrivilegedAccessGroupAssignmentSchedule: a permanent active member of a group holding Global Administrator → PIM-015 (stack)", async () => {
    const r = R.groupAssignmentSchedule();
    r.props = { ...r.props, permanentAssignment: true };
    delete r.props.duration;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({});
    const found = await validateStack(
      byName("pim-015-groups-holding-privileged-roles-are-role-assignable-and-pim-managed") as never,
      stackArgs([r, R.pimGroupRoleAssignment(), R.groupRoleManagementPolicy()]),
    );
    expect(found.violations).toEqual([
      {
        message: `[PIM-015 high] ${R.GROUP}: ${R.ADA} is a permanent active member of ${R.GROUP}, which holds Global Administrator. Fix: make the membership eligible, or give it an end date.`,
        urn: urnOf(r),
      },
    ]);
  });

  it("DirectoryRoleAssignment outside the components: permanent and without a start → PIM-004 and PIM-005", async () => {
    const r = {
      type: PIM_TYPES.DirectoryRoleAssignment,
      name: "hand-ga",
      props: { roleId: R.GA, principalObjectId: R.KEN, directoryScopeId: "/" },
    };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      [P004]: [
        `[PIM-004 critical] hand-ga: ${R.KEN} holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ${R.KEN} is an emergency access account, declare it under breakGlass; if it is a service account that cannot activate, declare it under safeDefaults.serviceAccounts with the role and the reason.`,
      ],
      [P005]: [
        `[PIM-005 high] hand-ga: ${R.KEN} is assigned Global Administrator outside PIM (a plain role assignment, with no start date). Fix: declare it as a grant in stacks/<stack>/grants/ (eligible, or active with an end date) so it goes through a PIM schedule; plain assignments are for break-glass accounts only.`,
      ],
    });
  });

  it("DirectoryRoleAssignment to a non-privileged role is still permanent standing access (PIM-004 covers every role)", async () => {
    const r = {
      type: PIM_TYPES.DirectoryRoleAssignment,
      name: "reader",
      props: { roleId: "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b", principalObjectId: R.KEN },
    };
    expect(Object.keys(await allResourceViolations(resourcePolicies, r))).toEqual([P004]);
  });

  it("DirectoryRoleEligibilityScheduleRequest: azuread makes it permanent → PIM-017", async () => {
    expect(await allResourceViolations(resourcePolicies, R.eligibilityScheduleRequest(R.PRA))).toEqual({
      [P017]: [
        `[PIM-017 medium] hand-written-eligibility: eligible Privileged Role Administrator for ${R.ADA} has no end date; at most 365d is allowed. Fix: set end within 365d of the start, and renew it by pull request when still needed.`,
      ],
    });
  });

  it("RoleManagementPolicy (azure-native): activation without MFA → PIM-022; over 8 hours → PIM-026", async () => {
    const r = R.roleManagementPolicy();
    r.props.rules[1].enabledRules = ["Justification"];
    r.props.rules[0].maximumDuration = "PT10H";
    const label = `owner-policy on ${R.SUBSCRIPTION}`;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      [`${P022}-advisory`]: [
        `[PIM-022 medium] ${label}: activating ${label} requires neither MFA nor a Conditional Access authentication context. Fix: set activation.requireMfa: true, or activation.authenticationContext: <id> bound to a Conditional Access policy that requires phishing-resistant MFA.`,
      ],
      [P026]: [
        `[PIM-026 medium] ${label}: activating ${label} may last up to 10h; at most 8h is allowed. Fix: set activation.maximumDuration to PT8H or less.`,
      ],
    });
  });

  it("PimRoleEligibilitySchedule (azure-native): no expiration on Owner → PIM-017", async () => {
    const r = R.pimRoleEligibilitySchedule();
    r.props.scheduleInfo.expiration = { type: "NoExpiration" };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      [P017]: [
        `[PIM-017 medium] grace-owner: eligible Owner for ${R.ADA} has no end date; at most 365d is allowed. Fix: set end within 365d of the start, and renew it by pull request when still needed.`,
      ],
    });
  });

  it("a PIM resource that does not name its role is a mandatory violation, not a throw", async () => {
    const r = R.directoryRoleSchedule();
    delete r.props.roleDefinitionId;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-resource-readable": [
        "demo-grant-ken-ga: roleDefinitionId is missing, so the role it governs is not known; no safe-default rule can check it.",
      ],
    });
  });
});

describe("stack policies", () => {
  const MARGARET = "44444444-4444-4444-4444-444444444444";
  const KATHERINE = "55555555-5555-5555-5555-555555555555";
  /**
   * Ken holds Global Administrator, with two break-glass accounts; three people hold Exchange Administrator (so
   * Global Administrators do not outnumber them, PIM-002); ada holds Helpdesk through the PIM group; margaret and
   * katherine approve Global Administrator and Helpdesk through the approver group.
   */
  const stack = () => [
    R.directoryRoleSettings(),
    R.directoryRoleSchedule(),
    R.breakGlassAssignment(R.BG1, "bg1"),
    R.breakGlassAssignment(R.BG2, "bg2"),
    R.groupRoleManagementPolicy(),
    R.groupEligibilitySchedule(),
    R.pimGroupRoleAssignment(HELPDESK),
    R.roleSettingsFor(HELPDESK, "Helpdesk Administrator", { maximumDuration: "PT4H" }),
    R.roleSettingsFor(R.EXCHANGE, "Exchange Administrator", { maximumDuration: "PT4H" }),
    R.scheduleFor("66666666-6666-6666-6666-666666666666", R.EXCHANGE, "exchange-1"),
    R.scheduleFor("77777777-7777-7777-7777-777777777777", R.EXCHANGE, "exchange-2"),
    R.scheduleFor("88888888-8888-8888-8888-888888888888", R.EXCHANGE, "exchange-3"),
    R.approverGroup(),
    R.approverMember(MARGARET, "margaret"),
    R.approverMember(KATHERINE, "katherine"),
  ];

  it("a compliant stack has no violation", async () => {
    expect(await allStackViolations(stackPolicies, stack())).toEqual({});
  });

  it("is not applicable to a stack without PIM resources, even with groups and Conditional Access policies", async () => {
    for (const p of stackPolicies)
      expect(await validateStack(p, stackArgs([R.unrelated(), R.caPolicy()]))).toEqual({
        violations: [],
        notApplicable: "the stack holds no Entra PIM resources",
      });
  });

  it("one break-glass assignment → PIM-006; break-glass accounts come from the BreakGlass component", async () => {
    const resources = stack().filter((r) => r.name !== "bg2");
    expect(await allStackViolations(stackPolicies, resources)).toEqual({
      "pim-006-at-least-two-break-glass-accounts": [
        {
          message:
            "[PIM-006 high] breakGlass: 1 break-glass account is declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out. Fix: declare at least 2 cloud-only emergency access accounts (for example bg-1@<tenant>.onmicrosoft.com) under breakGlass.",
        },
      ],
    });
  });

  it("with breakGlass configured, a BreakGlass child for anyone else is a plain permanent assignment", async () => {
    const sneaky = R.breakGlassAssignment(R.KEN, "sneaky");
    expect(await allResourceViolations(resourcePolicies, sneaky)).toEqual({});
    const found = await allResourceViolations(resourcePolicies, sneaky, { breakGlass: [R.BG1, R.BG2] });
    expect(Object.keys(found)).toEqual([P004, P005]);
    expect(
      await allResourceViolations(resourcePolicies, R.breakGlassAssignment(R.BG1, "bg1"), {
        breakGlass: [R.BG1, R.BG2],
      }),
    ).toEqual({});
  });

  it("too many Global Administrators with a configured max → PIM-001", async () => {
    const policy = byName("pim-001-global-administrator-headcount-within-bounds") as Parameters<
      typeof validateStack
    >[0];
    expect((await validateStack(policy, stackArgs(stack()))).violations).toEqual([]);
    const found = await validateStack(policy, stackArgs(stack(), { max: 2 }));
    expect(found.violations.map((v) => v.message)).toEqual([
      `[PIM-001 high] Global Administrator: 3 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): ${R.BG1}, ${R.BG2} and ken.thompson@contoso.com; at most 2 are allowed. Fix: move the people who do not need tenant-wide control to narrower roles (User Administrator, Exchange Administrator, ...) and delete their Global Administrator grants.`,
    ]);
  });

  it("a PIM group that holds Global Administrator needs approval on its member policy → pim-stack-context-mandatory", async () => {
    const resources = stack().map((r) =>
      r.name === "ops-role-assignment" ? R.pimGroupRoleAssignment(R.GA) : r,
    );
    const policy = resources.find((r) => r.type === PIM_TYPES.GroupRoleManagementPolicy)!;
    expect(await allResourceViolations(resourcePolicies, policy)).toEqual({});
    const found = await allStackViolations(stackPolicies, resources);
    expect(found["pim-stack-context-mandatory"]!.map((v) => [v.message.split(":")[0], v.urn])).toEqual([
      ["[PIM-019 critical] ops-member-policy (member)", urnOf(policy)],
    ]);
  });

  it("reads approver groups' members (azuread GroupMember): a member who can activate the role approves themselves", async () => {
    const resources = [...stack(), R.approverMember(R.KEN, "ken")];
    const found = await allStackViolations(stackPolicies, resources);
    expect(found).toEqual({
      "pim-038-no-self-approval-approvers-are-not-eligible-for-the-role-they-approve": [
        {
          message:
            "[PIM-038 high] Global Administrator: ken.thompson@contoso.com can approve activation of Global Administrator and can activate it themselves, so approval is no second person's check. Fix: keep approvers and eligible people apart: remove them from the approvers (or the approver group), or delete their grant for the role.",
          urn: urnOf(R.directoryRoleSettings()),
        },
      ],
    });
  });

  it("counts an approver group's members: one member is one approver → PIM-021 (context)", async () => {
    const resources = stack().filter((r) => !r.name.endsWith("member-katherine"));
    const found = await allStackViolations(stackPolicies, resources);
    expect(found["pim-stack-context-mandatory"]!.map((v) => v.message.split(";")[0])).toEqual([
      `[PIM-021 high] Global Administrator: activating Global Administrator requires approval, but only 1 person approves (${MARGARET})`,
      `[PIM-021 high] Helpdesk Administrator: activating Helpdesk Administrator requires approval, but only 1 person approves (${MARGARET})`,
      `[PIM-021 high] Exchange Administrator: activating Exchange Administrator requires approval, but only 1 person approves (${MARGARET})`,
    ]);
  });

  it("an authentication context is backed by the stack's Conditional Access policy named in config → PIM-023", async () => {
    const withContext = () =>
      stack().map((r) => {
        if (r.name !== "demo-settings-global-administrator") return r;
        const s = R.tier0Settings();
        return {
          ...r,
          props: {
            ...r.props,
            settings: {
              ...s,
              activation: { ...s.activation, requireMfa: false, authenticationContext: "c1" },
            },
          },
        };
      });
    const p023 = "pim-023-authentication-context-on-activation-is-enforced-by-conditional-access";
    const found = await allStackViolations(stackPolicies, withContext());
    expect(found[p023]!.map((v) => v.message.split(". Fix")[0])).toEqual([
      "[PIM-023 high] Global Administrator: activating Global Administrator requires authentication context c1, which asks for nothing: authentication context c1 is not declared under authenticationContexts with the Conditional Access policy that enforces it",
    ]);
    const config = { authenticationContexts: { c1: "CA010 PIM activation" } };
    expect(await allStackViolations(stackPolicies, withContext(), config)).toEqual({});
    const reportOnly = R.caPolicy();
    reportOnly.props.state = "enabledForReportingButNotEnforced";
    const seen = await allStackViolations(stackPolicies, [...withContext(), reportOnly], config);
    expect(seen[p023]!.map((v) => v.message.split(". Fix")[0])).toEqual([
      '[PIM-023 high] Global Administrator: activating Global Administrator requires authentication context c1, which asks for nothing: Conditional Access policy "CA010 PIM activation" is report-only, so it enforces nothing',
    ]);
    expect(await allStackViolations(stackPolicies, [...withContext(), R.caPolicy()], config)).toEqual({});
  });
});

describe("during preview, with ids not known yet", () => {
  it("a role-settings resource whose approver ids are unknown is still checked", async () => {
    const r = R.directoryRoleSettings();
    r.props.settings.activation.approval.required = false;
    r.props = withUnknown(r.props, ["approverIds"]);
    expect(Object.keys(await allResourceViolations(resourcePolicies, r))).toEqual([
      "pim-019-approval-required-to-activate-global-administrator",
    ]);
  });

  it("a new PIM group's policy and role assignment are linked through their PimGroup parent", async () => {
    const underGroup = { parents: ["pim:entra:Tenant", "pim:entra:PimGroup"], parentName: "ops" };
    const policy = { ...R.groupRoleManagementPolicy(), ...underGroup };
    policy.props = withUnknown(policy.props, ["groupId"]);
    const assignment = { ...R.pimGroupRoleAssignment(R.GA), ...underGroup };
    assignment.props = withUnknown(assignment.props, ["principalObjectId"]);
    expect(await allResourceViolations(resourcePolicies, assignment)).toEqual({});
    const found = pick(
      await allStackViolations(stackPolicies, [
        R.directoryRoleSettings(),
        R.breakGlassAssignment(R.BG1, "bg1"),
        R.breakGlassAssignment(R.BG2, "bg2"),
        policy,
        assignment,
      ]),
      ["pim-stack-context-mandatory", "pim-stack-context-advisory"],
    );
    expect(
      Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.map((x) => x.message.split(":")[0])])),
    ).toEqual({
      "pim-stack-context-mandatory": ["[PIM-019 critical] ops-member-policy (member)"],
    });
  });

  it("an approver group's members are linked to it by name while its object id is unknown", async () => {
    const underGroup = { parents: ["pim:index:Tenant", "pim:entra:ApproverGroup"], parentName: "approvers" };
    const group = { ...R.approverGroup(), ...underGroup };
    delete group.props.objectId;
    const member = { ...R.approverMember(R.KEN, "ken"), ...underGroup };
    member.props = withUnknown(member.props, ["groupObjectId"]);
    const settings = R.directoryRoleSettings();
    settings.props = withUnknown(settings.props, ["approverIds"]);
    const found = pick(
      await allStackViolations(stackPolicies, [
        settings,
        R.directoryRoleSchedule(),
        R.breakGlassAssignment(R.BG1, "bg1"),
        R.breakGlassAssignment(R.BG2, "bg2"),
        group,
        member,
      ]),
      [
        "pim-038-no-self-approval-approvers-are-not-eligible-for-the-role-they-approve",
        "pim-stack-context-mandatory",
      ],
    );
    expect(Object.keys(found)).toEqual([
      "pim-038-no-self-approval-approvers-are-not-eligible-for-the-role-they-approve",
      "pim-stack-context-mandatory",
    ]);
    expect(found["pim-stack-context-mandatory"]!.map((v) => v.message.split(";")[0])).toEqual([
      "[PIM-021 high] Global Administrator: activating Global Administrator requires approval, but only 1 person approves (ken.thompson@contoso.com)",
    ]);
  });
});

describe("policy-pack config", () => {
  const expiry = () => byName(P017) as Parameters<typeof validateResource>[0];

  it("takes rule parameters", async () => {
    const r = R.directoryRoleSchedule();
    expect(
      (await validateResource(expiry(), resourceArgs(r, { maxEligible: "P30D" }))).violations.map(
        (v) => v.message.split(": ")[1],
      ),
    ).toEqual([
      "eligible Global Administrator for ken.thompson@contoso.com lasts 159 days; at most 30d is allowed. Fix",
    ]);
  });

  it("takes the profile, cis included", async () => {
    const r = R.directoryRoleSchedule();
    r.props.end = "2027-11-20T00:00:00.000Z";
    expect((await validateResource(expiry(), resourceArgs(r))).violations).toEqual([]);
    expect((await validateResource(expiry(), resourceArgs(r, { profile: "strict" }))).violations.length).toBe(
      1,
    );
    const headcount = byName("pim-001-global-administrator-headcount-within-bounds") as Parameters<
      typeof validateStack
    >[0];
    const five = [1, 2, 3, 4, 5].map((i) => ({
      ...R.directoryRoleSchedule(),
      name: `ga-${i}`,
      props: {
        ...R.directoryRoleSchedule().props,
        principalId: `0000000${i}-0000-0000-0000-000000000000`,
        label: `ga-${i}`,
      },
    }));
    expect((await validateStack(headcount, stackArgs(five))).violations).toEqual([]);
    expect((await validateStack(headcount, stackArgs(five, { profile: "cis" }))).violations.length).toBe(1);
  });

  it("refuses unknown keys and bad values, failing the run", async () => {
    await expect(
      validateResource(expiry(), resourceArgs(R.groupEligibilitySchedule(), { maxEligibel: "P30D" })),
    ).rejects.toThrow(
      "policy pim-017-eligible-assignments-expire: invalid policy-pack config: params: unknown parameter maxEligibel",
    );
    await expect(
      validateResource(expiry(), resourceArgs(R.groupEligibilitySchedule(), { profile: "lenient" })),
    ).rejects.toThrow(/invalid policy-pack config: config\.profile: /);
    await expect(
      validateResource(
        expiry(),
        resourceArgs(R.groupEligibilitySchedule(), {
          serviceAccounts: [{ principalId: R.KEN, roles: ["Global Admin"], justification: "x" }],
        }),
      ),
    ).rejects.toThrow(/config\.serviceAccounts\.0\.roles\.0: is not a role in the catalog/);
  });
});
