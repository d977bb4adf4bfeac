import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";
import { approvalSettings, azureRole, directoryRole, grant } from "./fixtures";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

const withoutProvider = (inputs: Record<string, unknown>) => {
  const { __provider, ...rest } = inputs;
  expect(typeof __provider).toBe("string"); // a dynamic resource carries its serialized provider
  return rest;
};

describe("Grant", () => {
  it("registers one DirectoryRoleSchedule under the grant with the exact schedule inputs", async () => {
    const g = grant({
      id: "ada-security-reader",
      role: directoryRole("Security Reader"),
      end: "2027-10-31T23:59:59.999Z",
    });
    new components.Grant("g-entra", { grant: g, principalId: "11111111-1111-1111-1111-111111111111" });
    await settle();

    expect(h.children("g-entra")).toEqual([[TYPES.schedule, "g-entra-schedule"]]);
    const s = h.byName("g-entra-schedule");
    expect(typeChain(s.urn)).toBe(`pim:index:Grant$${TYPES.schedule}`);
    expect(withoutProvider(s.inputs)).toEqual({
      kind: "eligible",
      principalId: "11111111-1111-1111-1111-111111111111",
      roleDefinitionId: "5d6b6bb7-de71-4623-b4af-96380a352509",
      directoryScopeId: "/",
      start: null,
      end: "2027-10-31T23:59:59.999Z",
      justification: "Runbook owner",
      ticket: { system: "ServiceNow", number: "RITM0001" },
      label: "eligible Security Reader for ada.lovelace@contoso.com (ada-security-reader)",
      roleName: "Security Reader",
      principalName: "ada.lovelace@contoso.com",
      scheduleId: undefined,
      status: undefined,
    });
    expect(s.dependencies).toEqual([]);
  });

  it("orders the schedule after the role's settings: the settings resource is a dependency", async () => {
    const role = directoryRole("Global Administrator");
    const settings = new components.RoleSettings("rs-ga", {
      role,
      settings: approvalSettings([{ type: "group", ref: "Tier 0" }]),
      approverIds: { "group:tier 0": "22222222-2222-2222-2222-222222222222" },
    });
    const g = grant({
      id: "ken-ga",
      role,
      kind: "active",
      start: "2026-12-01T00:00:00.000Z",
      end: "2026-12-15T23:59:59.999Z",
    });
    new components.Grant("g-ordered", { grant: g, principalId: "oid-ken", settings });
    await settle();

    const schedule = h.byName("g-ordered-schedule");
    expect(schedule.dependencies).toEqual([h.byName("rs-ga-settings").urn]);
    expect(schedule.inputs["kind"]).toBe("active");
    expect(schedule.inputs["start"]).toBe("2026-12-01T00:00:00.000Z");
    expect(schedule.inputs["end"]).toBe("2026-12-15T23:59:59.999Z");
  });

  it("passes an administrative-unit scope through as the directory scope id", async () => {
    const g = grant({
      id: "au-helpdesk",
      role: directoryRole("Helpdesk Administrator"),
      scope: { type: "administrativeUnit", ref: "Paris" },
    });
    new components.Grant("g-au", {
      grant: g,
      principalId: "oid-ada",
      directoryScopeId: "/administrativeUnits/au-paris",
    });
    await settle();
    expect(h.byName("g-au-schedule").inputs["directoryScopeId"]).toBe("/administrativeUnits/au-paris");
  });

  it("refuses a scoped Entra grant without its resolved scope id", () => {
    const g = grant({
      id: "au-unresolved",
      role: directoryRole("Helpdesk Administrator"),
      scope: { type: "administrativeUnit", ref: "Paris" },
    });
    expect(() => new components.Grant("g-au-missing", { grant: g, principalId: "oid-ada" })).toThrow(
      '`directoryScopeId` grant `au-unresolved` (stacks/unit/grants/au-unresolved.yaml) is scoped to administrativeUnit "Paris"; pass its resolved directoryScopeId.',
    );
  });

  it("registers an azure-native PimRoleEligibilitySchedule for an eligible Azure grant", async () => {
    const scope = "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/resourceGroups/rg-app/";
    const g = grant({
      id: "owner-rg",
      role: azureRole("Owner"),
      scope: { type: "azure", id: scope },
      start: "2026-12-01T00:00:00.000Z",
    });
    new components.Grant("g-azure", { grant: g, principalId: "oid-ada" });
    await settle();

    const e = h.byName("g-azure-eligibility");
    expect(e.type).toBe(TYPES.armEligibility);
    expect(e.parent).toBe(h.byName("g-azure").urn);
    expect(e.inputs).toEqual({
      principalId: "oid-ada",
      roleDefinitionId:
        "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      scope: "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/resourceGroups/rg-app",
      justification: "Runbook owner",
      scheduleInfo: {
        startDateTime: "2026-12-01T00:00:00.000Z",
        expiration: { type: "AfterDateTime", endDateTime: "2027-04-30T23:59:59.999Z" },
      },
      ticketInfo: { ticketSystem: "ServiceNow", ticketNumber: "RITM0001" },
    });
  });

  it("refuses an active Azure grant (azure-native has no active PIM resource)", () => {
    const g = grant({
      id: "owner-active",
      role: azureRole("Owner"),
      kind: "active",
      scope: { type: "azure", id: "/subscriptions/x" },
    });
    expect(() => new components.Grant("g-azure-active", { grant: g, principalId: "oid-ada" })).toThrow(
      "`grant.kind` grant `owner-active` (stacks/unit/grants/owner-active.yaml): active Azure role grants are not supported yet. Make it kind: eligible.",
    );
  });

  it("refuses an expired grant instead of provisioning it", () => {
    const g = grant({
      id: "old",
      role: directoryRole("Security Reader"),
      end: "2025-01-31T23:59:59.999Z",
      status: "expired",
    });
    expect(() => new components.Grant("g-expired", { grant: g, principalId: "oid-ada" })).toThrow(
      "`grant.end` grant `old` (stacks/unit/grants/old.yaml) expired on 2025-01-31T23:59:59.999Z; an expired grant is never provisioned. Delete the file, or extend end.",
    );
  });
});
