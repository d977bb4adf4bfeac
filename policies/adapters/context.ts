/**
 * What every adapter shares: the shape of a resource as CrossGuard shows it, the pack-level settings (tiers,
 * break-glass and contractor object ids) and helpers that classify roles by id.
 */
import { entraRoleById, findAzureRole } from "../../model/catalog";
import { parseDuration } from "../../model/duration";
import { isPrivilegedAzureRole } from "../rules/fromModel";
import type { RuleInput } from "../rules/input";
import { classifyRole, type ResolvedTiers } from "../rules/tiers";

/** The part of `ResourceValidationArgs` / `PolicyResource` adapters read. */
export interface ResourceLike {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Pulumi resource properties arrive untyped from the engine; each is checked where it is read
  props: Record<string, any>;
  urn: string;
  name: string;
  opts?: { parent?: string };
}

export interface PackContext {
  tiers: ResolvedTiers;
  /** Object ids of the break-glass accounts (lower-cased). */
  breakGlass: string[];
  /** Object ids of contractor accounts (lower-cased); held to the shorter eligibility of PIM-017. */
  contractors: string[];
}

/** Records which resource each input object came from, so stack findings point at a URN. */
export type UrnIndex = Map<string, string>;

export type Adapter = (r: ResourceLike, input: RuleInput, ctx: PackContext, urns: UrnIndex) => void;

/**
 * During preview, CrossGuard's props proxy throws on an unknown value (an object id not created yet). An id the
 * rules only use to link objects is then replaced by `fallback`, so the policy still runs instead of degrading
 * to "can't run policy during preview".
 */
export function known<T>(get: () => T, fallback: T): T {
  try {
    return get();
  } catch (e) {
    if (e instanceof Error && /can't be known during preview/.test(e.message)) return fallback;
    throw e;
  }
}

/**
 * A stand-in id for an object created in this run. Children of one PimGroup component share it (the group's
 * policies, schedules and role assignments all name that group), so the stack can still link them.
 */
export function pendingId(r: ResourceLike): string {
  const parent = r.opts?.parent;
  return parent && parentType(r.urn) === COMPONENT_TYPES.PimGroup ? `pending:${parent}` : `pending:${r.urn}`;
}

export const lower = (v: unknown): string => (typeof v === "string" ? v.trim().toLowerCase() : "");
export const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

export function ensurePrincipal(
  input: RuleInput,
  id: string,
  ctx: PackContext,
  type: "user" | "group" | "unknown" = "unknown",
): void {
  input.principals[id] ??= {
    id,
    type,
    displayName: id,
    userPrincipalName: null,
    userType: null,
    isContractor: ctx.contractors.includes(id),
  };
}

/** A directory role by template id (built-in) or definition id (custom, taken as privileged). */
export function addDirectoryRole(input: RuleInput, id: string, ctx: PackContext): string {
  const key = id.toLowerCase();
  const known = entraRoleById(key);
  const roleId = known ? known.id : key;
  input.roles[roleId] ??= classifyRole(
    {
      id: roleId,
      kind: "directory",
      displayName: known?.name ?? id,
      isPrivileged: known?.isPrivileged ?? true,
    },
    ctx.tiers,
  );
  return roleId;
}

/** An Azure role by definition GUID or full ARM id (`.../roleDefinitions/<guid>`). */
export function addAzureRole(input: RuleInput, id: string, ctx: PackContext): string {
  const guid = (id.split("/").pop() ?? id).toLowerCase();
  const hit = findAzureRole(guid);
  const name = hit.ok ? hit.role.name : guid;
  input.roles[guid] ??= classifyRole(
    { id: guid, kind: "azure", displayName: name, isPrivileged: isPrivilegedAzureRole(guid) },
    ctx.tiers,
  );
  return guid;
}

export function ensureGroup(input: RuleInput, groupId: string): void {
  input.groups[groupId] ??= {
    id: groupId,
    displayName: groupId,
    isAssignableToRole: null,
    pimEnrolled: true,
    members: [],
    owners: [],
  };
  input.principals[groupId] ??= {
    id: groupId,
    type: "group",
    displayName: groupId,
    userPrincipalName: null,
    userType: null,
    isContractor: false,
  };
}

/** Component type tokens whose children the pack trusts to be break-glass or PIM-for-Groups role assignments. */
export const COMPONENT_TYPES = {
  BreakGlass: "pim:entra:BreakGlass",
  PimGroup: "pim:entra:PimGroup",
} as const;

/**
 * The type of a resource's parent, read off its URN (`urn:pulumi:stack::project::Parent$Child::name`): the
 * qualified type lists every ancestor's type, so no lookup is needed and it is known during preview.
 */
export function parentType(urn: string): string | null {
  const chain = urn.split("::")[2];
  if (!chain) return null;
  const types = chain.split("$");
  return types.length >= 2 ? types[types.length - 2]! : null;
}

export const ASSUMED_GROUP_ROLE = "roles assigned elsewhere (assumed privileged)";

/**
 * One resource cannot tell which roles a PIM group holds (the assignment is another resource). Until the stack
 * policy knows, the group is taken to hold a privileged role, so its member policy and memberships are held to
 * the privileged-role rules rather than skipped.
 */
export function assumeGroupPrivileged(input: RuleInput): void {
  for (const g of Object.values(input.groups)) {
    if (input.assignments.some((a) => a.principalId === g.id)) continue;
    const roleId = `assumed:${g.id}`;
    input.roles[roleId] = {
      id: roleId,
      kind: "directory",
      displayName: ASSUMED_GROUP_ROLE,
      isPrivileged: true,
      tier: "tier1",
      cisaHighlyPrivileged: false,
    };
    input.assignments.push({
      kind: "active",
      roleId,
      principalId: g.id,
      scope: "/",
      startDateTime: null,
      endDateTime: null,
      mechanism: "pim",
      label: `${g.id} holds ${ASSUMED_GROUP_ROLE}`,
    });
  }
}

/** `start + ISO duration` as an instant, or null when either is missing or unreadable. */
export function endFrom(start: string | null, duration: string | null, now: string): string | null {
  if (!duration) return null;
  const d = parseDuration(duration);
  if (!d.ok) return null;
  return new Date(Date.parse(start ?? now) + d.ms).toISOString();
}
