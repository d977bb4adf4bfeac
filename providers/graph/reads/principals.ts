/**
 * Principals, administrative units and applications by the names declarations use: one read per distinct
 * reference, sent as `$batch` (20 per request), so a stack naming 300 people costs about 15 requests.
 *
 * - A UPN is a user: `GET /users/{upn}` (with `onPremisesSyncEnabled`, which break-glass verification needs).
 * - An object id is read as a user, a group and a service principal (three reads, by id): it must exist, and
 *   which read answers says what it is, so the caller can refuse a group where a user is expected.
 * - A display name is a group (security-enabled) or a service principal; a bare name asks both, and the caller
 *   refuses a name that is both, or several objects.
 * - Administrative units and applications by display name or object id (an application also by app id).
 *
 * The caller chooses each reference's `key` and reads the answers under it; nothing here knows the model.
 */
import { isObjectId } from "../../../model/ids";
import { odataFilter, type GraphApi } from "../index";
import type { BatchRequest } from "../client";
import { permissionFor } from "../permissions";
import { everyPage } from "./pages";

export type ReferenceKind =
  | "user"
  | "group"
  | "servicePrincipal"
  | "groupOrServicePrincipal"
  | "object"
  | "administrativeUnit"
  | "application";

export interface DirectoryReference {
  /** The caller's key; the answer comes back under it. */
  key: string;
  kind: ReferenceKind;
  /** UPN, display name or object id, as declared. */
  ref: string;
}

export type DirectoryObjectType =
  "user" | "group" | "servicePrincipal" | "administrativeUnit" | "application";

export interface DirectoryObject {
  /** Lower-cased object id. */
  id: string;
  type: DirectoryObjectType;
  displayName: string | null;
  /** Users only. */
  userPrincipalName: string | null;
  /** Users read by UPN only: true when synchronised from on-premises AD; null when cloud-only or not read. */
  onPremisesSyncEnabled: boolean | null;
}

/** Every object that answered the reference: none (it does not exist), one, or several (ambiguous). */
export type Resolutions = Map<string, DirectoryObject[]>;

const quoted = encodeURIComponent;
const USER_SELECT = "$select=id,displayName,userPrincipalName,onPremisesSyncEnabled";
const NAMED_SELECT = "$select=id,displayName";

interface Read {
  key: string;
  request: BatchRequest;
  /** A single entity (404 = absent) or a collection (`value`). */
  shape: "entity" | "collection";
  /** What an object this read returns is. */
  type: DirectoryObjectType;
}

function readsOf(r: DirectoryReference): Read[] {
  const get = (url: string, shape: Read["shape"], type: DirectoryObjectType): Read => ({
    key: r.key,
    request: { method: "GET", url },
    shape,
    type,
  });
  const ref = r.ref.trim();
  switch (r.kind) {
    case "user":
      return [get(`/users/${quoted(ref)}?${USER_SELECT}`, "entity", "user")];
    case "object": {
      // Asked as each kind of principal rather than as a directory object: the same permissions as the names
      // (`GET /directoryObjects/{id}` needs Directory.Read.All), and the answer says what the object is.
      const id = quoted(ref.toLowerCase());
      return [
        get(`/users/${id}?${USER_SELECT}`, "entity", "user"),
        get(`/groups/${id}?${NAMED_SELECT}`, "entity", "group"),
        get(`/servicePrincipals/${id}?${NAMED_SELECT}`, "entity", "servicePrincipal"),
      ];
    }
    case "group":
      return [groupByName(get, ref)];
    case "servicePrincipal":
      return [servicePrincipalByName(get, ref)];
    case "groupOrServicePrincipal":
      return [groupByName(get, ref), servicePrincipalByName(get, ref)];
    case "administrativeUnit":
      return [
        isObjectId(ref)
          ? get(
              `/directory/administrativeUnits/${quoted(ref)}?${NAMED_SELECT}`,
              "entity",
              "administrativeUnit",
            )
          : get(
              `/directory/administrativeUnits?${odataFilter({ displayName: ref })}&${NAMED_SELECT}`,
              "collection",
              "administrativeUnit",
            ),
      ];
    case "application":
      // A GUID is the application's object id (what a directory scope names) or its app id: both are asked.
      return isObjectId(ref)
        ? [
            get(`/applications/${quoted(ref)}?${NAMED_SELECT}`, "entity", "application"),
            get(`/applications?${odataFilter({ appId: ref })}&${NAMED_SELECT}`, "collection", "application"),
          ]
        : [
            get(
              `/applications?${odataFilter({ displayName: ref })}&${NAMED_SELECT}`,
              "collection",
              "application",
            ),
          ];
  }
}

type Get = (url: string, shape: Read["shape"], type: DirectoryObjectType) => Read;

const groupByName = (get: Get, name: string) =>
  get(
    `/groups?${odataFilter({ displayName: name, securityEnabled: true })}&${NAMED_SELECT}`,
    "collection",
    "group",
  );

const servicePrincipalByName = (get: Get, name: string) =>
  get(
    `/servicePrincipals?${odataFilter({ displayName: name })}&${NAMED_SELECT}`,
    "collection",
    "servicePrincipal",
  );

function toObject(raw: Record<string, unknown>, type: DirectoryObjectType): DirectoryObject | null {
  if (typeof raw["id"] !== "string") return null;
  return {
    id: raw["id"].toLowerCase(),
    type,
    displayName: typeof raw["displayName"] === "string" ? raw["displayName"] : null,
    userPrincipalName: typeof raw["userPrincipalName"] === "string" ? raw["userPrincipalName"] : null,
    onPremisesSyncEnabled:
      raw["onPremisesSyncEnabled"] === true ? true : raw["onPremisesSyncEnabled"] === false ? false : null,
  };
}

/** A read that failed for another reason than "not there", with the permission it needs when Graph said 403. */
export class DirectoryReadError extends Error {
  override readonly name = "DirectoryReadError";
}

/**
 * Resolves every reference (keys must be unique), one read each (two for a bare name and an application id),
 * in `$batch` requests of 20. Answers are keyed like the references, deduplicated by object id.
 */
export async function resolveReferences(
  g: GraphApi,
  refs: readonly DirectoryReference[],
): Promise<Resolutions> {
  const reads = refs.flatMap(readsOf);
  const results = await g.batch(reads.map((r) => r.request));
  const out: Resolutions = new Map(refs.map((r) => [r.key, []]));
  /** Reads refused for lack of a permission, by reference: fatal only when nothing else answered it. */
  const forbidden = new Map<string, { url: string; hint: string | null }[]>();
  for (let i = 0; i < reads.length; i++) {
    const read = reads[i]!;
    const res = results[i]!;
    if (res.status === 404 && read.shape === "entity") continue;
    if (res.status === 403) {
      const need = permissionFor("GET", read.request.url);
      forbidden.set(read.key, [
        ...(forbidden.get(read.key) ?? []),
        {
          url: `${read.request.url}${need ? ` (needs ${need.application})` : ""}`,
          hint: res.error?.hint ?? null,
        },
      ]);
      continue;
    }
    if (res.error) throw new DirectoryReadError(`reading ${read.request.url} failed: ${res.error.message}`);
    const raws: Record<string, unknown>[] =
      read.shape === "entity" ? [res.body] : await everyPage<Record<string, unknown>>(g, res.body);
    const found = out.get(read.key)!;
    for (const raw of raws) {
      const o = toObject(raw, read.type);
      if (o && !found.some((f) => f.id === o.id)) found.push(o);
    }
  }
  // A user named by object id is answered by /users even when /servicePrincipals is not readable; a reference
  // nothing answered may be what the unreadable collection holds, so it cannot be judged.
  for (const [key, refused] of forbidden) {
    if (!out.get(key)!.length)
      throw new DirectoryReadError(
        `reading ${refused.map((r) => r.url).join(" and ")} was refused (403). ${refused[0]!.hint ?? ""} ` +
          `README.md, "Permissions a preview needs", lists every read.`,
      );
  }
  return out;
}
