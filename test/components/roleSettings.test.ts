import { beforeAll, describe, expect, it } from "vitest";
import { graphDefaults } from "../../model";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";
import { approvalSettings, directoryRole } from "./fixtures";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

describe("RoleSettings", () => {
  it("registers one DirectoryRoleSettings child with the role, the full settings and only the named approvers", async () => {
    const settings = approvalSettings([
      { type: "group", ref: "PIM Approvers - Tier 0" },
      { type: "user", ref: "Margaret.Hamilton@contoso.com" },
    ]);
    new components.RoleSettings("rs", {
      role: directoryRole("Global Administrator"),
      settings,
      approverIds: {
        "group:pim approvers - tier 0": "oid-tier0",
        "user:margaret.hamilton@contoso.com": "oid-margaret",
        "user:someone.else@contoso.com": "oid-stray",
      },
    });
    await settle();

    const component = h.byName("rs");
    expect(component.type).toBe("pim:entra:RoleSettings");
    expect(h.children("rs")).toEqual([[TYPES.settings, "rs-settings"]]);
    const child = h.byName("rs-settings");
    expect(typeChain(child.urn)).toBe(`pim:entra:RoleSettings$${TYPES.settings}`);
    const { __provider, ...inputs } = child.inputs;
    expect(typeof __provider).toBe("string");
    expect(inputs).toEqual({
      roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
      roleName: "Global Administrator",
      settings,
      approverIds: {
        "group:pim approvers - tier 0": "oid-tier0",
        "user:margaret.hamilton@contoso.com": "oid-margaret",
      },
      policyId: undefined,
      originalRules: undefined,
    });
    // The security-relevant parts, spelled out so a mapping change cannot hide behind `settings` above.
    expect(inputs["settings"].activation.maximumDuration).toBe("PT1H");
    expect(inputs["settings"].activation.approval.required).toBe(true);
    expect(inputs["settings"].activation.approval.stages[0].approvers).toEqual([
      { type: "group", ref: "PIM Approvers - Tier 0" },
      { type: "user", ref: "Margaret.Hamilton@contoso.com" },
    ]);
    expect(inputs["settings"].notifications.activation.admin).toEqual({
      level: "all",
      defaultRecipients: true,
      additionalRecipients: [],
    });
  });

  it("waits for the approver group and all its members before the settings name it", async () => {
    const ag = new components.ApproverGroup("rs-ag", {
      displayName: "Tier 0",
      members: [
        { ref: "a@contoso.com", objectId: "oid-a" },
        { ref: "b@contoso.com", objectId: "oid-b" },
      ],
    });
    new components.RoleSettings("rs-dep", {
      role: directoryRole("Privileged Role Administrator"),
      settings: approvalSettings([{ type: "group", ref: "Tier 0" }]),
      approverIds: { "group:tier 0": ag.objectId },
      dependsOn: [ag],
    });
    await settle();

    const settings = h.byName("rs-dep-settings");
    expect(settings.inputs["approverIds"]).toEqual({ "group:tier 0": "oid-rs-ag-group" });
    expect(settings.dependencies).toEqual(
      [
        h.byName("rs-ag-group").urn,
        h.byName("rs-ag-member-oid-a").urn,
        h.byName("rs-ag-member-oid-b").urn,
      ].sort(),
    );
  });

  it("refuses settings that name an approver without an object id", () => {
    expect(
      () =>
        new components.RoleSettings("rs-missing", {
          role: directoryRole("Global Administrator"),
          settings: approvalSettings([{ type: "group", ref: "Nobody" }]),
          approverIds: {},
        }),
    ).toThrow(
      "`approverIds` has no object id for group:nobody named by Global Administrator's approval stages. Resolve every approver before building the settings.",
    );
  });

  it("sends an empty approver map when approval is not required", async () => {
    new components.RoleSettings("rs-plain", {
      role: directoryRole("Security Reader"),
      settings: graphDefaults("directory"),
      approverIds: {},
    });
    await settle();
    const inputs = h.byName("rs-plain-settings").inputs;
    expect(inputs["approverIds"]).toEqual({});
    expect(inputs["settings"]).toEqual(graphDefaults("directory"));
    expect(h.byName("rs-plain-settings").dependencies).toEqual([]);
  });
});
