/**
 * The schedule provider never ends or removes the tenant's last permanent Global Administrator, whatever state
 * and inputs the engine hands it: delete, update to an end date and adopt-with-an-end are all refused before
 * anything is sent, and the assignment is still there afterwards. With a second permanent Global Administrator
 * the same removal goes through, and requests that cannot end one never pay for the extra read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryRoleScheduleProvider as provider } from "../../providers/directoryRoleSchedule/index";
import type { DirectoryRoleScheduleOutputs } from "../../providers/types";
import { delta, GLOBAL_ADMIN, seed, startHarness, USER_ADMIN, type Harness } from "./helpers";

const INSTANCES = "GET /roleManagement/directory/roleAssignmentScheduleInstances";
const ASSIGN_REQ = "POST /roleManagement/directory/roleAssignmentScheduleRequests";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    seed: seed({
      users: [...seed().users!, { upn: "bg-02@contoso.com", displayName: "Break Glass 02" }],
    }),
  });
});
afterAll(async () => h?.stop());

/** What a state holding the break-glass account's assignment as a managed schedule would say. */
function state(upn: string): DirectoryRoleScheduleOutputs {
  return {
    kind: "active",
    principalId: h.user(upn),
    roleDefinitionId: GLOBAL_ADMIN,
    directoryScopeId: "/",
    start: null,
    end: null,
    justification: "Emergency access",
    ticket: null,
    label: `active Global Administrator for ${upn} (bg)`,
    scheduleId: "unused",
    status: "Provisioned",
  };
}

const holdsGa = (upn: string) =>
  [...h.emu.state.schedules.values()].some(
    (s) => s._kind === "assignment" && s._target === GLOBAL_ADMIN && s.principalId === h.user(upn),
  );

const refusal = (upn: string, what: string) =>
  `refusing to ${what} the Global Administrator assignment of ${h.user(upn)}: it is the tenant's only permanent ` +
  "active Global Administrator, and without it nobody could administer the tenant once PIM, MFA or Conditional " +
  "Access fails. Nothing was sent. Fix: declare the account under breakGlass (and delete the grant that names it), " +
  "or first give a second cloud-only break-glass account Global Administrator permanently.";

describe("the last permanent Global Administrator", () => {
  it("is never removed: delete is refused after one read, and nothing is sent", async () => {
    const before = h.emu.counters();
    await expect(provider.delete("unused", state("bg-01@contoso.com"))).rejects.toThrow(
      refusal("bg-01@contoso.com", "remove"),
    );
    expect(delta(before, h.emu.counters())).toMatchObject({ writes: 0, byRoute: { [INSTANCES]: 1 } });
    expect(holdsGa("bg-01@contoso.com")).toBe(true);
  });

  it("is never given an end date, by update or by a create that would adopt it", async () => {
    const before = h.emu.counters();
    const withEnd = { ...state("bg-01@contoso.com"), end: "2027-01-31T00:00:00.000Z" };
    await expect(provider.update("unused", state("bg-01@contoso.com"), withEnd)).rejects.toThrow(
      refusal("bg-01@contoso.com", "give an end date to"),
    );
    const { scheduleId: _s, status: _st, ...inputs } = withEnd;
    await expect(provider.create(inputs)).rejects.toThrow(
      refusal("bg-01@contoso.com", "give an end date to"),
    );
    expect(delta(before, h.emu.counters()).writes).toBe(0);
    expect(holdsGa("bg-01@contoso.com")).toBe(true);
  });

  it("costs nothing for requests that cannot end a Global Administrator", async () => {
    const before = h.emu.counters();
    const out = await provider.create({
      kind: "active",
      principalId: h.user("ada.lovelace@contoso.com"),
      roleDefinitionId: USER_ADMIN,
      directoryScopeId: "/",
      start: null,
      end: "2026-12-20T00:00:00.000Z",
      justification: "Migration weekend",
      ticket: null,
      label: "active User Administrator for ada.lovelace@contoso.com (t)",
    });
    const d = delta(before, h.emu.counters());
    expect(d.byRoute[INSTANCES]).toBeUndefined();
    expect(d.byRoute[ASSIGN_REQ]).toBe(1);
    await provider.delete(out.id, out.outs);
  });

  it("can be removed once another account holds Global Administrator permanently", async () => {
    h.emu.state.addSchedule({
      kind: "assignment",
      principalId: h.user("bg-02@contoso.com"),
      roleDefinitionId: GLOBAL_ADMIN,
      startDateTime: "2026-01-01T00:00:00Z",
      endDateTime: null,
    });
    await provider.delete("unused", state("bg-01@contoso.com"));
    expect(holdsGa("bg-01@contoso.com")).toBe(false);
    await expect(provider.delete("unused", state("bg-02@contoso.com"))).rejects.toThrow(
      refusal("bg-02@contoso.com", "remove"),
    );
    expect(holdsGa("bg-02@contoso.com")).toBe(true);
  });
});
