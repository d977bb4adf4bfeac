/**
 * The CrossGuard policies called directly with fake validation arguments: each PIM resource type passes when
 * compliant and reports the right violation when changed; unrelated resources are not applicable.
 */
import { describe, expect, it } from "vitest";
import { PIM_TYPES } from "../../policies/adapters";
import { createPolicies, enforcementOf, policyName } from "../../policies/policies";
import { allRules } from "../../policies/rules/catalogue";
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

describe("pack layout", () => {
  it("has one policy per rule (resource or stack by the rule's scope) plus the two stack-context policies", () => {
    expect(resourcePolicies.map((p) => p.name)).toEqual(
      allRules.filter((r) => r.scope === "resource").map(policyName),
    );
    expect(stackPolicies.map((p) => p.name)).toEqual([
      ...allRules.filter((r) => r.scope === "stack").map(policyName),
      "pim-stack-context-mandatory",
      "pim-stack-context-advisory",
    ]);
    expect(policyName(allRules[0]!)).toBe("pim-001-global-administrator-headcount-within-bounds");
  });

  it("enforces critical and high rules as mandatory, the rest as advisory", () => {
    for (const rule of allRules)
      expect(byName(policyName(rule)).enforcementLevel).toBe(enforcementOf(rule.severity));
    expect(byName("pim-019-approval-required-to-activate-global-administrator").enforcementLevel).toBe(
      "mandatory",
    );
    expect(byName("pim-025-ticket-required-on-tier-0-activation").enforcementLevel).toBe("advisory");
  });

  it("declares config schemas without defaults, so the profile's values are not masked by the CLI", () => {
    for (const p of [...resourcePolicies, ...stackPolicies]) {
      expect(JSON.stringify(p.configSchema)).not.toContain('"default"');
      expect(Object.keys(p.configSchema!.properties)).toEqual(
        expect.arrayContaining(["profile", "tiers", "breakGlass", "contractors"]),
      );
    }
    expect(
      Object.keys(byName("pim-026-activation-duration-bounded-per-tier").configSchema!.properties),
    ).toEqual(["profile", "tiers", "breakGlass", "contractors", "tier0Max", "max", "perRole"]);
  });
});

describe("resource policies, per resource type", () => {
  const compliant = [
    R.directoryRoleSettings(),
    R.directoryRoleSchedule(),
    R.groupRoleManagementPolicy(),
    R.groupEligibilitySchedule(),
    R.groupAssignmentSchedule(),
    R.breakGlassAssignment(R.BG1, "bg1"),
    R.pimGroupRoleAssignment(),
    R.roleManagementPolicy(),
    R.pimRoleEligibilitySchedule(),
  ];

  it.each(compliant.map((r) => [r.type, r] as const))("a compliant %s has no violation", async (_type, r) => {
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({});
  });

  it("every resource policy is applicable to each PIM type and not to unrelated resources", async () => {
    for (const p of resourcePolicies) {
      for (const r of compliant)
        expect((await validateResource(p, resourceArgs(r))).notApplicable).toBeUndefined();
      expect(await validateResource(p, resourceArgs(R.unrelated()))).toEqual({
        violations: [],
        notApplicable: `${p.name.slice(0, 7).toUpperCase()} applies to Entra PIM resources only`,
      });
    }
  });

  it("DirectoryRoleSettings: Global Administrator without approval → PIM-019", async () => {
    const r = R.directoryRoleSettings();
    r.props.settings.activation.approval.required = false;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-019-approval-required-to-activate-global-administrator": [
        "[PIM-019] Global Administrator: activating Global Administrator does not require approval. Fix: set activation.approval.required: true and name at least two approvers, or list the role under an approver group's approves.",
      ],
    });
  });

  it("DirectoryRoleSettings: approver ids resolve, so a single approver is counted → PIM-021", async () => {
    const r = R.directoryRoleSettings();
    r.props.settings.activation.approval.stages[0].approvers = [
      { type: "user", ref: "margaret@contoso.com" },
    ];
    r.props.approverIds = { "user:margaret@contoso.com": "33333333-3333-3333-3333-333333333333" };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-021-at-least-two-approvers": [
        "[PIM-021] Global Administrator: activating Global Administrator requires approval, but only 1 person approves (33333333-3333-3333-3333-333333333333); at least 2 are needed. Fix: name at least 2 approvers, for example an approver group with 2 or more members that lists this role under approves.",
      ],
    });
  });

  it("DirectoryRoleSchedule: a permanent active Global Administrator → PIM-004 (critical)", async () => {
    const r = R.directoryRoleSchedule();
    Object.assign(r.props, { kind: "active", end: null });
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-004-no-permanent-active-assignment-to-privileged-roles": [
        `[PIM-004] ken-thompson-global-administrator: ${R.KEN} holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a privileged role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ${R.KEN} is an emergency access account, declare it under breakGlass.`,
      ],
    });
  });

  it("DirectoryRoleSchedule: a break-glass account named in config is allowed", async () => {
    const r = R.directoryRoleSchedule();
    Object.assign(r.props, { kind: "active", end: null });
    expect(await allResourceViolations(resourcePolicies, r, { breakGlass: [R.KEN.toUpperCase()] })).toEqual(
      {},
    );
  });

  it("GroupRoleManagementPolicy: membership activation without MFA → PIM-022", async () => {
    const r = R.groupRoleManagementPolicy();
    r.props.activationRules.requireMultifactorAuthentication = false;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-022-mfa-or-authentication-context-required-on-activation": [
        `[PIM-022] ops-member-policy (member): activating membership of ops-member-policy (member), which holds roles assigned elsewhere (assumed privileged), requires neither MFA nor a Conditional Access authentication context. Fix: set activation.requireMfa: true, or activation.authenticationContext: <id> bound to a Conditional Access policy that requires phishing-resistant MFA.`,
      ],
    });
  });

  it("GroupRoleManagementPolicy: omitted notification rules are not required of a group assumed tier1 (alerts cover Tier-0 and CISA roles)", async () => {
    const r = R.groupRoleManagementPolicy();
    delete r.props.notificationRules;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({});
  });

  it("PrivilegedAccessGroupEligibilitySchedule: a permanent eligible membership → PIM-017", async () => {
    const r = R.groupEligibilitySchedule();
    r.props = { ...r.props, permanentAssignment: true };
    delete r.props.expirationDate;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-017-eligible-assignments-expire": [
        `[PIM-017] ${R.GROUP} member ${R.ADA}: eligible membership of ${R.GROUP} for ${R.ADA} has no end date; at most 365d is allowed. Fix: set end within 365d of the start.`,
      ],
    });
  });

  it("PrivilegedAccessGroupEligibilitySchedule: a contractor held to 90 days (from config) → PIM-017", async () => {
    const r = R.groupEligibilitySchedule();
    expect(Object.keys(await allResourceViolations(resourcePolicies, r, { contractors: [R.ADA] }))).toEqual([
      "pim-017-eligible-assignments-expire",
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
        message: `[PIM-015] ${R.GROUP}: ${R.ADA} is a permanent active member of ${R.GROUP}, which holds Global Administrator. Fix: make the membership eligible, or give it an end date.`,
        urn: urnOf(r),
      },
    ]);
  });

  it("DirectoryRoleAssignment outside the components: permanent and direct → PIM-004 and PIM-005", async () => {
    const r = {
      type: PIM_TYPES.DirectoryRoleAssignment,
      name: "hand-ga",
      props: { roleId: R.GA, principalObjectId: R.KEN, directoryScopeId: "/" },
    };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-004-no-permanent-active-assignment-to-privileged-roles": [
        `[PIM-004] hand-ga: ${R.KEN} holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a privileged role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ${R.KEN} is an emergency access account, declare it under breakGlass.`,
      ],
      "pim-005-privileged-roles-are-assigned-only-through-pim": [
        `[PIM-005] hand-ga: ${R.KEN} is assigned Global Administrator directly, outside PIM (a plain role assignment). Fix: declare it as a grant in stacks/<stack>/grants/ (eligible, or active with an end date) so it goes through a PIM schedule; plain assignments are for break-glass accounts only.`,
      ],
    });
  });

  it("DirectoryRoleAssignment to a non-privileged role is left alone", async () => {
    const r = {
      type: PIM_TYPES.DirectoryRoleAssignment,
      name: "reader",
      props: { roleId: "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b", principalObjectId: R.KEN },
    };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({});
  });

  it("DirectoryRoleEligibilityScheduleRequest: azuread makes it permanent → PIM-017", async () => {
    expect(await allResourceViolations(resourcePolicies, R.eligibilityScheduleRequest(R.PRA))).toEqual({
      "pim-017-eligible-assignments-expire": [
        `[PIM-017] hand-written-eligibility: eligible Privileged Role Administrator for ${R.ADA} has no end date; at most 365d is allowed. Fix: set end within 365d of the start, and renew it by pull request when still needed.`,
      ],
    });
  });

  it("RoleManagementPolicy (azure-native): activation without MFA → PIM-022; over 8 hours → PIM-026", async () => {
    const r = R.roleManagementPolicy();
    r.props.rules[1].enabledRules = ["Justification"];
    r.props.rules[0].maximumDuration = "PT10H";
    const label = `owner-policy on ${R.SUBSCRIPTION}`;
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-022-mfa-or-authentication-context-required-on-activation": [
        `[PIM-022] ${label}: activating ${label} requires neither MFA nor a Conditional Access authentication context. Fix: set activation.requireMfa: true, or activation.authenticationContext: <id> bound to a Conditional Access policy that requires phishing-resistant MFA.`,
      ],
      "pim-026-activation-duration-bounded-per-tier": [
        `[PIM-026] ${label}: activating ${label} may last up to 10h; at most 8h is allowed. Fix: set activation.maximumDuration to PT8H or less.`,
      ],
    });
  });

  it("PimRoleEligibilitySchedule (azure-native): no expiration on Owner → PIM-017", async () => {
    const r = R.pimRoleEligibilitySchedule();
    r.props.scheduleInfo.expiration = { type: "NoExpiration" };
    expect(await allResourceViolations(resourcePolicies, r)).toEqual({
      "pim-017-eligible-assignments-expire": [
        `[PIM-017] grace-owner: eligible Owner for ${R.ADA} has no end date; at most 365d is allowed. Fix: set end within 365d of the start, and renew it by pull request when still needed.`,
      ],
    });
  });
});

describe("stack policies", () => {
  const stack = () => [
    R.directoryRoleSettings(),
    R.directoryRoleSchedule(),
    R.breakGlassAssignment(R.BG1, "bg1"),
    R.breakGlassAssignment(R.BG2, "bg2"),
    R.groupRoleManagementPolicy(),
    R.groupEligibilitySchedule(),
    R.pimGroupRoleAssignment("729827e3-9c14-49f7-bb1b-9608f156bbb8"),
    {
      ...R.directoryRoleSettings(),
      name: "helpdesk-settings",
      props: {
        ...R.directoryRoleSettings().props,
        roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        roleName: "Helpdesk Administrator",
      },
    },
  ];

  it("a compliant stack has no violation", async () => {
    expect(await allStackViolations(stackPolicies, stack())).toEqual({});
  });

  it("is not applicable to a stack without PIM resources", async () => {
    expect(await validateStack(stackPolicies[0]!, stackArgs([R.unrelated()]))).toEqual({
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
            "[PIM-006] breakGlass: 1 break-glass account is declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out. Fix: declare at least 2 cloud-only emergency access accounts (for example bg-1@<tenant>.onmicrosoft.com) under breakGlass.",
        },
      ],
    });
  });

  it("with breakGlass configured, a BreakGlass child for anyone else is a plain permanent assignment", async () => {
    const sneaky = R.breakGlassAssignment(R.KEN, "sneaky");
    expect(await allResourceViolations(resourcePolicies, sneaky)).toEqual({});
    const found = await allResourceViolations(resourcePolicies, sneaky, { breakGlass: [R.BG1, R.BG2] });
    expect(Object.keys(found)).toEqual([
      "pim-004-no-permanent-active-assignment-to-privileged-roles",
      "pim-005-privileged-roles-are-assigned-only-through-pim",
    ]);
    expect(found["pim-004-no-permanent-active-assignment-to-privileged-roles"]).toEqual([
      `[PIM-004] sneaky: ${R.KEN} holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a privileged role permanently. Fix: make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ${R.KEN} is an emergency access account, declare it under breakGlass.`,
    ]);
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
      `[PIM-001] Global Administrator: 3 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): ${R.KEN}, ${R.BG1} and ${R.BG2}; at most 2 are allowed. Fix: move the people who do not need tenant-wide control to narrower roles (User Administrator, Exchange Administrator, ...) and delete their Global Administrator grants.`,
    ]);
  });

  it("a PIM group that holds Global Administrator needs approval on its member policy → pim-stack-context-mandatory", async () => {
    const resources = stack().map((r) =>
      r.name === "ops-role-assignment" ? R.pimGroupRoleAssignment(R.GA) : r,
    );
    const policy = resources.find((r) => r.type === PIM_TYPES.GroupRoleManagementPolicy)!;
    // Alone, the member policy is only assumed privileged: approval is not required of it.
    expect(await allResourceViolations(resourcePolicies, policy)).toEqual({});
    expect(await allStackViolations(stackPolicies, resources)).toEqual({
      "pim-stack-context-mandatory": [
        {
          message:
            "[PIM-019] ops-member-policy (member): activating membership of ops-member-policy (member), which holds Global Administrator, does not require approval. Fix: set activation.approval.required: true and name at least two approvers, or list the role under an approver group's approves.",
          urn: urnOf(policy),
        },
      ],
    });
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
    const found = await allStackViolations(stackPolicies, [
      R.directoryRoleSettings(),
      R.breakGlassAssignment(R.BG1, "bg1"),
      R.breakGlassAssignment(R.BG2, "bg2"),
      policy,
      assignment,
    ]);
    expect(
      Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.map((x) => x.message.split(":")[0])])),
    ).toEqual({
      "pim-stack-context-mandatory": ["[PIM-019] ops-member-policy (member)"],
    });
  });
});

describe("policy-pack config", () => {
  const expiry = () =>
    byName("pim-017-eligible-assignments-expire") as Parameters<typeof validateResource>[0];

  it("takes rule parameters", async () => {
    const r = R.groupEligibilitySchedule();
    expect(
      (await validateResource(expiry(), resourceArgs(r, { maxEligible: "P30D" }))).violations.map(
        (v) => v.message.split(": ")[1],
      ),
    ).toEqual([`eligible membership of ${R.GROUP} for ${R.ADA} lasts 158 days; at most 30d is allowed. Fix`]);
  });

  it("takes the profile", async () => {
    const r = R.directoryRoleSchedule();
    r.props.end = "2027-11-20T00:00:00.000Z";
    expect((await validateResource(expiry(), resourceArgs(r))).violations).toEqual([]);
    expect((await validateResource(expiry(), resourceArgs(r, { profile: "strict" }))).violations.length).toBe(
      1,
    );
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
  });
});
