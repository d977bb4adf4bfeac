// The tenant held in memory. Objects are stored in their Graph read shape; members whose name starts
// with `_` are emulator bookkeeping and are stripped by `publicView` before anything is serialised.
// Everything here is plain data so that a snapshot is one JSON.stringify (see --state).
import { emptyAzureState, type AzureState } from "./armModel";
import { stableGuid, newGuid, roleAssignmentKey } from "./ids";
import {
  applyRulePatch,
  ruleKind,
  RULE_TYPES,
  defaultRules,
  type Policy,
  type PolicyAssignment,
  type Rule,
  type NameLookup,
  applyOverrides,
  type RuleOverrides,
} from "./policyEngine";

export interface Tenant {
  id: string;
  displayName: string;
  domains: { name: string; isDefault: boolean }[];
}

export interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  userType: "Member" | "Guest";
  accountEnabled: boolean;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  /** true for accounts synchronised from an on-premises directory; null for cloud-only accounts (user resource). */
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesLastSyncDateTime: string | null;
}

export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  mailEnabled: boolean;
  mailNickname: string;
  securityEnabled: boolean;
  groupTypes: string[];
  isAssignableToRole: boolean | null;
  createdDateTime: string;
  visibility: string | null;
  _members: string[];
  _owners: string[];
  /** PIM for Groups onboarding changes the policy ids (graph-pim.md §2). */
  _pimOnboarded: boolean;
  /**
   * Host-clock instant before which the group's PIM policies do not exist yet: Entra creates a new group's
   * policies a little after the group (issue 9). Host clock, like token lifetimes: a frozen tenant clock must not
   * freeze the lag. Absent: the policies exist.
   */
  _policiesVisibleAtMs?: number;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: string;
  accountEnabled: boolean;
  appOwnerOrganizationId: string;
  _clientSecret: string | null;
  /** Microsoft Graph application permissions granted (admin-consented) to this app. */
  _permissions: string[];
}

export interface Application {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  createdDateTime: string;
}

export interface AdministrativeUnit {
  id: string;
  displayName: string;
  description: string | null;
  visibility: string | null;
  _members: string[];
}

export interface RoleDefinition {
  id: string;
  description: string;
  displayName: string;
  isBuiltIn: boolean;
  isEnabled: boolean;
  resourceScopes: string[];
  templateId: string;
  version: string | null;
  rolePermissions: { allowedResourceActions: string[]; condition: string | null }[];
  _isPrivileged: boolean;
}

export type ScheduleScope = "directory" | "group";
export type ScheduleKind = "eligibility" | "assignment";

/**
 * One schedule (eligibility or active assignment), for a directory role or a group membership.
 * Instances are derived from it at read time (current = started and not ended).
 */
export interface Schedule {
  id: string;
  _scope: ScheduleScope;
  _kind: ScheduleKind;
  principalId: string;
  /** Directory: role definition id. Group: the group id. */
  _target: string;
  /** Group: "member" | "owner". */
  _accessId: string | null;
  directoryScopeId: string | null;
  appScopeId: string | null;
  createdUsing: string;
  createdDateTime: string;
  modifiedDateTime: string | null;
  /** Directory: "Assigned" | "Activated" (assignment schedules only). */
  _assignmentType: "Assigned" | "Activated" | null;
  _memberType: "Direct" | "Group" | "Inherited";
  startDateTime: string;
  endDateTime: string | null;
  _expirationType: "noExpiration" | "afterDateTime" | "afterDuration";
  _duration: string | null;
  /** For activations: the eligibility schedule that allowed it. */
  _activatedUsing: string | null;
  /** Stable key of the (principal, role, scope) triple; instance ids derive from it. */
  _instanceKey: string;
  /**
   * A directory role assignment made outside PIM (POST roleAssignments, the portal's "assign" without PIM, a
   * seed's `directAssignments`). Graph lists it with the PIM-made ones but shows no start and no
   * `createdUsing` (ScubaGear and Maester judge MS.AAD.7.5 on exactly that): `scheduleView`/`instanceView`
   * print those as null. Internally it is a permanent "Assigned" schedule so existence checks, the
   * last-admin safeguard and admin-role checks see it like Entra does.
   */
  _direct?: true;
}

/** A schedule request in its read shape plus bookkeeping. */
export interface ScheduleRequest {
  id: string;
  _scope: ScheduleScope;
  _kind: ScheduleKind;
  _createdMs: number;
  /** For a PendingApproval request, what to do when approved. */
  _pending: {
    start: string;
    end: string | null;
    expirationType: Schedule["_expirationType"];
    duration: string | null;
  } | null;
  [k: string]: unknown;
}

export interface ApprovalStageRecord {
  id: string;
  displayName: string | null;
  justification: string | null;
  reviewedBy: { id: string; displayName: string | null } | null;
  reviewedDateTime: string | null;
  reviewResult: string;
  status: string;
  _approverUserIds: string[];
}

export interface Approval {
  id: string;
  _scope: ScheduleScope;
  _requestId: string;
  _deadlineMs: number;
  stages: ApprovalStageRecord[];
}

export interface DirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: string;
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: {
    app: {
      appId: string | null;
      displayName: string | null;
      servicePrincipalId: string | null;
      servicePrincipalName: string | null;
    } | null;
    user: {
      id: string | null;
      displayName: string | null;
      userPrincipalName: string | null;
      ipAddress: string | null;
      userType: string | null;
      homeTenantId: string | null;
      homeTenantName: string | null;
    } | null;
  };
  targetResources: {
    id: string | null;
    displayName: string | null;
    type: string | null;
    userPrincipalName: string | null;
    groupType: string | null;
    modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  }[];
  additionalDetails: { key: string; value: string }[];
}

/**
 * Conditional Access policy in its v1.0 read shape (conditionalAccessPolicy resource). Stored as Graph returns
 * it; the seed fills every collection Graph always returns (empty arrays, nulls).
 */
export interface ConditionalAccessPolicy {
  id: string;
  templateId: string | null;
  displayName: string;
  createdDateTime: string;
  modifiedDateTime: string | null;
  state: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  sessionControls: null;
  conditions: {
    userRiskLevels: string[];
    signInRiskLevels: string[];
    servicePrincipalRiskLevels: string[];
    clientAppTypes: string[];
    platforms: null;
    locations: null;
    devices: null;
    clientApplications: null;
    applications: {
      includeApplications: string[];
      excludeApplications: string[];
      includeUserActions: string[];
      includeAuthenticationContextClassReferences: string[];
      applicationFilter: null;
    };
    users: {
      includeUsers: string[];
      excludeUsers: string[];
      includeGroups: string[];
      excludeGroups: string[];
      includeRoles: string[];
      excludeRoles: string[];
      includeGuestsOrExternalUsers: null;
      excludeGuestsOrExternalUsers: null;
    };
  };
  grantControls: {
    operator: "AND" | "OR";
    builtInControls: string[];
    customAuthenticationFactors: string[];
    termsOfUse: string[];
    authenticationStrength: {
      id: string;
      displayName: string;
      description: string;
      policyType: "builtIn" | "custom";
      requirementsSatisfied: "mfa";
      allowedCombinations: string[];
    } | null;
  } | null;
}

/** authenticationContextClassReference (c1…c99): what a role setting's `claimValue` names. */
export interface AuthenticationContext {
  id: string;
  displayName: string;
  description: string | null;
  isAvailable: boolean;
}

export interface Settings {
  /** Which of Graph's two RoleAssignmentRequestPolicyValidationFailed message forms to emit (graph-pim.md §5). */
  policyErrorMessageFormat: "text" | "list";
  /**
   * How long (host-clock ms) a group created through `POST /groups` has no PIM policies yet. Default 0. Entra's lag
   * is not documented; a control lets tests exercise a provider that waits for the policies.
   */
  groupPolicyLagMs?: number;
}

export type PrincipalRef =
  | { type: "user"; obj: User }
  | { type: "group"; obj: Group }
  | { type: "servicePrincipal"; obj: ServicePrincipal };

export const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
export const PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814";

/** Strip `_`-prefixed bookkeeping members. */
export function publicView<T extends object>(obj: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith("_")) out[k] = v;
  return out;
}

/**
 * The schedule map keeps an index by (scope, kind, principal, target) so that existence checks stay
 * O(1) with thousands of grants (the benchmark seeds 5,000). Principal and target never change after
 * insertion, so set/delete are the only places the index needs to follow.
 */
export class ScheduleMap extends Map<string, Schedule> {
  private byKey = new Map<string, Set<string>>();
  readonly groupIds = new Set<string>();

  static key(scope: string, kind: string, principalId: string, target: string): string {
    return `${scope}|${kind}|${principalId.toLowerCase()}|${target.toLowerCase()}`;
  }

  override set(id: string, s: Schedule): this {
    const prev = super.get(id);
    if (prev) this.unindex(id, prev);
    super.set(id, s);
    // Map's constructor calls set() before field initialisers run.
    if (!this.byKey) return this;
    const k = ScheduleMap.key(s._scope, s._kind, s.principalId, s._target);
    let ids = this.byKey.get(k);
    if (!ids) this.byKey.set(k, (ids = new Set()));
    ids.add(id);
    if (s._scope === "group") this.groupIds.add(id);
    return this;
  }

  override delete(id: string): boolean {
    const prev = super.get(id);
    if (prev) this.unindex(id, prev);
    return super.delete(id);
  }

  override clear(): void {
    this.byKey.clear();
    this.groupIds.clear();
    super.clear();
  }

  lookup(scope: string, kind: string, principalId: string, target: string): Schedule[] {
    const ids = this.byKey.get(ScheduleMap.key(scope, kind, principalId, target));
    if (!ids) return [];
    const out: Schedule[] = [];
    for (const id of ids) out.push(super.get(id)!);
    return out;
  }

  private unindex(id: string, s: Schedule): void {
    this.byKey.get(ScheduleMap.key(s._scope, s._kind, s.principalId, s._target))?.delete(id);
    this.groupIds.delete(id);
  }
}

export class EmulatorState {
  tenant: Tenant = { id: "", displayName: "", domains: [] };
  users = new Map<string, User>();
  groups = new Map<string, Group>();
  servicePrincipals = new Map<string, ServicePrincipal>();
  applications = new Map<string, Application>();
  administrativeUnits = new Map<string, AdministrativeUnit>();
  roleDefinitions = new Map<string, RoleDefinition>();
  policies = new Map<string, Policy>();
  policyAssignments = new Map<string, PolicyAssignment>();
  requests = new Map<string, ScheduleRequest>();
  schedules = new ScheduleMap();
  approvals = new Map<string, Approval>();
  conditionalAccessPolicies = new Map<string, ConditionalAccessPolicy>();
  authenticationContexts = new Map<string, AuthenticationContext>();
  /** Newest last; the audit route sorts. */
  audits: DirectoryAudit[] = [];
  settings: Settings = { policyErrorMessageFormat: "text" };
  /** Per-group rule overrides from the seed, applied when PIM onboards the group. */
  groupPolicyOverrides = new Map<string, { member?: RuleOverrides; owner?: RuleOverrides }>();
  /** Grants that ended by expiry (scope|kind|principal|target|scope-or-access): what adminRenew may renew. */
  expiredKeys = new Set<string>();
  /** Azure resource roles served on the ARM routes (armModel.ts). */
  azure: AzureState = emptyAzureState();
  private upnIndex = new Map<string, string>();
  private rolePolicyCache = new Map<string, string>();

  // ------------------------------------------------------------ directory objects

  addUser(u: User): void {
    this.users.set(u.id, u);
    this.upnIndex.set(u.userPrincipalName.toLowerCase(), u.id);
  }

  removeUserIndex(u: User): void {
    this.upnIndex.delete(u.userPrincipalName.toLowerCase());
  }

  /** Users are addressable by object id or by userPrincipalName (users/{id | userPrincipalName}). */
  findUser(idOrUpn: string): User | undefined {
    const byId = this.users.get(idOrUpn.toLowerCase()) ?? this.users.get(idOrUpn);
    if (byId) return byId;
    const id = this.upnIndex.get(idOrUpn.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  findPrincipal(id: string): PrincipalRef | undefined {
    const key = id.toLowerCase();
    const u = this.users.get(key);
    if (u) return { type: "user", obj: u };
    const g = this.groups.get(key);
    if (g) return { type: "group", obj: g };
    const sp = this.servicePrincipals.get(key);
    if (sp) return { type: "servicePrincipal", obj: sp };
    return undefined;
  }

  findDirectoryObject(id: string): { type: string; obj: Record<string, unknown> } | undefined {
    const p = this.findPrincipal(id);
    if (p) return { type: p.type, obj: p.obj as unknown as Record<string, unknown> };
    const key = id.toLowerCase();
    const app = this.applications.get(key);
    if (app) return { type: "application", obj: app as unknown as Record<string, unknown> };
    const au = this.administrativeUnits.get(key);
    if (au) return { type: "administrativeUnit", obj: au as unknown as Record<string, unknown> };
    return undefined;
  }

  displayName(id: string): string | null {
    const p = this.findPrincipal(id);
    return p ? p.obj.displayName : null;
  }

  readonly lookup: NameLookup = (kind, id) => {
    if (kind === "user") return this.users.get(id.toLowerCase())?.displayName ?? null;
    return this.groups.get(id.toLowerCase())?.displayName ?? null;
  };

  /** Groups the user belongs to, directly (PIM approver groups and role-assignable groups are flat). */
  groupsOf(principalId: string): Group[] {
    const out: Group[] = [];
    for (const g of this.groups.values()) if (g._members.includes(principalId)) out.push(g);
    return out;
  }

  // ------------------------------------------------------------ policies

  /** Policy assignment id format `{policyId}_{roleDefinitionId}` (graph-pim.md §1.1). */
  addRolePolicy(roleDefinitionId: string, overrides?: RuleOverrides): Policy {
    // The policy GUID is deliberately NOT the role template id (graph-pim.md §1.1).
    const policyId = `DirectoryRole_${this.tenant.id}_${stableGuid(`policy:${this.tenant.id}:${roleDefinitionId}`)}`;
    const policy: Policy = {
      id: policyId,
      displayName: "DirectoryRole",
      description: "DirectoryRole",
      isOrganizationDefault: false,
      scopeId: "/",
      scopeType: "DirectoryRole",
      lastModifiedDateTime: null,
      lastModifiedBy: { displayName: null, id: null },
      rules: applyOverrides(defaultRules("directory"), overrides, this.lookup),
    };
    this.policies.set(policyId, policy);
    const assignment: PolicyAssignment = {
      id: `${policyId}_${roleDefinitionId}`,
      policyId,
      scopeId: "/",
      scopeType: "DirectoryRole",
      roleDefinitionId,
    };
    this.policyAssignments.set(assignment.id, assignment);
    return policy;
  }

  policyForRole(roleDefinitionId: string): Policy | undefined {
    // Directory-role policy assignments never change after seeding; cache the lookup (hot path of every request).
    const key = roleDefinitionId.toLowerCase();
    const cached = this.rolePolicyCache.get(key);
    if (cached && this.policies.get(cached)) return this.policies.get(cached);
    for (const a of this.policyAssignments.values())
      if (a.scopeType === "DirectoryRole" && a.roleDefinitionId.toLowerCase() === key) {
        this.rolePolicyCache.set(key, a.policyId);
        return this.policies.get(a.policyId);
      }
    for (const a of this.policyAssignments.values())
      if (
        a.scopeType === "DirectoryRole" &&
        a.roleDefinitionId.toLowerCase() === roleDefinitionId.toLowerCase()
      )
        return this.policies.get(a.policyId);
    return undefined;
  }

  /**
   * Every group has two policies (member, owner). Before PIM onboards a group it already answers
   * with policies, but "after PIM onboards a group, the IDs of the PIM policies and policy
   * assignments for the specific group change" (graph-pim.md §2), so the id embeds the phase.
   */
  ensureGroupPolicies(groupId: string): void {
    const g = this.groups.get(groupId);
    if (!g || !this.groupPoliciesVisible(g)) return;
    for (const access of ["member", "owner"] as const) {
      if (this.groupPolicyAssignment(groupId, access)) continue;
      const phase = g._pimOnboarded ? "onboarded" : "preview";
      const policyId = `Group_${groupId}_${stableGuid(`group-policy:${groupId}:${access}:${phase}`)}`;
      const overrides = g._pimOnboarded ? this.groupPolicyOverrides.get(groupId)?.[access] : undefined;
      const policy: Policy = {
        id: policyId,
        displayName: "Group",
        description: "Group",
        isOrganizationDefault: false,
        scopeId: groupId,
        scopeType: "Group",
        lastModifiedDateTime: null,
        lastModifiedBy: { displayName: null, id: null },
        rules: applyOverrides(defaultRules("group"), overrides, this.lookup),
      };
      this.policies.set(policyId, policy);
      const a: PolicyAssignment = {
        id: `${policyId}_${access}`,
        policyId,
        scopeId: groupId,
        scopeType: "Group",
        roleDefinitionId: access,
      };
      this.policyAssignments.set(a.id, a);
    }
  }

  /** False while a new group's policies are still being created (`_policiesVisibleAtMs`); onboarding ends that. */
  groupPoliciesVisible(g: Group): boolean {
    return g._policiesVisibleAtMs === undefined || Date.now() >= g._policiesVisibleAtMs;
  }

  /** Test helper: the group's PIM policies appear only `ms` (host clock) from now, as for a group just created. */
  delayGroupPolicies(groupId: string, ms: number): void {
    const g = this.groups.get(groupId.toLowerCase());
    if (!g) throw new Error(`delayGroupPolicies: no group ${groupId}`);
    if (this.groupPolicyAssignment(g.id, "member"))
      throw new Error(`delayGroupPolicies: the policies of ${groupId} already exist`);
    g._policiesVisibleAtMs = Date.now() + ms;
  }

  groupPolicyAssignment(groupId: string, access: string): PolicyAssignment | undefined {
    for (const a of this.policyAssignments.values())
      if (a.scopeType === "Group" && a.scopeId === groupId && a.roleDefinitionId === access) return a;
    return undefined;
  }

  policyForGroup(groupId: string, access: string): Policy | undefined {
    this.ensureGroupPolicies(groupId);
    const a = this.groupPolicyAssignment(groupId, access);
    return a ? this.policies.get(a.policyId) : undefined;
  }

  /** Onboard a group into PIM: new policy ids, current rules carried over. Returns the id mapping. */
  onboardGroup(groupId: string): Map<string, string> {
    const g = this.groups.get(groupId);
    const moved = new Map<string, string>();
    if (!g || g._pimOnboarded) return moved;
    // A request or policy update onboards the group at once, whatever the creation lag.
    delete g._policiesVisibleAtMs;
    this.ensureGroupPolicies(groupId);
    const old: { access: string; policy: Policy; assignmentId: string }[] = [];
    for (const access of ["member", "owner"]) {
      const a = this.groupPolicyAssignment(groupId, access)!;
      old.push({ access, policy: this.policies.get(a.policyId)!, assignmentId: a.id });
      this.policyAssignments.delete(a.id);
      this.policies.delete(a.policyId);
    }
    g._pimOnboarded = true;
    this.ensureGroupPolicies(groupId);
    for (const o of old) {
      const fresh = this.policyForGroup(groupId, o.access)!;
      fresh.rules = o.policy.rules;
      fresh.lastModifiedDateTime = o.policy.lastModifiedDateTime;
      fresh.lastModifiedBy = o.policy.lastModifiedBy;
      moved.set(o.policy.id, fresh.id);
    }
    return moved;
  }

  // ------------------------------------------------------------ schedules

  /** Schedules matching (scope, kind, principal, target, directory scope / access). */
  findSchedules(q: {
    scope: ScheduleScope;
    kind: ScheduleKind;
    principalId: string;
    target: string;
    directoryScopeId?: string | null;
    accessId?: string | null;
  }): Schedule[] {
    const out: Schedule[] = [];
    for (const s of this.schedules.lookup(q.scope, q.kind, q.principalId, q.target)) {
      if (q.scope === "directory" && (s.directoryScopeId ?? "/") !== (q.directoryScopeId ?? "/")) continue;
      if (q.scope === "group" && s._accessId !== q.accessId) continue;
      out.push(s);
    }
    return out;
  }

  /** Active (started, not ended) assignment schedules of a directory role, any principal. */
  activeRoleAssignments(roleDefinitionId: string, nowMs: number): Schedule[] {
    const out: Schedule[] = [];
    for (const s of this.schedules.values()) {
      if (s._scope !== "directory" || s._kind !== "assignment" || s._target !== roleDefinitionId) continue;
      if (isCurrent(s, nowMs)) out.push(s);
    }
    return out;
  }

  // ------------------------------------------------------------ test conveniences

  /**
   * Change one rule the way an admin would in the Entra admin center (no Graph call, no validation of
   * the whole policy): for drift tests. `target` is a role definition id or a policy id; `props` are
   * rule properties as in a PATCH body (without `@odata.type`).
   */
  portalEditRule(
    target: string,
    ruleId: string,
    props: Record<string, unknown>,
    at: Date = new Date(),
    editor = "Portal User",
  ): Rule {
    const policy = this.policies.get(target) ?? this.policyForRole(target);
    if (!policy) throw new Error(`portalEditRule: no policy for '${target}'`);
    const i = policy.rules.findIndex((r) => r.id === ruleId);
    const kind = ruleKind(ruleId);
    if (i < 0 || !kind) throw new Error(`portalEditRule: no rule '${ruleId}'`);
    const next = applyRulePatch(policy.rules[i]!, { ...props, "@odata.type": RULE_TYPES[kind] }, this.lookup);
    policy.rules = policy.rules.map((r, j) => (j === i ? next : r));
    policy.lastModifiedDateTime = at.toISOString().replace(".000Z", "Z");
    policy.lastModifiedBy = { displayName: editor, id: null };
    return next;
  }

  /**
   * Add a schedule as if it had been created outside the product (portal, PowerShell). Directory:
   * pass `roleDefinitionId`; PIM for Groups: pass `groupId` and `accessId`.
   */
  addSchedule(s: {
    kind: ScheduleKind;
    principalId: string;
    roleDefinitionId?: string;
    groupId?: string;
    accessId?: "member" | "owner";
    directoryScopeId?: string;
    startDateTime: string;
    endDateTime?: string | null;
    assignmentType?: "Assigned" | "Activated";
    /** `Group` or `Inherited`: held through a group, not by the principal itself (§3.5). Default `Direct`. */
    memberType?: "Direct" | "Group" | "Inherited";
    id?: string;
  }): Schedule {
    const scope: ScheduleScope = s.groupId ? "group" : "directory";
    const target = (s.groupId ?? s.roleDefinitionId ?? "").toLowerCase();
    if (!target) throw new Error("addSchedule: roleDefinitionId or groupId is required");
    const requestId = s.id ?? newGuid();
    const id = scope === "group" ? `${target}_${s.accessId ?? "member"}_${requestId}` : requestId;
    const schedule: Schedule = {
      id,
      _scope: scope,
      _kind: s.kind,
      principalId: s.principalId.toLowerCase(),
      _target: target,
      _accessId: scope === "group" ? (s.accessId ?? "member") : null,
      directoryScopeId: scope === "directory" ? (s.directoryScopeId ?? "/") : null,
      appScopeId: null,
      createdUsing: id,
      createdDateTime: s.startDateTime,
      modifiedDateTime: "0001-01-01T08:00:00Z",
      _assignmentType: s.kind === "assignment" ? (s.assignmentType ?? "Assigned") : null,
      _memberType: s.memberType ?? "Direct",
      startDateTime: s.startDateTime,
      endDateTime: s.endDateTime ?? null,
      _expirationType: s.endDateTime ? "afterDateTime" : "noExpiration",
      _duration: null,
      _activatedUsing: null,
      _instanceKey: roleAssignmentKey(
        s.principalId.toLowerCase(),
        `${target}:${scope === "group" ? (s.accessId ?? "member") : ""}:${s.kind}`,
        scope === "directory" ? (s.directoryScopeId ?? "/") : "",
      ),
    };
    this.schedules.set(id, schedule);
    return schedule;
  }

  /**
   * Add a directory role assignment made outside PIM (permanent, no schedule request): what an admin does in
   * the portal's role blade or with POST roleAssignments. Returns its schedule (see `Schedule._direct`).
   */
  addDirectAssignment(a: {
    principalId: string;
    roleDefinitionId: string;
    directoryScopeId?: string;
    createdDateTime: string;
  }): Schedule {
    const s = this.addSchedule({
      kind: "assignment",
      principalId: a.principalId,
      roleDefinitionId: a.roleDefinitionId,
      directoryScopeId: a.directoryScopeId ?? "/",
      startDateTime: a.createdDateTime,
      endDateTime: null,
      assignmentType: "Assigned",
      id: stableGuid(
        `direct:${this.tenant.id}:${a.principalId.toLowerCase()}:${a.roleDefinitionId.toLowerCase()}:${a.directoryScopeId ?? "/"}`,
      ),
    });
    s._direct = true;
    return s;
  }

  newId(): string {
    return newGuid();
  }

  /** Rule list of a directory role's policy (convenience for tests simulating a portal edit). */
  rulesOf(roleDefinitionId: string): Rule[] | undefined {
    return this.policyForRole(roleDefinitionId)?.rules;
  }

  // ------------------------------------------------------------ persistence

  snapshot(): unknown {
    return {
      version: 1,
      tenant: this.tenant,
      settings: this.settings,
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      servicePrincipals: [...this.servicePrincipals.values()],
      applications: [...this.applications.values()],
      administrativeUnits: [...this.administrativeUnits.values()],
      roleDefinitions: [...this.roleDefinitions.values()],
      policies: [...this.policies.values()],
      policyAssignments: [...this.policyAssignments.values()],
      requests: [...this.requests.values()],
      schedules: [...this.schedules.values()],
      approvals: [...this.approvals.values()],
      conditionalAccessPolicies: [...this.conditionalAccessPolicies.values()],
      authenticationContexts: [...this.authenticationContexts.values()],
      audits: this.audits,
      groupPolicyOverrides: [...this.groupPolicyOverrides.entries()],
      expiredKeys: [...this.expiredKeys],
      azure: this.azure,
    };
  }

  /**
   * Rebuild a state from `snapshot()` output. A file that is not such a snapshot (truncated, edited, from
   * another program) throws a `StateFileError` naming the first problem, never a TypeError from deep inside.
   */
  static restore(raw: unknown): EmulatorState {
    const problem = snapshotProblem(raw);
    if (problem) throw new StateFileError(problem);
    const r = raw as SnapshotFile;
    const s = new EmulatorState();
    s.tenant = r.tenant;
    s.settings = { ...s.settings, ...(r.settings ?? {}) };
    for (const u of r.users)
      s.addUser({
        ...u,
        // State files written before the on-premises attributes existed: cloud-only accounts.
        onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
        onPremisesImmutableId: u.onPremisesImmutableId ?? null,
        onPremisesLastSyncDateTime: u.onPremisesLastSyncDateTime ?? null,
      });
    const fill = <T extends { id: string }>(m: Map<string, T>, arr: T[] | undefined) => {
      for (const x of arr ?? []) m.set(x.id, x);
    };
    fill(s.groups, r.groups);
    fill(s.servicePrincipals, r.servicePrincipals);
    fill(s.applications, r.applications);
    fill(s.administrativeUnits, r.administrativeUnits);
    fill(s.roleDefinitions, r.roleDefinitions);
    fill(s.policies, r.policies);
    fill(s.policyAssignments, r.policyAssignments);
    fill(s.requests, r.requests);
    fill(s.schedules, r.schedules);
    fill(s.approvals, r.approvals);
    fill(s.conditionalAccessPolicies, r.conditionalAccessPolicies);
    fill(s.authenticationContexts, r.authenticationContexts);
    s.audits = r.audits;
    s.groupPolicyOverrides = new Map(r.groupPolicyOverrides ?? []);
    s.expiredKeys = new Set(r.expiredKeys ?? []);
    // State files written before the ARM routes existed hold no subscriptions.
    s.azure = r.azure ?? emptyAzureState();
    return s;
  }
}

/** What `snapshot()` writes, as `restore` reads it once `snapshotProblem` found nothing wrong. */
interface SnapshotFile {
  tenant: Tenant;
  settings?: Partial<Settings>;
  users: User[];
  groups: Group[];
  servicePrincipals: ServicePrincipal[];
  applications: Application[];
  administrativeUnits: AdministrativeUnit[];
  roleDefinitions: RoleDefinition[];
  policies: Policy[];
  policyAssignments: PolicyAssignment[];
  requests: ScheduleRequest[];
  schedules: Schedule[];
  approvals: Approval[];
  conditionalAccessPolicies?: ConditionalAccessPolicy[];
  authenticationContexts?: AuthenticationContext[];
  audits: DirectoryAudit[];
  groupPolicyOverrides?: [string, { member?: RuleOverrides; owner?: RuleOverrides }][];
  expiredKeys?: string[];
  azure?: AzureState;
}

/** A state file that cannot be loaded; the message says what is wrong with it. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

const REQUIRED_COLLECTIONS = [
  "users",
  "groups",
  "servicePrincipals",
  "applications",
  "administrativeUnits",
  "roleDefinitions",
  "policies",
  "policyAssignments",
  "requests",
  "schedules",
  "approvals",
  "audits",
] as const;
const OPTIONAL_COLLECTIONS = ["conditionalAccessPolicies", "authenticationContexts"] as const;

/** The first reason `raw` is not a snapshot this version wrote, or null. */
function snapshotProblem(raw: unknown): string | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return "it is not a JSON object";
  const r = raw as Record<string, unknown>;
  if (r.version !== 1)
    return `unsupported or missing version ${JSON.stringify(r.version ?? null)} (expected 1)`;
  const t = r.tenant as Record<string, unknown> | undefined;
  if (!t || typeof t.id !== "string" || !Array.isArray(t.domains)) return "'tenant' is missing or incomplete";
  for (const name of [...REQUIRED_COLLECTIONS, ...OPTIONAL_COLLECTIONS]) {
    const v = r[name];
    if (v === undefined && (OPTIONAL_COLLECTIONS as readonly string[]).includes(name)) continue;
    if (!Array.isArray(v)) return `'${name}' must be a list`;
    const bad = v.findIndex(
      (x) => !x || typeof x !== "object" || typeof (x as { id?: unknown }).id !== "string",
    );
    if (bad >= 0) return `'${name}[${bad}]' has no string id`;
  }
  if (r.azure !== undefined) {
    const a = r.azure as Record<string, unknown> | null;
    if (!a || typeof a !== "object") return "'azure' must be an object";
    for (const name of ["subscriptions", "roles", "access", "policies"])
      if (!Array.isArray(a[name])) return `'azure.${name}' must be a list`;
  }
  const users = r.users as Record<string, unknown>[];
  const noUpn = users.findIndex((u) => typeof u.userPrincipalName !== "string");
  if (noUpn >= 0) return `'users[${noUpn}]' has no userPrincipalName`;
  return null;
}

export function isCurrent(s: Schedule, nowMs: number): boolean {
  return (
    Date.parse(s.startDateTime) <= nowMs && (s.endDateTime === null || Date.parse(s.endDateTime) > nowMs)
  );
}
