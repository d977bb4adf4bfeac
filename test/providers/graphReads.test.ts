/**
 * The read layer against the emulator: references resolved in `$batch` (one read each, two for a bare name or an
 * application id), typed object ids, ambiguity and absence; break-glass verdicts for every way an account can fail
 * (missing, synchronised, eligible, time-bound, activated) and for a good one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphForTenant } from "../../providers/graph";
import {
  breakGlassProblems,
  resolveReferences,
  verifyBreakGlass,
  type DirectoryObject,
} from "../../providers/graph/reads";
import {
  DEMO_TENANT,
  demoSeed,
  GLOBAL_ADMIN,
  startEmulatorTenant,
  type EmulatorTenant,
} from "../program/emulatorTenant";

let t: EmulatorTenant;
beforeAll(async () => {
  t = await startEmulatorTenant(
    demoSeed((s) => {
      s.users.push(
        { upn: "synced.admin@contoso.com", displayName: "Synced Admin", onPremisesSyncEnabled: true },
        { upn: "temp.admin@contoso.com", displayName: "Temporary Admin" },
      );
      s.groups.push({ displayName: "Deploy Bot", isAssignableToRole: true });
      s.applications.push(
        { displayName: "Deploy Bot", permissions: [] },
        { displayName: "Payroll", permissions: [] },
      );
      s.assignments = [
        ...(s.assignments ?? []),
        { principal: "synced.admin@contoso.com", role: "Global Administrator", start: "-P10D" },
        { principal: "temp.admin@contoso.com", role: "Global Administrator", start: "-P1D", end: "P30D" },
      ];
    }),
  );
});
afterAll(async () => t?.stop());

const batches = () => t.emu.counters().byRoute["POST /$batch"] ?? 0;

describe("resolveReferences", () => {
  it("answers each reference under its key, in one $batch for up to 20 reads", async () => {
    const g = graphForTenant(DEMO_TENANT);
    const before = batches();
    const ada = t.user("ada.lovelace@contoso.com");
    const found = await resolveReferences(g, [
      { key: "u", kind: "user", ref: "Ada.Lovelace@contoso.com" },
      { key: "o", kind: "object", ref: ada.toUpperCase() },
      { key: "g", kind: "group", ref: "tier-1 helpdesk operators" },
      { key: "both", kind: "groupOrServicePrincipal", ref: "Deploy Bot" },
      { key: "sp", kind: "groupOrServicePrincipal", ref: "pim-reader" },
      { key: "au", kind: "administrativeUnit", ref: "Helpdesk AU" },
      { key: "au-id", kind: "administrativeUnit", ref: "d2473b03-728b-50c3-a0a3-188e7c272e21" },
      { key: "app", kind: "application", ref: "Payroll" },
      { key: "nobody", kind: "user", ref: "no.such.person@contoso.com" },
      { key: "no-object", kind: "object", ref: "00000000-0000-4000-8000-000000000001" },
    ]);
    expect(batches() - before).toBe(1);
    const one = (k: string): DirectoryObject => {
      const hits = found.get(k)!;
      expect(hits, k).toHaveLength(1);
      return hits[0]!;
    };
    expect(one("u")).toEqual({
      id: ada,
      type: "user",
      displayName: "Ada Lovelace",
      userPrincipalName: "ada.lovelace@contoso.com",
      onPremisesSyncEnabled: null,
    });
    expect([one("o").id, one("o").type]).toEqual([ada, "user"]);
    expect([one("g").id, one("g").type]).toEqual([t.group("Tier-1 Helpdesk Operators"), "group"]);
    expect(
      found
        .get("both")!
        .map((o) => o.type)
        .sort(),
    ).toEqual(["group", "servicePrincipal"]);
    expect(one("sp").type).toBe("servicePrincipal");
    expect([one("au").id, one("au").type]).toEqual([
      "d2473b03-728b-50c3-a0a3-188e7c272e21",
      "administrativeUnit",
    ]);
    expect(one("au-id").displayName).toBe("Helpdesk AU");
    expect([one("app").type, one("app").displayName]).toEqual(["application", "Payroll"]);
    expect(found.get("nobody")).toEqual([]);
    expect(found.get("no-object")).toEqual([]);
  });

  it("finds an application by its app id as well as by its object id", async () => {
    const g = graphForTenant(DEMO_TENANT);
    const app = [...t.emu.state.applications.values()].find((a) => a.displayName === "Payroll")!;
    const found = await resolveReferences(g, [
      { key: "by-object", kind: "application", ref: app.id },
      { key: "by-app-id", kind: "application", ref: app.appId },
    ]);
    expect(found.get("by-object")!.map((o) => o.id)).toEqual([app.id]);
    expect(found.get("by-app-id")!.map((o) => o.id)).toEqual([app.id]);
  });

  it("reads 45 references in three $batch requests", async () => {
    const g = graphForTenant(DEMO_TENANT);
    const before = batches();
    const refs = Array.from({ length: 45 }, (_, i) => ({
      key: `k${i}`,
      kind: "user" as const,
      ref: `u${i}@contoso.com`,
    }));
    const found = await resolveReferences(g, refs);
    expect(batches() - before).toBe(3);
    expect([...found.values()].every((v) => v.length === 0)).toBe(true);
  });
});

describe("resolveReferences with an identity that cannot read every collection", () => {
  it("judges an object id any readable collection answered, and names the permission when none did", async () => {
    // pim-reader without Directory.Read.All (which reads every directory collection): users and groups, not
    // applications.
    const sp = [...t.emu.state.servicePrincipals.values()].find((p) => p.displayName === "pim-reader")!;
    expect(sp._permissions).toContain("Directory.Read.All");
    sp._permissions = sp._permissions.filter((p) => p !== "Directory.Read.All");
    const reader = t.emu.clientCredentials("pim-reader");
    const saved = { id: process.env["PIM_GRAPH_CLIENT_ID"], secret: process.env["PIM_GRAPH_CLIENT_SECRET"] };
    Object.assign(process.env, {
      PIM_GRAPH_CLIENT_ID: reader.clientId,
      PIM_GRAPH_CLIENT_SECRET: reader.clientSecret,
    });
    try {
      const g = graphForTenant(DEMO_TENANT);
      const ada = t.user("ada.lovelace@contoso.com");
      const found = await resolveReferences(g, [{ key: "ada", kind: "object", ref: ada }]);
      expect(found.get("ada")!.map((o) => [o.id, o.type])).toEqual([[ada, "user"]]);
      const nobody = "00000000-0000-4000-8000-000000000002";
      await expect(resolveReferences(g, [{ key: "x", kind: "object", ref: nobody }])).rejects.toThrow(
        `reading /servicePrincipals/${nobody}?$select=id,displayName (needs Application.Read.All) was refused (403). ` +
          "To read service principals, the deployment identity needs the Microsoft Graph application permission " +
          "Application.Read.All. Grant it: Entra admin center → App registrations → the deployer app → API " +
          "permissions → Add a permission → Microsoft Graph → Application permissions → Application.Read.All, then " +
          'Grant admin consent (README.md, "The app registration and its permissions"). README.md, "Permissions a ' +
          'preview needs", lists every read.',
      );
    } finally {
      Object.assign(process.env, { PIM_GRAPH_CLIENT_ID: saved.id, PIM_GRAPH_CLIENT_SECRET: saved.secret });
      sp._permissions = [...sp._permissions, "Directory.Read.All"];
    }
  });
});

describe("verifyBreakGlass", () => {
  const where = "stacks/demo/tenant.yaml:141:5";
  const declared = async (upn: string) => {
    const found = await resolveReferences(graphForTenant(DEMO_TENANT), [
      { key: upn, kind: "user", ref: upn },
    ]);
    return { upn, where, user: found.get(upn)![0] ?? null };
  };

  it("verifies an existing cloud-only account with a permanent, direct, active Global Administrator", async () => {
    const alpha = await declared("bg-alpha@contoso.onmicrosoft.com");
    const r = await verifyBreakGlass(graphForTenant(DEMO_TENANT), [alpha]);
    expect(r.problems).toEqual([]);
    expect(r.verified).toHaveLength(1);
    expect(r.verified[0]).toMatchObject({
      upn: "bg-alpha@contoso.onmicrosoft.com",
      objectId: t.user("bg-alpha@contoso.onmicrosoft.com"),
    });
    expect(r.verified[0]!.assignmentInstanceId).toMatch(/-1$/);
  });

  it("says what is wrong with each account that is not, and how to fix it", async () => {
    const accounts = await Promise.all(
      [
        "no.such@contoso.onmicrosoft.com",
        "synced.admin@contoso.com",
        "margaret.hamilton@contoso.com",
        "temp.admin@contoso.com",
      ].map(declared),
    );
    const r = await verifyBreakGlass(graphForTenant(DEMO_TENANT), accounts);
    expect(r.verified).toEqual([]);
    const fix =
      "Entra admin center > Roles and administrators > Global Administrator > Add assignments, assignment type Active, Permanently assigned";
    const margaretEligibility = [...t.emu.state.schedules.values()].find(
      (s) =>
        s._kind === "eligibility" &&
        s._target === GLOBAL_ADMIN &&
        s.principalId === t.user("margaret.hamilton@contoso.com"),
    )!.id;
    const tempEnd = [...t.emu.state.schedules.values()].find(
      (s) => s._kind === "assignment" && s.principalId === t.user("temp.admin@contoso.com"),
    )!.endDateTime;
    expect(r.problems).toEqual([
      `${where}: break-glass account no.such@contoso.onmicrosoft.com does not exist in the tenant. Fix: create it as a cloud-only user and give it Global Administrator (${fix}), or correct the UPN.`,
      `${where}: break-glass account synced.admin@contoso.com is synchronised from on-premises (onPremisesSyncEnabled is true), so an on-premises outage or compromise reaches it. Fix: use a cloud-only account (for example on the tenant's .onmicrosoft.com domain).`,
      `${where}: break-glass account margaret.hamilton@contoso.com is eligible for Global Administrator (eligibility schedule ${margaretEligibility}); emergency access must never wait for an activation. Fix: remove the eligibility (Roles and administrators > Global Administrator > Eligible assignments) and keep its permanent active assignment.`,
      `${where}: break-glass account margaret.hamilton@contoso.com does not hold Global Administrator actively. Fix: ${fix}, then run again.`,
      `${where}: break-glass account temp.admin@contoso.com holds Global Administrator only through an assignment ending ${tempEnd}, not permanently on its own. Fix: ${fix}, then run again.`,
    ]);
  });

  it("does not count an activation or a group's assignment as the account's own", () => {
    const user: DirectoryObject = {
      id: "u1",
      type: "user",
      displayName: "X",
      userPrincipalName: "x@contoso.com",
      onPremisesSyncEnabled: false,
    };
    const instance = {
      id: "i",
      principalId: "u1",
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: "/",
      startDateTime: null,
    };
    expect(
      breakGlassProblems(
        { upn: "x@contoso.com", where, user },
        {
          active: [
            {
              ...instance,
              endDateTime: "2026-11-23T20:00:00Z",
              assignmentType: "Activated",
              memberType: "Direct",
            },
            { ...instance, endDateTime: null, assignmentType: "Assigned", memberType: "Group" },
            {
              ...instance,
              directoryScopeId: "/administrativeUnits/a",
              endDateTime: null,
              assignmentType: "Assigned",
              memberType: "Direct",
            },
          ],
          eligible: [],
        },
      ),
    ).toEqual([
      `${where}: break-glass account x@contoso.com holds Global Administrator only through an activation ending 2026-11-23T20:00:00Z and membership of a group (memberType Group) and scope /administrativeUnits/a only, not permanently on its own. Fix: Entra admin center > Roles and administrators > Global Administrator > Add assignments, assignment type Active, Permanently assigned, then run again.`,
    ]);
  });
});
