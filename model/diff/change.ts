/**
 * The three shapes of a change, built once: an object added (the head side's entry and place), removed (the base
 * side's), or changed (its fields, the highest of their risks, the head side's place). Every section uses these.
 */
import type { Snapshot } from "../snapshot/types";
import { highestOf } from "./risk";
import type { Change, FieldChange, Risk, Section } from "./types";

type Extra = Pick<Change, "affects"> & { fields?: FieldChange[] };

const place = (s: Snapshot | null, key: string): { source?: Change["source"] } => {
  const p = s?.provenance[key];
  return p ? { source: p } : {};
};

export function added(
  section: Section,
  key: string,
  subject: string,
  risk: Risk,
  note: string,
  after: unknown,
  head: Snapshot | null,
  extra: Extra = {},
): Change {
  return {
    section,
    key,
    action: "added",
    subject,
    risk,
    note,
    fields: [],
    after,
    ...place(head, key),
    ...extra,
  };
}

export function removed(
  section: Section,
  key: string,
  subject: string,
  risk: Risk,
  note: string,
  before: unknown,
  base: Snapshot | null,
  extra: Extra = {},
): Change {
  return {
    section,
    key,
    action: "removed",
    subject,
    risk,
    note,
    fields: [],
    before,
    ...place(base, key),
    ...extra,
  };
}

/** A description that changed: neutral, shown so a reviewer reads the new wording. */
export function reworded(
  b: { description: string | null },
  a: { description: string | null },
): FieldChange[] {
  if (b.description === a.description) return [];
  return [
    {
      field: "description",
      label: "description",
      before: b.description,
      after: a.description,
      risk: "neutral",
      note: "reworded",
    },
  ];
}

/** A change of fields; none when no field differs (a label change alone is no change). */
export function changed(
  section: Section,
  key: string,
  subject: string,
  fields: FieldChange[],
  sides: { before?: unknown; after?: unknown; head?: Snapshot | null; note?: string; risk?: Risk } = {},
): Change[] {
  if (!fields.length) return [];
  const { before, after, head = null, note = "", risk } = sides;
  return [
    {
      section,
      key,
      action: "changed",
      subject,
      risk: risk ?? highestOf(fields.map((f) => f.risk)),
      note,
      fields,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      ...place(head, key),
    },
  ];
}
