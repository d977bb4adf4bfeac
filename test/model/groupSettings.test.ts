// PIM-for-Groups settings: the limits the loader refuses (model/settings/groupLimits.ts) and azuread's spelling of
// a group policy (model/settings/azureadGroupPolicy.ts), which the policy pack reads back. Pure.
import { describe, expect, it } from "vitest";
import { graphDefaults, type ResolvedSettings } from "../../model";
import { toAzureadGroupPolicy } from "../../model/settings/azureadGroupPolicy";
import { toGraphRules } from "../../model/settings/graphRules";
import {
  groupActivationDuration,
  groupExpireAfter,
  groupSettingsProblems,
} from "../../model/settings/groupLimits";

describe("PIM-for-Groups limits", () => {
  it.each([
    ["PT30M", "PT30M"],
    ["PT1H", "PT1H"],
    ["PT1H30M", "PT1H30M"],
    ["PT23H30M", "PT23H30M"],
    ["PT24H", "P1D"],
    ["P1D", "P1D"],
    ["PT45M", null],
    ["PT20M", null],
    ["PT25H", null],
  ])("activation maximum %s → %s", (input, out) => {
    expect(groupActivationDuration(input)).toBe(out);
  });

  it.each([
    ["P15D", "P15D"],
    ["P2W", null],
    ["PT360H", "P15D"],
    ["P365D", "P365D"],
    ["P42D", null],
  ])("assignment expiry %s → %s", (input, out) => {
    expect(groupExpireAfter(input)).toBe(out);
  });

  it("refuses the `none` notification level with the fix, and nothing in Graph's group defaults", () => {
    const s = graphDefaults("group");
    expect(groupSettingsProblems(s, "Ops (member)")).toEqual([]);
    const none: ResolvedSettings = {
      ...s,
      notifications: {
        ...s.notifications,
        activation: {
          ...s.notifications.activation,
          approver: { level: "none", defaultRecipients: false, additionalRecipients: [] },
        },
      },
    };
    expect(groupSettingsProblems(none, "Ops (member)").map(({ path, reason }) => ({ path, reason }))).toEqual(
      [
        {
          path: "notifications.activation.approver.level",
          reason:
            '"none" cannot be set on a PIM-for-Groups policy through azuread (it accepts all or critical). Use level: critical with defaultRecipients: false.',
        },
      ],
    );
  });
});

describe("azuread's spelling of a group policy", () => {
  it("uses the authentication context instead of MFA when one is declared", () => {
    const s = graphDefaults("group");
    expect(toAzureadGroupPolicy(toGraphRules(s, {})).activationRules.requireMultifactorAuthentication).toBe(
      s.activation.requireMfa,
    );
    const ctx: ResolvedSettings = {
      ...s,
      activation: { ...s.activation, requireMfa: false, authenticationContext: "c1" },
    };
    const rules = toAzureadGroupPolicy(toGraphRules(ctx, {})).activationRules;
    expect(rules.requiredConditionalAccessAuthenticationContext).toBe("c1");
    expect("requireMultifactorAuthentication" in rules).toBe(false);
  });
});
