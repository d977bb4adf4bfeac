/**
 * Fixtures and helpers for the settings-mapping tests (graph rules, ARM and azuread spellings, rule input, field
 * table, merge, summaries).
 *
 * `distinct()` holds a different value in every field where a value can differ: distinct durations, distinct
 * recipients per notification, distinct approvers for primary and escalation, two stages with different values.
 * Booleans cannot all differ from each other, so `oneHot()` adds, for every boolean leaf, the settings where that
 * leaf alone is true and those where it alone is false: a swapped or dropped boolean fails on one of them.
 * `perturb()` changes one leaf of a settings object, whatever it is (found by walking the value), so the tests that
 * use it cover a field the day it is added to the schema.
 */
import fc from "fast-check";
import type { z } from "zod";
import { approverKey } from "../../model/keys";
import { resolvedSettings } from "../../model/schema/resolvedSettings";
import type { Approver, ResolvedNotification, ResolvedSettings } from "../../model/types";

// ------------------------------------------------------------------------------------------ approvers

/** Every approver the fixtures name, with an object id per (type, ref): the same ref as user and group differs. */
const REFS = [
  "Ada.Lovelace@contoso.com",
  "ken.thompson@contoso.com",
  "grace.hopper@contoso.com",
  "Tier-0 Approvers",
  "SOC",
  "Security Leads",
  "dorothy.vaughan@contoso.com",
];
const guid = (n: number) =>
  `${n.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

const every: Approver[] = REFS.flatMap((ref) => [
  { type: "user" as const, ref },
  { type: "group" as const, ref },
]);
/** `approverKey` → object id, as the components pass them. */
export const APPROVER_IDS: Record<string, string> = Object.fromEntries(
  every.map((a, i) => [approverKey(a), guid(0xa0 + i)]),
);
/** Object id → the declared ref, for reading rules back into the model. */
export const APPROVER_NAMES: Record<string, string> = Object.fromEntries(
  every.map((a) => [APPROVER_IDS[approverKey(a)]!, a.ref]),
);
export const idOf = (a: Approver): string => APPROVER_IDS[approverKey(a)]!;

export const user = (ref: string): Approver => ({ type: "user", ref });
export const group = (ref: string): Approver => ({ type: "group", ref });

// ------------------------------------------------------------------------------------------ fixtures

const notice = (level: ResolvedNotification["level"], defaults: boolean, ...to: string[]) => ({
  level,
  defaultRecipients: defaults,
  additionalRecipients: to,
});

/** Every field holds a value no other field of its type holds (booleans aside: see `oneHot`). */
export function distinct(): ResolvedSettings {
  return {
    activation: {
      maximumDuration: "PT2H",
      requireMfa: true,
      authenticationContext: "c3",
      requireJustification: false,
      requireTicket: true,
      approval: {
        required: true,
        requiredForExtension: false,
        stages: [
          {
            approvers: [group("Tier-0 Approvers"), user("Ada.Lovelace@contoso.com")],
            timeoutDays: 2,
            approverJustification: true,
            escalation: { afterMinutes: 90, approvers: [user("ken.thompson@contoso.com")] },
          },
          {
            approvers: [group("SOC")],
            timeoutDays: 3,
            approverJustification: false,
            escalation: { afterMinutes: 240, approvers: [group("Security Leads")] },
          },
        ],
      },
    },
    eligibleAssignment: {
      allowPermanent: false,
      maximumDuration: "P90D",
      requireMfa: true,
      requireJustification: false,
    },
    activeAssignment: {
      allowPermanent: true,
      maximumDuration: "P14D",
      requireMfa: false,
      requireJustification: true,
    },
    notifications: {
      eligibleAssignment: {
        admin: notice("critical", false, "el-admin@contoso.com"),
        requestor: notice("all", true, "el-requestor@contoso.com"),
        approver: notice("none", false, "el-approver@contoso.com"),
      },
      activeAssignment: {
        admin: notice("all", false, "ac-admin@contoso.com", "ac-admin-2@contoso.com"),
        requestor: notice("none", true, "ac-requestor@contoso.com"),
        approver: notice("critical", true, "ac-approver@contoso.com"),
      },
      activation: {
        admin: notice("none", true, "act-admin@contoso.com"),
        requestor: notice("critical", false, "act-requestor@contoso.com"),
        approver: notice("all", false, "act-approver@contoso.com"),
      },
    },
  };
}

// ------------------------------------------------------------------------------------------ leaves

type Path = Array<string | number>;
export const pathText = (p: Path): string => p.join(".");

/** Every concrete leaf of a value (booleans, numbers, strings, null), with array indices, in document order. */
export function valueLeaves(v: unknown, at: Path = []): Path[] {
  if (v !== null && typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    return entries.flatMap(([k, x]) => valueLeaves(x, [...at, k]));
  }
  return [at];
}

export function getAt(v: unknown, p: Path): unknown {
  return p.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)[k], v);
}

export function setAt<T>(v: T, p: Path, value: unknown): T {
  const copy = structuredClone(v);
  const parent = getAt(copy, p.slice(0, -1)) as Record<string | number, unknown>;
  parent[p[p.length - 1]!] = value;
  return copy;
}

/**
 * The leaves of a zod schema as dotted paths, array elements written `[]`: `activation.approval.stages[].timeoutDays`.
 * Arrays of plain values (recipients) are leaves themselves.
 */
export function schemaLeaves(schema: z.ZodType = resolvedSettings, at = ""): string[] {
  const def = (schema as unknown as { def: Record<string, any> }).def;
  switch (def["type"]) {
    case "object":
      return Object.entries(def["shape"] as Record<string, z.ZodType>).flatMap(([k, s]) =>
        schemaLeaves(s, at ? `${at}.${k}` : k),
      );
    case "nullable":
    case "optional":
      return schemaLeaves(def["innerType"], at);
    case "array": {
      const inner = schemaLeaves(def["element"], `${at}[]`);
      return inner.length === 1 && inner[0] === `${at}[]` ? [at] : inner;
    }
    default:
      return [at];
  }
}

/** `activation.approval.stages.0.approvers.1.ref` → `activation.approval.stages[].approvers[].ref`. */
export const schemaPathOf = (p: Path): string =>
  p.reduce<string>((s, k) => (typeof k === "number" ? `${s}[]` : s ? `${s}.${k}` : k), "");

// ------------------------------------------------------------------------------------------ perturbation

const otherDuration = (d: string) => (d === "PT7H" ? "PT5H" : "PT7H");
const LEVELS = ["all", "critical", "none"] as const;

/**
 * `s` with the leaf at `p` changed to another valid value, or with an optional part added or removed. Throws for
 * a leaf it has no rule for, so a new kind of field gets a perturbation (and the tests that use this) at once.
 */
export function perturb(s: ResolvedSettings, p: Path): ResolvedSettings {
  const v = getAt(s, p);
  const key = p[p.length - 1];
  const parentKey = p[p.length - 2];
  if (typeof v === "boolean") return setAt(s, p, !v);
  if (key === "authenticationContext") return setAt(s, p, v === null ? "c9" : null);
  if (key === "escalation")
    return setAt(
      s,
      p,
      v === null ? { afterMinutes: 45, approvers: [user("dorothy.vaughan@contoso.com")] } : null,
    );
  if (key === "maximumDuration") return setAt(s, p, otherDuration(String(v)));
  if (key === "level") return setAt(s, p, LEVELS[(LEVELS.indexOf(v as never) + 1) % LEVELS.length]);
  if (key === "timeoutDays" || key === "afterMinutes") return setAt(s, p, (v as number) + 1);
  if (key === "type") return setAt(s, p, v === "user" ? "group" : "user");
  if (key === "ref")
    return setAt(s, p, v === "grace.hopper@contoso.com" ? "SOC" : "grace.hopper@contoso.com");
  if (parentKey === "additionalRecipients") return setAt(s, p, `changed-${String(v)}`);
  throw new Error(`no perturbation for ${pathText(p)}: add one to test/model/settingsFixtures.ts`);
}

/** Every leaf of `s`, perturbed one at a time; arrays also lose and gain an element (a dropped list entry). */
export function perturbations(
  s: ResolvedSettings,
): Array<{ at: string; schemaPath: string; settings: ResolvedSettings }> {
  const out = valueLeaves(s).map((p) => ({
    at: pathText(p),
    schemaPath: schemaPathOf(p),
    settings: perturb(s, p),
  }));
  const lists: Array<[Path, unknown]> = [];
  const walk = (v: unknown, at: Path) => {
    if (Array.isArray(v)) lists.push([at, v]);
    // An escalation that is there is an object, not a leaf: removing it is a perturbation of its own.
    if (at[at.length - 1] === "escalation" && v !== null)
      out.push({
        at: `${pathText(at)} (removed)`,
        schemaPath: schemaPathOf(at),
        settings: setAt(s, at, null),
      });
    if (v !== null && typeof v === "object")
      for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) walk(x, [...at, k]);
  };
  walk(s, []);
  for (const [p, list] of lists as Array<[Path, unknown[]]>) {
    const extra =
      p[p.length - 1] === "additionalRecipients"
        ? "added@contoso.com"
        : p[p.length - 1] === "stages"
          ? null
          : user("dorothy.vaughan@contoso.com");
    if (list.length > (p[p.length - 1] === "stages" ? 1 : 0))
      out.push({
        at: `${pathText(p)} (last dropped)`,
        schemaPath: schemaPathOf(p),
        settings: setAt(s, p, list.slice(0, -1)),
      });
    if (extra !== null)
      out.push({
        at: `${pathText(p)} (one added)`,
        schemaPath: schemaPathOf(p),
        settings: setAt(s, p, [...list, extra]),
      });
  }
  return out;
}

/** For every boolean leaf of `distinct()`: the settings where it alone is true, and where it alone is false. */
export function oneHot(): Array<{ name: string; settings: ResolvedSettings }> {
  const base = distinct();
  const bools = valueLeaves(base).filter((p) => typeof getAt(base, p) === "boolean");
  const all = (value: boolean) => bools.reduce((s, p) => setAt(s, p, value), base);
  return bools.flatMap((p) => [
    { name: `only ${pathText(p)} true`, settings: setAt(all(false), p, true) },
    { name: `only ${pathText(p)} false`, settings: setAt(all(true), p, false) },
  ]);
}

// ------------------------------------------------------------------------------------------ generated settings

const approverArb = fc.record({
  type: fc.constantFrom("user" as const, "group" as const),
  ref: fc.constantFrom(...REFS),
});
const durationArb = fc.oneof(
  fc.integer({ min: 1, max: 24 }).map((h) => `PT${h}H`),
  fc.integer({ min: 1, max: 23 }).chain((h) => fc.constantFrom(15, 30, 45).map((m) => `PT${h}H${m}M`)),
  fc.integer({ min: 1, max: 730 }).map((d) => `P${d}D`),
);
const emailArb = fc.constantFrom(
  "soc@contoso.com",
  "pim-alerts@contoso.com",
  "ciso@contoso.com",
  "helpdesk@contoso.com",
  "audit@contoso.com",
);
const notificationArb = fc.record({
  level: fc.constantFrom(...LEVELS),
  defaultRecipients: fc.boolean(),
  additionalRecipients: fc.uniqueArray(emailArb, { maxLength: 3 }),
});
const tripleArb = fc.record({
  admin: notificationArb,
  requestor: notificationArb,
  approver: notificationArb,
});
const expiryArb = fc.record({
  allowPermanent: fc.boolean(),
  maximumDuration: durationArb,
  requireMfa: fc.boolean(),
  requireJustification: fc.boolean(),
});
const stageArb = fc.record({
  approvers: fc.array(approverArb, { maxLength: 3 }),
  timeoutDays: fc.integer({ min: 1, max: 7 }),
  approverJustification: fc.boolean(),
  escalation: fc.option(
    fc.record({
      afterMinutes: fc.integer({ min: 30, max: 10080 }),
      approvers: fc.array(approverArb, { minLength: 1, maxLength: 2 }),
    }),
    { nil: null },
  ),
});

/** Any valid `ResolvedSettings` (whether Entra would accept the combination is the providers' check's business). */
export const settingsArb: fc.Arbitrary<ResolvedSettings> = fc.record({
  activation: fc.record({
    maximumDuration: durationArb,
    requireMfa: fc.boolean(),
    authenticationContext: fc.option(fc.constantFrom("c1", "c2", "c25"), { nil: null }),
    requireJustification: fc.boolean(),
    requireTicket: fc.boolean(),
    approval: fc.record({
      required: fc.boolean(),
      requiredForExtension: fc.boolean(),
      stages: fc.array(stageArb, { minLength: 1, maxLength: 2 }),
    }),
  }),
  eligibleAssignment: expiryArb,
  activeAssignment: expiryArb,
  notifications: fc.record({
    eligibleAssignment: tripleArb,
    activeAssignment: tripleArb,
    activation: tripleArb,
  }),
});
