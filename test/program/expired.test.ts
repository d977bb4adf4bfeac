/**
 * The demo stack evaluated after the contractor's grant has ended (PIM_NOW = 2027-01-15): the grant is declared
 * but not provisioned, the run warns with the file and the fix, and the summary lists it as expired.
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
  process.env["PIM_NOW"] = "2027-01-15T09:00:00.000Z";
  program = await import("../../stacks/index.js");
  await settle();
});

afterAll(() => {
  delete process.env["PIM_NOW"];
});

describe("program: demo stack after a grant expired", () => {
  it("does not provision the expired grant, and nothing of it", () => {
    expect(h.resources.filter((r) => r.name.includes("c-jordan-lee"))).toEqual([]);
    expect(h.ofType(TYPES.schedule)).toHaveLength(8);
    expect(h.ofType("pim:index:Grant")).toHaveLength(8);
    expect(h.resources).toHaveLength(50);
    expect(h.invokes.some((i) => i.inputs["userPrincipalName"] === "c-jordan.lee@contoso.com")).toBe(false);
  });

  it("warns once, naming the file, the end date and the fix", () => {
    expect(warnings.filter((w) => w.includes("expired"))).toEqual([
      "stacks/demo/grants/c-jordan-lee-global-administrator.yaml: eligible Global Administrator for c-jordan.lee@contoso.com expired on 2027-01-01T00:00:00.000Z; it is not provisioned. Delete the file in a pull request, or extend end if the access is still needed.",
    ]);
  });

  it("reports it under expiredGrants, not grants", () => {
    expect(program.grants.map((g) => g.id)).not.toContain("c-jordan-lee-global-administrator");
    expect(program.expiredGrants).toEqual([
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
