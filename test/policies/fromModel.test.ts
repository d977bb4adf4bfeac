/** The model → rule input adapter: what it synthesizes, how it names principals, what it leaves out. */
import { describe, expect, it } from "vitest";
import { fromModel } from "../../policies/rules/fromModel";
import { loadEdited, replaceOnce } from "./fixtures/demo";

const GA = "62e90394-69f5-4237-9190-012177145e10";
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

describe("fromModel on the demo", () => {
  const input = fromModel(loadEdited((t) => t));

  it("keys directory role policies by template id, with Graph rule ids", () => {
    const ga = input.directoryRolePolicies[GA]!;
    expect(ga.label).toBe("Global Administrator");
    expect(ga.rules.Approval_EndUser_Assignment).toEqual({
      isApprovalRequired: true,
      approvalStages: [{ primaryApprovers: [{ type: "group", id: "pim approvers - tier 0" }] }],
    });
    expect(ga.rules.Enablement_EndUser_Assignment).toEqual({
      enabledRules: ["MultiFactorAuthentication", "Justification", "Ticketing"],
    });
    expect(ga.rules.Notification_Admin_EndUser_Assignment).toEqual({
      notificationLevel: "All",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: ["pim-alerts@contoso.com"],
    });
    expect(input.roles[GA]).toEqual({
      id: GA,
      kind: "directory",
      displayName: "Global Administrator",
      isPrivileged: true,
      tier: "tier0",
      cisaHighlyPrivileged: true,
    });
  });

  it("synthesizes the break-glass assignments without a start, and the PIM group's role as made through PIM", () => {
    // Break-glass accounts hold plain role assignments: Graph shows no start date for one (MS.AAD.7.5).
    const synthesized = input.assignments
      .filter((a) => a.startDateTime === null)
      .map((a) => [a.label, a.roleId, a.kind, a.endDateTime]);
    expect(synthesized).toEqual([
      ["break-glass bg-alpha@contoso.onmicrosoft.com", GA, "active", null],
      ["break-glass bg-bravo@contoso.onmicrosoft.com", GA, "active", null],
    ]);
    // The PIM group's role is a permanent active PIM schedule: it starts when it is provisioned (the input's now).
    const held = input.assignments.filter(
      (a) => a.label === "Tier-1 Helpdesk Operators holds Helpdesk Administrator",
    );
    expect(held.map((a) => [a.roleId, a.kind, a.startDateTime, a.endDateTime])).toEqual([
      [HELPDESK, "active", input.now, null],
    ]);
    // Its policy says who holds it, for PIM-018.
    expect(input.directoryRolePolicies[HELPDESK]!.heldByPimGroups).toEqual(["Tier-1 Helpdesk Operators"]);
    expect(input.breakGlass.map((b) => b.principalId)).toEqual([
      "bg-alpha@contoso.onmicrosoft.com",
      "bg-bravo@contoso.onmicrosoft.com",
    ]);
  });

  it("names principals by lower-cased reference, and marks contractors by the tenant's patterns", () => {
    expect(input.principals["c-jordan.lee@contoso.com"]).toEqual({
      id: "c-jordan.lee@contoso.com",
      type: "user",
      displayName: "c-jordan.lee@contoso.com",
      userPrincipalName: "c-jordan.lee@contoso.com",
      userType: "Member",
      isContractor: true,
      onPremisesSynced: null,
    });
    expect(input.principals["ken.thompson@contoso.com"]!.isContractor).toBe(false);
    expect(input.groups["tier-1 helpdesk operators"]).toMatchObject({
      isAssignableToRole: true,
      pimEnrolled: true,
    });
    expect(input.groups["pim approvers - tier 0"]).toMatchObject({
      isAssignableToRole: true,
      pimEnrolled: false,
    });
    expect(input.groups["pim approvers - tier 0"]!.members.map((m) => m.principalId)).toEqual([
      "margaret.hamilton@contoso.com",
      "katherine.johnson@contoso.com",
      "dorothy.vaughan@contoso.com",
    ]);
  });
});

describe("fromModel on edited copies", () => {
  it("starts a grant without a start date at now, as its PIM schedule will", () => {
    const model = loadEdited((t) => t);
    const at = new Date("2026-11-25T08:00:00Z");
    const ken = fromModel(model, { now: at }).assignments.find(
      (a) => a.label === "ken-thompson-global-administrator",
    )!;
    expect([ken.startDateTime, ken.endDateTime]).toEqual([
      "2026-11-25T08:00:00.000Z",
      "2027-05-01T00:00:00.000Z",
    ]);
    const jordan = fromModel(model).assignments.find((a) => a.label === "c-jordan-lee-global-administrator")!;
    expect(jordan.startDateTime).toBe("2026-11-20T00:00:00.000Z");
  });

  it("takes what tenant.yaml declares: synchronised accounts, service accounts, authentication contexts", () => {
    const model = loadEdited((t) =>
      replaceOnce(
        replaceOnce(
          t,
          "profiles:\n",
          'synchronizedAccounts: ["grace.*@contoso.com"]\nauthenticationContexts:\n  - id: c1\n    conditionalAccessPolicy: CA010 PIM activation\nprofiles:\n',
        ),
        "safeDefaults:\n  profile: cisa\n",
        "safeDefaults:\n  profile: cisa\n  serviceAccounts:\n    - principal: svc-backup@contoso.com\n      roles: [Exchange Administrator, Owner]\n      justification: Backup appliance cannot activate (CHG0040003)\n",
      ),
    );
    const input = fromModel(model);
    expect(input.principals["grace.hopper@contoso.com"]!.onPremisesSynced).toBe(true);
    expect(input.principals["ken.thompson@contoso.com"]!.onPremisesSynced).toBeNull();
    expect(input.serviceAccounts).toEqual([
      {
        principalId: "svc-backup@contoso.com",
        roleIds: ["29232cdf-9323-42fd-ade2-1d097af3e4de", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"],
        justification: "Backup appliance cannot activate (CHG0040003)",
        source: { file: "stacks/demo/tenant.yaml", line: expect.any(Number), column: 7 },
      },
    ]);
    expect(input.authenticationContexts).toEqual({
      c1: {
        id: "c1",
        conditionalAccessPolicy: "CA010 PIM activation",
        source: { file: "stacks/demo/tenant.yaml", line: 19, column: 5 }, // the "- id: c1" line
      },
    });
    expect(input.facts.conditionalAccess).toEqual({ complete: false, policies: [] });
  });

  it("leaves expired grants out (they are not provisioned)", () => {
    const model = loadEdited((t) => t, {
      "old-grant":
        "principal: ada.lovelace@contoso.com\nrole: Helpdesk Administrator\nkind: eligible\nend: 2026-01-31\njustification: old\n",
    });
    expect(model.grants.find((g) => g.id === "old-grant")!.status).toBe("expired");
    expect(fromModel(model).assignments.some((a) => a.label === "old-grant")).toBe(false);
  });

  it("recognises a guest by #EXT# in the UPN", () => {
    const model = loadEdited((t) =>
      replaceOnce(
        t,
        "        - principal: grace.hopper@contoso.com",
        "        - principal: eve_fabrikam.com#EXT#@contoso.onmicrosoft.com",
      ),
    );
    expect(fromModel(model).principals["eve_fabrikam.com#ext#@contoso.onmicrosoft.com"]!.userType).toBe(
      "Guest",
    );
  });
});
