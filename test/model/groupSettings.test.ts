// azuread's spelling of a PIM-for-Groups policy (model/settings/azureadGroupPolicy.ts), which the policy pack reads
// back from azuread resources a stack or another program registers. Pure.
import { describe, expect, it } from "vitest";
import { graphDefaults, type ResolvedSettings } from "../../model";
import {
  azureadActivationDuration,
  azureadExpireAfter,
  toAzureadGroupPolicy,
} from "../../model/settings/azureadGroupPolicy";
import { toGraphRules } from "../../model/settings/graphRules";

describe("azuread's duration steps (for azuread inputs the pack reads back)", () => {
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
    expect(azureadActivationDuration(input)).toBe(out);
  });

  it.each([
    ["P15D", "P15D"],
    ["P2W", null],
    ["PT360H", "P15D"],
    ["P365D", "P365D"],
    ["P42D", null],
  ])("assignment expiry %s → %s", (input, out) => {
    expect(azureadExpireAfter(input)).toBe(out);
  });

  it("passes what it cannot spell through as found, and writes the `none` level as Critical", () => {
    const s = graphDefaults("group");
    const odd: ResolvedSettings = {
      ...s,
      activation: { ...s.activation, maximumDuration: "PT10H45M" },
      eligibleAssignment: { ...s.eligibleAssignment, allowPermanent: false, maximumDuration: "P60D" },
      notifications: {
        ...s.notifications,
        activation: {
          ...s.notifications.activation,
          approver: { level: "none", defaultRecipients: false, additionalRecipients: [] },
        },
      },
    };
    const a = toAzureadGroupPolicy(toGraphRules(odd, {}));
    expect(a.activationRules.maximumDuration).toBe("PT10H45M");
    expect(a.eligibleAssignmentRules).toEqual({ expirationRequired: true, expireAfter: "P60D" });
    expect(a.notificationRules.eligibleActivations.approverNotifications).toEqual({
      notificationLevel: "Critical",
      defaultRecipients: false,
      additionalRecipients: [],
    });
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
