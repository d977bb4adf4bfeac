/**
 * The field table against the schema and the mapping: adding a settings field touches the schema
 * (model/schema/resolvedSettings.ts), the mapping (model/settings/graphRules.ts) and the table
 * (model/settings/fields.ts), and forgetting one of the three fails here.
 */
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../model/duration";
import { graphDefaults } from "../../model/settings/defaults";
import { fieldValue, SETTINGS_FIELDS, settingsField, type SettingsField } from "../../model/settings/fields";
import { changedRules, fromGraphRules, toGraphRules } from "../../model/settings/graphRules";
import { APPROVER_IDS, APPROVER_NAMES, distinct, perturbations, schemaLeaves } from "./settingsFixtures";

const OWNS_SUBTREE = new Set(["approvalStages", "notification"]);
const covers = (f: SettingsField, leaf: string) =>
  leaf === f.path || leaf.startsWith(`${f.path}.`) || leaf.startsWith(`${f.path}[]`);
const ownerOf = (schemaPath: string) => SETTINGS_FIELDS.filter((f) => covers(f, schemaPath));

describe("the field table (model/settings/fields.ts)", () => {
  const leaves = schemaLeaves();

  it("reads the schema's leaves as the fields and subtrees they are", () => {
    expect(leaves).toHaveLength(49);
    expect(leaves.slice(0, 12)).toEqual([
      "activation.maximumDuration",
      "activation.requireMfa",
      "activation.authenticationContext",
      "activation.requireJustification",
      "activation.requireTicket",
      "activation.approval.required",
      "activation.approval.requiredForExtension",
      "activation.approval.stages[].approvers[].type",
      "activation.approval.stages[].approvers[].ref",
      "activation.approval.stages[].timeoutDays",
      "activation.approval.stages[].approverJustification",
      "activation.approval.stages[].escalation.afterMinutes",
    ]);
    expect(leaves).toContain("notifications.activation.approver.additionalRecipients");
  });

  it("covers every leaf of the schema with exactly one field", () => {
    const problems = leaves
      .map((leaf) => [leaf, ownerOf(leaf).map((f) => f.path)] as const)
      .filter(([, owners]) => owners.length !== 1);
    expect(problems).toEqual([]);
  });

  it("names a leaf, or a subtree only where the field owns one (approval stages, a notification)", () => {
    const problems = SETTINGS_FIELDS.flatMap((f) => {
      const covered = leaves.filter((l) => covers(f, l));
      if (covered.length === 0) return [`${f.path}: not in the schema`];
      if (!OWNS_SUBTREE.has(f.risk) && (covered.length !== 1 || covered[0] !== f.path))
        return [`${f.path}: a ${f.risk} field must be one leaf, covers ${covered.join(", ")}`];
      if (OWNS_SUBTREE.has(f.risk) && covered[0] === f.path) return [`${f.path}: ${f.risk} owns no subtree`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it("has one entry per path and one label per field", () => {
    expect(SETTINGS_FIELDS).toHaveLength(25);
    expect(new Set(SETTINGS_FIELDS.map((f) => f.path)).size).toBe(25);
    expect(new Set(SETTINGS_FIELDS.map((f) => f.label)).size).toBe(25);
  });

  it("gives each field a risk that fits its value", () => {
    const s = distinct();
    for (const f of SETTINGS_FIELDS) {
      const v = fieldValue(s, f.path);
      const fits = {
        longerIsWeaker: () => typeof v === "string" && parseDuration(v).ok,
        trueIsStronger: () => typeof v === "boolean",
        trueIsWeaker: () => typeof v === "boolean",
        authContext: () => typeof v === "string" || v === null,
        approvalStages: () => Array.isArray(v),
        notification: () =>
          typeof v === "object" &&
          v !== null &&
          Object.keys(v).join() === "level,defaultRecipients,additionalRecipients",
      }[f.risk];
      expect([f.path, fits()]).toEqual([f.path, true]);
    }
    expect(SETTINGS_FIELDS.filter((f) => f.risk === "trueIsWeaker").map((f) => f.path)).toEqual([
      "eligibleAssignment.allowPermanent",
      "activeAssignment.allowPermanent",
    ]);
  });

  it("labels fields in a reviewer's words", () => {
    expect(settingsField("activation.requireMfa").label).toBe("Activation: require MFA");
    expect(settingsField("activeAssignment.maximumDuration").label).toBe("Active assignment: expire after");
    expect(settingsField("notifications.activation.admin")).toEqual({
      path: "notifications.activation.admin",
      label: "Activation notice: role activation alert",
      rules: ["Notification_Admin_EndUser_Assignment"],
      risk: "notification",
    });
  });

  it("reads a field's value by path, and refuses a path the table does not name", () => {
    const s = distinct();
    expect(fieldValue(s, "eligibleAssignment.maximumDuration")).toBe("P90D");
    expect(fieldValue(s, "activation.authenticationContext")).toBe("c3");
    expect(fieldValue(s, "notifications.activeAssignment.requestor")).toEqual({
      level: "none",
      defaultRecipients: true,
      additionalRecipients: ["ac-requestor@contoso.com"],
    });
    expect(() => fieldValue(s, "activation.approval")).toThrow(
      '"activation.approval" is not a settings field (model/settings/fields.ts)',
    );
  });
});

describe("the mapping carries every field (settings → Graph rules → settings)", () => {
  const bases = {
    distinct: distinct(),
    "directory defaults": graphDefaults("directory"),
    "group defaults": graphDefaults("group"),
  };
  for (const [name, base] of Object.entries(bases)) {
    const before = toGraphRules(base, APPROVER_IDS);
    it(`${name}: each one-leaf change changes exactly the rules its field names, and reads back`, () => {
      const problems: string[] = [];
      for (const p of perturbations(base)) {
        const owner = ownerOf(p.schemaPath);
        const rules = toGraphRules(p.settings, APPROVER_IDS);
        const changed = changedRules(rules, before).map((r) => r.id);
        if (owner.length !== 1) problems.push(`${p.at}: ${owner.length} owning fields`);
        else if (JSON.stringify(changed) !== JSON.stringify(owner[0]!.rules))
          problems.push(
            `${p.at}: changed ${changed.join(", ") || "no rule"}, field names ${owner[0]!.rules.join(", ")}`,
          );
        if (JSON.stringify(fromGraphRules(rules, APPROVER_NAMES)) !== JSON.stringify(p.settings))
          problems.push(`${p.at}: does not read back`);
      }
      expect(problems).toEqual([]);
    });
  }

  it("perturbs every leaf of the fixture (59 leaves, 2 escalations removed, 14 list entries dropped, 13 added)", () => {
    expect(perturbations(distinct()).length).toBe(88);
  });
});
