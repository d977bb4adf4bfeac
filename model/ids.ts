/**
 * Identifier syntax, in one place: what an Entra object id (a GUID) looks like. Declarations name principals by
 * UPN, display name or object id; everything that must tell them apart asks here.
 */

/** A GUID in its canonical 8-4-4-4-12 form, either case. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `ref` (surrounding spaces ignored) is an object id rather than a name. */
export const isObjectId = (ref: string): boolean => GUID_PATTERN.test(ref.trim());
