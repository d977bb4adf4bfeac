import { beforeAll, describe, expect, it } from "vitest";
import { graphDefaults, type PimGroup as PimGroupDecl, type ResolvedSettings } from "../../model";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";
import { directoryRole, SOURCE } from "./fixtures";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

const ops = (over: Partial<PimGroupDecl> = {}): PimGroupDecl => ({
  name: "Tier-1 Helpdesk Operators",
  previousNames: [],
  description: "Helpdesk through PIM for Groups",
  roleAssignable: true,
  roles: [directoryRole("Helpdesk Administrator")],
  members: {
    eligible: [
      {
        principal: "grace.hopper@contoso.com",
        start: null,
        end: "2027-04-30T23:59:59.999Z",
        justification: "Second-line rota",
        status: "current",
      },
      {
        principal: "old.timer@contoso.com",
        start: null,
        end: "2026-01-31T23:59:59.999Z",
        justification: "Left",
        status: "expired",
      },
    ],
    active: [],
  },
  owners: {
    eligible: [],
    active: [
      {
        principal: "ken.thompson@contoso.com",
        start: "2026-12-01T00:00:00.000Z",
        end: "2026-12-15T23:59:59.999Z",
        justification: null,
        status: "pending",
      },
    ],
  },
  source: SOURCE,
  ...over,
});

/** Member policy: tightened, one-hour activation approved by a group. */
const memberSettings = (): ResolvedSettings => {
  const s = graphDefaults("group");
  return {
    ...s,
    activation: {
      ...s.activation,
      maximumDuration: "PT4H",
      requireMfa: true,
      requireTicket: true,
      approval: {
        required: true,
        requiredForExtension: false,
        stages: [
          {
            approvers: [{ type: "group", ref: "Approvers" }],
            timeoutDays: 1,
            approverJustification: true,
            escalation: null,
          },
        ],
      },
    },
    eligibleAssignment: { ...s.eligibleAssignment, maximumDuration: "P180D" },
    activeAssignment: { ...s.activeAssignment, maximumDuration: "P15D", requireMfa: true },
    notifications: {
      ...s.notifications,
      activation: {
        ...s.notifications.activation,
        admin: {
          level: "critical",
          defaultRecipients: false,
          additionalRecipients: ["pim-alerts@contoso.com"],
        },
      },
    },
  };
};

const principalIds = {
  "grace.hopper@contoso.com": "4d1c7a3e-0b5f-4e2a-9c81-6f3b2d9e7a10",
  "ken.thompson@contoso.com": "9a2e6c41-7d3b-4f80-b5c2-1e8d4f6a0b93",
  "old.timer@contoso.com": "oid-old",
};

/** A dynamic resource's inputs without the serialized provider shim it carries. */
const declared = (r: { inputs: Record<string, unknown> }) => {
  const { __provider, ...rest } = r.inputs;
  expect(typeof __provider).toBe("string");
  return rest;
};

const GRACE = "4d1c7a3e-0b5f-4e2a-9c81-6f3b2d9e7a10";
const KEN = "9a2e6c41-7d3b-4f80-b5c2-1e8d4f6a0b93";

describe("PimGroup", () => {
  it("creates the group on azuread and its policies, role and memberships on the project's providers, nothing else", async () => {
    new components.PimGroup("ops", {
      group: ops(),
      memberSettings: memberSettings(),
      ownerSettings: graphDefaults("group"),
      approverIds: { "group:approvers": "oid-approvers", "user:unused@contoso.com": "oid-unused" },
      principalIds,
    });
    await settle();

    const component = h.byName("ops");
    expect(component.type).toBe("pim:entra:PimGroup");
    expect(h.children("ops")).toEqual([
      [TYPES.group, "ops-group"],
      [TYPES.groupSchedule, `ops-member-eligible-${GRACE}`],
      [TYPES.groupPolicyDynamic, "ops-member-policy"],
      [TYPES.groupSchedule, `ops-owner-active-${KEN}`],
      [TYPES.groupPolicyDynamic, "ops-owner-policy"],
      [TYPES.schedule, "ops-role-helpdesk-administrator"],
    ]);
    // No azuread PIM-for-Groups policy or schedule, and no plain role assignment, anywhere in the program.
    const azureadPim = [
      TYPES.groupPolicy,
      TYPES.groupEligibility,
      TYPES.groupAssignment,
      TYPES.directoryRoleAssignment,
    ];
    expect(h.resources.filter((r) => (azureadPim as string[]).includes(r.type)).map((r) => r.name)).toEqual(
      [],
    );
    expect(typeChain(h.byName("ops-member-policy").urn)).toBe(
      `pim:entra:PimGroup$${TYPES.groupPolicyDynamic}`,
    );
    expect(h.byName("ops-group").inputs).toEqual({
      displayName: "Tier-1 Helpdesk Operators",
      description: "Helpdesk through PIM for Groups",
      securityEnabled: true,
      mailEnabled: false,
      assignableToRole: true,
      preventDuplicateNames: true,
    });
  });

  it("keeps the group and every child when the group is renamed: previous names become aliases", async () => {
    new components.PimGroup(
      "t-group-helpdesk-operators",
      {
        group: ops({ name: "Helpdesk Operators", previousNames: ["Tier-1 Helpdesk Operators"] }),
        memberSettings: memberSettings(),
        ownerSettings: graphDefaults("group"),
        approverIds: { "group:approvers": "oid-approvers" },
        principalIds,
      },
      { aliases: [{ name: "t-group-tier-1-helpdesk-operators" }] },
    );
    await settle();
    const renamed = h.resources.filter((r) => r.name.startsWith("t-group-helpdesk-operators"));
    expect(Object.fromEntries(renamed.map((r) => [r.name, r.aliases]))).toEqual({
      "t-group-helpdesk-operators": ["t-group-tier-1-helpdesk-operators"],
      "t-group-helpdesk-operators-group": ["t-group-tier-1-helpdesk-operators-group"],
      "t-group-helpdesk-operators-member-policy": ["t-group-tier-1-helpdesk-operators-member-policy"],
      "t-group-helpdesk-operators-owner-policy": ["t-group-tier-1-helpdesk-operators-owner-policy"],
      "t-group-helpdesk-operators-role-helpdesk-administrator": [
        "t-group-tier-1-helpdesk-operators-role-helpdesk-administrator",
      ],
      [`t-group-helpdesk-operators-member-eligible-${GRACE}`]: [
        `t-group-tier-1-helpdesk-operators-member-eligible-${GRACE}`,
      ],
      [`t-group-helpdesk-operators-owner-active-${KEN}`]: [
        `t-group-tier-1-helpdesk-operators-owner-active-${KEN}`,
      ],
    });
    // Renamed in place: the display name changes on the one group resource.
    expect(h.byName("t-group-helpdesk-operators-group").inputs["displayName"]).toBe("Helpdesk Operators");
    // Without a rename there is nothing to alias.
    expect(h.byName("ops-group").aliases).toEqual([]);
  });

  it("gives each policy the declared settings whole, the group's id and only the approvers they name", () => {
    const member = h.byName("ops-member-policy");
    expect(declared(member)).toEqual({
      groupId: "oid-ops-group",
      access: "member",
      groupName: "Tier-1 Helpdesk Operators",
      settings: memberSettings(),
      approverIds: { "group:approvers": "oid-approvers" },
    });
    expect(member.dependencies).toEqual([h.byName("ops-group").urn]);
    expect(declared(h.byName("ops-owner-policy"))).toEqual({
      groupId: "oid-ops-group",
      access: "owner",
      groupName: "Tier-1 Helpdesk Operators",
      settings: graphDefaults("group"),
      approverIds: {},
    });
    // After the member policy: the first write onboards the group and gives both policies new ids.
    expect([...h.byName("ops-owner-policy").dependencies].sort()).toEqual(
      [h.byName("ops-group").urn, h.byName("ops-member-policy").urn].sort(),
    );
  });

  it("gives the group its role as a permanent active PIM assignment, after both policies", () => {
    const role = h.byName("ops-role-helpdesk-administrator");
    expect(declared(role)).toEqual({
      kind: "active",
      principalId: "oid-ops-group",
      roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
      directoryScopeId: "/",
      start: null,
      end: null,
      justification: "Held by PIM group Tier-1 Helpdesk Operators: members activate membership just in time",
      ticket: null,
      label: "Tier-1 Helpdesk Operators holds Helpdesk Administrator",
      roleName: "Helpdesk Administrator",
      principalName: "Tier-1 Helpdesk Operators",
    });
    expect(role.dependencies).toEqual(
      [h.byName("ops-group").urn, h.byName("ops-member-policy").urn, h.byName("ops-owner-policy").urn].sort(),
    );
  });

  it("schedules memberships with their windows, never permanent, after their access's policy", () => {
    const e = h.byName(`ops-member-eligible-${GRACE}`);
    expect(declared(e)).toEqual({
      kind: "eligible",
      access: "member",
      groupId: "oid-ops-group",
      principalId: GRACE,
      start: null,
      end: "2027-04-30T23:59:59.999Z",
      justification: "Second-line rota",
      ticket: null,
      label: "eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com",
      groupName: "Tier-1 Helpdesk Operators",
      principalName: "grace.hopper@contoso.com",
    });
    expect(e.dependencies).toEqual([h.byName("ops-group").urn, h.byName("ops-member-policy").urn].sort());
    const a = h.byName(`ops-owner-active-${KEN}`);
    expect(declared(a)).toEqual({
      kind: "active",
      access: "owner",
      groupId: "oid-ops-group",
      principalId: KEN,
      start: "2026-12-01T00:00:00.000Z",
      end: "2026-12-15T23:59:59.999Z",
      justification: "active owner of PIM group Tier-1 Helpdesk Operators",
      ticket: null,
      label: "active owner of Tier-1 Helpdesk Operators for ken.thompson@contoso.com",
      groupName: "Tier-1 Helpdesk Operators",
      principalName: "ken.thompson@contoso.com",
    });
    expect(a.dependencies).toEqual([h.byName("ops-group").urn, h.byName("ops-owner-policy").urn].sort());
    expect(h.resources.some((r) => r.name.includes("oid-old") || r.name.includes("old-timer"))).toBe(false);
  });

  it("refuses a permanent active membership", () => {
    const g = ops({
      members: {
        eligible: [],
        active: [
          {
            principal: "grace.hopper@contoso.com",
            start: null,
            end: null,
            justification: "x",
            status: "current",
          },
        ],
      },
    });
    expect(
      () =>
        new components.PimGroup("ops-perm", {
          group: g,
          memberSettings: graphDefaults("group"),
          ownerSettings: graphDefaults("group"),
          approverIds: {},
          principalIds,
        }),
    ).toThrow(
      "`group.members.active.end` grace.hopper@contoso.com would be a permanent active member of Tier-1 Helpdesk Operators. Add end: YYYY-MM-DD.",
    );
  });

  it("refuses settings whose approvers have no object id", () => {
    expect(
      () =>
        new components.PimGroup("ops-noids", {
          group: ops(),
          memberSettings: memberSettings(),
          ownerSettings: graphDefaults("group"),
          approverIds: {},
          principalIds,
        }),
    ).toThrow(
      "`approverIds` has no object id for group:approvers named by the member settings of Tier-1 Helpdesk Operators. Resolve every approver before building the group.",
    );
  });
});
