/**
 * Reading JSON that promises nothing: a resource's inputs as the policy pack receives them, rules read back from
 * ARM or azuread arguments. Each step narrows `unknown` instead of trusting a shape, so a missing or odd value
 * reads as absent (an empty map or list, null) rather than throwing or passing for something it is not. One home
 * for these helpers: the settings mappings, the rule input and the pack adapters all read through them.
 */

/** An object's fields, each of unknown type. */
export type Fields = { readonly [key: string]: unknown };

/** The fields of an object; an empty map for anything else (null, a list, a text), so reads never throw. */
export function fields(v: unknown): Fields {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Fields) : {};
}

/** The elements of a list; empty for anything else. */
export const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** A non-empty text, or null. */
export const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** A text trimmed and lower-cased (object ids compare that way); "" for anything that is not a text. */
export const lower = (v: unknown): string => (typeof v === "string" ? v.trim().toLowerCase() : "");

/** The texts of a list, whatever else it holds (missing or garbage reads as empty). */
export const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");
