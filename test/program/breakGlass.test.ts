/**
 * Break-glass accounts verified, never written, through the real program: in a tenant where one declared account
 * does not exist, one is synchronised from on-premises, one is only eligible and one holds Global Administrator
 * only until a date, the run stops before registering anything, listing each with where it is declared and how
 * to fix it. The demo tenant's two sound accounts pass (see demo.test.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFiles, replaceOnce, writeStack } from "../scenarios/identityEdits";
import { demoSeed, GLOBAL_ADMIN, startEmulatorTenant } from "./emulatorTenant";
import { DEMO_CONFIG, startProgram, type ProgramHarness } from "./runDemo";

let p: ProgramHarness;

beforeAll(async () => {
  const tenant = await startEmulatorTenant(
    demoSeed((s) => {
      s.users = s.users.map((u) =>
        u.upn === "bg-alpha@contoso.onmicrosoft.com" ? { ...u, onPremisesSyncEnabled: true } : u,
      );
      s.users.push({ upn: "bg-delta@contoso.onmicrosoft.com", displayName: "Break Glass Delta" });
      // Bravo: only eligible. Delta: active until a date. Charlie: never created.
      s.assignments = (s.assignments ?? [])
        .filter((a) => a.principal !== "bg-bravo@contoso.onmicrosoft.com")
        .concat([
          {
            principal: "bg-delta@contoso.onmicrosoft.com",
            role: "Global Administrator",
            start: "-P1D",
            end: "P20D",
          },
        ]);
      s.eligibilities = [
        ...(s.eligibilities ?? []),
        { principal: "bg-bravo@contoso.onmicrosoft.com", role: "Global Administrator", start: "-P1D" },
      ];
    }),
  );
  p = await startProgram({ tenant });
});
afterAll(async () => p?.t.stop());

describe("program: break-glass verification", () => {
  it("stops before any registration, with each account's problem and its fix", async () => {
    const files = demoFiles();
    files["tenant.yaml"] = replaceOnce(
      files["tenant.yaml"]!,
      "\nsafeDefaults:",
      "  - upn: bg-charlie@contoso.onmicrosoft.com\n  - upn: bg-delta@contoso.onmicrosoft.com\n\nsafeDefaults:",
    );
    // Four break-glass accounts beside the demo's two Global Administrators would outnumber the holders of
    // finer-grained roles (PIM-002, a mandatory finding that stops the run before any read): here only the
    // break-glass accounts hold Global Administrator, so the run gets as far as reading them.
    delete files["grants/c-jordan-lee-global-administrator.yaml"];
    delete files["grants/ken-thompson-global-administrator.yaml"];
    const before = p.t.emu.counters();
    const { error } = await p.run({ root: writeStack(files), config: DEMO_CONFIG });
    expect(pulumi.RunError.isInstance(error), String(error)).toBe(true);
    expect(p.h.resources).toEqual([]);
    expect(p.t.emu.counters().writes).toBe(before.writes);

    const state = p.t.emu.state;
    const bravoEligibility = [...state.schedules.values()].find(
      (x) =>
        x._kind === "eligibility" &&
        x._target === GLOBAL_ADMIN &&
        x.principalId === p.t.user("bg-bravo@contoso.onmicrosoft.com"),
    )!.id;
    const deltaEnd = [...state.schedules.values()].find(
      (x) => x._kind === "assignment" && x.principalId === p.t.user("bg-delta@contoso.onmicrosoft.com"),
    )!.endDateTime;
    const assign =
      "Entra admin center > Roles and administrators > Global Administrator > Add assignments, assignment type Active, Permanently assigned";
    const line = (upn: string) => {
      const n = files["tenant.yaml"]!.split("\n").findIndex((l) => l.includes(`upn: ${upn}`)) + 1;
      return `stacks/demo/tenant.yaml:${n}:5: break-glass account ${upn}`;
    };
    expect((error as Error).message).toBe(
      "stacks/demo: 5 problem(s) found reading tenant 7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47; nothing was changed.\n" +
        `  - ${line("bg-alpha@contoso.onmicrosoft.com")} is synchronised from on-premises (onPremisesSyncEnabled is true), so an on-premises outage or compromise reaches it. Fix: use a cloud-only account (for example on the tenant's .onmicrosoft.com domain).\n` +
        `  - ${line("bg-bravo@contoso.onmicrosoft.com")} is eligible for Global Administrator (eligibility schedule ${bravoEligibility}); emergency access must never wait for an activation. Fix: remove the eligibility (Roles and administrators > Global Administrator > Eligible assignments) and keep its permanent active assignment.\n` +
        `  - ${line("bg-bravo@contoso.onmicrosoft.com")} does not hold Global Administrator actively. Fix: ${assign}, then run again.\n` +
        `  - ${line("bg-charlie@contoso.onmicrosoft.com")} does not exist in the tenant. Fix: create it as a cloud-only user and give it Global Administrator (${assign}), or correct the UPN.\n` +
        `  - ${line("bg-delta@contoso.onmicrosoft.com")} holds Global Administrator only through an assignment ending ${deltaEnd}, not permanently on its own. Fix: ${assign}, then run again.`,
    );
  });
});
