import { describe, expect, it } from "vitest";
import { grantKey, membershipKey, profileKey, settingsKey } from "../../model/keys";
import { GLOBAL_ADMINISTRATOR } from "../../model";
import {
  daysLeftAt,
  emptySnapshot,
  profilesFromTenantYaml,
  statusAt,
  toSnapshot,
} from "../../model/snapshot";
import { NOW, edited, model, snapshot } from "./demoFiles";

describe("toSnapshot", () => {
  const snap = snapshot();

  it("keys every object through model/keys and sorts every list by key", () => {
    const s = snap.state;
    for (const list of [
      s.roleSettings,
      s.grants,
      s.approverGroups,
      s.pimGroups,
      s.memberships,
      s.breakGlass,
      s.profiles,
    ]) {
      const keys = list.map((x) => x.key);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(s.roleSettings.map((r) => r.key)).toContain(
      settingsKey({ kind: "directory", roleId: GLOBAL_ADMINISTRATOR }),
    );
    const jordan = s.grants.find((g) => g.principal === "c-jordan.lee@contoso.com")!;
    expect(jordan.key).toBe(
      grantKey({
        kind: "eligible",
        role: { kind: "directory", id: GLOBAL_ADMINISTRATOR },
        scope: { type: "tenant" },
        principal: "c-jordan.lee@contoso.com",
      }),
    );
    expect(s.memberships.map((m) => m.key)).toEqual([
      membershipKey("Tier-1 Helpdesk Operators", "member", "eligible", "grace.hopper@contoso.com"),
      membershipKey("Tier-1 Helpdesk Operators", "owner", "eligible", "ken.thompson@contoso.com"),
    ]);
    expect(s.profiles.map((p) => p.key)).toEqual([
      profileKey("baseline"),
      profileKey("tier0"),
      profileKey("tightened"),
    ]);
  });

  it("holds the grant as declared, with no position, status or days left", () => {
    const jordan = snap.state.grants.find((g) => g.principal === "c-jordan.lee@contoso.com")!;
    expect(jordan).toEqual({
      key: jordan.key,
      kind: "eligible",
      principal: "c-jordan.lee@contoso.com",
      principalType: "user",
      role: { kind: "directory", id: GLOBAL_ADMINISTRATOR, name: "Global Administrator" },
      scope: { type: "tenant" },
      start: "2026-11-20T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
      justification: "Fabrikam tenant-to-tenant migration, statement of work 2026-114",
      ticket: { system: "ServiceNow", number: "CHG0031337" },
      requestedBy: "ken.thompson@contoso.com",
    });
    expect(JSON.stringify(snap.state)).not.toMatch(/"(line|column|status|daysLeft|evaluatedAt|source)"/);
  });

  it("keeps where each object is declared beside the data", () => {
    const jordan = snap.state.grants.find((g) => g.principal === "c-jordan.lee@contoso.com")!;
    expect(snap.provenance[jordan.key]).toEqual({
      file: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
      line: 3,
      column: 1,
    });
    expect(snap.provenance[profileKey("tier0")]).toEqual({
      file: "stacks/demo/tenant.yaml",
      line: 51,
      column: 3,
    });
  });

  it("keeps each profile's own fields as written, not inherited ones", () => {
    const tier0 = snap.state.profiles.find((p) => p.name === "tier0")!;
    expect(tier0.extends).toBe("tightened");
    expect(tier0.declared).toEqual({
      "activation.maximumDuration": "PT1H",
      "activation.approval.required": true,
      "activation.approval.requiredForExtension": true,
      "activation.approval.stages": [{ timeoutDays: 1, approverJustification: true }],
    });
  });

  it("reads the profiles block alone, and the whole file when the block is not plain block YAML", () => {
    const text = edited()[0]!.text;
    const fast = profilesFromTenantYaml("stacks/demo/tenant.yaml", text);
    // An anchor anywhere could be aliased inside profiles: then the whole file is parsed, to the same result.
    const full = profilesFromTenantYaml("stacks/demo/tenant.yaml", `${text}\nx-note: &n anchored\n`);
    expect(full).toEqual(fast);
    expect(fast.entries.map((e) => e.name)).toEqual(["baseline", "tier0", "tightened"]);
    expect(fast.provenance[profileKey("baseline")]).toEqual({
      file: "stacks/demo/tenant.yaml",
      line: 18,
      column: 3,
    });
  });

  it("is the same snapshot whatever the clock said when the files were loaded", () => {
    const later = snapshot({}, new Date("2026-12-30T00:00:00Z"));
    expect(later).toEqual(snap);
  });

  it("has no profiles without tenant.yaml's text, as a live tenant has none", () => {
    expect(toSnapshot(model()).state.profiles).toEqual([]);
  });

  it("an empty snapshot is empty", () => {
    expect(emptySnapshot("x").state.grants).toEqual([]);
    expect(emptySnapshot("x").state.stack).toBe("x");
    expect(edited().length).toBe(11);
  });
});

describe("status and days left are functions of (entry, instant)", () => {
  const w = { start: "2026-11-20T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" };
  it.each([
    ["2026-11-19T23:59:59Z", "pending", 43],
    ["2026-11-20T00:00:00Z", "current", 42],
    ["2026-12-31T00:00:00Z", "current", 1],
    ["2026-12-31T23:59:59Z", "current", 1],
    ["2027-01-01T00:00:00Z", "expired", 0],
    ["2027-01-02T00:00:00Z", "expired", -1],
  ])("at %s: %s, %d days left", (at, status, days) => {
    expect(statusAt(w, new Date(at))).toBe(status);
    expect(daysLeftAt(w, new Date(at))).toBe(days);
  });
  it("a permanent window never ends", () => {
    expect(statusAt({ start: null, end: null }, NOW)).toBe("current");
    expect(daysLeftAt({ start: null, end: null }, NOW)).toBeNull();
  });
});
