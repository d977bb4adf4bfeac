/**
 * No silent way around a mandatory rule (issue 10 item 4): each way an override or an exemption could lift a rule
 * with mandatory findings is itself a mandatory finding, unless a short-lived, justified exemption covers it.
 */
import { describe, expect, it } from "vitest";
import { evaluateSafeDefaults, type Finding } from "../../policies/rules";
import { loadEdited, NOW, replaceOnce, withSafeDefaults } from "./fixtures/demo";

const run = (yaml: string, edit: (t: string) => string = (t) => t) =>
  evaluateSafeDefaults(
    loadEdited((t) => withSafeDefaults(yaml)(edit(t))),
    { now: NOW },
  );
const blocking = (fs: Finding[]) => fs.filter((f) => f.mandatory).map((f) => [f.ruleId, f.object, f.message]);
const rules = (body: string) => `safeDefaults:\n  rules:\n${body}`;
const noBreakGlass = (t: string) => replaceOnce(t, /\nbreakGlass:\n(?: {2}.*\n)+/, "\n");
const gaWindow = (d: string) => (t: string) =>
  replaceOnce(
    t,
    "    - role: Global Administrator\n      profile: tier0\n",
    `    - role: Global Administrator\n      profile: tier0\n      activation: { maximumDuration: ${d} }\n`,
  );

describe("PIM-043: overrides that would lift a mandatory rule", () => {
  it("enabled: false on a mandatory rule", () => {
    expect(blocking(run(rules("    PIM-006: { enabled: false }\n"), noBreakGlass))).toEqual([
      [
        "PIM-043",
        "safeDefaults.rules.PIM-006",
        "PIM-006 (At least two break-glass accounts) has mandatory findings, but the override switches it off, for every object and with no end date",
      ],
    ]);
  });

  it("severity: low on a rule whose own severity is medium but whose findings can be high (PIM-026)", () => {
    const fs = run(rules("    PIM-026: { severity: low }\n"), gaWindow("PT12H"));
    expect(blocking(fs)).toEqual([
      [
        "PIM-043",
        "safeDefaults.rules.PIM-026",
        "PIM-026 (Activation duration bounded per tier) has mandatory findings, but the override lowers it to low, for every object and with no end date",
      ],
    ]);
    // Without the override the same 12-hour Tier-0 window is mandatory.
    expect(blocking(run("safeDefaults:\n  profile: cisa\n", gaWindow("PT12H")))).toEqual([
      [
        "PIM-026",
        "Global Administrator",
        "activating Global Administrator may last up to 12h; at most 4h is allowed for Tier-0 roles",
      ],
    ]);
  });

  it.each([
    ["PIM-001", "{ max: 12 }", "max 12 is above the baseline's 8 (CISA MS.AAD.7.1)"],
    ["PIM-001", "{ min: 1 }", "min 1 is below the baseline's 2 (one lost account would lock the tenant out)"],
    ["PIM-002", "{ maxRatio: 2 }", "maxRatio 2 is above the baseline's 1 (CISA MS.AAD.7.2)"],
    [
      "PIM-004",
      "{ roles: [Global Administrator] }",
      'roles no longer covers Agent ID Administrator, Agent ID Developer, Agent Registry Administrator and 145 more (the baseline is ["all"])',
    ],
    [
      "PIM-022",
      "{ roles: [tier0] }",
      'roles no longer covers Exchange Administrator, SharePoint Administrator (the baseline is ["tier0","cisa"])',
    ],
    [
      "PIM-026",
      "{ tier0Max: PT12H }",
      "tier0Max PT12H is above 8 hours, past which a Tier-0 window is a mandatory finding",
    ],
    [
      "PIM-026",
      "{ perRole: { Global Administrator: P1D } }",
      "perRole Global Administrator: P1D is above 8 hours, which would lift the limit for a Tier-0 role",
    ],
    ["PIM-021", "{ minApprovers: 1 }", "minApprovers 1 is below the baseline's 2"],
    [
      "PIM-028",
      "{ roles: [tier0, cisa] }",
      'roles no longer covers Agent ID Administrator, AI Administrator, AI Reader and 23 more (the baseline is ["privileged","cisa"])',
    ],
  ])("%s params %s beyond the baseline's floor", (id, params, reason) => {
    const fs = run(rules(`    ${id}: { params: ${params} }\n`));
    expect(blocking(fs).filter((f) => f[0] === "PIM-043")).toEqual([
      [
        "PIM-043",
        `safeDefaults.rules.${id}`,
        expect.stringMatching(
          new RegExp(
            `has mandatory findings, but ${reason.replace(/[[\]()".+*?^$]/g, "\\$&")}, for every object and with no end date$`,
          ),
        ),
      ],
    ]);
  });

  it("params within the floor (stricter than the baseline) are no PIM-043 finding", () => {
    const fs = run(
      rules("    PIM-001: { params: { max: 5 } }\n    PIM-026: { params: { tier0Max: PT2H } }\n"),
    );
    expect(fs.map((f) => f.ruleId)).not.toContain("PIM-043");
    expect(fs.map((f) => [f.ruleId, f.mandatory, f.object])).toEqual([
      ["PIM-026", false, "Conditional Access Administrator"],
      ["PIM-026", false, "Security Administrator"],
      ["PIM-026", false, "User Administrator"],
    ]);
  });

  it("a tiers override that moves Global Administrator out of Tier 0, or a role off the CISA list", () => {
    const fs = run(
      rules(
        "    tiers: { params: { tier0: [Privileged Role Administrator], cisaHighlyPrivileged: [Global Administrator] } }\n",
      ),
    );
    expect(blocking(fs).filter((f) => f[0] === "PIM-043")).toEqual([
      [
        "PIM-043",
        "safeDefaults.rules.tiers",
        "the role tiers decide which roles the strictest rules cover, but tier0 no longer holds Global Administrator; cisaHighlyPrivileged no longer holds Privileged Role Administrator, User Administrator, SharePoint Administrator, Exchange Administrator, Hybrid Identity Administrator, Application Administrator, Cloud Application Administrator, for every object and with no end date",
      ],
    ]);
  });

  it("raising the exemption lifetime past 90 days", () => {
    expect(blocking(run(rules("    PIM-041: { params: { maxLifetime: P365D } }\n")))).toEqual([
      [
        "PIM-043",
        "safeDefaults.rules.PIM-041",
        "PIM-041 (Exemptions are justified, current and expire) keeps exemptions short-lived, but maxLifetime P365D is beyond the baseline's 90 days, for every object and with no end date",
      ],
    ]);
  });

  it("switching off or lowering a meta rule is ignored and reported, and the rule still runs", () => {
    const fs = run(rules("    PIM-043: { enabled: false }\n    PIM-006: { enabled: false }\n"), noBreakGlass);
    expect(blocking(fs).map((f) => [f[0], f[1]])).toEqual([
      ["PIM-042", "safeDefaults.rules.PIM-043"],
      ["PIM-043", "safeDefaults.rules.PIM-006"],
    ]);
  });
});

describe("exemptions that would lift a rule for good (PIM-041)", () => {
  const exempt = (rule: string, object: string, expires: string | null) =>
    `    - rule: ${rule}\n      object: ${object}\n      justification: reviewed in CHG0040001 while the override is removed\n${expires ? `      expires: ${expires}\n` : ""}`;
  const withExemptions = (rulesYaml: string, ...entries: string[]) =>
    `safeDefaults:\n${rulesYaml ? `  rules:\n${rulesYaml}` : ""}  exemptions:\n${entries.join("")}`;

  it("an exemption that ends in 9999 still suppresses, but is itself mandatory", () => {
    const fs = run(
      withExemptions("    PIM-006: {}\n", exempt("PIM-006", "breakGlass", "9999-12-31")),
      noBreakGlass,
    );
    expect(blocking(fs)).toEqual([
      [
        "PIM-041",
        "PIM-006 breakGlass",
        "the exemption from PIM-006 for breakGlass runs until 9999-12-31, more than 90 days ahead, so it is never reviewed again",
      ],
    ]);
  });

  it("an exemption of PIM-043 itself needs an end date within the lifetime, like any other", () => {
    const override = "    PIM-006: { enabled: false }\n";
    const forever = run(
      withExemptions(override, exempt("PIM-043", "safeDefaults.rules.PIM-006", null)),
      noBreakGlass,
    );
    expect(blocking(forever)).toEqual([
      [
        "PIM-041",
        "PIM-043 safeDefaults.rules.PIM-006",
        "the exemption from PIM-043 for safeDefaults.rules.PIM-006 has no end date, so it would switch the rule off for good",
      ],
    ]);
    const far = run(
      withExemptions(override, exempt("PIM-043", "safeDefaults.rules.PIM-006", "9999-12-31")),
      noBreakGlass,
    );
    expect(blocking(far).map((f) => f[0])).toEqual(["PIM-041"]);
    // Within 90 days and with a reason, it covers the override while it is reviewed: nothing blocks.
    const reviewed = run(
      withExemptions(override, exempt("PIM-043", "safeDefaults.rules.PIM-006", "2027-01-15")),
      noBreakGlass,
    );
    expect(blocking(reviewed)).toEqual([]);
    expect(reviewed.map((f) => [f.ruleId, f.mandatory, Boolean(f.exempted)])).toEqual([
      ["PIM-043", false, true],
    ]);
  });

  it("an exemption of PIM-041 suppresses nothing and is itself mandatory", () => {
    const fs = run(
      withExemptions(
        "",
        exempt("PIM-006", "breakGlass", null),
        exempt("PIM-041", "PIM-006 breakGlass", "2027-01-15"),
      ),
      noBreakGlass,
    );
    expect(blocking(fs).map((f) => [f[0], f[1]])).toEqual([
      ["PIM-041", "PIM-006 breakGlass"],
      ["PIM-041", "PIM-041 PIM-006 breakGlass"],
    ]);
  });

  it("the lifetime is a parameter: a shorter one makes a 60-day exemption mandatory", () => {
    const fs = run(
      withExemptions(
        "    PIM-041: { params: { maxLifetime: P30D } }\n",
        exempt("PIM-006", "breakGlass", "2027-01-20"),
      ),
      noBreakGlass,
    );
    expect(blocking(fs).map((f) => f[2])).toEqual([
      "the exemption from PIM-006 for breakGlass runs until 2027-01-20, more than 30 days ahead, so it is never reviewed again",
    ]);
  });
});
