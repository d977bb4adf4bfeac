/**
 * DirectoryRoleSchedule against the emulator: every provider method, adopt and align, extend in place, expiry, the
 * 45-day request purge, portal drift, policy refusals as sentences, a 429 storm and a lost response.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { directoryRoleScheduleProvider as provider } from "../../providers/directoryRoleSchedule/index";
import type { DirectoryRoleScheduleInputs, DirectoryRoleScheduleOutputs } from "../../providers/types";
import {
  delta,
  EXCHANGE_ADMIN,
  GLOBAL_ADMIN,
  HELPDESK_ADMIN,
  NOW,
  seed,
  SECURITY_READER,
  providerModule,
  startHarness,
  USER_ADMIN,
  type Harness,
} from "./helpers";

const DAY = 86_400_000;
const PAGE = 10;
const ELIG_LIST = "GET /roleManagement/directory/roleEligibilitySchedules";
const ELIG_REQ = "POST /roleManagement/directory/roleEligibilityScheduleRequests";
const ASSIGN_LIST = "GET /roleManagement/directory/roleAssignmentSchedules";
const ASSIGN_REQ = "POST /roleManagement/directory/roleAssignmentScheduleRequests";
const BATCH = "POST /$batch";
const AUTH_ADMIN = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
const GROUPS_ADMIN = "fdd7a751-b60b-444a-984c-02652fe8fa1c";
const BILLING_ADMIN = "b0f54661-2d74-4c50-afa3-1ec803f12efe";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    pageSize: PAGE,
    seed: seed({
      roles: {
        policies: {
          "Global Administrator": {
            Expiration_Admin_Eligibility: { isExpirationRequired: true, maximumDuration: "P180D" },
          },
          "Exchange Administrator": {
            Enablement_Admin_Assignment: { enabledRules: ["Justification", "Ticketing"] },
          },
          "Helpdesk Administrator": {
            Enablement_Admin_Eligibility: { enabledRules: ["MultiFactorAuthentication"] },
          },
        },
      },
      eligibilities: [
        // Made by hand before the product arrived: one matches a declaration exactly, one ends earlier.
        { principal: "grace.hopper@contoso.com", role: "Security Reader", end: "2027-03-01T00:00:00Z" },
        { principal: "alan.turing@contoso.com", role: "Security Reader", end: "2027-01-01T00:00:00Z" },
        { principal: "ken.thompson@contoso.com", role: "Security Reader", end: "2027-05-01T00:00:00Z" },
      ],
    }),
  });
});
afterAll(async () => h?.stop());
const shared = () =>
  providerModule<typeof import("../../providers/pim/scheduleLookups")>("providers/pim/scheduleLookups");
beforeEach(() => {
  h.emu.faults.clear();
  // Each test starts like a new provider process: no shared listing, no recent lookups.
  shared().resetSharedState();
});

function grant(
  over: Partial<DirectoryRoleScheduleInputs> & { principal: string },
): DirectoryRoleScheduleInputs {
  const { principal, ...rest } = over;
  return {
    kind: "eligible",
    principalId: h.user(principal),
    roleDefinitionId: USER_ADMIN,
    directoryScopeId: "/",
    start: null,
    end: "2027-01-31T00:00:00Z",
    justification: "On-call rotation 2026-Q4",
    ticket: null,
    label: `grant for ${principal}`,
    ...rest,
  };
}

async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; d: ReturnType<typeof delta> }> {
  const before = h.emu.counters();
  const result = await fn();
  return { result, d: delta(before, h.emu.counters()) };
}

/** The tenant's admin schedules of one principal, role and scope (what Graph holds, not what we think). */
function live(kind: "eligible" | "active", principalId: string, role: string, scope = "/") {
  return h.emu.state.findSchedules({
    scope: "directory",
    kind: kind === "eligible" ? "eligibility" : "assignment",
    principalId,
    target: role,
    directoryScopeId: scope,
  });
}

const lastRequest = () => [...h.emu.state.requests.values()].at(-1) as Record<string, unknown>;

describe("check and diff (no network)", () => {
  it("accepts a grant and names every problem of a bad one", async () => {
    const good = grant({ principal: "ada.lovelace@contoso.com" });
    const { result, d } = await measure(() => provider.check(undefined as never, good));
    expect(result).toEqual({ inputs: good });
    // The engine passes the serialized provider along with the inputs.
    const withProvider = { ...good, __provider: "exports.handler = ..." } as DirectoryRoleScheduleInputs;
    expect(await provider.check(undefined as never, withProvider)).toEqual({ inputs: withProvider });
    const bad = {
      ...good,
      kind: "permanent",
      directoryScopeId: "/subscriptions/x",
      start: "2027-02-01",
      end: "2027-01-01T00:00:00Z",
    } as never;
    const { result: r2, d: d2 } = await measure(() => provider.check(undefined as never, bad));
    expect(r2).toEqual({
      failures: [
        {
          property: "kind",
          reason: 'grant for ada.lovelace@contoso.com: Invalid option: expected one of "eligible"|"active"',
        },
        {
          property: "start",
          reason:
            "grant for ada.lovelace@contoso.com: must be an ISO 8601 instant with a zone, e.g. 2026-12-31T00:00:00Z",
        },
        {
          property: "directoryScopeId",
          reason:
            'grant for ada.lovelace@contoso.com: must be "/" (tenant), "/administrativeUnits/<id>" or "/<application object id>"',
        },
      ],
    });
    const backwards = { ...good, start: "2027-02-01T00:00:00Z" };
    expect(await provider.check(undefined as never, backwards)).toEqual({
      failures: [{ property: "end", reason: "grant for ada.lovelace@contoso.com: end must be after start" }],
    });
    expect(d.requests + d2.requests).toBe(0);
  });

  it("replaces on principal, role, scope or kind; updates in place otherwise; ignores __provider and id case", async () => {
    const g = grant({ principal: "ada.lovelace@contoso.com" });
    const olds = {
      ...g,
      scheduleId: "s",
      status: "Provisioned",
      __provider: "old",
    } as DirectoryRoleScheduleOutputs;
    const same = {
      ...g,
      principalId: g.principalId.toUpperCase(),
      end: "2027-01-31T00:00:00.000Z",
      __provider: "new",
    } as DirectoryRoleScheduleInputs;
    expect(await provider.diff("s", olds, same)).toEqual({ changes: false, replaces: [] });
    expect(await provider.diff("s", olds, { ...g, end: "2027-03-31T00:00:00Z" })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff("s", olds, { ...g, justification: "new reason" })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(
      await provider.diff("s", olds, {
        ...g,
        kind: "active",
        principalId: h.user("alan.turing@contoso.com"),
        roleDefinitionId: HELPDESK_ADMIN,
        directoryScopeId: "/administrativeUnits/00000000-0000-4000-8000-000000000000",
      }),
    ).toEqual({ changes: true, replaces: ["kind", "principalId", "roleDefinitionId", "directoryScopeId"] });
  });
});

describe("create", () => {
  it("assigns a new eligibility: one lookup, one request; the id is the schedule id", async () => {
    const g = grant({ principal: "ada.lovelace@contoso.com" });
    const { result, d } = await measure(() => provider.create(g));
    expect(d.byRoute).toEqual({ [ELIG_LIST]: 1, [ELIG_REQ]: 1 });
    const [s] = live("eligible", g.principalId, USER_ADMIN);
    expect(result).toEqual({ id: s!.id, outs: { ...g, scheduleId: s!.id, status: "Provisioned" } });
    expect(s!.endDateTime).toBe("2027-01-31T00:00:00Z");
    expect(lastRequest()).toMatchObject({ action: "adminAssign", justification: "On-call rotation 2026-Q4" });
  });

  it("adopts an identical schedule made by hand without writing anything", async () => {
    const g = grant({
      principal: "grace.hopper@contoso.com",
      roleDefinitionId: SECURITY_READER,
      end: "2027-03-01T00:00:00Z",
    });
    const existing = live("eligible", g.principalId, SECURITY_READER)[0]!;
    const { result, d } = await measure(() => provider.create(g));
    expect(d.byRoute).toEqual({ [ELIG_LIST]: 1 });
    expect(result.id).toBe(existing.id);
    expect(live("eligible", g.principalId, SECURITY_READER)).toHaveLength(1);
  });

  it("aligns a different schedule in place with adminUpdate, a later end as an earlier one (adminExtend is for expiring assignments)", async () => {
    const later = grant({
      principal: "alan.turing@contoso.com",
      roleDefinitionId: SECURITY_READER,
      end: "2027-02-15T00:00:00Z",
    });
    const existing = live("eligible", later.principalId, SECURITY_READER)[0]!;
    const { result, d } = await measure(() => provider.create(later));
    expect(d.byRoute).toEqual({ [ELIG_LIST]: 1, [ELIG_REQ]: 1 });
    // The schedule started long ago: the update keeps its start, in Graph's own format.
    expect(lastRequest()).toMatchObject({
      action: "adminUpdate",
      scheduleInfo: {
        startDateTime: existing.startDateTime,
        expiration: { endDateTime: "2027-02-15T00:00:00Z" },
      },
    });
    expect(result.id).toBe(existing.id);
    expect(live("eligible", later.principalId, SECURITY_READER).map((s) => [s.id, s.endDateTime])).toEqual([
      [existing.id, "2027-02-15T00:00:00Z"],
    ]);

    const earlier = grant({
      principal: "ken.thompson@contoso.com",
      roleDefinitionId: SECURITY_READER,
      end: "2027-04-01T00:00:00Z",
    });
    const before = live("eligible", earlier.principalId, SECURITY_READER)[0]!;
    const r2 = await provider.create(earlier);
    expect(lastRequest()).toMatchObject({ action: "adminUpdate" });
    expect(r2.id).toBe(before.id);
    expect(live("eligible", earlier.principalId, SECURITY_READER).map((s) => s.endDateTime)).toEqual([
      "2027-04-01T00:00:00Z",
    ]);
  });

  it("adopts on RoleAssignmentExists when another writer got there between our lookup and our request", async () => {
    const g = grant({ principal: "ada.lovelace@contoso.com", roleDefinitionId: GROUPS_ADMIN });
    // Both lookups are slowed down so that both see nothing; then both requests race.
    h.emu.faults.add({
      method: "GET",
      path: "/v1.0/roleManagement/directory/roleEligibilitySchedules",
      kind: "latency",
      latencyMs: 150,
      count: 2,
    });
    h.emu.log.clear();
    const [a, b] = await Promise.all([provider.create(g), provider.create(g)]);
    const schedules = live("eligible", g.principalId, GROUPS_ADMIN);
    expect(schedules).toHaveLength(1);
    expect(a.id).toBe(schedules[0]!.id);
    expect(b.id).toBe(schedules[0]!.id);
    const posts = h.emu.log
      .entries()
      .filter((e) => e.method === "POST")
      .map((e) => e.status)
      .sort();
    expect(posts).toEqual([201, 400]);
  });

  it("grants active assignments, and at administrative-unit and application scope", async () => {
    const active = grant({
      principal: "alan.turing@contoso.com",
      kind: "active",
      roleDefinitionId: AUTH_ADMIN,
      end: "2026-12-15T00:00:00Z",
    });
    const { result, d } = await measure(() => provider.create(active));
    expect(d.byRoute).toEqual({ [ASSIGN_LIST]: 1, [ASSIGN_REQ]: 1 });
    expect(
      live("active", active.principalId, AUTH_ADMIN).map((s) => [s.id, s._assignmentType, s.endDateTime]),
    ).toEqual([[result.id, "Assigned", "2026-12-15T00:00:00Z"]]);

    const au = [...h.emu.state.administrativeUnits.values()][0]!.id;
    const auScope = `/administrativeUnits/${au}`;
    const auGrant = grant({
      principal: "grace.hopper@contoso.com",
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: auScope,
    });
    const r2 = await provider.create(auGrant);
    expect(live("eligible", auGrant.principalId, USER_ADMIN, auScope).map((s) => s.id)).toEqual([r2.id]);
    expect(live("eligible", auGrant.principalId, USER_ADMIN, "/")).toEqual([]);

    const app = [...h.emu.state.applications.values()][0]!.id;
    const appGrant = grant({
      principal: "grace.hopper@contoso.com",
      roleDefinitionId: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
      directoryScopeId: `/${app}`,
    });
    const r3 = await provider.create(appGrant);
    expect(
      live("eligible", appGrant.principalId, "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", `/${app}`).map(
        (s) => s.id,
      ),
    ).toEqual([r3.id]);
  });

  it("keeps a future start and reports the schedule as Granted", async () => {
    const g = grant({
      principal: "c-jordan.lee@contoso.com",
      roleDefinitionId: USER_ADMIN,
      start: "2026-12-01T00:00:00Z",
      end: "2026-12-31T00:00:00Z",
    });
    const r = await provider.create(g);
    expect(r.outs.status).toBe("Granted");
    expect(live("eligible", g.principalId, USER_ADMIN).map((s) => [s.startDateTime, s.endDateTime])).toEqual([
      ["2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z"],
    ]);
  });
});

describe("create in a burst (pulumi up of many grants)", () => {
  it("looks up from one shared listing instead of one GET each, and confirms by id before adopting", async () => {
    const roles = [
      "11648597-926c-4cf3-9c36-bcebb0ba8dcc",
      "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
      "3a2c62db-5318-420d-8d74-23affee5d9d5",
      "69091246-20e8-4a56-aa4d-066075b2a7a8",
    ];
    const upns = [
      "ada.lovelace@contoso.com",
      "alan.turing@contoso.com",
      "grace.hopper@contoso.com",
      "ken.thompson@contoso.com",
      "c-jordan.lee@contoso.com",
      "bg-01@contoso.com",
    ];
    const inputs = roles.flatMap((r) =>
      upns.map((u) => grant({ principal: u, roleDefinitionId: r, end: "2027-02-01T00:00:00Z" })),
    );
    // Two of them exist already, exactly as declared.
    const pre = [await provider.create(inputs[0]!), await provider.create(inputs[7]!)];
    shared().resetSharedState();
    const total = () =>
      [...h.emu.state.schedules.values()].filter((s) => s._scope === "directory" && s._kind === "eligibility")
        .length;
    const listed = total();
    const { result, d } = await measure(() => Promise.all(inputs.map((i) => provider.create(i))));
    expect(d.byRoute).toEqual({
      [ELIG_LIST]: Math.ceil(listed / PAGE),
      [`${ELIG_LIST}/:id`]: 2,
      [ELIG_REQ]: inputs.length - 2,
    });
    expect(result[0]!.id).toBe(pre[0]!.id);
    expect(result[7]!.id).toBe(pre[1]!.id);
    expect(total()).toBe(listed + inputs.length - 2);
    for (const [k, i] of inputs.entries())
      expect(live("eligible", i.principalId, i.roleDefinitionId).map((s) => s.id)).toEqual([result[k]!.id]);
  });
});

describe("policy refusals", () => {
  const jordan = () =>
    grant({
      principal: "c-jordan.lee@contoso.com",
      roleDefinitionId: GLOBAL_ADMIN,
      end: "2027-06-01T00:00:00Z",
      label: "eligible Global Administrator for c-jordan.lee@contoso.com (c-jordan-lee-global-administrator)",
      roleName: "Global Administrator",
      principalName: "c-jordan.lee@contoso.com",
    });

  it("names the rule and the declared value, in both of Graph's message forms", async () => {
    const expected =
      /^Global Administrator: Entra refused the eligible assignment for c-jordan\.lee@contoso\.com: ExpirationRule — the declared end 2027-06-01 is beyond the policy's maximum P180D \(request-id [0-9a-f-]{36}\)$/;
    await expect(provider.create(jordan())).rejects.toThrow(expected);
    h.emu.state.settings.policyErrorMessageFormat = "list";
    try {
      await expect(provider.create(jordan())).rejects.toThrow(expected);
    } finally {
      h.emu.state.settings.policyErrorMessageFormat = "text";
    }
    expect(live("eligible", h.user("c-jordan.lee@contoso.com"), GLOBAL_ADMIN)).toEqual([]);
  });

  it("explains a missing end, a missing justification, a missing ticket and MFA an app cannot give", async () => {
    const msg = async (i: DirectoryRoleScheduleInputs) =>
      ((await provider.create(i).catch((e: Error) => e)) as Error).message.replace(
        / \(request-id [0-9a-f-]{36}\)$/,
        "",
      );
    expect(await msg({ ...jordan(), end: null })).toBe(
      "Global Administrator: Entra refused the eligible assignment for c-jordan.lee@contoso.com: ExpirationRule — the declared eligible assignment has no end, but the policy requires one (maximum P180D)",
    );
    expect(
      await msg(
        grant({
          principal: "ada.lovelace@contoso.com",
          kind: "active",
          roleDefinitionId: BILLING_ADMIN,
          justification: "",
          end: "2026-12-01T00:00:00Z",
        }),
      ),
    ).toBe(
      "grant for ada.lovelace@contoso.com: Entra refused the active assignment: JustificationRule — the policy requires a justification and the declared justification is empty",
    );
    expect(
      await msg(
        grant({
          principal: "ada.lovelace@contoso.com",
          kind: "active",
          roleDefinitionId: EXCHANGE_ADMIN,
          end: "2026-12-01T00:00:00Z",
          roleName: "Exchange Administrator",
          principalName: "ada.lovelace@contoso.com",
        }),
      ),
    ).toBe(
      "Exchange Administrator: Entra refused the active assignment for ada.lovelace@contoso.com: TicketingRule — the policy requires ticket information and the declaration names no ticket",
    );
    expect(
      await msg(
        grant({
          principal: "ada.lovelace@contoso.com",
          roleDefinitionId: HELPDESK_ADMIN,
          roleName: "Helpdesk Administrator",
          principalName: "ada.lovelace@contoso.com",
        }),
      ),
    ).toBe(
      "Helpdesk Administrator: Entra refused the eligible assignment for ada.lovelace@contoso.com: MfaRule — the policy requires multi-factor authentication to create an eligible assignment (Enablement_Admin_Eligibility), which an app-only deployment cannot provide; remove requireMfa from the eligibleAssignment settings",
    );
  });

  it("passes any other Graph error through behind the label, with its code", async () => {
    const g = grant({
      principal: "ada.lovelace@contoso.com",
      roleDefinitionId: "00000000-0000-4000-8000-000000000000",
    });
    await expect(provider.create(g)).rejects.toThrow(
      /^grant for ada\.lovelace@contoso\.com: POST \/roleManagement\/directory\/roleEligibilityScheduleRequests → 400 RoleNotFound: The role is not found\. \(request-id [0-9a-f-]{36}\)$/,
    );
  });
});

describe("update", () => {
  it("extends the end in place with one request and no lookup; the schedule id does not change", async () => {
    const g = grant({
      principal: "grace.hopper@contoso.com",
      roleDefinitionId: HELPDESK_ADMIN,
      kind: "active",
      end: "2026-12-10T00:00:00Z",
    });
    const created = await provider.create(g);
    const { result, d } = await measure(() =>
      provider.update(created.id, created.outs, { ...g, end: "2027-01-10T00:00:00Z" }),
    );
    expect(d.byRoute).toEqual({ [ASSIGN_REQ]: 1 });
    expect(lastRequest()).toMatchObject({
      action: "adminUpdate",
      scheduleInfo: {
        startDateTime: "2026-11-23T12:00:00Z",
        expiration: { endDateTime: "2027-01-10T00:00:00Z" },
      },
    });
    expect(result.outs.scheduleId).toBe(created.id);
    expect(live("active", g.principalId, HELPDESK_ADMIN).map((s) => [s.id, s.endDateTime])).toEqual([
      [created.id, "2027-01-10T00:00:00Z"],
    ]);

    const shorter = await measure(() =>
      provider.update(created.id, result.outs, { ...g, end: "2026-12-20T00:00:00Z" }),
    );
    expect(shorter.d.byRoute).toEqual({ [ASSIGN_REQ]: 1 });
    expect(lastRequest()).toMatchObject({ action: "adminUpdate" });
    expect(live("active", g.principalId, HELPDESK_ADMIN).map((s) => [s.id, s.endDateTime])).toEqual([
      [created.id, "2026-12-20T00:00:00Z"],
    ]);
  });

  it("sends nothing when only the justification, ticket or label change", async () => {
    const g = grant({ principal: "alan.turing@contoso.com", roleDefinitionId: GROUPS_ADMIN });
    const created = await provider.create(g);
    const { result, d } = await measure(() =>
      provider.update(created.id, created.outs, {
        ...g,
        justification: "new words",
        ticket: { system: "Jira", number: "SEC-1" },
        label: "renamed",
      }),
    );
    expect(d.requests).toBe(0);
    expect(result.outs).toEqual({
      ...g,
      justification: "new words",
      ticket: { system: "Jira", number: "SEC-1" },
      label: "renamed",
      scheduleId: created.id,
      status: "Provisioned",
    });
  });
});

describe("read (refresh)", () => {
  it("returns the live schedule after Graph purged the request that created it (45 days)", async () => {
    const g = grant({
      principal: "ada.lovelace@contoso.com",
      roleDefinitionId: BILLING_ADMIN,
      end: "2027-09-01T00:00:00Z",
    });
    const created = await provider.create(g);
    expect(h.emu.state.requests.has(created.id)).toBe(true);
    h.emu.clock.advance(46 * DAY);
    try {
      expect(h.emu.state.requests.has(created.id)).toBe(false);
      const read = await provider.read(created.id, created.outs);
      expect(read).toEqual({ id: created.id, props: created.outs, inputs: g });
    } finally {
      h.emu.clock.set(NOW);
    }
  });

  it("reports an end changed in the portal, and the next apply puts the declared end back in place", async () => {
    const g = grant({
      principal: "ken.thompson@contoso.com",
      roleDefinitionId: USER_ADMIN,
      end: "2027-01-31T00:00:00Z",
    });
    const created = await provider.create(g);
    live("eligible", g.principalId, USER_ADMIN)[0]!.endDateTime = "2027-06-30T00:00:00Z";
    const read = await provider.read(created.id, created.outs);
    expect(read.props).toEqual({ ...created.outs, end: "2027-06-30T00:00:00Z" });
    expect(await provider.diff(created.id, read.props!, g)).toEqual({ changes: true, replaces: [] });
    await provider.update(created.id, read.props!, g);
    expect(lastRequest()).toMatchObject({ action: "adminUpdate" });
    expect(live("eligible", g.principalId, USER_ADMIN).map((s) => [s.id, s.endDateTime])).toEqual([
      [created.id, "2027-01-31T00:00:00Z"],
    ]);
  });

  it("reports a schedule removed in the portal or expired as gone (empty id)", async () => {
    const g = grant({
      principal: "grace.hopper@contoso.com",
      roleDefinitionId: GROUPS_ADMIN,
      end: "2026-11-30T00:00:00Z",
    });
    const created = await provider.create(g);
    h.emu.clock.advance(8 * DAY);
    try {
      expect(await provider.read(created.id, created.outs)).toEqual({});
    } finally {
      h.emu.clock.set(NOW);
    }
  });

  it("answers a lone read with one $batch, and a burst of reads from one paged listing (not one GET each)", async () => {
    const created: { id: string; outs: DirectoryRoleScheduleOutputs }[] = [];
    for (const upn of [
      "ada.lovelace@contoso.com",
      "alan.turing@contoso.com",
      "grace.hopper@contoso.com",
      "ken.thompson@contoso.com",
      "c-jordan.lee@contoso.com",
    ]) {
      for (const role of [
        "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
        "d37c8bed-0711-4417-ba38-b4abe66ce4c2",
        "44367163-eba1-44c3-98af-f5787879f96a",
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "17315797-102d-40b4-93e0-432062caca18",
      ]) {
        created.push(await provider.create(grant({ principal: upn, roleDefinitionId: role })));
      }
    }
    shared().resetSharedState(); // a later refresh, in a new provider process
    const lone = await measure(() => provider.read(created[0]!.id, created[0]!.outs));
    // One HTTP request; the emulator also counts the GET inside the batch by its route.
    expect(lone.d.requests).toBe(1);
    expect(lone.d.byRoute).toEqual({ [BATCH]: 1, [`${ELIG_LIST}/:id`]: 1 });
    expect(lone.result.id).toBe(created[0]!.id);

    const total = [...h.emu.state.schedules.values()].filter(
      (s) => s._scope === "directory" && s._kind === "eligibility",
    ).length;
    const burst = await measure(() => Promise.all(created.map((c) => provider.read(c.id, c.outs))));
    expect(total).toBeGreaterThan(2 * PAGE);
    expect(burst.d.byRoute).toEqual({ [ELIG_LIST]: Math.ceil(total / PAGE) });
    expect(burst.result.map((r) => r.id)).toEqual(created.map((c) => c.id));
    expect(burst.result.map((r) => r.props)).toEqual(created.map((c) => c.outs));
  }, 20_000);
});

describe("delete", () => {
  it("removes the schedule with adminRemove", async () => {
    const g = grant({ principal: "ada.lovelace@contoso.com", roleDefinitionId: EXCHANGE_ADMIN });
    const created = await provider.create(g);
    const { d } = await measure(() => provider.delete(created.id, created.outs));
    expect(d.byRoute).toEqual({ [ELIG_REQ]: 1 });
    expect(lastRequest()).toMatchObject({ action: "adminRemove", status: "Revoked" });
    expect(live("eligible", g.principalId, EXCHANGE_ADMIN)).toEqual([]);
  });

  it("succeeds when the schedule already expired (RoleAssignmentDoesNotExist)", async () => {
    const g = grant({
      principal: "alan.turing@contoso.com",
      kind: "active",
      roleDefinitionId: BILLING_ADMIN,
      end: "2026-11-25T00:00:00Z",
    });
    const created = await provider.create(g);
    h.emu.clock.advance(3 * DAY);
    h.syncClock();
    try {
      expect(live("active", g.principalId, BILLING_ADMIN)).toEqual([]);
      h.emu.log.clear();
      await expect(provider.delete(created.id, created.outs)).resolves.toBeUndefined();
      // The refused removal, then one look that finds no pending grant to cancel either.
      expect(h.emu.log.entries().map((e) => `${e.method} ${e.status}`)).toEqual(["POST 400", "GET 200"]);
    } finally {
      h.emu.clock.set(NOW);
      h.syncClock();
    }
  });

  it("succeeds when the schedule was removed in the portal, and when our removal's answer was lost", async () => {
    const g = grant({ principal: "grace.hopper@contoso.com", roleDefinitionId: EXCHANGE_ADMIN });
    const created = await provider.create(g);
    h.emu.state.schedules.delete(created.id);
    await expect(provider.delete(created.id, created.outs)).resolves.toBeUndefined();

    const again = await provider.create(g);
    h.emu.faults.add({
      method: "POST",
      path: "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests",
      kind: "commitThenDrop",
      count: 1,
    });
    await expect(provider.delete(again.id, again.outs)).resolves.toBeUndefined();
    expect(live("eligible", g.principalId, EXCHANGE_ADMIN)).toEqual([]);
  });
});

describe("throttling and lost responses", () => {
  it("rides out a 429 storm: every throttled request is retried after Retry-After, nothing is duplicated", async () => {
    const g = grant({ principal: "ken.thompson@contoso.com", roleDefinitionId: AUTH_ADMIN });
    h.emu.log.clear();
    h.emu.faults.add({ path: "/v1.0/roleManagement/**", kind: "throttle", retryAfterSeconds: 1, count: 3 });
    const started = Date.now();
    const r = await provider.create(g);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(h.emu.log.entries().map((e) => `${e.method} ${e.status}`)).toEqual([
      "GET 429",
      "GET 429",
      "GET 429",
      "GET 200",
      "POST 201",
    ]);
    expect(live("eligible", g.principalId, AUTH_ADMIN).map((s) => s.id)).toEqual([r.id]);
  }, 20_000);

  it("rides out a storm over concurrent creates: 30 throttled answers, ten grants, no duplicates", async () => {
    const role = "e8611ab8-c189-46e8-94e1-60213ab1f814"; // Privileged Role Administrator
    const upns = [
      "ada.lovelace@contoso.com",
      "alan.turing@contoso.com",
      "grace.hopper@contoso.com",
      "ken.thompson@contoso.com",
      "c-jordan.lee@contoso.com",
    ];
    const inputs = upns.flatMap((u) => [
      grant({ principal: u, roleDefinitionId: role, end: "2027-01-15T00:00:00Z" }),
      grant({ principal: u, roleDefinitionId: role, kind: "active", end: "2026-12-15T00:00:00Z" }),
    ]);
    h.emu.log.clear();
    h.emu.faults.add({ path: "/v1.0/roleManagement/**", kind: "throttle", retryAfterSeconds: 1, count: 30 });
    const results = await Promise.all(inputs.map((i) => provider.create(i)));
    const statuses = h.emu.log.entries().map((e) => e.status);
    expect(statuses.filter((x) => x === 429)).toHaveLength(30);
    expect(statuses.filter((x) => x === 201)).toHaveLength(10);
    for (const [k, i] of inputs.entries()) {
      expect(live(i.kind, i.principalId, role).map((s) => s.id)).toEqual([results[k]!.id]);
    }
  }, 30_000);

  it("after commit-then-drop, create finds the committed schedule and adopts it; a retried create does not duplicate it", async () => {
    const g = grant({
      principal: "c-jordan.lee@contoso.com",
      roleDefinitionId: AUTH_ADMIN,
      end: "2026-12-31T00:00:00Z",
    });
    h.emu.faults.add({
      method: "POST",
      path: "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests",
      kind: "commitThenDrop",
      count: 1,
    });
    h.emu.log.clear();
    const first = await provider.create(g);
    expect(h.emu.log.entries().map((e) => `${e.method} ${e.path}`)).toEqual([
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules",
      "POST /v1.0/roleManagement/directory/roleEligibilityScheduleRequests",
      "GET /v1.0/roleManagement/directory/roleEligibilitySchedules",
    ]);
    const schedules = live("eligible", g.principalId, AUTH_ADMIN);
    expect(schedules.map((s) => s.id)).toEqual([first.id]);

    // Pulumi retries the create (e.g. the first attempt was reported failed): still one schedule, same id.
    const { result: second, d } = await measure(() => provider.create(g));
    expect(d.byRoute).toEqual({ [ELIG_LIST]: 1 });
    expect(second.id).toBe(first.id);
    expect(live("eligible", g.principalId, AUTH_ADMIN)).toHaveLength(1);
  });
});
