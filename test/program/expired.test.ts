/**
 * The demo stack evaluated after the contractor's grant has ended (PIM_NOW = 2027-01-15): the grant is declared
 * but not provisioned, the run warns with the file and the fix, and the summary lists it as expired.
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
  ({ h, t, outputs, warnings } = await runDemoProgram("2027-01-15T09:00:00.000Z"));
});

afterAll(async () => t?.stop());

describe("program: demo stack after a grant expired", () => {
  it("does not provision the expired grant, and nothing of it", () => {
    expect(h.resources.filter((r) => JSON.stringify([r.aliases, r.inputs]).includes("c-jordan"))).toEqual([]);
    // Nine grants' schedules, and the PIM group's role.
    expect(h.ofType(TYPES.schedule)).toHaveLength(10);
    expect(h.ofType("pim:index:Grant")).toHaveLength(9);
    expect(h.resources).toHaveLength(50);
    // Not even read: an expired grant naming someone who has left must not stop the run that cleans up.
    expect(t.emu.counters().byRoute["GET /users/:id"]).toBe(11);
  });

  it("warns once, naming the file, the end date and the fix", () => {
    expect(warnings.filter((w) => w.includes("expired"))).toEqual([
      "stacks/demo/grants/c-jordan-lee-global-administrator.yaml: eligible Global Administrator for c-jordan.lee@contoso.com expired on 2027-01-01T00:00:00.000Z; it is not provisioned. Delete the file in a pull request, or extend end if the access is still needed.",
    ]);
  });

  it("reports it under expiredGrants, not grants", () => {
    expect(outputs.grants.map((g) => g.id)).not.toContain("c-jordan-lee-global-administrator");
    expect(outputs.expiredGrants).toEqual([
      {
        id: "c-jordan-lee-global-administrator",
        principal: "c-jordan.lee@contoso.com",
        role: "Global Administrator",
        scope: "/",
        kind: "eligible",
        start: "2026-11-20T00:00:00.000Z",
        end: "2027-01-01T00:00:00.000Z",
        daysLeft: -14,
      },
    ]);
  });
});
