/**
 * What the program reads before it registers anything, and how it judges the answers: each distinct reference
 * once (however it is spelled, however often it is used), groups this program creates never read, expired
 * declarations never read; every reference must name exactly one object of the kind its uses expect.
 */
import { describe, expect, it } from "vitest";
import { Directory, directoryReferences, resolveDirectory } from "../../components/directory";
import type { TenantModel } from "../../model";
import { unitModel } from "./fixtures";
import type { DirectoryObject } from "../../providers/graph/reads";

const ADA_ID = "1f0c8e2a-5b6d-4c7e-8f90-a1b2c3d4e5f6";

const TENANT = `
tenant: { id: 11111111-1111-4111-8111-111111111111, name: Unit }
roleSettings:
  directoryRoles:
    - role: User Administrator
      activation:
        approval:
          required: true
          stages:
            - approvers: [ { user: Approver.One@contoso.com }, { group: Helpdesk Leads }, { group: Existing Approvers } ]
approverGroups:
  - name: Helpdesk Leads
    members: [approver.one@contoso.com, approver.two@contoso.com]
    approves: [User Administrator]
pimGroups:
  - name: Ops
    roles: [Helpdesk Administrator]
    members:
      eligible:
        - { principal: ${ADA_ID}, end: 2027-03-31, justification: rota }
        - { principal: gone@contoso.com, end: 2026-01-31, justification: left }
breakGlass:
  - upn: bg@contoso.onmicrosoft.com
`;

const GRANTS: Record<string, string> = {
  "ops-user-admin":
    "principal: ops\nprincipalType: group\nrole: User Administrator\nkind: eligible\nend: 2027-03-31\njustification: j\n",
  "ada-by-id": `principal: ${ADA_ID.toUpperCase()}\nrole: Security Reader\nkind: eligible\nend: 2027-03-31\njustification: j\n`,
  bot: "principal: Deploy Bot\nrole: Application Administrator\nscope: { application: Payroll }\nkind: active\nend: 2026-12-31\njustification: j\n",
  paris:
    "principal: ADA.LOVELACE@contoso.com\nrole: Helpdesk Administrator\nscope: { administrativeUnit: Paris }\nkind: eligible\nend: 2027-03-31\njustification: j\n",
  old: "principal: left.company@contoso.com\nrole: Security Reader\nkind: eligible\nend: 2026-01-31\njustification: j\n",
};

const model = (grants = GRANTS): TenantModel => unitModel(TENANT, grants);

const obj = (id: string, type: DirectoryObject["type"], displayName = id): DirectoryObject => ({
  id,
  type,
  displayName,
  userPrincipalName: null,
  onPremisesSyncEnabled: null,
});

describe("directoryReferences", () => {
  it("plans one read per distinct reference, with the kinds each may be and every place that uses it", () => {
    const refs = directoryReferences(model());
    expect(refs.map((r) => [r.key, r.kind, r.ref, r.expect])).toEqual([
      [`object:${ADA_ID}`, "object", ADA_ID.toUpperCase(), ["user", "group"]],
      [
        "groupOrServicePrincipal:deploy bot",
        "groupOrServicePrincipal",
        "Deploy Bot",
        ["group", "servicePrincipal"],
      ],
      ["application:payroll", "application", "Payroll", ["application"]],
      ["user:ada.lovelace@contoso.com", "user", "ADA.LOVELACE@contoso.com", ["user"]],
      ["administrativeUnit:paris", "administrativeUnit", "Paris", ["administrativeUnit"]],
      ["user:approver.one@contoso.com", "user", "Approver.One@contoso.com", ["user"]],
      ["group:existing approvers", "group", "Existing Approvers", ["group"]],
      ["user:approver.two@contoso.com", "user", "approver.two@contoso.com", ["user"]],
    ]);
    // The grant and the PIM membership naming Ada by object id share one read, which must fit both.
    expect(refs[0]!.uses).toEqual([
      "stacks/unit/grants/ada-by-id.yaml",
      'stacks/unit/tenant.yaml: PIM group "Ops" members.eligible',
    ]);
    expect(refs.find((r) => r.key === "user:approver.one@contoso.com")!.uses).toEqual([
      "stacks/unit/tenant.yaml: approvers of User Administrator",
      'stacks/unit/tenant.yaml: approver group "Helpdesk Leads"',
    ]);
    // Not read: "ops" and "Helpdesk Leads" (created here), expired declarations, break-glass (verified apart).
    const keys = refs.map((r) => r.key).join(" ");
    for (const absent of ["ops", "helpdesk leads", "left.company", "gone@", "bg@"])
      expect(keys).not.toContain(absent);
  });
});

describe("resolveDirectory", () => {
  const m = model();
  const refs = directoryReferences(m);
  const answers = (over: Record<string, DirectoryObject[]> = {}) =>
    new Map(
      refs.map((r) => [
        r.key,
        over[r.key] ??
          (r.kind === "user"
            ? [obj(`id-${r.ref.toLowerCase()}`, "user")]
            : r.kind === "object"
              ? [obj(r.ref.toLowerCase(), "user")]
              : [obj(`id-${r.key}`, r.expect[0]!)]),
      ]),
    );

  it("accepts exactly one object of an expected kind per reference, and answers components from them", () => {
    const { objects, problems } = resolveDirectory(refs, answers());
    expect(problems).toEqual([]);
    const dir = new Directory(m, objects);
    expect(dir.principal({ ref: ADA_ID.toUpperCase(), type: null })).toEqual({
      objectId: ADA_ID,
      type: "user",
    });
    expect(dir.principal({ ref: "Ops", type: "group" })).toEqual({ created: "pimGroup", name: "Ops" });
    expect(dir.approver({ type: "group", ref: "helpdesk leads" })).toEqual({
      created: "approverGroup",
      name: "Helpdesk Leads",
    });
    expect(dir.approver({ type: "user", ref: "approver.ONE@contoso.com" })).toEqual({
      objectId: "id-approver.one@contoso.com",
      type: "user",
    });
    expect(dir.userId("Ada.Lovelace@contoso.com")).toBe("id-ada.lovelace@contoso.com");
    expect(dir.directoryScopeId({ type: "tenant" })).toBe("/");
    expect(dir.directoryScopeId({ type: "administrativeUnit", ref: "PARIS" })).toBe(
      "/administrativeUnits/id-administrativeUnit:paris",
    );
    expect(dir.directoryScopeId({ type: "application", ref: "Payroll" })).toBe("/id-application:payroll");
    expect(() => dir.userId("never.declared@contoso.com")).toThrow(
      '"never.declared@contoso.com" was not resolved before the components were built (user:never.declared@contoso.com)',
    );
  });

  it("refuses what does not exist, what is ambiguous and what is the wrong kind, naming every use", () => {
    const { problems } = resolveDirectory(
      refs,
      answers({
        "groupOrServicePrincipal:deploy bot": [obj("g1", "group"), obj("sp1", "servicePrincipal")],
        "group:existing approvers": [obj("g2", "group"), obj("g3", "group")],
        [`object:${ADA_ID}`]: [obj(ADA_ID, "servicePrincipal")],
        "administrativeUnit:paris": [],
      }),
    );
    expect(problems).toEqual([
      `stacks/unit/grants/ada-by-id.yaml; stacks/unit/tenant.yaml: PIM group "Ops" members.eligible: "${ADA_ID.toUpperCase()}" is a service principal, not a user or a group; name a user or a group instead`,
      'stacks/unit/grants/bot.yaml: principal "Deploy Bot" is both a group and a service principal; add principalType: group or servicePrincipal to the grant',
      'stacks/unit/grants/paris.yaml: an administrative unit "Paris" does not exist in the tenant; check the spelling, or name it by its object id',
      'stacks/unit/tenant.yaml: approvers of User Administrator: "Existing Approvers" names 2 objects (g2, g3); name the one you mean by its object id',
    ]);
  });
});
