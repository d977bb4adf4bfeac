/**
 * The grammar of an ARM scope, written out so that a mistyped scope is refused offline with the part that is wrong,
 * instead of reaching Azure Resource Manager (or matching no policy at all):
 *
 *   /subscriptions/<subscription id>[/resourceGroups/<name>[/providers/<Namespace>/<type>/<name>[/<type>/<name>]…]]
 *   /providers/Microsoft.Management/managementGroups/<management group id>
 *
 * ARM compares the fixed words case-insensitively; so does this. A trailing slash is allowed.
 */
import { GUID_PATTERN, isObjectId } from "../ids";
import { quote } from "../untrustedText";

/** Resource group and management group names: letters, digits, `-_.()`, 1 to 90 characters (ARM's own limits). */
const GROUP_NAME = /^[-\w.()]{1,90}$/;
/** A resource provider namespace such as Microsoft.KeyVault. */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+$/;
const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9]*$/;
/** A resource's name: anything ARM allows in a path segment, which excludes these characters. */
const RESOURCE_NAME = /^[^/\\%&?#<>*:\s]{1,260}$/;

/** `subscriptions` → `[Ss][Uu]…`: JSON Schema patterns take no flags, and ARM ignores case. */
const anyCase = (word: string) => word.replace(/[a-z]/gi, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
const GUID_SOURCE = GUID_PATTERN.source.replace(/^\^|\$$/g, "").replaceAll("[0-9a-f]", "[0-9A-Fa-f]");

/** The outline alone, for editors (a JSON Schema `pattern`): a subscription id or a management group first. */
export const AZURE_SCOPE_OUTLINE = `^/(?:${anyCase("subscriptions")}/${GUID_SOURCE}(?:/[^/]+)*|${anyCase("providers")}/${anyCase("Microsoft")}\\.${anyCase("Management")}/${anyCase("managementGroups")}/[^/]+)/*$`;

const FORMS =
  "write /subscriptions/<subscription id>, optionally /resourceGroups/<name> and /providers/<Namespace>/<type>/<name> after it, or /providers/Microsoft.Management/managementGroups/<id>";

/** Why `scope` is not an ARM scope, or null when it is one. */
export function azureScopeProblem(scope: string): string | null {
  // A trailing slash is harmless (the scope key drops it, see model/keys); empty segments inside are not.
  const parts = scope.replace(/\/+$/, "").split("/");
  if (parts[0] !== "" || parts.length < 2) return `${quote(scope)} is not an Azure scope: ${FORMS}`;
  const seg = parts.slice(1);
  const word = (i: number) => (seg[i] ?? "").toLowerCase();
  if (word(0) === "providers") {
    if (word(1) !== "microsoft.management" || word(2) !== "managementgroups" || seg.length !== 4) {
      return `${quote(scope)} is not an Azure scope: ${FORMS}`;
    }
    return GROUP_NAME.test(seg[3]!)
      ? null
      : `${quote(scope)}: the management group id must be 1 to 90 letters, digits or -_.()`;
  }
  if (word(0) !== "subscriptions" || seg.length < 2) return `${quote(scope)} is not an Azure scope: ${FORMS}`;
  if (!isObjectId(seg[1]!) || seg[1] !== seg[1]!.trim()) {
    return `${quote(scope)}: the subscription id must be a GUID such as 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d`;
  }
  if (seg.length === 2) return null;
  if (word(2) !== "resourcegroups" || seg.length < 4)
    return `${quote(scope)} is not an Azure scope: ${FORMS}`;
  if (!GROUP_NAME.test(seg[3]!) || seg[3]!.endsWith(".")) {
    return `${quote(scope)}: a resource group name is 1 to 90 letters, digits or -_.() and does not end in a period`;
  }
  if (seg.length === 4) return null;
  // /providers/<Namespace>/<type>/<name> then any number of nested /<type>/<name> pairs.
  if (word(4) !== "providers" || seg.length < 8 || seg.length % 2 !== 0 || !NAMESPACE.test(seg[5]!)) {
    return `${quote(scope)} is not an Azure scope: ${FORMS}`;
  }
  for (let i = 6; i < seg.length; i += 2) {
    if (!RESOURCE_TYPE.test(seg[i]!) || !RESOURCE_NAME.test(seg[i + 1]!)) {
      return `${quote(scope)}: a resource is written /<type>/<name>, e.g. /providers/Microsoft.KeyVault/vaults/kv-prod`;
    }
  }
  return null;
}
