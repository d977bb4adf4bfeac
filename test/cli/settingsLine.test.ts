/**
 * The one-line settings summary of `pim check` (scripts/commands/check/summary.ts): exact lines, and each one-leaf change
 * shows in the line exactly when the line shows that field.
 */
import { describe, expect, it } from "vitest";
import { settingsLine } from "../../scripts/commands/check/summary";
import type { ResolvedSettings } from "../../model/types";
import { distinct, getAt, oneHot, perturbations } from "../model/settingsFixtures";

/** Whether the line must change when the leaf at `schemaPath` changes from `before` to `after`. */
function shows(schemaPath: string, before: ResolvedSettings, after: ResolvedSettings): boolean {
  const a = before.activation;
  if (
    [
      "activation.maximumDuration",
      "activation.authenticationContext",
      "activation.requireJustification",
      "activation.requireTicket",
      "activation.approval.required",
      "eligibleAssignment.allowPermanent",
      "activeAssignment.allowPermanent",
    ].includes(schemaPath)
  )
    return true;
  // MFA is not mentioned when an authentication context replaces it.
  if (schemaPath === "activation.requireMfa") return a.authenticationContext === null;
  if (schemaPath === "eligibleAssignment.maximumDuration") return !before.eligibleAssignment.allowPermanent;
  if (schemaPath === "activeAssignment.maximumDuration") return !before.activeAssignment.allowPermanent;
  // Approvers are shown by name, with escalation, when approval is required; timeouts and types are not shown.
  if (schemaPath.startsWith("activation.approval.stages"))
    return a.approval.required && !/(timeoutDays|approverJustification|\.type)$/.test(schemaPath);
  const admin = /^notifications\.(\w+)\.admin\.level$/.exec(schemaPath);
  if (admin) {
    const path = ["notifications", admin[1]!, "admin", "level"];
    return (getAt(before, path) === "none") !== (getAt(after, path) === "none");
  }
  return false;
}

describe("settingsLine", () => {
  it("writes distinct() on one line, escalation approvers included", () => {
    expect(settingsLine(distinct())).toBe(
      "activate ≤2h · auth context c3 · ticket · approval: Tier-0 Approvers + Ada.Lovelace@contoso.com (escalates after 1h30m to ken.thompson@contoso.com) → SOC (escalates after 4h to Security Leads) · eligible ≤90d · active permanent ok · admin alerts off: activation",
    );
  });

  it("writes the opposite booleans the opposite way", () => {
    const s = distinct();
    s.activation = {
      ...s.activation,
      authenticationContext: null,
      requireMfa: false,
      requireJustification: true,
      requireTicket: false,
    };
    s.eligibleAssignment.allowPermanent = true;
    s.activeAssignment.allowPermanent = false;
    s.activation.approval.required = false;
    s.notifications.activation.admin.level = "all";
    s.notifications.eligibleAssignment.admin.level = "none";
    expect(settingsLine(s)).toBe(
      "activate ≤2h · no MFA · justification · eligible permanent ok · active ≤14d · admin alerts off: eligibleAssignment",
    );
    s.activation.requireMfa = true;
    expect(settingsLine(s)).toContain(" · MFA · ");
  });

  for (const base of [{ name: "distinct()", settings: distinct() }, ...oneHot().slice(0, 2)]) {
    it(`shows a one-leaf change exactly where the line shows that field (${base.name})`, () => {
      const line = settingsLine(base.settings);
      const problems = perturbations(base.settings).flatMap((p) => {
        const changed = settingsLine(p.settings) !== line;
        const want = shows(p.schemaPath, base.settings, p.settings);
        return changed === want
          ? []
          : [`${p.at}: ${changed ? "changed" : "unchanged"}, expected ${want ? "a change" : "none"}`];
      });
      expect(problems).toEqual([]);
    });
  }
});
