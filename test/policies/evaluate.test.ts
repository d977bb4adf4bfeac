/** evaluateSafeDefaults: profiles, per-rule overrides, tiers, configuration errors and exemptions. */
import { describe, expect, it } from "vitest";
import { evaluateSafeDefaults, type Finding } from "../../policies/rules";
import { loadEdited, NOW, replaceOnce, withSafeDefaults } from "./fixtures/demo";

const noBreakGlass = (t: string) => replaceOnce(t, /\nbreakGlass:\n(?: {2}.*\n)+/, "\n");
const brief = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.severity, f.mandatory, f.object]);

describe("profiles", () => {
  it("the strict profile applies Microsoft's stricter values", () => {
    const model = loadEdited(withSafeDefaults("safeDefaults:\n  profile: strict\n"));
    expect(brief(evaluateSafeDefaults(model, { now: NOW }))).toEqual([
      ["PIM-020", "high", true, "Conditional Access Administrator"],
      ["PIM-020", "high", true, "Security Administrator"],
      ["PIM-020", "high", true, "User Administrator"],
      ["PIM-017", "medium", false, "ada-lovelace-security-reader"],
      ["PIM-017", "medium", false, "c-jordan-lee-global-administrator"],
      ["PIM-017", "medium", false, "Security Reader"],
      ["PIM-026", "medium", false, "Conditional Access Administrator"],
      ["PIM-026", "medium", false, "Security Administrator"],
      ["PIM-026", "medium", false, "User Administrator"],
    ]);
  });
});

describe("locations", () => {
  it("points tenant-wide findings at tenant.yaml, so SARIF can annotate them", () => {
    const model = loadEdited(noBreakGlass);
    expect(evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.source])).toEqual([
      ["PIM-006", { file: "stacks/demo/tenant.yaml", line: 1, column: 1 }],
    ]);
  });
});

describe("per-rule overrides", () => {
  it("enabled: false turns a rule off, and switching off a mandatory rule is itself a mandatory finding", () => {
    const model = loadEdited((t) =>
      withSafeDefaults("safeDefaults:\n  rules:\n    PIM-006: { enabled: false }\n")(noBreakGlass(t)),
    );
    expect(
      evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.mandatory, f.object, f.message]),
    ).toEqual([
      [
        "PIM-043",
        true,
        "safeDefaults.rules.PIM-006",
        "PIM-006 (At least two break-glass accounts) has mandatory findings, but the override switches it off, for every object and with no end date",
      ],
    ]);
    // An advisory rule may be switched off without a finding.
    const advisory = loadEdited(
      withSafeDefaults("safeDefaults:\n  rules:\n    PIM-025: { enabled: false }\n"),
    );
    expect(evaluateSafeDefaults(advisory, { now: NOW })).toEqual([]);
  });

  it("severity changes the finding's severity and whether it is mandatory", () => {
    const model = loadEdited((t) =>
      withSafeDefaults("safeDefaults:\n  rules:\n    PIM-006: { severity: low }\n")(noBreakGlass(t)),
    );
    expect(brief(evaluateSafeDefaults(model, { now: NOW }))).toEqual([
      ["PIM-043", "high", true, "safeDefaults.rules.PIM-006"],
      ["PIM-006", "low", false, "breakGlass"],
    ]);
  });

  it("params change what a rule allows", () => {
    const model = loadEdited(
      withSafeDefaults("safeDefaults:\n  rules:\n    PIM-001: { params: { max: 3 } }\n"),
    );
    expect(evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.message])).toEqual([
      [
        "PIM-001",
        "4 people hold Global Administrator (eligible or active, directly or through groups, break-glass included): bg-alpha@contoso.onmicrosoft.com, bg-bravo@contoso.onmicrosoft.com, c-jordan.lee@contoso.com and ken.thompson@contoso.com; at most 3 are allowed",
      ],
    ]);
  });

  it("tiers move roles into Tier-0 for every rule", () => {
    const model = loadEdited(
      withSafeDefaults(
        "safeDefaults:\n  rules:\n    tiers: { params: { tier0: [Global Administrator, Privileged Role Administrator, Security Reader] } }\n",
      ),
    );
    expect(brief(evaluateSafeDefaults(model, { now: NOW }))).toEqual([
      ["PIM-026", "medium", false, "Security Reader"],
      ["PIM-025", "low", false, "Security Reader"],
    ]);
  });
});

describe("configuration errors (PIM-042)", () => {
  it("reports an unknown rule id, on the override's line", () => {
    let edited = "";
    const model = loadEdited(
      (t) => (edited = withSafeDefaults("safeDefaults:\n  rules:\n    PIM-999: { enabled: false }\n")(t)),
    );
    const line = edited.split("\n").indexOf("    PIM-999: { enabled: false }") + 1;
    expect(
      evaluateSafeDefaults(model, { now: NOW }).map((f) => [
        f.ruleId,
        f.mandatory,
        f.object,
        f.message,
        f.source,
      ]),
    ).toEqual([
      [
        "PIM-042",
        true,
        "safeDefaults.rules.PIM-999",
        '"PIM-999" is not a rule id, so its override changes nothing',
        { file: "stacks/demo/tenant.yaml", line, column: 5 },
      ],
    ]);
  });

  it("reports bad params and runs the rule with the profile's values", () => {
    const model = loadEdited((t) =>
      withSafeDefaults("safeDefaults:\n  rules:\n    PIM-006: { params: { minimum: 3 } }\n")(noBreakGlass(t)),
    );
    expect(evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.message])).toEqual([
      [
        "PIM-006",
        "0 break-glass accounts are declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out",
      ],
      ["PIM-042", "PIM-006 params: unknown parameter minimum"],
    ]);
  });

  it("reports a tier naming no role", () => {
    const model = loadEdited(
      withSafeDefaults("safeDefaults:\n  rules:\n    tiers: { params: { tier0: [Global Admin] } }\n"),
    );
    expect(evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.message])).toEqual([
      [
        "PIM-042",
        "tiers params.tier0.0: is not a role in the catalog (use a display name such as Global Administrator, or a role id)",
      ],
    ]);
  });
});

describe("exemptions (PIM-041)", () => {
  const exemption = (extra: string) =>
    `safeDefaults:\n  exemptions:\n    - rule: PIM-006\n      object: breakGlass\n      justification: accounts being re-created after the incident INC-42\n${extra}`;

  it("an exemption with an end date suppresses the finding, which is still reported as exempted", () => {
    let edited = "";
    const model = loadEdited(
      (t) =>
        (edited = withSafeDefaults(
          exemption("      expires: 2027-01-31\n      approvedBy: ciso@contoso.com\n"),
        )(noBreakGlass(t))),
    );
    const line = edited.split("\n").indexOf("    - rule: PIM-006") + 1;
    expect(line).toBeGreaterThan(1);
    expect(evaluateSafeDefaults(model, { now: NOW })).toEqual([
      expect.objectContaining({
        ruleId: "PIM-006",
        mandatory: false,
        exempted: {
          justification: "accounts being re-created after the incident INC-42",
          expires: "2027-02-01T00:00:00.000Z",
          approvedBy: "ciso@contoso.com",
          source: { file: "stacks/demo/tenant.yaml", line, column: 7 },
        },
      }),
    ]);
  });

  it("an exemption without an end date suppresses, but is itself a mandatory finding", () => {
    const model = loadEdited((t) => withSafeDefaults(exemption(""))(noBreakGlass(t)));
    expect(
      evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.mandatory, f.object, f.message]),
    ).toEqual([
      [
        "PIM-006",
        false,
        "breakGlass",
        "0 break-glass accounts are declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out",
      ],
      [
        "PIM-041",
        true,
        "PIM-006 breakGlass",
        "the exemption from PIM-006 for breakGlass has no end date, so it would switch the rule off for good",
      ],
    ]);
  });

  it("an expired exemption no longer suppresses, and says so", () => {
    const model = loadEdited((t) =>
      withSafeDefaults(exemption("      expires: 2026-10-31\n"))(noBreakGlass(t)),
    );
    expect(brief(evaluateSafeDefaults(model, { now: NOW }))).toEqual([
      ["PIM-006", "high", true, "breakGlass"],
      ["PIM-041", "high", true, "PIM-006 breakGlass"],
    ]);
    expect(evaluateSafeDefaults(model, { now: NOW })[1]!.message).toBe(
      "the exemption from PIM-006 for breakGlass ended on 2026-10-31 and no longer applies",
    );
  });

  it("an exemption that matches nothing is a low finding", () => {
    const model = loadEdited(withSafeDefaults(exemption("      expires: 2027-01-31\n")));
    expect(brief(evaluateSafeDefaults(model, { now: NOW }))).toEqual([
      ["PIM-041", "low", false, "PIM-006 breakGlass"],
    ]);
  });

  it("matches rule and object case-insensitively, and only that object", () => {
    const model = loadEdited(
      withSafeDefaults(
        "safeDefaults:\n  rules:\n    PIM-001: { params: { max: 3 } }\n  exemptions:\n    - rule: pim-001\n      object: global administrator\n      justification: migration overlap\n      expires: 2026-12-31\n",
      ),
    );
    expect(brief(evaluateSafeDefaults(model, { now: NOW }))).toEqual([
      ["PIM-001", "high", false, "Global Administrator"],
    ]);
  });
});
