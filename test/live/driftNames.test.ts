// drift/byName on a hand-built declared snapshot (no emulator): which ids a declaration names, and the snapshot
// with each id the tenant knows replaced by its name — keys computed again, provenance following the key, and
// every list in key order. Each id and name differs from the others, so a swapped or dropped field fails.
import { describe, expect, it } from "vitest";
import { graphDefaults } from "../../model/settings/defaults";
import { grantKey, membershipKey, settingsKey } from "../../model/keys";
import { emptySnapshot, type GrantEntry, type Snapshot } from "../../model/snapshot";
import type { ResolvedSettings } from "../../model/types";
import { declaredIds, nameDeclaredIds } from "../../scripts/commands/drift/byName";

const GA = "62e90394-69f5-4237-9190-012177145e10";
const PRINCIPAL = "A1A1A1A1-0000-4000-8000-000000000001"; // written in capitals, as a portal copy gives it
const UNIT = "b2b2b2b2-0000-4000-8000-000000000002";
const MEMBER = "c3c3c3c3-0000-4000-8000-000000000003";
const APPROVER = "d4d4d4d4-0000-4000-8000-000000000004";
const ESCALATION = "e5e5e5e5-0000-4000-8000-000000000005";
/** Sorts before "group:alpha ops" by id, after it once named "Zeta Ops". */
const ZETA = "00000000-0000-4000-8000-00000000000f";
const UNKNOWN = "f6f6f6f6-0000-4000-8000-000000000006";

const names = {
  names: {
    [PRINCIPAL.toLowerCase()]: "grace.hopper@contoso.com",
    [MEMBER]: "alan.turing@contoso.com",
    [APPROVER]: "ken.thompson@contoso.com",
    [ESCALATION]: "Escalation Approvers",
    [ZETA]: "Zeta Ops",
  },
  units: { [UNIT]: "Helpdesk AU" },
};
const at = (file: string, line: number) => ({ file: `stacks/contoso/${file}`, line, column: 3 });

function withApprovers(): ResolvedSettings {
  const s = graphDefaults("directory");
  return {
    ...s,
    activation: {
      ...s.activation,
      approval: {
        required: true,
        requiredForExtension: false,
        stages: [
          {
            approvers: [{ type: "user", ref: APPROVER }],
            timeoutDays: 1,
            approverJustification: true,
            escalation: { afterMinutes: 30, approvers: [{ type: "group", ref: ESCALATION }] },
          },
        ],
      },
    },
  };
}

function declared(): Snapshot {
  const base = emptySnapshot("contoso");
  const grant = (principal: string, scope: GrantEntry["scope"]): GrantEntry => {
    const g = {
      kind: "eligible" as const,
      principal,
      principalType: null,
      role: { kind: "directory" as const, id: GA, name: "Global Administrator" },
      scope,
      start: null,
      end: null,
      justification: "on-call",
      ticket: null,
      requestedBy: null,
    };
    return { ...g, key: grantKey(g) };
  };
  const grants = [
    grant(PRINCIPAL, { type: "administrativeUnit", ref: UNIT }),
    grant(UNKNOWN, { type: "tenant" }),
  ];
  const membership = {
    key: membershipKey("Tier-1 Helpdesk Operators", "member", "eligible", MEMBER),
    group: "Tier-1 Helpdesk Operators",
    access: "member" as const,
    kind: "eligible" as const,
    principal: MEMBER,
    start: null,
    end: null,
    justification: null,
  };
  const groupSettings = (group: string) => {
    const target = { kind: "group" as const, group, access: "member" as const };
    return {
      key: settingsKey(target),
      label: group,
      target,
      profile: null,
      settings: graphDefaults("group"),
    };
  };
  const directory = { kind: "directory" as const, roleId: GA };
  const roleSettings = [
    {
      key: settingsKey(directory),
      label: "Global Administrator",
      target: directory,
      profile: null,
      settings: withApprovers(),
    },
    groupSettings(ZETA),
    groupSettings("Alpha Ops"),
  ];
  return {
    state: { ...base.state, grants, memberships: [membership], roleSettings },
    provenance: {
      [grants[0]!.key]: at("grants/grace.yaml", 1),
      [grants[1]!.key]: at("grants/nobody.yaml", 2),
      [membership.key]: at("tenant.yaml", 10),
      [roleSettings[0]!.key]: at("tenant.yaml", 20),
      [roleSettings[1]!.key]: at("tenant.yaml", 30),
      [roleSettings[2]!.key]: at("tenant.yaml", 40),
      "profile:tier0": at("tenant.yaml", 50),
    },
  };
}

describe("declaredIds", () => {
  it("lists the principals, members, PIM-for-Groups groups and approvers (escalation too) named by id, units apart", () => {
    expect(declaredIds(declared())).toEqual({
      objects: [PRINCIPAL, UNKNOWN, MEMBER, APPROVER, ESCALATION, ZETA],
      units: [UNIT],
    });
  });
});

describe("nameDeclaredIds", () => {
  it("names each id the tenant knows, keys and provenance following, lists in key order; an unknown id stays", () => {
    const named = nameDeclaredIds(declared(), names);
    const s = named.state;
    expect(s.grants.map((g) => [g.key, g.principal, g.scope])).toEqual([
      [`eligible|directory:${GA}|/|${UNKNOWN}`, UNKNOWN, { type: "tenant" }],
      [
        `eligible|directory:${GA}|au:helpdesk au|grace.hopper@contoso.com`,
        "grace.hopper@contoso.com",
        { type: "administrativeUnit", ref: "Helpdesk AU" },
      ],
    ]);
    expect(s.memberships.map((m) => [m.key, m.principal])).toEqual([
      [
        "pimGroup:tier-1 helpdesk operators|member|eligible|alan.turing@contoso.com",
        "alan.turing@contoso.com",
      ],
    ]);
    expect(s.roleSettings.map((r) => r.key)).toEqual([
      `directory:${GA}`,
      "group:alpha ops:member",
      "group:zeta ops:member",
    ]);
    expect(s.roleSettings[2]!.target).toEqual({ kind: "group", group: "Zeta Ops", access: "member" });
    expect(s.roleSettings[0]!.settings.activation.approval.stages).toEqual([
      {
        approvers: [{ type: "user", ref: "ken.thompson@contoso.com" }],
        timeoutDays: 1,
        approverJustification: true,
        escalation: { afterMinutes: 30, approvers: [{ type: "group", ref: "Escalation Approvers" }] },
      },
    ]);
    expect(named.provenance).toEqual({
      [s.grants[1]!.key]: at("grants/grace.yaml", 1),
      [s.grants[0]!.key]: at("grants/nobody.yaml", 2),
      [s.memberships[0]!.key]: at("tenant.yaml", 10),
      [`directory:${GA}`]: at("tenant.yaml", 20),
      "group:zeta ops:member": at("tenant.yaml", 30),
      "group:alpha ops:member": at("tenant.yaml", 40),
      "profile:tier0": at("tenant.yaml", 50),
    });
  });
});
