/**
 * Principals, administrative units and applications by the names declarations use: one read per distinct
 * reference, sent as `$batch` (20 per request), so a stack naming 300 people costs about 15 requests.
 *
 * - A UPN is a user: `GET /users/{upn}` (with `onPremisesSyncEnabled`, which break-glass verification needs).
 * - An object id is read as a directory object (`GET /directoryObjects/{id}`): it must exist, and its
 *   `@odata.type` says what it is, so the caller can refuse a group where a user is expected.
 * - A display name is a group (security-enabled) or a service principal; a bare name asks both, and the caller
 *   refuses a name that is both, or several objects.
 * - Administrative units and applications by display name or object id (an application also by app id).
 *
 * The caller chooses each reference's `key` and reads the answers under it; nothing here knows the model.
 */
import { isObjectId } from "../../../model/ids";
import { odataFilter, type GraphApi } from "../index";
import type { BatchRequest } from "../client";
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

/** Least-privileged application permission of each read (graph-pim.md §6 and the directory objects' pages). */
const PERMISSION: Record<string, string> = {
  users: "User.Read.All",
  groups: "GroupMember.Read.All",
  servicePrincipals: "Application.Read.All",
  applications: "Application.Read.All",
  directory: "AdministrativeUnit.Read.All",
  directoryObjects: "Directory.Read.All (or User.Read.All, Group.Read.All and Application.Read.All)",
};

const quoted = encodeURIComponent;
const USER_SELECT = "$select=id,displayName,userPrincipalName,onPremisesSyncEnabled";
const NAMED_SELECT = "$select=id,displayName";

interface Read {
  key: string;
  request: BatchRequest;
  /** A single entity (404 = absent) or a collection (`value`). */
  shape: "entity" | "collection";
  /** For collections and for entities whose URL carries no type. */
  type: DirectoryObjectType | null;
}

function readsOf(r: DirectoryReference): Read[] {
  const get = (url: string, shape: Read["shape"], type: DirectoryObjectType | null): Read => ({
    key: r.key,
    request: { method: "GET", url },
    shape,
    type,
  });
  const ref = r.ref.trim();
  switch (r.kind) {
    case "user":
      return [get(`/users/${quoted(ref)}?${USER_SELECT}`, "entity", "user")];
    case "object":
      return [get(`/directoryObjects/${quoted(ref.toLowerCase())}`, "entity", null)];
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

type Get = (url: string, shape: Read["shape"], type: DirectoryObjectType | null) => Read;

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

const ODATA_TYPES: Record<string, DirectoryObjectType> = {
  "#microsoft.graph.user": "user",
  "#microsoft.graph.group": "group",
  "#microsoft.graph.servicePrincipal": "servicePrincipal",
  "#microsoft.graph.administrativeUnit": "administrativeUnit",
  "#microsoft.graph.application": "application",
};

function toObject(raw: Record<string, unknown>, type: DirectoryObjectType | null): DirectoryObject | null {
  const t = type ?? ODATA_TYPES[String(raw["@odata.type"] ?? "")];
  if (!t || typeof raw["id"] !== "string") return null;
  return {
    id: raw["id"].toLowerCase(),
    type: t,
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
  for (let i = 0; i < reads.length; i++) {
    const read = reads[i]!;
    const res = results[i]!;
    if (res.status === 404 && read.shape === "entity") continue;
    if (res.error) {
      const collection = read.request.url.split(/[/?]/)[1] ?? "";
      const permission =
        res.status === 403 ? `; the deployment identity needs ${PERMISSION[collection]}` : "";
      throw new DirectoryReadError(`reading ${read.request.url} failed: ${res.error.message}${permission}`);
    }
    const raws: Record<string, unknown>[] =
      read.shape === "entity" ? [res.body] : await everyPage<Record<string, unknown>>(g, res.body);
    const found = out.get(read.key)!;
    for (const raw of raws) {
      const o = toObject(raw, read.type);
      if (o && !found.some((f) => f.id === o.id)) found.push(o);
    }
  }
  return out;
}
