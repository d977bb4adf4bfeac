/**
 * The stack outputs' role summary (components/summary.ts) reads each settings field into its own column: exact
 * columns for the fixture, and each one-leaf change moves exactly the columns that show that field.
 */
import { describe, expect, it } from "vitest";
import { roleSettingsSummary } from "../../components/summary";
import type { ResolvedSettings } from "../../model/types";
import { distinct, oneHot, perturbations } from "../model/settingsFixtures";

type Column = keyof ReturnType<typeof roleSettingsSummary>;

/** The columns a change of the leaf at `schemaPath` must show, given the settings it was made on. */
function columnsOf(schemaPath: string, s: ResolvedSettings): Column[] {
  const direct: Record<string, Column> = {
    "activation.maximumDuration": "activationMaximum",
    "activation.requireMfa": "requireMfa",
    "activation.authenticationContext": "authenticationContext",
    "activation.requireJustification": "requireJustification",
    "activation.requireTicket": "requireTicket",
    "activation.approval.required": "approvalRequired",
    "eligibleAssignment.allowPermanent": "eligibleMaximum",
    "activeAssignment.allowPermanent": "activeMaximum",
  };
  if (direct[schemaPath]) return [direct[schemaPath]];
  if (schemaPath === "eligibleAssignment.maximumDuration")
    return s.eligibleAssignment.allowPermanent ? [] : ["eligibleMaximum"];
  if (schemaPath === "activeAssignment.maximumDuration")
    return s.activeAssignment.allowPermanent ? [] : ["activeMaximum"];
  if (schemaPath.startsWith("activation.approval.stages[].approvers")) return ["approvers"];
  // An escalation added or removed adds or removes its approvers; every stage of the fixtures names both kinds.
  if (schemaPath === "activation.approval.stages[].escalation") return ["escalationApprovers"];
  if (schemaPath.startsWith("activation.approval.stages[].escalation.approvers"))
    return ["escalationApprovers"];
  if (schemaPath === "activation.approval.stages") return ["approvers", "escalationApprovers"];
  return [];
}

describe("roleSettingsSummary", () => {
  it("shows distinct() column by column", () => {
    expect(roleSettingsSummary(distinct())).toEqual({
      activationMaximum: "2h",
      requireMfa: true,
      authenticationContext: "c3",
      requireJustification: false,
      requireTicket: true,
      approvalRequired: true,
      approvers: ["group:Tier-0 Approvers", "user:Ada.Lovelace@contoso.com", "group:SOC"],
      escalationApprovers: ["user:ken.thompson@contoso.com", "group:Security Leads"],
      eligibleMaximum: "90d",
      activeMaximum: null,
    });
  });

  const bases = [{ name: "distinct()", settings: distinct() }, ...oneHot().slice(0, 2)];
  for (const base of bases) {
    it(`moves exactly the columns that show the field changed (${base.name})`, () => {
      const before = roleSettingsSummary(base.settings);
      const problems: string[] = [];
      for (const p of perturbations(base.settings)) {
        const after = roleSettingsSummary(p.settings);
        const moved = (Object.keys(before) as Column[]).filter(
          (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
        );
        const want = columnsOf(p.schemaPath, base.settings);
        if (JSON.stringify(moved) !== JSON.stringify(want))
          problems.push(
            `${p.at}: moved ${moved.join(", ") || "nothing"}, expected ${want.join(", ") || "nothing"}`,
          );
      }
      expect(problems).toEqual([]);
    });
  }
});
