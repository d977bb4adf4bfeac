/**
 * A preview's steps as two snapshots, the tenant before and after the update, holding the resources the preview
 * shows: the project's own resources by their type tokens (providers/types.ts), and the azuread and azure-native
 * PIM resources the components create. The same semantic diff then judges them as `pim plan` judges declarations.
 * A step of any other type, or one whose inputs are not readable, is listed plainly.
 *
 * Resources the preview does not show (unchanged ones, without --show-sames) are on neither side, so the diff
 * holds exactly what the update changes. Principals here are object ids, or the principal name our own schedule
 * resources carry for messages.
 */
import {
  breakGlassKey,
  approverGroupKey,
  grantKey,
  membershipKey,
  pimGroupKey,
  settingsKey,
} from "../../../model/keys";
import { emptySnapshot, type GrantEntry, type Snapshot } from "../../../model/snapshot";
import type { ResolvedSettings, Scope } from "../../../model/types";
import { TYPE_TOKENS } from "../../../providers/types";
import {
  nameFromUrn,
  normalizeOp,
  typeChain,
  UNKNOWN,
  type PreviewStep,
  type ResourceState,
} from "./pulumiJson";

export const AZUREAD = {
  group: "azuread:index/group:Group",
  groupMember: "azuread:index/groupMember:GroupMember",
  roleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  eligibility:
    "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  assignment: "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
} as const;
export const AZURE_NATIVE_ELIGIBILITY = "azure-native:authorization:PimRoleEligibilitySchedule";

/** Component type tokens (components/*.ts `__pulumiType`) that tell what an azuread child belongs to. */
const COMPONENT = {
  breakGlass: "pim:entra:BreakGlass",
  approverGroup: "pim:entra:ApproverGroup",
  pimGroup: "pim:entra:PimGroup",
};

export interface OtherChange {
  op: string;
  urn: string;
  type: string;
  name: string;
  /** Inputs whose value differs, top level. */
  changed: string[];
}

export interface PreviewSnapshots {
  before: Snapshot;
  after: Snapshot;
  others: OtherChange[];
  /** Steps the diff covers, by operation (create, update, replace, delete, same). */
  ops: Record<string, number>;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== UNKNOWN ? v : null);

/** The component that owns a resource: the nearest component type in its URN, and that component's name. */
function owner(urn: string, parent: string | undefined): { type: string | null; name: string } {
  const chain = typeChain(urn).slice(0, -1);
  const type = [...chain].reverse().find((t) => Object.values(COMPONENT).includes(t)) ?? null;
  return { type, name: parent ? nameFromUrn(parent) : (chain.at(-1) ?? "") };
}

function directoryScope(id: string): Scope {
  if (id === "/") return { type: "tenant" };
  const au = /^\/administrativeUnits\/(.+)$/.exec(id);
  if (au) return { type: "administrativeUnit", ref: au[1]! };
  return { type: "application", ref: id.replace(/^\//, "") };
}

interface GroupSide {
  name: string;
  description: string | null;
  /** Whether the group resource itself is on this side (not only its members or role assignments). */
  group: boolean;
}
interface Side {
  snap: Snapshot;
  approverGroups: Map<string, GroupSide & { members: string[] }>;
  pimGroups: Map<string, GroupSide & { roleAssignable: boolean; roles: string[] }>;
}

/** Adds one resource state to a side; false when this type is not one the diff reads. */
function add(side: Side, s: ResourceState): boolean {
  const i = s.inputs;
  const st = side.snap.state;
  switch (s.type) {
    case TYPE_TOKENS.DirectoryRoleSettings: {
      const roleId = str(i["roleDefinitionId"]);
      if (!roleId || typeof i["settings"] !== "object" || i["settings"] === null) return false;
      const key = settingsKey({ kind: "directory", roleId });
      st.roleSettings.push({
        key,
        label: str(i["roleName"]) ?? roleId,
        target: { kind: "directory", roleId },
        profile: null,
        settings: i["settings"] as ResolvedSettings,
      });
      return true;
    }
    case TYPE_TOKENS.DirectoryRoleSchedule: {
      const roleId = str(i["roleDefinitionId"]);
      const principal = str(i["principalName"]) ?? str(i["principalId"]);
      const kind = i["kind"] === "active" ? "active" : "eligible";
      if (!roleId || !principal) return false;
      const scope = directoryScope(str(i["directoryScopeId"]) ?? "/");
      const role = { kind: "directory" as const, id: roleId, name: str(i["roleName"]) ?? roleId };
      const g: GrantEntry = {
        key: grantKey({ kind, role, scope, principal }),
        kind,
        principal,
        principalType: null,
        role,
        scope,
        start: str(i["start"]),
        end: str(i["end"]),
        justification: str(i["justification"]) ?? "",
        ticket: (i["ticket"] as GrantEntry["ticket"]) ?? null,
        requestedBy: null,
      };
      st.grants.push(g);
      return true;
    }
    case AZURE_NATIVE_ELIGIBILITY: {
      const full = str(i["roleDefinitionId"]);
      const principal = str(i["principalId"]);
      const scopeId = str(i["scope"]);
      if (!full || !principal || !scopeId) return false;
      const roleId = full.slice(full.lastIndexOf("/") + 1);
      const info = (i["scheduleInfo"] ?? {}) as {
        startDateTime?: unknown;
        expiration?: { endDateTime?: unknown };
      };
      const ticket = i["ticketInfo"] as { ticketSystem?: string; ticketNumber?: string } | undefined;
      const scope: Scope = { type: "azure", id: scopeId };
      const role = { kind: "azure" as const, id: roleId, name: roleId };
      st.grants.push({
        key: grantKey({ kind: "eligible", role, scope, principal }),
        kind: "eligible",
        principal,
        principalType: null,
        role,
        scope,
        start: str(info.startDateTime),
        end: str(info.expiration?.endDateTime),
        justification: str(i["justification"]) ?? "",
        ticket:
          ticket?.ticketSystem && ticket.ticketNumber
            ? { system: ticket.ticketSystem, number: ticket.ticketNumber }
            : null,
        requestedBy: null,
      });
      return true;
    }
    case AZUREAD.eligibility:
    case AZUREAD.assignment: {
      const principal = str(i["principalId"]);
      if (!principal) return false;
      const group = str(i["groupId"]) ?? owner(s.urn, s.parent).name;
      const access = i["assignmentType"] === "owner" ? "owner" : "member";
      const kind = s.type === AZUREAD.eligibility ? "eligible" : "active";
      st.memberships.push({
        key: membershipKey(group, access, kind, principal),
        group,
        access,
        kind,
        principal,
        start: str(i["startDate"]),
        end: i["permanentAssignment"] === true ? null : str(i["expirationDate"]),
        justification: str(i["justification"]),
      });
      return true;
    }
  }
  const own = owner(s.urn, s.parent);
  if (s.type === AZUREAD.roleAssignment && own.type === COMPONENT.breakGlass) {
    // The account's UPN is not in the resource; its object id is, and the resource name carries the UPN's slug.
    const who = str(i["principalObjectId"]) ?? nameFromUrn(s.urn);
    st.breakGlass.push({ key: breakGlassKey(who), upn: `${who} (${nameFromUrn(s.urn)})`, description: null });
    return true;
  }
  if (own.type === COMPONENT.approverGroup && (s.type === AZUREAD.group || s.type === AZUREAD.groupMember)) {
    const g = side.approverGroups.get(own.name) ?? {
      name: own.name,
      description: null,
      members: [],
      group: false,
    };
    if (s.type === AZUREAD.group) {
      g.group = true;
      g.name = str(i["displayName"]) ?? own.name;
      g.description = str(i["description"]);
    } else g.members.push(str(i["memberObjectId"]) ?? nameFromUrn(s.urn));
    side.approverGroups.set(own.name, g);
    return true;
  }
  if (own.type === COMPONENT.pimGroup && (s.type === AZUREAD.group || s.type === AZUREAD.roleAssignment)) {
    const g = side.pimGroups.get(own.name) ?? {
      name: own.name,
      description: null,
      roleAssignable: true,
      roles: [] as string[],
      group: false,
    };
    if (s.type === AZUREAD.group) {
      g.group = true;
      g.name = str(i["displayName"]) ?? own.name;
      g.description = str(i["description"]);
      g.roleAssignable = i["assignableToRole"] === true;
    } else g.roles.push(str(i["roleId"]) ?? nameFromUrn(s.urn));
    side.pimGroups.set(own.name, g);
    return true;
  }
  return false;
}

/**
 * A group whose own resource is unchanged (not in the preview) exists on both sides: only its members or roles
 * change. Without this, a new member of an unchanged group would read as a new group.
 */
function pairUnchangedGroups(a: Side, b: Side): void {
  for (const kind of ["approverGroups", "pimGroups"] as const) {
    const ma: Map<string, GroupSide> = a[kind];
    const mb: Map<string, GroupSide> = b[kind];
    for (const component of new Set([...ma.keys(), ...mb.keys()])) {
      const x = ma.get(component);
      const y = mb.get(component);
      if (x?.group || y?.group) continue;
      const blank = (from: GroupSide) => ({ ...from, members: [], roles: [] });
      if (!x) ma.set(component, blank(y!));
      if (!y) mb.set(component, blank(x!));
    }
  }
}

function finish(side: Side): Snapshot {
  const st = side.snap.state;
  // Keyed by the component, so a group is the same group on both sides even when only a member changes.
  for (const [component, g] of side.approverGroups) {
    st.approverGroups.push({
      key: approverGroupKey(component),
      name: g.name,
      description: g.description,
      members: [...g.members].sort(),
      approves: [],
    });
  }
  for (const [component, g] of side.pimGroups) {
    st.pimGroups.push({
      key: pimGroupKey(component),
      name: g.name,
      description: g.description,
      roleAssignable: g.roleAssignable,
      roles: [...g.roles].sort().map((id) => ({ kind: "directory" as const, id, name: id })),
    });
  }
  for (const list of [
    st.roleSettings,
    st.grants,
    st.memberships,
    st.breakGlass,
    st.approverGroups,
    st.pimGroups,
  ] as Array<Array<{ key: string }>>) {
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return side.snap;
}

function changedInputs(b: ResourceState | undefined, a: ResourceState | undefined): string[] {
  const keys = new Set([...Object.keys(b?.inputs ?? {}), ...Object.keys(a?.inputs ?? {})]);
  // The serialized provider of a dynamic resource is code, not configuration.
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(b?.inputs[k]) !== JSON.stringify(a?.inputs[k])).sort();
}

export function previewSnapshots(stack: string, steps: readonly PreviewStep[]): PreviewSnapshots {
  const sides = [0, 1].map(
    () => ({ snap: emptySnapshot(stack), approverGroups: new Map(), pimGroups: new Map() }) as Side,
  );
  const [before, after] = sides as [Side, Side];
  // One entry per URN: a replacement can come as several steps.
  const byUrn = new Map<string, { op: string; old?: ResourceState; neu?: ResourceState }>();
  for (const s of steps) {
    const e = byUrn.get(s.urn) ?? { op: normalizeOp(s.op) };
    if (normalizeOp(s.op) === "replace") e.op = "replace";
    if (s.oldState && !e.old) e.old = s.oldState;
    if (s.newState) e.neu = s.newState;
    byUrn.set(s.urn, e);
  }
  const others: OtherChange[] = [];
  const ops: Record<string, number> = {};
  for (const [urn, e] of [...byUrn].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const removes = e.op === "delete" || e.op === "discard";
    const creates = e.op === "create" || e.op === "import";
    const reads = e.op === "read" || e.op === "refresh" || e.op === "read-replacement";
    const old = creates ? undefined : e.old;
    const neu = removes ? undefined : e.neu;
    // A masked secret cannot be compared: such a resource is listed plainly.
    const readable = (s?: ResourceState) => !s || !Object.values(s.inputs).includes("[secret]");
    let mapped = !reads && readable(old) && readable(neu);
    if (mapped) {
      const a = old ? add(before, old) : true;
      const b = neu ? add(after, neu) : true;
      mapped = Boolean((old || neu) && a && b);
    }
    if (mapped) ops[e.op] = (ops[e.op] ?? 0) + 1;
    else if (e.op !== "same" && (old || neu)) {
      const type = (neu ?? old)!.type;
      others.push({ op: e.op, urn, type, name: nameFromUrn(urn), changed: changedInputs(old, neu) });
    }
  }
  pairUnchangedGroups(before, after);
  return { before: finish(before), after: finish(after), others, ops };
}
