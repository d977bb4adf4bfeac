/**
 * Layering settings (model/settings/merge.ts): a declared field replaces the value below it, every field, and
 * nothing else does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Settings } from "../../model/schema/settings";
import { graphDefaults } from "../../model/settings/defaults";
import { fieldValue, SETTINGS_FIELDS } from "../../model/settings/fields";
import { applySettings } from "../../model/settings/merge";
import type { Approver, ResolvedSettings } from "../../model/types";
import { distinct, perturbations, settingsArb, user } from "./settingsFixtures";

const approverInput = (a: Approver) => (a.type === "user" ? { user: a.ref } : { group: a.ref });

/** How a person would declare exactly `value` for the field at `path` (approvers as `{ user }` / `{ group }`). */
function declared(path: string, value: unknown): Settings {
  const stages = (v: ResolvedSettings["activation"]["approval"]["stages"]) =>
    v.map((st) => ({
      approvers: st.approvers.map(approverInput),
      timeoutDays: st.timeoutDays,
      approverJustification: st.approverJustification,
      ...(st.escalation
        ? {
            escalation: {
              afterMinutes: st.escalation.afterMinutes,
              approvers: st.escalation.approvers.map(approverInput),
            },
          }
        : {}),
    }));
  const leaf = path === "activation.approval.stages" ? stages(value as never) : structuredClone(value);
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), leaf) as Settings;
}

/** Every field of `s`, declared. */
const declareAll = (s: ResolvedSettings): Settings =>
  SETTINGS_FIELDS.map((f) => declared(f.path, fieldValue(s, f.path))).reduce<Settings>(
    (acc, one) => deepMerge(acc, one),
    {},
  );

function deepMerge<T>(a: T, b: T): T {
  if (typeof a !== "object" || a === null || Array.isArray(a)) return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>))
    out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

describe("applySettings", () => {
  it("applies each field's declaration, onto settings that differ from it in one leaf of that field", () => {
    const target = distinct();
    const problems: string[] = [];
    for (const p of perturbations(target)) {
      const field = SETTINGS_FIELDS.find(
        (f) =>
          p.schemaPath === f.path ||
          p.schemaPath.startsWith(`${f.path}.`) ||
          p.schemaPath.startsWith(`${f.path}[]`),
      )!;
      const merged = applySettings(p.settings, declared(field.path, fieldValue(target, field.path)));
      if (JSON.stringify(merged) !== JSON.stringify(target))
        problems.push(`${p.at}: declaring ${field.path} did not apply it`);
    }
    expect(problems).toEqual([]);
  });

  it("declaring every field gives exactly what was declared, whatever lies below", () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.constantFrom("directory" as const, "group" as const, "azure" as const),
        (s, kind) => {
          expect(applySettings(graphDefaults(kind), declareAll(s))).toEqual(s);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("declaring nothing keeps everything", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        expect(applySettings(s, {})).toEqual(s);
        expect(applySettings(s, { activation: { approval: {} }, notifications: { activation: {} } })).toEqual(
          s,
        );
      }),
      { numRuns: 100 },
    );
  });

  it("takes a notification's undeclared members from below", () => {
    const below = distinct();
    const merged = applySettings(below, {
      notifications: { activeAssignment: { admin: { level: "critical" } } },
    });
    expect(merged.notifications.activeAssignment.admin).toEqual({
      level: "critical",
      defaultRecipients: false,
      additionalRecipients: ["ac-admin@contoso.com", "ac-admin-2@contoso.com"],
    });
    expect(
      applySettings(below, { notifications: { activation: { requestor: { additionalRecipients: [] } } } })
        .notifications.activation.requestor,
    ).toEqual({ level: "critical", defaultRecipients: false, additionalRecipients: [] });
  });

  it("takes a stage's undeclared approvers and escalation from the stage below, and replaces lists whole", () => {
    const below = distinct();
    const merged = applySettings(below, {
      activation: {
        approval: { stages: [{ timeoutDays: 5 }, { approvers: [{ user: "grace.hopper@contoso.com" }] }] },
      },
    });
    expect(merged.activation.approval.stages).toEqual([
      { ...below.activation.approval.stages[0]!, timeoutDays: 5 },
      { ...below.activation.approval.stages[1]!, approvers: [user("grace.hopper@contoso.com")] },
    ]);
    const oneStage = applySettings(below, { activation: { approval: { stages: [{}] } } });
    expect(oneStage.activation.approval.stages).toEqual([below.activation.approval.stages[0]]);
  });

  it("a second stage declared over one stage starts from the first", () => {
    const below = graphDefaults("directory");
    below.activation.approval.stages[0]!.escalation = {
      afterMinutes: 60,
      approvers: [user("ken.thompson@contoso.com")],
    };
    const merged = applySettings(below, { activation: { approval: { stages: [{}, { timeoutDays: 4 }] } } });
    expect(merged.activation.approval.stages[1]).toEqual({
      ...below.activation.approval.stages[0]!,
      timeoutDays: 4,
    });
  });

  it("a declared null authentication context removes the one below", () => {
    expect(
      applySettings(distinct(), { activation: { authenticationContext: null } }).activation
        .authenticationContext,
    ).toBeNull();
  });
});
