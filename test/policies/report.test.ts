/** The text report `pim check` prints and the SARIF 2.1.0 log code scanning reads. */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../model";
import { formatFindingsText, toSarif } from "../../policies/report";
import type { Finding } from "../../policies/rules";

const findings: Finding[] = [
  {
    ruleId: "PIM-019",
    title: "Approval required to activate Global Administrator",
    severity: "critical",
    mandatory: true,
    object: "Global Administrator",
    message: "activating Global Administrator does not require approval",
    fix: "set activation.approval.required: true",
    source: { file: "stacks/demo/tenant.yaml", line: 65, column: 7 },
    subject: "policy:directory:62e90394-69f5-4237-9190-012177145e10",
    reference: "CISA SCuBA MS.AAD.7.6v1; CIS M365 5.3.4",
  },
  {
    ruleId: "PIM-025",
    title: "Ticket required on Tier-0 activation",
    severity: "low",
    mandatory: false,
    object: "User Administrator",
    message: "activating User Administrator does not require ticket information",
    fix: "set activation.requireTicket: true",
    reference: "Microsoft Learn: Plan a PIM deployment",
  },
  {
    ruleId: "PIM-006",
    title: "At least two break-glass accounts",
    severity: "high",
    mandatory: false,
    object: "breakGlass",
    message: "1 break-glass account is declared; at least 2 are required",
    fix: "declare a second one",
    reference: "Microsoft Learn: Manage emergency access accounts",
    exempted: {
      justification: "second account being re-created",
      expires: "2027-02-01T00:00:00.000Z",
      approvedBy: null,
      source: { file: "stacks/demo/tenant.yaml", line: 130, column: 7 },
    },
  },
];

describe("formatFindingsText", () => {
  it("groups by severity with rule id, object, location and fix; exempted findings last", () => {
    expect(formatFindingsText(findings)).toBe(
      [
        "CRITICAL (1, mandatory)",
        "  PIM-019 Approval required to activate Global Administrator",
        "    Global Administrator (stacks/demo/tenant.yaml:65:7)",
        "    activating Global Administrator does not require approval",
        "    fix: set activation.approval.required: true",
        "",
        "LOW (1, advisory)",
        "  PIM-025 Ticket required on Tier-0 activation",
        "    User Administrator",
        "    activating User Administrator does not require ticket information",
        "    fix: set activation.requireTicket: true",
        "",
        "EXEMPTED (1)",
        "  PIM-006 At least two break-glass accounts",
        "    breakGlass",
        "    1 break-glass account is declared; at least 2 are required",
        "    fix: declare a second one",
        // The exemption's last day (expires: 2027-01-31 ends at 2027-02-01T00:00Z).
        "    exempted until 2027-01-31: second account being re-created",
        "",
        "2 findings, 1 mandatory, 1 exempted. Mandatory findings must be fixed (or exempted with an end date) before merge.",
        "",
      ].join("\n"),
    );
  });

  it("says so when there is nothing to report", () => {
    expect(formatFindingsText([])).toBe("No findings: every safe-default rule passes.\n");
  });

  it("applies a style (the CLI's colours) to headings", () => {
    const tag = (t: string) => (s: string) => `<${t}>${s}</${t}>`;
    const text = formatFindingsText(findings.slice(0, 1), {
      red: tag("r"),
      yellow: tag("y"),
      bold: tag("b"),
      dim: tag("d"),
    });
    expect(text.split("\n").slice(0, 3)).toEqual([
      "<b><r>CRITICAL (1, mandatory)</r></b>",
      "  <b>PIM-019</b> Approval required to activate Global Administrator",
      "    Global Administrator<d> (stacks/demo/tenant.yaml:65:7)</d>",
    ]);
  });
});

describe("output from a pull request cannot drive the terminal", () => {
  const hostile: Finding = {
    ...findings[0]!,
    object: "evil\u001b[2J\u001b[31mGlobal Administrator",
    message: "line one\nline two\u202e",
    source: { file: "stacks/demo/grants/a\tb.yaml", line: 1, column: 1 },
    exempted: { ...findings[2]!.exempted!, justification: "ok\u0007" },
  };

  it("escapes control characters in the text report", () => {
    const text = formatFindingsText([hostile]);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain(
      "    evil\\x1b[2J\\x1b[31mGlobal Administrator (stacks/demo/grants/a\\x09b.yaml:1:1)",
    );
    expect(text).toContain("    line one\\x0aline two\\u202e");
    expect(text).toContain("    exempted until 2027-01-31: ok\\x07");
  });

  it("escapes them in SARIF messages, objects and justifications", () => {
    const [r] = (toSarif([hostile], { toolVersion: "0.1.0" }) as any).runs[0].results;
    expect(r.message.text).toBe(
      "evil\\x1b[2J\\x1b[31mGlobal Administrator: line one\\x0aline two\\u202e. Fix: set activation.approval.required: true.",
    );
    expect(r.properties.object).toBe("evil\\x1b[2J\\x1b[31mGlobal Administrator");
    expect(r.suppressions[0].justification).toBe("ok\\x07");
  });
});

describe("toSarif", () => {
  it("fingerprints each finding by rule, object, subject and file: two people approving themselves stay two", () => {
    const a: Finding = {
      ...findings[0]!,
      ruleId: "PIM-038",
      source: { file: "stacks/demo/grants/ken.yaml", line: 1, column: 1 },
    };
    const b: Finding = { ...a, source: { file: "stacks/demo/grants/ada.yaml", line: 1, column: 1 } };
    const prints = (toSarif([a, b], { toolVersion: "0.1.0" }) as any).runs[0].results.map(
      (r: any) => r.partialFingerprints["pimFinding/v2"],
    );
    expect(new Set(prints).size).toBe(2);
  });

  const log = toSarif(findings, { toolVersion: "0.1.0" }) as any;

  it("is a SARIF 2.1.0 log with the rule catalogue", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    const driver = log.runs[0].tool.driver;
    expect([driver.name, driver.version]).toEqual(["pim-safe-defaults", "0.1.0"]);
    const rule = driver.rules.find((r: any) => r.id === "PIM-019");
    expect(rule).toEqual({
      id: "PIM-019",
      name: "ApprovalRequiredToActivateGlobalAdministrator",
      shortDescription: { text: "Approval required to activate Global Administrator" },
      fullDescription: {
        text: expect.stringContaining("Activation of Global Administrator needs a second person's approval"),
      },
      defaultConfiguration: { level: "error" },
      properties: {
        source: "CISA SCuBA MS.AAD.7.6v1; CIS M365 5.3.4",
        severity: "critical",
        tags: ["security", "pim"],
      },
    });
  });

  it("puts each finding on its file, line and column, with its level", () => {
    const [first, second, third] = log.runs[0].results;
    expect(first).toEqual({
      ruleId: "PIM-019",
      ruleIndex: log.runs[0].tool.driver.rules.findIndex((r: any) => r.id === "PIM-019"),
      level: "error",
      message: {
        text: "Global Administrator: activating Global Administrator does not require approval. Fix: set activation.approval.required: true.",
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "stacks/demo/tenant.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 65, startColumn: 7 },
          },
        },
      ],
      partialFingerprints: {
        "pimFinding/v2":
          "PIM-019|Global Administrator|policy:directory:62e90394-69f5-4237-9190-012177145e10|stacks/demo/tenant.yaml",
      },
      properties: { severity: "critical", mandatory: true, object: "Global Administrator" },
    });
    expect([second.level, second.locations]).toEqual(["note", undefined]);
    expect([third.level, third.suppressions]).toEqual([
      "error",
      [{ kind: "inSource", status: "accepted", justification: "second account being re-created" }],
    ]);
  });

  it("adds loader diagnostics, so broken YAML is annotated too", () => {
    const d: Diagnostic = {
      severity: "error",
      code: "unknown-role",
      file: "stacks/demo/grants/x.yaml",
      line: 3,
      column: 7,
      field: "role",
      message: '"Global Admin" is not an Entra built-in role',
      hint: 'did you mean "Global Administrator"?',
    };
    const results = (toSarif([], { toolVersion: "0.1.0", diagnostics: [d] }) as any).runs[0].results;
    expect(results).toEqual([
      {
        ruleId: "load/unknown-role",
        level: "error",
        message: {
          text: 'role: "Global Admin" is not an Entra built-in role. Fix: did you mean "Global Administrator"?',
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "stacks/demo/grants/x.yaml", uriBaseId: "%SRCROOT%" },
              region: { startLine: 3, startColumn: 7 },
            },
          },
        ],
        partialFingerprints: { "pimFinding/v2": "load/unknown-role|stacks/demo/grants/x.yaml|role" },
        properties: { severity: "error", mandatory: true, object: "role" },
      },
    ]);
  });
});
