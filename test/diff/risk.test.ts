/**
 * Every security judgement of a settings field, in both directions: the same pair of values swapped must flip
 * weaker and stronger (or stay neutral), so a classification that ignores direction fails here.
 */
import { describe, expect, it } from "vitest";
import { judgeEnd, judgeKind, judgeSettingsField, judgeStart, maxRisk } from "../../model/diff";
import { SETTINGS_FIELDS, fieldValue } from "../../model/settings/fields";
import { graphDefaults } from "../../model/settings/defaults";
import type { FieldRisk } from "../../model/settings/fields";
import type { ResolvedApprovalStage } from "../../model/types";

const stage = (refs: string[], over: Partial<ResolvedApprovalStage> = {}): ResolvedApprovalStage => ({
  approvers: refs.map((ref) => ({ type: "user" as const, ref })),
  timeoutDays: 1,
  approverJustification: true,
  escalation: null,
  ...over,
});

type Case = [
  FieldRisk,
  string,
  unknown,
  unknown,
  "weaker" | "stronger" | "neutral",
  string,
  "weaker" | "stronger" | "neutral",
  string,
];

// kind, path, a, b, risk a→b, note a→b, risk b→a, note b→a
const CASES: Case[] = [
  ["longerIsWeaker", "activation.maximumDuration", "PT1H", "PT8H", "weaker", "longer", "stronger", "shorter"],
  [
    "longerIsWeaker",
    "eligibleAssignment.maximumDuration",
    "P180D",
    "P365D",
    "weaker",
    "longer",
    "stronger",
    "shorter",
  ],
  [
    "longerIsWeaker",
    "activation.maximumDuration",
    "PT60M",
    "PT1H",
    "neutral",
    "same length, written differently",
    "neutral",
    "same length, written differently",
  ],
  [
    "trueIsStronger",
    "activation.requireMfa",
    false,
    true,
    "stronger",
    "now required",
    "weaker",
    "no longer required",
  ],
  [
    "trueIsStronger",
    "activation.approval.required",
    false,
    true,
    "stronger",
    "now required",
    "weaker",
    "no longer required",
  ],
  [
    "trueIsWeaker",
    "activeAssignment.allowPermanent",
    false,
    true,
    "weaker",
    "now allowed",
    "stronger",
    "no longer allowed",
  ],
  [
    "authContext",
    "activation.authenticationContext",
    null,
    "c1",
    "stronger",
    "now required",
    "weaker",
    "no longer required",
  ],
  [
    "authContext",
    "activation.authenticationContext",
    "c1",
    "c2",
    "neutral",
    "a different authentication context: check the Conditional Access policy behind it",
    "neutral",
    "a different authentication context: check the Conditional Access policy behind it",
  ],
  [
    "notification",
    "notifications.activation.admin.level",
    "none",
    "all",
    "stronger",
    "more notifications",
    "weaker",
    "fewer notifications",
  ],
  [
    "notification",
    "notifications.activation.admin.level",
    "critical",
    "all",
    "stronger",
    "more notifications",
    "weaker",
    "fewer notifications",
  ],
  [
    "notification",
    "notifications.eligibleAssignment.admin.defaultRecipients",
    false,
    true,
    "stronger",
    "default recipients notified again",
    "weaker",
    "default recipients no longer notified",
  ],
  [
    "notification",
    "notifications.activeAssignment.approver.additionalRecipients",
    ["soc@contoso.com"],
    ["soc@contoso.com", "ciso@contoso.com"],
    "stronger",
    "also notified: ciso@contoso.com",
    "weaker",
    "no longer notified: ciso@contoso.com",
  ],
  [
    // The field table's unit: the whole notification, each member judged, the highest risk first.
    "notification",
    "notifications.activation.admin",
    { level: "all", defaultRecipients: true, additionalRecipients: ["soc@contoso.com"] },
    {
      level: "critical",
      defaultRecipients: true,
      additionalRecipients: ["soc@contoso.com", "ciso@contoso.com"],
    },
    "weaker",
    "fewer notifications; also notified: ciso@contoso.com",
    "weaker",
    "more notifications; no longer notified: ciso@contoso.com",
  ],
  [
    "approvalStages",
    "activation.approval.stages",
    [stage(["a@x", "b@x"])],
    [stage(["a@x", "b@x", "c@x"])],
    "weaker",
    "approvers added: c@x",
    "neutral",
    "approvers removed: c@x",
  ],
  [
    "approvalStages",
    "activation.approval.stages",
    [stage(["a@x"]), stage(["b@x"])],
    [stage(["a@x", "b@x"])],
    "weaker",
    "2 → 1 stages",
    "stronger",
    "1 → 2 stages",
  ],
  [
    "approvalStages",
    "activation.approval.stages",
    [stage(["a@x"])],
    [stage(["a@x"], { approverJustification: false })],
    "weaker",
    "approver justification no longer required",
    "stronger",
    "approver justification now required",
  ],
  [
    "approvalStages",
    "activation.approval.stages",
    [stage(["a@x"])],
    [stage(["a@x"], { escalation: { afterMinutes: 60, approvers: [{ type: "group", ref: "SOC" }] } })],
    "weaker",
    "approvers added: SOC",
    "neutral",
    "approvers removed: SOC",
  ],
  [
    "approvalStages",
    "activation.approval.stages",
    [stage(["a@x"])],
    [stage(["a@x"], { timeoutDays: 3 })],
    "neutral",
    "timeouts or escalation timing changed",
    "neutral",
    "timeouts or escalation timing changed",
  ],
];

describe("settings field judgements", () => {
  it.each(CASES)("%s %s: %j ⇄ %j", (kind, path, a, b, riskAB, noteAB, riskBA, noteBA) => {
    expect(judgeSettingsField(kind, path, a, b)).toEqual({ risk: riskAB, note: noteAB });
    expect(judgeSettingsField(kind, path, b, a)).toEqual({ risk: riskBA, note: noteBA });
  });

  it("covers every kind of field the table has", () => {
    const kinds = new Set(SETTINGS_FIELDS.map((f) => f.risk));
    expect(new Set(CASES.map((c) => c[0]))).toEqual(kinds);
  });

  it("the table covers every leaf of ResolvedSettings, once: by its own field or the field owning its subtree", () => {
    const leaves: string[] = [];
    const walk = (v: unknown, p: string) => {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
      } else leaves.push(p);
    };
    walk(graphDefaults("directory"), "");
    expect(leaves).toHaveLength(43);
    const owners = (leaf: string) =>
      SETTINGS_FIELDS.filter((f) => leaf === f.path || leaf.startsWith(`${f.path}.`)).map((f) => f.path);
    expect(leaves.filter((l) => owners(l).length !== 1)).toEqual([]);
    // A notification is judged as one field (level, default and additional recipients together).
    expect(owners("notifications.activation.admin.level")).toEqual(["notifications.activation.admin"]);
    expect(SETTINGS_FIELDS.filter((f) => !leaves.some((l) => owners(l)[0] === f.path))).toEqual([]);
    expect(new Set(SETTINGS_FIELDS.map((f) => f.path)).size).toBe(SETTINGS_FIELDS.length);
    for (const f of SETTINGS_FIELDS)
      expect(fieldValue(graphDefaults("directory"), f.path), f.path).not.toBeUndefined();
    expect(() => fieldValue(graphDefaults("directory"), "activation.nope")).toThrow(
      '"activation.nope" is not a settings field (model/settings/fields.ts)',
    );
  });
});

describe("access window judgements", () => {
  it("end: later is weaker, earlier stronger, permanent weakest", () => {
    expect(judgeEnd("2027-01-01T00:00:00.000Z", "2028-01-01T00:00:00.000Z")).toEqual({
      risk: "weaker",
      note: "extended by 365 days",
    });
    expect(judgeEnd("2028-01-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z")).toEqual({
      risk: "stronger",
      note: "shortened by 365 days",
    });
    expect(judgeEnd("2027-01-01T00:00:00.000Z", "2027-01-02T00:00:00.000Z")).toEqual({
      risk: "weaker",
      note: "extended by 1 day",
    });
    expect(judgeEnd("2027-01-01T00:00:00.000Z", "2027-01-01T06:00:00.000Z")).toEqual({
      risk: "weaker",
      note: "extended by less than a day",
    });
    expect(judgeEnd("2027-01-01T00:00:00.000Z", null)).toEqual({ risk: "weaker", note: "now permanent" });
    expect(judgeEnd(null, "2027-01-01T00:00:00.000Z")).toEqual({ risk: "stronger", note: "now ends" });
  });

  it("start: earlier is weaker, later stronger, a date against 'when provisioned' neutral", () => {
    expect(judgeStart("2027-01-10T00:00:00.000Z", "2027-01-01T00:00:00.000Z")).toEqual({
      risk: "weaker",
      note: "starts earlier",
    });
    expect(judgeStart("2027-01-01T00:00:00.000Z", "2027-01-10T00:00:00.000Z")).toEqual({
      risk: "stronger",
      note: "starts later",
    });
    expect(judgeStart(null, "2027-01-01T00:00:00.000Z")).toEqual({
      risk: "neutral",
      note: "starts on a date",
    });
    expect(judgeStart("2027-01-01T00:00:00.000Z", null)).toEqual({
      risk: "neutral",
      note: "starts when provisioned",
    });
  });

  it("kind: active is weaker than eligible, and back", () => {
    expect(judgeKind("eligible", "active")).toEqual({
      risk: "weaker",
      note: "held now instead of activated on demand",
    });
    expect(judgeKind("active", "eligible")).toEqual({
      risk: "stronger",
      note: "activated on demand instead of held",
    });
  });

  it("the highest risk wins: critical > weaker > neutral > stronger", () => {
    expect(maxRisk("stronger", "weaker")).toBe("weaker");
    expect(maxRisk("weaker", "stronger")).toBe("weaker");
    expect(maxRisk("neutral", "critical")).toBe("critical");
    expect(maxRisk("stronger", "neutral")).toBe("neutral");
  });
});
