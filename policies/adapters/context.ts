/**
 * What every adapter shares: the shape of a resource as CrossGuard shows it, the pack-level settings (tiers,
 * break-glass, contractor, synchronised and service account object ids, authentication contexts), a plain copy of
 * the props with preview's unknown values marked, and helpers that classify roles by id.
 *
 * The pack never throws on a resource it reads (a throw fails the whole run and hides every other result). What a
 * field that is missing or unknown means is decided once, here and in each adapter:
 * - the role a resource governs (role definition id): missing, the resource cannot be read (`Unreadable`, a
 *   mandatory violation of `pim-resource-readable`); unknown during preview, a role created in this run, taken as
 *   a privileged custom role;
 * - a principal or group id: missing, the resource cannot be read; unknown, a stand-in id (`pendingId`);
 * - settings, rules, dates, kinds: missing or unknown count as not configured, or as the stricter reading
 *   (no end date is permanent, an unreadable kind is active, an unreadable access is the member policy).
 */
import { entraRoleById, findAzureRole } from "../../model/catalog";
import { parseDuration } from "../../model/duration";
import { lower, str, strings } from "../../model/untypedJson";
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

export interface ServiceAccountConfig {
  principalId: string;
  /** Role template or definition ids. */
  roleIds: string[];
  justification: string;
}

export interface PackContext {
  tiers: ResolvedTiers;
  /** Object ids of the break-glass accounts (lower-cased). */
  breakGlass: string[];
  /** Object ids of contractor accounts (lower-cased); held to the shorter eligibility of PIM-017. */
  contractors: string[];
  /** Object ids of accounts synchronised from on-premises (lower-cased); PIM-003. */
  synchronizedAccounts: string[];
  /** Service accounts excluded from PIM-004 for the listed roles (lower-cased ids); PIM-011. */
  serviceAccounts: ServiceAccountConfig[];
  /** Authentication context id → the Conditional Access policy (display name or id) enforcing it; PIM-023. */
  authenticationContexts: Record<string, string>;
}

/** Records which resource each input object came from, so stack findings point at a URN. */
export type UrnIndex = Map<string, string>;

/** A resource the pack cannot attribute to a role or principal, and why. */
export interface Unreadable {
  urn: string;
  reason: string;
}

export type Adapter = (
  r: ResourceLike,
  input: RuleInput,
  ctx: PackContext,
  urns: UrnIndex,
  unreadable: (reason: string) => void,
) => void;

/** Marks a value CrossGuard could not know during preview (its props proxy throws when one is read). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/**
 * A plain copy of resource props with every value that could not be read replaced by `UNKNOWN`. The proxy throws
 * on an unknown value; copying once, here, means no adapter can be surprised by a throw later.
 */
export function snapshot(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  // Resource inputs are JSON-like and shallow; a deeper structure is not something an adapter reads.
  if (depth > 12) return UNKNOWN;
  const read = (get: () => unknown): unknown => {
    try {
      return snapshot(get(), depth + 1);
    } catch {
      return UNKNOWN;
    }
  };
  try {
    if (Array.isArray(value)) return Array.from({ length: value.length }, (_v, i) => read(() => value[i]));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = read(() => (value as Record<string, unknown>)[k]);
    return out;
  } catch {
    return UNKNOWN;
  }
}

/** The value, or `fallback` when it is not known during preview (a proxy throw or `UNKNOWN`). */
export function known<T>(get: () => T, fallback: T): T {
  try {
    const v = get();
    return (v as unknown) === UNKNOWN ? fallback : v;
  } catch (e) {
    if (e instanceof Error && /can't be known during preview/.test(e.message)) return fallback;
    throw e;
  }
}

/** A component whose children share one stand-in id for the group they create. */
const GROUP_COMPONENTS = new Set<string>(["pim:entra:PimGroup", "pim:entra:ApproverGroup"]);

/**
 * A stand-in id for an object created in this run. Children of one PimGroup or ApproverGroup component share it
 * (the group's policies, schedules, members and role assignments all name that group), so the stack can still
 * link them.
 */
export function pendingId(r: ResourceLike): string {
  const parent = r.opts?.parent;
  const type = parentType(r.urn);
  return parent && type !== null && GROUP_COMPONENTS.has(type) ? `pending:${parent}` : `pending:${r.urn}`;
}

// Props are read like any JSON that promises nothing: one set of helpers (model/untypedJson.ts) for the pack.
export { lower, str, strings };
export const isUnknown = (v: unknown): boolean => v === UNKNOWN;

/** An object id: lower-cased when known, `fallback` when unknown during preview, "" when missing. */
export function idOr(v: unknown, fallback: string): string {
  if (v === UNKNOWN) return fallback;
  return lower(v);
}

export function ensurePrincipal(
  input: RuleInput,
  id: string,
  ctx: PackContext,
  type: "user" | "group" | "unknown" = "unknown",
  declaredName: string | null = null,
): void {
  const upn = declaredName && declaredName.includes("@") ? declaredName : null;
  const known = input.principals[id];
  // Several resources name one principal; the first that says who it is (a schedule's principalName) wins.
  if (known && (known.displayName !== id || !declaredName)) return;
  input.principals[id] = {
    id,
    type: upn ? "user" : (known?.type ?? type),
    displayName: declaredName ?? id,
    userPrincipalName: upn,
    userType: upn ? (/#ext#/i.test(upn) ? "Guest" : "Member") : null,
    isContractor: ctx.contractors.includes(id),
    onPremisesSynced: ctx.synchronizedAccounts.includes(id) ? true : null,
  };
}

/**
 * A directory role by template id (built-in) or definition id (custom, taken as privileged). An id not known
 * during preview is a role created in this run: a custom role, keyed by the resource.
 */
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

/** The role a resource governs, from its role id prop; null (and the resource is unreadable) when missing. */
export function roleFrom(
  r: ResourceLike,
  value: unknown,
  prop: string,
  input: RuleInput,
  ctx: PackContext,
  unreadable: (reason: string) => void,
  add: (input: RuleInput, id: string, ctx: PackContext) => string = addDirectoryRole,
): string | null {
  if (value === UNKNOWN) return add(input, `pending:${r.urn}`, ctx);
  const id = str(value);
  if (!id) {
    unreadable(`${prop} is missing, so the role it governs is not known`);
    return null;
  }
  return add(input, id, ctx);
}

/** A principal or group id prop; null (and the resource is unreadable) when missing. */
export function idFrom(
  value: unknown,
  prop: string,
  fallback: string,
  unreadable: (reason: string) => void,
): string | null {
  const id = idOr(value, fallback);
  if (!id) {
    unreadable(`${prop} is missing, so who it is about is not known`);
    return null;
  }
  return id;
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

/** A group as the input knows it; `pimEnrolled` once any PIM-for-Groups resource governs it. */
export function ensureGroup(input: RuleInput, groupId: string, pimEnrolled: boolean): void {
  const g = (input.groups[groupId] ??= {
    id: groupId,
    displayName: groupId,
    isAssignableToRole: null,
    pimEnrolled,
    members: [],
    owners: [],
  });
  if (pimEnrolled) g.pimEnrolled = true;
  input.principals[groupId] ??= {
    id: groupId,
    type: "group",
    displayName: groupId,
    userPrincipalName: null,
    userType: null,
    isContractor: false,
    onPremisesSynced: null,
  };
}

/** Component type tokens whose children the pack trusts to be break-glass or PIM-for-Groups role assignments. */
export const COMPONENT_TYPES = {
  BreakGlass: "pim:entra:BreakGlass",
  PimGroup: "pim:entra:PimGroup",
  ApproverGroup: "pim:entra:ApproverGroup",
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

/**
 * A child of our BreakGlass component is a break-glass assignment when policy-pack config does not name the
 * accounts; once it does, config decides. The URN's parent type is only a name any program can give its own
 * component, so it never overrides an explicit list.
 */
export function noteBreakGlass(
  r: ResourceLike,
  input: RuleInput,
  ctx: PackContext,
  principalId: string,
): void {
  if (parentType(r.urn) === COMPONENT_TYPES.BreakGlass) recordBreakGlass(input, ctx, principalId);
}

/** A break-glass account our BreakGlass component names, taken as one unless policy-pack config lists them. */
export function recordBreakGlass(input: RuleInput, ctx: PackContext, principalId: string): void {
  if (ctx.breakGlass.length === 0 && !input.breakGlass.some((b) => b.principalId === principalId)) {
    input.breakGlass.push({ principalId });
  }
}

/** `start + ISO duration` as an instant, or null when either is missing or unreadable. */
export function endFrom(start: string | null, duration: string | null, now: string): string | null {
  if (!duration) return null;
  const d = parseDuration(duration);
  if (!d.ok) return null;
  const from = Date.parse(start ?? now);
  if (Number.isNaN(from)) return null;
  return new Date(from + d.ms).toISOString();
}

/** An instant the rules can compare, or null: a date that does not parse reads as absent. */
export function instant(v: unknown): string | null {
  const s = str(v);
  return s !== null && !Number.isNaN(Date.parse(s)) ? s : null;
}
