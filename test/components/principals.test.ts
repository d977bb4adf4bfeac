import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installMocks, promiseOf, settle, type Harness } from "./harness";

let h: Harness;
let principals: typeof import("../../components/principals");

beforeAll(async () => {
  h = installMocks({
    directory: {
      groups: { "Helpdesk Operators": "oid-helpdesk", "Deploy Bot": "oid-group-deploy-bot" },
      servicePrincipals: { "Backup Agent": "oid-sp-backup", "Deploy Bot": "oid-sp-deploy-bot" },
      administrativeUnits: { Paris: "oid-au-paris" },
      applications: { Payroll: "oid-app-payroll" },
    },
  });
  principals = await import("../../components/principals.js");
});

beforeEach(() => {
  h.invokes.length = 0;
});

/** The Output's promise, rejections included (apply never sees a failed lookup). */
const outcome = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();

describe("PrincipalResolver", () => {
  it("looks each distinct user up once, however it is named and however often", async () => {
    const r = new principals.PrincipalResolver();
    const ids = [
      r.user("Ada.Lovelace@contoso.com"),
      r.user("ada.lovelace@contoso.com"),
      r.approver({ type: "user", ref: "ADA.LOVELACE@contoso.com" }),
      r.principal({ ref: "ada.lovelace@contoso.com", type: null }),
      r.user("grace.hopper@contoso.com"),
    ];
    const values = await Promise.all(ids.map(promiseOf));
    await settle();
    expect(values).toEqual([
      "oid-user-ada.lovelace@contoso.com",
      "oid-user-ada.lovelace@contoso.com",
      "oid-user-ada.lovelace@contoso.com",
      "oid-user-ada.lovelace@contoso.com",
      "oid-user-grace.hopper@contoso.com",
    ]);
    expect(h.invokes.map((i) => i.inputs["userPrincipalName"])).toEqual([
      "Ada.Lovelace@contoso.com",
      "grace.hopper@contoso.com",
    ]);
    expect(r.lookups).toEqual(["user:ada.lovelace@contoso.com", "user:grace.hopper@contoso.com"]);
  });

  it("takes object ids as they are, without a lookup", async () => {
    const r = new principals.PrincipalResolver();
    const id = "0D5C9E0A-1111-4222-8333-944445555666";
    expect(await promiseOf(r.principal({ ref: id, type: null }))).toBe(id.toLowerCase());
    expect(await promiseOf(r.group(id))).toBe(id.toLowerCase());
    await settle();
    expect(h.invokes).toEqual([]);
  });

  it("answers groups this program creates from their resources", async () => {
    const r = new principals.PrincipalResolver();
    r.registerGroup("PIM Approvers - Tier 0", pulumi.output("oid-created"));
    expect(await promiseOf(r.approver({ type: "group", ref: "pim approvers - tier 0" }))).toBe("oid-created");
    expect(await promiseOf(r.principal({ ref: "PIM Approvers - Tier 0", type: null }))).toBe("oid-created");
    await settle();
    expect(h.invokes).toEqual([]);
  });

  it("resolves a bare name to whichever of group or service principal exists", async () => {
    const r = new principals.PrincipalResolver();
    expect(await outcome(r.principal({ ref: "Helpdesk Operators", type: null }))).toBe("oid-helpdesk");
    expect(await outcome(r.principal({ ref: "Backup Agent", type: null }))).toBe("oid-sp-backup");
    expect(await outcome(r.principal({ ref: "Deploy Bot", type: "servicePrincipal" }))).toBe(
      "oid-sp-deploy-bot",
    );
  });

  it("refuses a bare name that is both a group and a service principal, or neither", () => {
    // Tested on the decision itself: in a run the rejection fails the resource that takes the id.
    expect(() => principals.pickGroupOrServicePrincipal("Deploy Bot", "oid-g", "oid-sp")).toThrow(
      'principal "Deploy Bot" is both a group and a service principal; add principalType: group or servicePrincipal to the grant',
    );
    expect(() => principals.pickGroupOrServicePrincipal("Nobody", undefined, undefined)).toThrow(
      'principal "Nobody" is neither a group nor a service principal in the tenant; check the spelling, or use a UPN or an object id',
    );
    expect(principals.pickGroupOrServicePrincipal("Backup Agent", undefined, "oid-sp")).toBe("oid-sp");
  });

  it("asks both directories for a bare name, once", async () => {
    const r = new principals.PrincipalResolver();
    await outcome(r.principal({ ref: "Helpdesk Operators", type: null }));
    await outcome(r.principal({ ref: "helpdesk operators", type: null }));
    await settle();
    expect(h.invokes.map((i) => i.token).sort()).toEqual([
      "azuread:index/getGroup:getGroup",
      "azuread:index/getServicePrincipal:getServicePrincipal",
    ]);
  });

  it("builds directory scope ids for administrative units and applications", async () => {
    const r = new principals.PrincipalResolver();
    expect(await promiseOf(r.directoryScopeId({ type: "tenant" }))).toBe("/");
    expect(await promiseOf(r.directoryScopeId({ type: "administrativeUnit", ref: "Paris" }))).toBe(
      "/administrativeUnits/oid-au-paris",
    );
    expect(await promiseOf(r.directoryScopeId({ type: "application", ref: "Payroll" }))).toBe(
      "/oid-app-payroll",
    );
    expect(
      await promiseOf(
        r.directoryScopeId({ type: "administrativeUnit", ref: "11111111-2222-3333-4444-555555555555" }),
      ),
    ).toBe("/administrativeUnits/11111111-2222-3333-4444-555555555555");
    await settle();
    expect(h.invokes.map((i) => i.token)).toEqual([
      "azuread:index/getAdministrativeUnit:getAdministrativeUnit",
      "azuread:index/getApplication:getApplication",
    ]);
  });
});
