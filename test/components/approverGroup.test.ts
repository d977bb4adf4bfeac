import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

describe("ApproverGroup", () => {
  it("keeps the group and every member when the group is renamed (previous names as aliases)", async () => {
    new components.ApproverGroup(
      "t-approvers-tier-0-approvers",
      {
        displayName: "Tier 0 approvers",
        members: [{ ref: "ada.lovelace@contoso.com", objectId: "0a0a0a0a-0000-4000-8000-00000000000a" }],
      },
      { aliases: [{ name: "t-approvers-pim-approvers-tier-0" }] },
    );
    await settle();
    expect(h.byName("t-approvers-tier-0-approvers").aliases).toEqual(["t-approvers-pim-approvers-tier-0"]);
    expect(h.byName("t-approvers-tier-0-approvers-group").aliases).toEqual([
      "t-approvers-pim-approvers-tier-0-group",
    ]);
    expect(
      h.byName("t-approvers-tier-0-approvers-member-0a0a0a0a-0000-4000-8000-00000000000a").aliases,
    ).toEqual([
      "t-approvers-tier-0-approvers-member-ada-lovelace-contoso-com",
      "t-approvers-pim-approvers-tier-0-member-0a0a0a0a-0000-4000-8000-00000000000a",
      "t-approvers-pim-approvers-tier-0-member-ada-lovelace-contoso-com",
    ]);
  });

  it("creates a security group that is not mail-enabled, and one GroupMember per member", async () => {
    const ag = new components.ApproverGroup("ag", {
      displayName: "PIM Approvers - Tier 0",
      description: "Approves Tier-0 activations",
      members: [
        { ref: "margaret.hamilton@contoso.com", objectId: "0a1b2c3d-0000-4000-8000-00000000000a" },
        { ref: "Dorothy.Vaughan@contoso.com", objectId: "0D0D0D0D-0000-4000-8000-00000000000D" },
      ],
      assignableToRole: true,
    });
    await settle();

    const component = h.byName("ag");
    expect(component.type).toBe("pim:entra:ApproverGroup");
    // Members are named after their object ids: a UPN spelled differently, or renamed, is the same membership.
    expect(h.children("ag")).toEqual([
      [TYPES.group, "ag-group"],
      [TYPES.groupMember, "ag-member-0a1b2c3d-0000-4000-8000-00000000000a"],
      [TYPES.groupMember, "ag-member-0d0d0d0d-0000-4000-8000-00000000000d"],
    ]);
    expect(h.byName("ag-group").inputs).toEqual({
      displayName: "PIM Approvers - Tier 0",
      description: "Approves Tier-0 activations",
      securityEnabled: true,
      mailEnabled: false,
      assignableToRole: true,
      preventDuplicateNames: true,
    });
    const group = h.byName("ag-group");
    expect(typeChain(group.urn)).toBe(`pim:entra:ApproverGroup$${TYPES.group}`);
    for (const [name, member, legacy] of [
      [
        "ag-member-0a1b2c3d-0000-4000-8000-00000000000a",
        "0a1b2c3d-0000-4000-8000-00000000000a",
        "ag-member-margaret-hamilton-contoso-com",
      ],
      [
        "ag-member-0d0d0d0d-0000-4000-8000-00000000000d",
        "0D0D0D0D-0000-4000-8000-00000000000D",
        "ag-member-dorothy-vaughan-contoso-com",
      ],
    ] as const) {
      const m = h.byName(name);
      expect(m.inputs).toEqual({ groupObjectId: "oid-ag-group", memberObjectId: member });
      // The member takes the group's object id as input: created after the group, deleted before it.
      expect(m.dependencies).toEqual([group.urn]);
      // What earlier releases called it (after the UPN): the engine moves it, never replaces it.
      expect(m.aliases).toEqual([legacy]);
    }
    expect(group.aliases).toEqual([]);
    await expect(new Promise((r) => ag.objectId.apply(r))).resolves.toBe("oid-ag-group");
  });

  it("defaults to a group that is not role-assignable and omits an absent description", async () => {
    new components.ApproverGroup("ag-plain", { displayName: "Helpdesk approvers", members: [] });
    await settle();
    expect(h.byName("ag-plain-group").inputs).toEqual({
      displayName: "Helpdesk approvers",
      securityEnabled: true,
      mailEnabled: false,
      assignableToRole: false,
      preventDuplicateNames: true,
    });
    expect(h.children("ag-plain")).toEqual([[TYPES.group, "ag-plain-group"]]);
  });
});
