/**
 * Refusals are findings (issue 10 item 3): what the loader used to refuse without a rule id (a permanent active
 * grant, an activation window outside the 30 minutes to 24 hours Entra accepts) now loads, and the safe-default
 * rules report it with a rule id, a severity and the line to change. These were bad-input corpus cases.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackFiles } from "../../model";
import { evaluateSafeDefaults } from "../../policies/rules";
import { demoFiles, NOW } from "./fixtures/demo";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", "refusals", name), "utf8");

describe("refusals are findings", () => {
  it("an activation window outside 30 minutes to 24 hours: PIM-037 and PIM-026, high, on the line that sets it", () => {
    const r = loadStackFiles(
      "t",
      [{ path: "stacks/t/tenant.yaml", text: fixture("activation-window.tenant.yaml") }],
      NOW,
    );
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const findings = evaluateSafeDefaults(r.model!, { now: NOW }).filter((f) =>
      ["PIM-026", "PIM-037"].includes(f.ruleId),
    );
    expect(findings.map((f) => [f.ruleId, f.severity, f.mandatory, f.object, f.message, f.source])).toEqual([
      [
        "PIM-026",
        "high",
        true,
        "Global Reader",
        "activating Global Reader may last up to 2d, more than the 24 hours Entra accepts",
        { file: "stacks/t/tenant.yaml", line: 15, column: 26 },
      ],
      [
        "PIM-026",
        "high",
        true,
        "Reports Reader",
        "activating Reports Reader may last up to 2d, more than the 24 hours Entra accepts",
        // Reports Reader takes the window from the profile `long`: that is the line to change.
        { file: "stacks/t/tenant.yaml", line: 7, column: 24 },
      ],
      [
        "PIM-037",
        "high",
        true,
        "Security Reader",
        "activating Security Reader lasts at most 10m, less than the 30 minutes Entra accepts",
        { file: "stacks/t/tenant.yaml", line: 12, column: 26 },
      ],
    ]);
  });

  it("a permanent active grant for an ordinary account: PIM-004, high, on the grant file", () => {
    const [tenant, ...grants] = demoFiles();
    const r = loadStackFiles(
      "demo",
      [
        tenant!,
        ...grants,
        { path: "stacks/demo/grants/forever.yaml", text: fixture("permanent-active.grant.yaml") },
      ],
      NOW,
    );
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const findings = evaluateSafeDefaults(r.model!, { now: NOW }).filter((f) => f.mandatory);
    expect(findings.map((f) => [f.ruleId, f.severity, f.object, f.message, f.source])).toEqual([
      [
        "PIM-004",
        "high",
        "forever",
        "alan.turing@contoso.com holds Reports Reader permanently (active, no end date); only declared break-glass accounts may hold a role permanently",
        { file: "stacks/demo/grants/forever.yaml", line: 1, column: 1 },
      ],
    ]);
  });

  it("an exemption with an end date accepts the permanent grant where the baselines allow one", () => {
    const [tenant, ...grants] = demoFiles();
    const exempted = `${tenant!.text}  exemptions:\n    - rule: PIM-004\n      object: forever\n      justification: reporting appliance account, replaced in Q1 (CHG0040004)\n      expires: 2027-01-31\n`;
    const r = loadStackFiles(
      "demo",
      [
        { ...tenant!, text: exempted },
        ...grants,
        { path: "stacks/demo/grants/forever.yaml", text: fixture("permanent-active.grant.yaml") },
      ],
      NOW,
    );
    const findings = evaluateSafeDefaults(r.model!, { now: NOW });
    expect(findings.filter((f) => f.mandatory)).toEqual([]);
    expect(findings.map((f) => [f.ruleId, Boolean(f.exempted)])).toEqual([["PIM-004", true]]);
  });
});
