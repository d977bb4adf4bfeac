/** Pairing two keyed lists, and value equality that ignores object key order. */

export interface Pair<T> {
  key: string;
  before?: T;
  after?: T;
}

/** Every key of either side once, in key order. */
export function join<T extends { key: string }>(before: readonly T[], after: readonly T[]): Pair<T>[] {
  const map = new Map<string, Pair<T>>();
  for (const b of before) map.set(b.key, { key: b.key, before: b });
  for (const a of after) {
    const p = map.get(a.key);
    if (p) p.after = a;
    else map.set(a.key, { key: a.key, after: a });
  }
  return [...map.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** Structural equality of plain data (JSON values); object key order does not matter. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && same(ao[k], bo[k]));
}
