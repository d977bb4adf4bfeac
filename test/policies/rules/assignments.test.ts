/** Rules over who holds which role: headcount, permanence, mechanism, guests, groups, expiry, declared settings. */
import { describe, expect, it } from "vitest";
import { pim001 } from "../../../policies/rules/pim-001-global-admin-headcount";
import { pim002 } from "../../../policies/rules/pim-002-finer-grained-roles";
import { pim003 } from "../../../policies/rules/pim-003-cloud-only-privileged";
import { pim004 } from "../../../policies/rules/pim-004-no-permanent-active";
import { pim005 } from "../../../policies/rules/pim-005-only-through-pim";
import { pim012 } from "../../../policies/rules/pim-012-no-guests-tier0";
import { pim015 } from "../../../policies/rules/pim-015-role-groups-pim-managed";
import { pim017 } from "../../../policies/rules/pim-017-eligible-expire";
import { pim040 } from "../../../policies/rules/pim-040-settings-declared";
import type { Assignment } from "../../../policies/rules/input";
import {
  addUser,
  baseline,
  EXCHANGE,
  GA,
  GLOBAL_READER,
  HELPDESK,
  inDays,
  PRA,
  SECURITY_ADMIN,
  SECURITY_READER,
  NOW,
  USER_ADMIN,
} from "../fixtures/baseline";
import { check, findings } from "../helpers";

const eligible = (
  roleId: string,
  principalId: string,
  label: string,
  end: string | null = inDays(100),
): Assignment => ({
  kind: "eligible",
  roleId,
  principalId,
  scope: "/",
  startDateTime: NOW,
  endDateTime: end,
  label,
});

describe("PIM-001 Global Administrator headcount", () => {
  it("passes the baseline (ken and two break-glass accounts)", () => {
    expect(check(pim001, baseline())).toEqual([]);
  });

  it("reports too few when only one person holds the role", () => {
    const input = baseline();
    input.assignments = input.assignments.filter(
      (a) => a.roleId !== GA || a.principalId === "ken@contoso.com",
    );
    expect(check(pim001, input)).toEqual([
      {
        ruleId: "PIM-001",
        severity: "high",
        object: "Global Administrator",
        message:
          "1 person holds Global Administrator (eligible or active, directly or through groups, break-glass included): ken@contoso.com; at least 2 are required so the tenant is never left without one",
      },
    ]);
  });

  it("counts members of a group holding the role, once each, and flags more than max", () => {
    const input = baseline();
    input.assignments.push({
      ...eligible(GA, "helpdesk-ops", "ops-ga"),
      kind: "active",
      endDateTime: inDays(10),
    });
    input.assignments.push(eligible(GA, "alan@contoso.com", "alan-ga"));
    expect(check(pim001, input, { max: 3 })).toEqual([
      {
        ruleId: "PIM-001",
        severity: "high",
        object: "Global Administrator",
        message:
          "4 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): alan@contoso.com, bg-1@contoso.onmicrosoft.com, bg-2@contoso.onmicrosoft.com and ken@contoso.com; at most 3 are allowed",
      },
    ]);
  });

  it("counts the owners of a group holding the role: an owner can add itself", () => {
    const input = baseline();
    input.assignments.push({
      ...eligible(GA, "helpdesk-ops", "ops-ga"),
      kind: "active",
      endDateTime: inDays(10),
    });
    input.groups["helpdesk-ops"]!.owners = [
      { principalId: "edsger@contoso.com", kind: "eligible", startDateTime: null, endDateTime: inDays(30) },
    ];
    expect(check(pim001, input, { max: 4 })).toEqual([
      {
        ruleId: "PIM-001",
        severity: "high",
        object: "Global Administrator",
        message:
          "5 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): alan@contoso.com, bg-1@contoso.onmicrosoft.com, bg-2@contoso.onmicrosoft.com, edsger@contoso.com and ken@contoso.com; at most 4 are allowed",
      },
    ]);
  });

  it("does not count service principals", () => {
    const input = baseline();
    input.principals["sp-1"] = {
      id: "sp-1",
      type: "servicePrincipal",
      displayName: "deploy",
      userPrincipalName: null,
      userType: null,
      isContractor: false,
      onPremisesSynced: null,
    };
    input.assignments.push(eligible(GA, "sp-1", "sp-ga"));
    expect(check(pim001, input, { max: 3 })).toEqual([]);
  });

  it("applies the strict maximum of 4", () => {
    const input = baseline();
    input.assignments.push(
      eligible(GA, "ada@contoso.com", "ada-ga"),
      eligible(GA, "grace@contoso.com", "grace-ga"),
    );
    expect(check(pim001, input, undefined, "strict").map((f) => f.message)).toEqual([
      "5 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): ada@contoso.com, bg-1@contoso.onmicrosoft.com, bg-2@contoso.onmicrosoft.com, grace@contoso.com and ken@contoso.com; at most 4 are allowed",
    ]);
    expect(check(pim001, input, undefined, "cisa")).toEqual([]);
  });
});

describe("PIM-002 finer-grained roles instead of Global Administrator", () => {
  it("passes the baseline: 3 Global Administrators, 3 other highly privileged users (ada, grace, barbara)", () => {
    expect(check(pim002, baseline())).toEqual([]);
  });

  it("reports 4 Global Administrators against 2 other privileged users (issue 10's case)", () => {
    const input = baseline();
    input.assignments = input.assignments.filter((a) => a.roleId !== USER_ADMIN);
    input.assignments.push(eligible(GA, "alan@contoso.com", "alan-ga"));
    expect(findings(pim002, input)).toEqual([
      {
        object: "Global Administrator",
        message:
          "4 people hold Global Administrator (alan@contoso.com, bg-1@contoso.onmicrosoft.com, bg-2@contoso.onmicrosoft.com and ken@contoso.com) and only 2 other people hold a highly privileged role (ada@contoso.com and grace@contoso.com); Global Administrators must not outnumber them",
        fix: "give the people who do not need tenant-wide control a finer-grained role (User Administrator, Exchange Administrator, ...) and delete their Global Administrator grants",
        severity: "high",
        source: { file: "stacks/t/tenant.yaml", line: 10, column: 7 },
        subject: "role:Global Administrator",
      },
    ]);
  });

  it("counts distinct people: a Global Administrator never counts as another privileged user", () => {
    const input = baseline();
    // ken also holds PRA and Exchange; barbara holds User Administrator twice (direct and through a group).
    input.assignments.push(
      eligible(PRA, "ken@contoso.com", "ken-pra"),
      eligible(EXCHANGE, "ken@contoso.com", "ken-exchange"),
      eligible(USER_ADMIN, "helpdesk-ops", "ops-user-admin"),
    );
    input.groups["helpdesk-ops"]!.members.push({
      principalId: "barbara@contoso.com",
      kind: "eligible",
      startDateTime: null,
      endDateTime: inDays(10),
    });
    // Others: ada, grace, barbara and alan (helpdesk-ops now holds User Administrator): 4 against 3.
    expect(check(pim002, input)).toEqual([]);
    input.assignments.push(eligible(GA, "margaret@contoso.com", "margaret-ga"));
    input.assignments.push(eligible(GA, "katherine@contoso.com", "katherine-ga"));
    expect(check(pim002, input).map((f) => f.message)).toEqual([
      "5 people hold Global Administrator (bg-1@contoso.onmicrosoft.com, bg-2@contoso.onmicrosoft.com, katherine@contoso.com, ken@contoso.com and margaret@contoso.com) and only 4 other people hold a highly privileged role (ada@contoso.com, alan@contoso.com, barbara@contoso.com and grace@contoso.com); Global Administrators must not outnumber them",
    ]);
  });

  it("reports a tenant whose privileged users all hold Global Administrator", () => {
    const input = baseline();
    input.assignments = input.assignments.filter((a) => a.roleId === GA || a.roleId === HELPDESK);
    expect(check(pim002, input).map((f) => f.message)).toEqual([
      "every privileged user holds Global Administrator (bg-1@contoso.onmicrosoft.com, bg-2@contoso.onmicrosoft.com and ken@contoso.com); nobody uses a finer-grained role",
    ]);
  });

  it("leaves a tenant whose only Global Administrators are its break-glass accounts to PIM-001", () => {
    const input = baseline();
    // Only bg-1 and bg-2 hold Global Administrator, and nobody holds anything else.
    input.assignments = input.assignments.filter(
      (a) => a.roleId === GA && a.principalId !== "ken@contoso.com",
    );
    expect(check(pim002, input)).toEqual([]);
  });

  it("counts only the CISA highly privileged roles by default, and takes maxRatio", () => {
    const input = baseline();
    input.assignments = input.assignments.filter((a) => a.roleId !== USER_ADMIN && a.roleId !== EXCHANGE);
    input.assignments.push(eligible(SECURITY_ADMIN, "grace@contoso.com", "grace-secadmin"));
    // Against the CISA roles, 3 Global Administrators face ada alone; Security and Helpdesk Administrator
    // (grace, and alan through helpdesk-ops) count only when `roles` says so, or with maxRatio 3.
    expect(check(pim002, input).map((f) => f.object)).toEqual(["Global Administrator"]);
    expect(check(pim002, input, { roles: ["privileged", "cisa"] })).toEqual([]);
    expect(check(pim002, input, { maxRatio: 3 })).toEqual([]);
  });
});

describe("PIM-003 privileged users are cloud-only", () => {
  it("passes the baseline (nobody is synchronised)", () => {
    expect(check(pim003, baseline())).toEqual([]);
  });

  it("reports a synchronised account holding a CISA role, directly or through a group, on its grant", () => {
    const input = baseline();
    input.principals["ada@contoso.com"]!.onPremisesSynced = true;
    input.principals["alan@contoso.com"]!.onPremisesSynced = true;
    expect(findings(pim003, input)).toEqual([
      {
        object: "ada-pra",
        message:
          "ada@contoso.com is synchronised from on-premises and can activate Privileged Role Administrator; whoever controls the on-premises account controls the role",
        fix: "give ada@contoso.com a separate cloud-only admin account (e.g. adm-<name>@<tenant>.onmicrosoft.com) and grant the role to that account instead",
        severity: "high",
        source: { file: "stacks/t/grants/ada-pra.yaml", line: 1, column: 1 },
        subject: "assignment:ada-pra",
      },
    ]);
    // alan reaches only Helpdesk Administrator (tier1, not on CISA's list) until the strict or cis profile.
    expect(check(pim003, input, undefined, "cis").map((f) => f.message)).toEqual([
      "ada@contoso.com is synchronised from on-premises and can activate Privileged Role Administrator; whoever controls the on-premises account controls the role",
      "alan@contoso.com is synchronised from on-premises and can use Helpdesk Administrator through helpdesk-ops; whoever controls the on-premises account controls the role",
    ]);
  });

  it("assumes nothing about an account whose synchronisation is not known", () => {
    const input = baseline();
    input.principals["ada@contoso.com"]!.onPremisesSynced = null;
    expect(check(pim003, input)).toEqual([]);
  });
});

describe("PIM-004 no permanent active assignment", () => {
  it("passes the baseline: break-glass accounts and the PIM group are allowed", () => {
    expect(check(pim004, baseline())).toEqual([]);
  });

  it("reports a permanent active Global Administrator as critical, with the fix", () => {
    const input = baseline();
    input.assignments.push({ ...eligible(GA, "ken@contoso.com", "ken-ga-active", null), kind: "active" });
    expect(findings(pim004, input)).toEqual([
      {
        object: "ken-ga-active",
        message:
          "ken@contoso.com holds Global Administrator permanently (active, no end date); only declared break-glass accounts may hold a role permanently",
        fix: "make it kind: eligible so Global Administrator is activated just in time, or give it an end date; if ken@contoso.com is an emergency access account, declare it under breakGlass; if it is a service account that cannot activate, declare it under safeDefaults.serviceAccounts with the role and the reason",
        severity: "critical",
        subject: "assignment:ken-ga-active",
      },
    ]);
  });

  it("reports other roles as high, and ignores roles out of scope", () => {
    const input = baseline();
    input.assignments.push(
      { ...eligible(SECURITY_ADMIN, "ada@contoso.com", "ada-secadmin", null), kind: "active" },
      { ...eligible(SECURITY_READER, "grace@contoso.com", "grace-reader", null), kind: "active" },
    );
    expect(check(pim004, input).map((f) => [f.object, f.severity])).toEqual([
      ["ada-secadmin", "high"],
      ["grace-reader", "high"],
    ]);
    expect(check(pim004, input, { roles: ["tier0"] }).map((f) => f.object)).toEqual(["ada-secadmin"]);
    expect(check(pim004, input, { roles: ["Global Administrator"] })).toEqual([]);
  });

  it("accepts a declared service account for the roles its exclusion lists, and nothing else", () => {
    const input = baseline();
    addUser(input, "svc-backup@contoso.com");
    input.assignments.push(
      { ...eligible(EXCHANGE, "svc-backup@contoso.com", "svc-exchange", null), kind: "active" },
      { ...eligible(SECURITY_ADMIN, "svc-backup@contoso.com", "svc-secadmin", null), kind: "active" },
    );
    input.serviceAccounts = [
      {
        principalId: "svc-backup@contoso.com",
        roleIds: [EXCHANGE],
        justification: "Backup appliance signs in unattended and cannot activate (CHG0032001)",
      },
    ];
    expect(check(pim004, input).map((f) => f.object)).toEqual(["svc-secadmin"]);
  });

  it("reports a PIM group when allowPimGroups is false", () => {
    expect(check(pim004, baseline(), { allowPimGroups: false }).map((f) => f.object)).toEqual([
      "helpdesk-ops holds Helpdesk Administrator",
    ]);
  });

  it("leaves time-bound active assignments alone", () => {
    const input = baseline();
    input.assignments.push({ ...eligible(GA, "ada@contoso.com", "ada-ga", inDays(5)), kind: "active" });
    expect(check(pim004, input)).toEqual([]);
  });
});

describe("PIM-005 only through PIM", () => {
  it("passes the baseline (direct assignments only for break-glass)", () => {
    expect(check(pim005, baseline())).toEqual([]);
  });

  it("reports a plain role assignment to a privileged role", () => {
    const input = baseline();
    input.assignments.push({
      ...eligible(PRA, "ada@contoso.com", "pra-direct", null),
      kind: "active",
      startDateTime: null,
    });
    expect(check(pim005, input)).toEqual([
      {
        ruleId: "PIM-005",
        severity: "high",
        object: "pra-direct",
        message:
          "ada@contoso.com is assigned Privileged Role Administrator outside PIM (a plain role assignment, with no start date)",
      },
    ]);
  });

  it("judges by the start date, as ScubaGear does: a permanent PIM schedule has one, an eligible one is PIM's", () => {
    const input = baseline();
    input.assignments.push(
      { ...eligible(PRA, "ada@contoso.com", "pra-schedule", null), kind: "active" },
      { ...eligible(PRA, "grace@contoso.com", "pra-eligible"), startDateTime: null },
    );
    expect(check(pim005, input)).toEqual([]);
  });
  it("reports a PIM group's plain role assignment when allowPimGroups is false", () => {
    expect(check(pim005, baseline(), { allowPimGroups: false })).toEqual([
      {
        ruleId: "PIM-005",
        severity: "high",
        object: "helpdesk-ops holds Helpdesk Administrator",
        message:
          "helpdesk-ops is assigned Helpdesk Administrator outside PIM (a plain role assignment, with no start date)",
      },
    ]);
  });
});

describe("PIM-012 no guests in Tier-0", () => {
  it("passes the baseline", () => {
    expect(check(pim012, baseline())).toEqual([]);
  });

  it("reports a guest eligible for a Tier-0 role", () => {
    const input = baseline();
    const guest = addUser(input, "eve_fabrikam.com#EXT#@contoso.onmicrosoft.com");
    input.assignments.push(eligible(SECURITY_ADMIN, guest, "eve-secadmin"));
    expect(check(pim012, input)).toEqual([
      {
        ruleId: "PIM-012",
        severity: "high",
        object: "eve-secadmin",
        message:
          "guest eve_fabrikam.com#EXT#@contoso.onmicrosoft.com can activate Security Administrator; Tier-0 roles go to member accounts of this tenant only",
      },
    ]);
  });

  it("reports a guest reaching a CISA role through a group, and ignores guests in lower tiers", () => {
    const input = baseline();
    const guest = addUser(input, "eve_fabrikam.com#EXT#@contoso.onmicrosoft.com");
    input.groups["helpdesk-ops"]!.members.push({
      principalId: guest,
      kind: "eligible",
      startDateTime: null,
      endDateTime: inDays(10),
    });
    expect(check(pim012, input)).toEqual([]); // Helpdesk Administrator is tier1, not Tier-0
    input.assignments.push({ ...eligible(EXCHANGE, "helpdesk-ops", "ops-exchange"), kind: "active" });
    expect(check(pim012, input).map((f) => f.message)).toEqual([
      "guest eve_fabrikam.com#EXT#@contoso.onmicrosoft.com can use Exchange Administrator through helpdesk-ops; Tier-0 roles go to member accounts of this tenant only",
    ]);
  });
});

describe("PIM-015 groups holding privileged roles", () => {
  it("passes the baseline", () => {
    expect(check(pim015, baseline())).toEqual([]);
  });

  it("reports a group that is not role-assignable", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.isAssignableToRole = false;
    expect(check(pim015, input)).toEqual([
      {
        ruleId: "PIM-015",
        severity: "high",
        object: "helpdesk-ops",
        message:
          "helpdesk-ops holds Helpdesk Administrator but is not role-assignable, so group administrators can change who holds the role",
      },
    ]);
  });

  it("reports a group outside PIM for Groups", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.pimEnrolled = false;
    expect(check(pim015, input).map((f) => f.message)).toEqual([
      "helpdesk-ops holds Helpdesk Administrator but its membership is not managed by PIM for Groups",
    ]);
  });

  it("reports a group without a member policy", () => {
    const input = baseline();
    input.groupPolicies = [];
    expect(check(pim015, input).map((f) => f.message)).toEqual([
      "helpdesk-ops holds Helpdesk Administrator but declares no member policy, so activating membership is not held to MFA, approval or alerts",
    ]);
  });

  it("reports a permanent active member and a nested group", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.members.push(
      { principalId: "grace@contoso.com", kind: "active", startDateTime: null, endDateTime: null },
      { principalId: "approvers", kind: "eligible", startDateTime: null, endDateTime: inDays(5) },
    );
    expect(check(pim015, input).map((f) => f.message)).toEqual([
      "grace@contoso.com is a permanent active member of helpdesk-ops, which holds Helpdesk Administrator",
      "helpdesk-ops holds Helpdesk Administrator and contains the nested group approvers, whose members then hold the role unseen",
    ]);
  });

  it("reports a permanent active owner, who can add members at will, but not a time-bound one", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.owners.push(
      { principalId: "grace@contoso.com", kind: "active", startDateTime: null, endDateTime: null },
      { principalId: "ken@contoso.com", kind: "active", startDateTime: null, endDateTime: inDays(5) },
    );
    expect(findings(pim015, input).map((f) => [f.message, f.fix])).toEqual([
      [
        "grace@contoso.com is a permanent active owner of helpdesk-ops, which holds Helpdesk Administrator, and can add members at will",
        "make the ownership eligible, or give it an end date",
      ],
    ]);
  });

  it("ignores groups that hold only roles out of scope", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.isAssignableToRole = false;
    expect(check(pim015, input, { roles: ["tier0"] })).toEqual([]);
  });
});

describe("PIM-017 eligible assignments expire", () => {
  it("passes the baseline", () => {
    expect(check(pim017, baseline())).toEqual([]);
  });

  it("reports a policy that allows permanent eligibility", () => {
    const input = baseline();
    input.directoryRolePolicies[PRA]!.rules.Expiration_Admin_Eligibility = {
      isExpirationRequired: false,
      maximumDuration: "P365D",
    };
    expect(check(pim017, input)).toEqual([
      {
        ruleId: "PIM-017",
        severity: "medium",
        object: "Privileged Role Administrator",
        message: "Privileged Role Administrator allows permanent eligible assignments",
      },
    ]);
  });

  it("reports a policy maximum beyond maxEligible", () => {
    const input = baseline();
    input.directoryRolePolicies[GA]!.rules.Expiration_Admin_Eligibility = {
      isExpirationRequired: true,
      maximumDuration: "P400D",
    };
    expect(check(pim017, input).map((f) => f.message)).toEqual([
      "Global Administrator lets eligible assignments last up to 400d; at most 365d is allowed",
    ]);
  });

  it("reports a permanent eligible grant and a too-long one", () => {
    const input = baseline();
    input.assignments.push(
      eligible(PRA, "grace@contoso.com", "grace-pra", null),
      eligible(GA, "ada@contoso.com", "ada-ga", inDays(400)),
    );
    expect(check(pim017, input).map((f) => [f.object, f.message])).toEqual([
      [
        "grace-pra",
        "eligible Privileged Role Administrator for grace@contoso.com has no end date; at most 365d is allowed",
      ],
      ["ada-ga", "eligible Global Administrator for ada@contoso.com lasts 400 days; at most 365d is allowed"],
    ]);
  });

  it("holds contractors to the shorter maximum, counted from the start", () => {
    const input = baseline();
    const c = addUser(input, "c-jordan@contoso.com");
    input.assignments.push({ ...eligible(GA, c, "c-jordan-ga", inDays(95)), startDateTime: inDays(1) });
    expect(check(pim017, input).map((f) => f.message)).toEqual([
      "eligible Global Administrator for c-jordan@contoso.com (contractor or guest) lasts 94 days; at most 90d is allowed",
    ]);
    expect(check(pim017, input, { maxEligibleExternal: "P100D" })).toEqual([]);
  });

  it("checks eligible memberships of groups that hold privileged roles", () => {
    const input = baseline();
    input.groups["helpdesk-ops"]!.members[0]!.endDateTime = null;
    expect(check(pim017, input).map((f) => [f.object, f.message])).toEqual([
      [
        "helpdesk-ops member alan@contoso.com",
        "eligible membership of helpdesk-ops for alan@contoso.com has no end date; at most 365d is allowed",
      ],
    ]);
  });

  it("applies the strict maximum of 180 days", () => {
    const input = baseline();
    input.assignments.push(eligible(GA, "ada@contoso.com", "ada-ga", inDays(200)));
    expect(check(pim017, input, undefined, "strict").map((f) => f.message)).toEqual([
      "eligible Global Administrator for ada@contoso.com lasts 200 days; at most 180d is allowed",
    ]);
  });
});

describe("PIM-040 settings declared for privileged roles in use", () => {
  it("passes the baseline", () => {
    expect(check(pim040, baseline())).toEqual([]);
  });

  it("reports a privileged role granted without settings, naming the grants", () => {
    const input = baseline();
    input.assignments.push(
      eligible(GLOBAL_READER, "ada@contoso.com", "ada-global-reader"),
      eligible(GLOBAL_READER, "ken@contoso.com", "ken-global-reader"),
    );
    expect(check(pim040, input)).toEqual([
      {
        ruleId: "PIM-040",
        severity: "medium",
        object: "Global Reader",
        message:
          "Global Reader is granted (ada-global-reader and ken-global-reader) but its role settings are not declared, so MFA, approval, duration and alerts are whatever the tenant holds",
      },
    ]);
  });

  it("is high for Global Administrator, whose approval and MFA rules would otherwise go unchecked", () => {
    const input = baseline();
    delete input.directoryRolePolicies[GA];
    expect(check(pim040, input).map((f) => [f.object, f.severity])).toEqual([
      ["Global Administrator", "high"],
    ]);
  });

  it("ignores roles out of scope", () => {
    const input = baseline();
    delete input.directoryRolePolicies[HELPDESK];
    expect(check(pim040, input, { roles: ["tier0"] })).toEqual([]);
    expect(check(pim040, input).map((f) => f.object)).toEqual(["Helpdesk Administrator"]);
  });
});
