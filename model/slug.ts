/**
 * A name turned into lower-case letters, digits and dashes: how a grant file is named after its principal and role
 * (`c-jordan-lee-global-administrator.yaml`) and how readable parts of resource names are written.
 */

/** `Global Administrator` → `global-administrator`; `ada.lovelace@contoso.com` → `ada-lovelace-contoso-com`. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s || "x";
}
