/**
 * The demo stack on 2027-05-02, after most grants and both PIM-group memberships have ended: only the grant that
 * is still running is provisioned, every expired grant and membership is warned about, and the group keeps its
 * policies and role assignment with no live membership.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TYPES, type Harness } from "../components/harness";
import type { EmulatorTenant } from "./emulatorTenant";
import { runDemoProgram, type Outputs } from "./runDemo";

let h: Harness;
let t: EmulatorTenant;
let outputs: Outputs;
let warnings: string[];

beforeAll(async () => {
  ({ h, t, outputs, warnings } = await runDemoProgram("2027-05-02T00:00:00.000Z"));
});

afterAll(async () => t?.stop());

describe("program: demo stack after memberships expired", () => {
  it("provisions only the grant still running, and no membership", () => {
    expect(h.ofType(TYPES.schedule).map((s) => [s.aliases, s.inputs["end"]])).toEqual([
      [["demo-grant-ada-lovelace-security-reader-schedule"], "2027-11-01T00:00:00.000Z"],
    ]);
    expect(h.ofType(TYPES.groupSchedule)).toEqual([]);
    expect(h.ofType(TYPES.groupPolicyDynamic).map((r) => r.inputs["access"])).toEqual(["member", "owner"]);
    expect(h.ofType(TYPES.directoryRoleAssignment)).toHaveLength(1);
    expect(outputs.grants.map((g) => g.id)).toEqual(["ada-lovelace-security-reader"]);
    expect(outputs.expiredGrants).toHaveLength(9);
  });

  it("warns once per expired membership, naming the group and the fix", () => {
    expect(warnings.filter((w) => w.startsWith("PIM group"))).toEqual([
      'PIM group "Tier-1 Helpdesk Operators" members.eligible: grace.hopper@contoso.com expired on 2027-05-01T00:00:00.000Z; it is not provisioned. Remove it from tenant.yaml.',
      'PIM group "Tier-1 Helpdesk Operators" owners.eligible: ken.thompson@contoso.com expired on 2027-05-01T00:00:00.000Z; it is not provisioned. Remove it from tenant.yaml.',
    ]);
    expect(
      warnings.filter((w) => w.startsWith("stacks/demo/grants/") && w.includes(" expired on ")),
    ).toHaveLength(9);
  });
});
