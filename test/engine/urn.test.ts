/** URNs and aliases as the engine computes them (engineDouble/urn.ts), checked against the URN forms the SDK uses. */
import { describe, expect, it } from "vitest";
import { aliasUrns, collapseAlias, newUrn, parseUrn, type AliasContext } from "../../engineDouble/urn";

const STACK = "urn:pulumi:demo::pim::pulumi:pulumi:Stack::pim-demo";
const TENANT = "urn:pulumi:demo::pim::pim:index:Tenant::demo";
const GRANT = "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant::demo-grant-a";

describe("newUrn", () => {
  it("leaves the root stack out of the qualified type and chains every other parent's type", () => {
    expect(newUrn("demo", "pim", "", "pulumi:pulumi:Stack", "pim-demo")).toBe(STACK);
    expect(newUrn("demo", "pim", STACK, "pim:index:Tenant", "demo")).toBe(TENANT);
    expect(newUrn("demo", "pim", TENANT, "pim:index:Grant", "demo-grant-a")).toBe(GRANT);
    expect(
      newUrn(
        "demo",
        "pim",
        GRANT,
        "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
        "demo-grant-a-schedule",
      ),
    ).toBe(
      "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant$pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::demo-grant-a-schedule",
    );
  });

  it("parses back, a name holding '::' included", () => {
    expect(parseUrn("urn:pulumi:s::p::a:b:C$d:e:F::x::y")).toEqual({
      stack: "s",
      project: "p",
      qualifiedType: "a:b:C$d:e:F",
      type: "d:e:F",
      name: "x::y",
    });
    expect(() => parseUrn("nope")).toThrow("not a URN: nope");
  });
});

describe("aliases", () => {
  const ctx = (over: Partial<AliasContext> = {}): AliasContext => ({
    stack: "demo",
    project: "pim",
    type: "pim:index:Grant",
    name: "demo-grant-b",
    parentUrn: TENANT,
    parentAliases: new Map(),
    ...over,
  });

  it("fills an alias spec's empty fields from the resource: name, type, parent, stack, project", () => {
    expect(collapseAlias(ctx(), { name: "demo-grant-a" })).toBe(GRANT);
    expect(collapseAlias(ctx(), { type: "pim:index:OldGrant" })).toBe(
      "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:OldGrant::demo-grant-b",
    );
    expect(collapseAlias(ctx(), { name: "x", noParent: true })).toBe(
      "urn:pulumi:demo::pim::pim:index:Grant::x",
    );
    expect(collapseAlias(ctx(), { name: "x", parentUrn: STACK })).toBe(
      "urn:pulumi:demo::pim::pim:index:Grant::x",
    );
    expect(collapseAlias(ctx(), { urn: "urn:pulumi:a::b::c:d:E::f" })).toBe("urn:pulumi:a::b::c:d:E::f");
    expect(collapseAlias(ctx(), { name: "x", stack: "prod", project: "other" })).toBe(
      "urn:pulumi:prod::other::pim:index:Tenant$pim:index:Grant::x",
    );
  });

  it("gives a child the alias its parent was matched through, renaming a name derived from the parent's", () => {
    const child = ctx({
      type: "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
      name: "demo-grant-b-schedule",
      parentUrn: "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant::demo-grant-b",
      parentAliases: new Map([
        ["urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant::demo-grant-b", GRANT],
      ]),
    });
    expect(aliasUrns(child, [])).toEqual([
      "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant$pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::demo-grant-a-schedule",
    ]);
    expect(aliasUrns(child, [{ name: "old-schedule" }])).toEqual([
      "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant$pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::old-schedule",
      "urn:pulumi:demo::pim::pim:index:Tenant$pim:index:Grant$pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule::demo-grant-a-schedule",
    ]);
  });
});
