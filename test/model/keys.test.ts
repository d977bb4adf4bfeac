import { describe, expect, it } from "vitest";
import {
  approverGroupKey,
  approverKey,
  breakGlassKey,
  grantKey,
  membershipKey,
  pimGroupKey,
  scopeKey,
  settingsKey,
  settingsKeyForGrant,
} from "../../model/keys";
import { isObjectId } from "../../model/ids";

const GA = "62e90394-69f5-4237-9190-012177145e10";

describe("identity keys", () => {
  it("keys a grant by kind, role, scope and principal, ignoring case and spaces of the principal", () => {
    const base = { kind: "eligible" as const, role: { kind: "directory" as const, id: GA } };
    expect(grantKey({ ...base, scope: { type: "tenant" }, principal: " Ada.Lovelace@Contoso.com " })).toBe(
      `eligible|directory:${GA}|/|ada.lovelace@contoso.com`,
    );
    expect(grantKey({ ...base, scope: { type: "administrativeUnit", ref: "Paris" }, principal: "x@y" })).toBe(
      `eligible|directory:${GA}|au:paris|x@y`,
    );
    expect(
      grantKey({
        kind: "active",
        role: { kind: "directory", id: GA },
        scope: { type: "application", ref: "HR App" },
        principal: "x@y",
      }),
    ).toBe(`active|directory:${GA}|app:hr app|x@y`);
  });

  it("normalizes Azure scopes: case and trailing slashes", () => {
    expect(scopeKey({ type: "azure", id: "/Subscriptions/ABC//" })).toBe("/subscriptions/abc");
  });

  it("keys settings by what they govern, not by display names", () => {
    expect(
      settingsKey({
        kind: "directory",
        role: {
          kind: "directory",
          name: "Any Name",
          id: GA.toUpperCase(),
          builtIn: true,
          isPrivileged: true,
        },
      }),
    ).toBe(`directory:${GA}`);
    expect(settingsKey({ kind: "group", group: "Tier-1 Ops", access: "owner" })).toBe(
      "group:tier-1 ops:owner",
    );
    expect(settingsKey({ kind: "azure", roleId: "8E3AF657", scope: "/subscriptions/S1/" })).toBe(
      "azure:/subscriptions/s1:8e3af657",
    );
    expect(settingsKeyForGrant({ kind: "azure", id: "r1" }, { type: "azure", id: "/subscriptions/s1" })).toBe(
      "azure:/subscriptions/s1:r1",
    );
    expect(settingsKeyForGrant({ kind: "directory", id: GA }, { type: "tenant" })).toBe(`directory:${GA}`);
  });

  it("keys approvers, groups, memberships and break-glass accounts", () => {
    expect(approverKey({ type: "group", ref: "PIM Approvers" })).toBe("group:pim approvers");
    expect(approverKey({ type: "user", ref: "CISO@contoso.com" })).toBe("user:ciso@contoso.com");
    expect(approverGroupKey("PIM Approvers")).toBe("approverGroup:pim approvers");
    expect(pimGroupKey("Ops")).toBe("pimGroup:ops");
    expect(breakGlassKey("BG-Alpha@contoso.onmicrosoft.com")).toBe(
      "breakGlass:bg-alpha@contoso.onmicrosoft.com",
    );
    expect(membershipKey("Ops", "member", "eligible", "A@B")).toBe("pimGroup:ops|member|eligible|a@b");
  });

  it("tells object ids from names", () => {
    expect(isObjectId(` ${GA} `)).toBe(true);
    expect(isObjectId(GA.toUpperCase())).toBe(true);
    expect(isObjectId("62e90394-69f5-4237-9190-012177145e1")).toBe(false);
    expect(isObjectId("ada@contoso.com")).toBe(false);
  });
});
