/**
 * The pack reads the break-glass accounts from the BreakGlass component the program registers (its inputs are
 * the accounts it verified), since no resource holds their assignments any more: with two accounts the stack is
 * compliant, with one it is PIM-006, and the headcount counts them; config, when it names accounts, decides.
 */
import { describe, expect, it } from "vitest";
import { PIM_TYPES } from "../../policies/adapters";
import { createPolicies } from "../../policies/policies";
import * as R from "./fixtures/resources";
import {
  allResourceViolations,
  allStackViolations,
  validateStack,
  stackArgs,
  type FakeResource,
} from "./packHelpers";

const { resourcePolicies, stackPolicies } = createPolicies({ now: () => R.NOW });

const breakGlass = (...ids: string[]): FakeResource => ({
  type: PIM_TYPES.BreakGlass,
  name: "tenant-break-glass",
  parents: ["pim:index:Tenant"],
  props: {
    accounts: ids.map((objectId, i) => ({
      upn: `bg-${i + 1}@contoso.onmicrosoft.com`,
      objectId,
      assignmentInstanceId: `instance-${i + 1}`,
    })),
  },
});

/**
 * Ken holds Global Administrator beside the break-glass accounts; three people hold Exchange Administrator, so
 * Global Administrators do not outnumber the holders of finer-grained roles (PIM-002).
 */
const stack = (bg: FakeResource) => [
  R.directoryRoleSettings(),
  R.directoryRoleSchedule(),
  bg,
  R.roleSettingsFor(R.EXCHANGE, "Exchange Administrator", { maximumDuration: "PT4H" }),
  R.scheduleFor("66666666-6666-6666-6666-666666666666", R.EXCHANGE, "exchange-1"),
  R.scheduleFor("77777777-7777-7777-7777-777777777777", R.EXCHANGE, "exchange-2"),
  R.scheduleFor("88888888-8888-8888-8888-888888888888", R.EXCHANGE, "exchange-3"),
  R.groupRoleManagementPolicy(),
  R.groupEligibilitySchedule(),
  R.pimGroupRoleAssignment("729827e3-9c14-49f7-bb1b-9608f156bbb8"),
  {
    ...R.directoryRoleSettings(),
    name: "helpdesk-settings",
    props: {
      ...R.directoryRoleSettings().props,
      roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
      roleName: "Helpdesk Administrator",
    },
  },
];

describe("the BreakGlass component in the pack", () => {
  it("two verified accounts: compliant; one: PIM-006", async () => {
    expect(await allStackViolations(stackPolicies, stack(breakGlass(R.BG1, R.BG2)))).toEqual({});
    expect(await allStackViolations(stackPolicies, stack(breakGlass(R.BG1)))).toEqual({
      "pim-006-at-least-two-break-glass-accounts": [
        {
          message:
            "[PIM-006 high] breakGlass: 1 break-glass account is declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out. Fix: declare at least 2 cloud-only emergency access accounts (for example bg-1@<tenant>.onmicrosoft.com) under breakGlass.",
        },
      ],
    });
  });

  it("counts them as Global Administrators", async () => {
    const policy = stackPolicies.find(
      (p) => p.name === "pim-001-global-administrator-headcount-within-bounds",
    )!;
    const found = await validateStack(policy, stackArgs(stack(breakGlass(R.BG1, R.BG2)), { max: 2 }));
    expect(found.violations.map((v) => v.message)).toEqual([
      `[PIM-001 high] Global Administrator: 3 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): ${R.BG1}, ${R.BG2} and ken.thompson@contoso.com; at most 2 are allowed. Fix: move the people who do not need tenant-wide control to narrower roles (User Administrator, Exchange Administrator, ...) and delete their Global Administrator grants.`,
    ]);
  });

  it("with breakGlass in config, an account config does not name is a plain permanent Global Administrator", async () => {
    expect(
      await allResourceViolations(resourcePolicies, breakGlass(R.BG1), { breakGlass: [R.BG1, R.BG2] }),
    ).toEqual({});
    const found = await allResourceViolations(resourcePolicies, breakGlass(R.KEN), {
      breakGlass: [R.BG1, R.BG2],
    });
    expect(Object.keys(found)).toEqual([
      "pim-004-no-permanent-active-role-assignments",
      "pim-005-privileged-roles-are-assigned-only-through-pim",
    ]);
  });
});
