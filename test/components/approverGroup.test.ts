import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, TYPES, typeChain, type Harness } from "./harness";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

describe("ApproverGroup", () => {
  it("creates a security group that is not mail-enabled, and one GroupMember per member", async () => {
    const ag = new components.ApproverGroup("ag", {
      displayName: "PIM Approvers - Tier 0",
      description: "Approves Tier-0 activations",
      members: [
        { ref: "margaret.hamilton@contoso.com", objectId: "oid-margaret" },
        { ref: "dorothy.vaughan@contoso.com", objectId: "oid-dorothy" },
      ],
      assignableToRole: true,
    });
    await settle();

    const component = h.byName("ag");
    expect(component.type).toBe("pim:entra:ApproverGroup");
    expect(h.children("ag")).toEqual([
      [TYPES.group, "ag-group"],
      [TYPES.groupMember, "ag-member-dorothy-vaughan-contoso-com"],
      [TYPES.groupMember, "ag-member-margaret-hamilton-contoso-com"],
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
    for (const [name, member] of [
      ["ag-member-margaret-hamilton-contoso-com", "oid-margaret"],
      ["ag-member-dorothy-vaughan-contoso-com", "oid-dorothy"],
    ] as const) {
      const m = h.byName(name);
      expect(m.inputs).toEqual({ groupObjectId: "oid-ag-group", memberObjectId: member });
      // The member takes the group's object id as input: created after the group, deleted before it.
      expect(m.dependencies).toEqual([group.urn]);
    }
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
