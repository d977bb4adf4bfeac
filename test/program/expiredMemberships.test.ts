/**
 * The demo stack on 2027-05-02, after most grants and both PIM-group memberships have ended: only the grant that
 * is still running is provisioned, every expired grant and membership is warned about, and the group keeps its
 * policies and role assignment with no live membership.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { installMocks, settle, TYPES, type Harness } from "../components/harness";

let h: Harness;
let program: typeof import("../../stacks/index");
const warnings: string[] = [];

beforeAll(async () => {
  h = installMocks({ project: "pim", stack: "demo" });
  pulumi.runtime.setAllConfig({
    "pim:declarations": "demo",
    "pim:azureRolePolicies": JSON.stringify({
      "azure:/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f:8e3af657-a8ff-443c-a75c-2fe8c4bcb635":
        "9a5c1d2e-0000-4000-8000-00000000a001",
    }),
  });
  vi.spyOn(pulumi.log, "warn").mockImplementation(async (msg: string) => {
    warnings.push(msg);
  });
  process.env["PIM_NOW"] = "2027-05-02T00:00:00.000Z";
  program = await import("../../stacks/index.js");
  await settle();
});

afterAll(() => {
  delete process.env["PIM_NOW"];
});

describe("program: demo stack after memberships expired", () => {
  it("provisions only the grant still running, and no membership", () => {
    expect(h.ofType(TYPES.schedule).map((s) => [s.name, s.inputs["end"]])).toEqual([
      ["demo-grant-ada-lovelace-security-reader-schedule", "2027-11-01T00:00:00.000Z"],
    ]);
    expect(h.ofType(TYPES.groupEligibility)).toEqual([]);
    expect(h.ofType(TYPES.groupPolicy)).toHaveLength(2);
    expect(h.ofType(TYPES.directoryRoleAssignment)).toHaveLength(3);
    expect(program.grants.map((g) => g.id)).toEqual(["ada-lovelace-security-reader"]);
    expect(program.expiredGrants).toHaveLength(8);
  });

  it("warns once per expired membership, naming the group and the fix", () => {
    expect(warnings.filter((w) => w.startsWith("PIM group"))).toEqual([
      'PIM group "Tier-1 Helpdesk Operators" members.eligible: grace.hopper@contoso.com expired on 2027-05-01T00:00:00.000Z; it is not provisioned. Remove it from tenant.yaml.',
      'PIM group "Tier-1 Helpdesk Operators" owners.eligible: ken.thompson@contoso.com expired on 2027-05-01T00:00:00.000Z; it is not provisioned. Remove it from tenant.yaml.',
    ]);
    expect(
      warnings.filter((w) => w.startsWith("stacks/demo/grants/") && w.includes(" expired on ")),
    ).toHaveLength(8);
  });
});
