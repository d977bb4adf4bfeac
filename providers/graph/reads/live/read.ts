/**
 * Everything the live reader needs from a tenant, read in as few requests as Graph allows:
 *
 * - role definitions, schedules (eligibility and assignment), administrative units and Conditional Access are
 *   collections, read page by page (`listAll`), never one object at a time;
 * - the policy of each role and of each PIM group's member and owner access is one GET per target
 *   (`assignedPolicyUrl`, F's read in `../policies.ts`), sent as `$batch`, 20 per request;
 * - the principals the schedules and policies name are read by id with `directoryObjects/getByIds`, 1,000 per
 *   request; an approver group's members through `$batch`.
 *
 * - given an ARM client and scopes, each scope's Azure resource role settings (`providers/arm/reads`: three paged
 *   lists per scope), read first so that the approvers their policies name join the one read of objects by id.
 *
 * Every read either completes or throws a `LiveReadError` naming what it could not read (and, for a refusal, the
 * permission the refused request needs, from `../../permissions.ts`): a caller never sees part of a tenant.
 */
import { azureScopeKey, azureScopeSpelling } from "../../../../model/keys";
import type { GraphRule } from "../../../../model/settings/graphRules";
import { odataFilter, type GraphApi } from "../../index";
import type { BatchRequest } from "../../client";
import { everyPage } from "../pages";
// F's policy and schedule reads, through the read layer's index (a `../policies` path reads as the pack's).
import {
  assignedPolicyFrom,
  assignedPolicyUrl,
  listOwnGrants,
  type LiveSchedule,
  type PolicyScope,
} from "../index";
import type { ArmApi } from "../../../arm/client";
import { readAzureRoleSettings, type AzureRolePolicy } from "../../../arm/reads";
import { LiveReadError, reading, readFailure } from "./errors";

export interface RawRoleDefinition {
  id: string;
  templateId?: string | null;
  displayName: string;
  isBuiltIn?: boolean;
}

export interface RawDirectoryObject {
  id: string;
  "@odata.type"?: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  userType?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesImmutableId?: string | null;
  description?: string | null;
  isAssignableToRole?: boolean | null;
}

export interface RawConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  conditions?: {
    users?: {
      includeUsers?: string[];
      excludeUsers?: string[];
      excludeGroups?: string[];
      includeRoles?: string[];
    } | null;
    applications?: { includeAuthenticationContextClassReferences?: string[] } | null;
  } | null;
  grantControls?: { builtInControls?: string[]; authenticationStrength?: { id?: string } | null } | null;
}

export interface RawAuthenticationContext {
  id: string;
  displayName: string;
  isAvailable?: boolean;
}

export interface LiveRead {
  organization: { id: string; displayName: string };
  roles: RawRoleDefinition[];
  /** Role template id → its policy's rules; every role has one (Graph creates them with the tenant). */
  rolePolicies: Map<string, GraphRule[]>;
  eligibility: LiveSchedule[];
  /** Active assignments, including those made outside PIM (no start). */
  assignments: LiveSchedule[];
  /** Role-assignable groups and groups that hold a role: the PIM-for-Groups candidates. */
  groups: RawDirectoryObject[];
  /** `<groupId>|member` or `<groupId>|owner` → rules; absent when PIM holds no policy for it (not onboarded). */
  groupPolicies: Map<string, GraphRule[]>;
  groupEligibility: LiveSchedule[];
  groupAssignments: LiveSchedule[];
  /** Every principal and approver the above name, by lower-cased id. */
  objects: Map<string, RawDirectoryObject>;
  /** Group id → member ids, for the groups the policies name as approvers. */
  approverMembers: Map<string, string[]>;
  administrativeUnits: { id: string; displayName: string }[];
  conditionalAccess: RawConditionalAccessPolicy[];
  authenticationContexts: RawAuthenticationContext[];
  /** The ARM scopes read (distinct, as asked for); empty when ARM was not asked. */
  azureScopes: string[];
  /** Every Azure role's settings at each of those scopes. */
  azureRoles: AzureRolePolicy[];
}

/** What to read beyond the directory: the Azure resource role settings of these scopes, through `arm`. */
export interface LiveReadOptions {
  arm?: ArmApi;
  /** ARM scopes (`/subscriptions/<id>`); none, or no `arm`, means ARM is not asked anything. */
  azureScopes?: readonly string[];
}

const DIRECTORY = "/roleManagement/directory";
const GROUPS = "/identityGovernance/privilegedAccess/group";

export async function readLiveTenant(g: GraphApi, opts: LiveReadOptions = {}): Promise<LiveRead> {
  const { azureScopes, azureRoles } = await readAzureScopes(opts);
  const org = await reading("the organization", () =>
    g.listAll<{ id: string; displayName: string }>("/organization?$select=id,displayName"),
  );
  const roles = await reading("the directory role definitions", () =>
    g.listAll<RawRoleDefinition>(`${DIRECTORY}/roleDefinitions?$select=id,templateId,displayName,isBuiltIn`),
  );
  const roleIds = roles.map((r) => (r.templateId ?? r.id).toLowerCase());
  const rolePolicies = await batchedPolicies(
    g,
    roleIds.map((id) => [id, { scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId: id }] as const),
    "the directory role settings",
    true,
  );
  const [eligibility, assignments] = await Promise.all([
    reading("the eligible directory-role assignments", () =>
      listOwnGrants(g, `${DIRECTORY}/roleEligibilitySchedules`),
    ),
    reading("the active directory-role assignments", () =>
      listOwnGrants(g, `${DIRECTORY}/roleAssignmentSchedules`),
    ),
  ]);

  const assignable = await reading("the role-assignable groups", () =>
    g.listAll<RawDirectoryObject>(
      `/groups?${odataFilter({ isAssignableToRole: true })}&$select=id,displayName,description,isAssignableToRole`,
    ),
  );
  // A PIM group need not be role-assignable: any group that holds a role, or the policies name, is read too.
  const principalIds = new Set([...eligibility, ...assignments].map((s) => s.principalId.toLowerCase()));
  const approverIds = new Set<string>();
  for (const rules of rolePolicies.values()) for (const id of approverIdsOf(rules)) approverIds.add(id);
  for (const r of azureRoles) for (const id of approverIdsOf(r.rules)) approverIds.add(id);
  const first = await objectsById(g, [...principalIds, ...approverIds]);
  const groupById = new Map(assignable.map((x) => [x.id.toLowerCase(), x]));
  for (const o of first.values()) if (isType(o, "group")) groupById.set(o.id.toLowerCase(), o);
  const groups = [...groupById.values()].sort((a, b) => (a.id < b.id ? -1 : 1));

  const groupPolicies = await batchedPolicies(
    g,
    groups.flatMap((x) =>
      (["member", "owner"] as const).map(
        (access) =>
          [
            `${x.id.toLowerCase()}|${access}`,
            { scopeId: x.id, scopeType: "Group", roleDefinitionId: access },
          ] as const,
      ),
    ),
    "the PIM for Groups settings",
    false,
  );
  // Only onboarded groups (a policy exists) can hold PIM memberships; their schedules are listed per group.
  const onboarded = groups.filter((x) => groupPolicies.has(`${x.id.toLowerCase()}|member`));
  const groupEligibility = await batchedSchedules(
    g,
    onboarded,
    `${GROUPS}/eligibilitySchedules`,
    "the PIM for Groups eligibilities",
  );
  const groupAssignments = await batchedSchedules(
    g,
    onboarded,
    `${GROUPS}/assignmentSchedules`,
    "the PIM for Groups assignments",
  );

  const more = new Set<string>();
  for (const s of [...groupEligibility, ...groupAssignments]) more.add(s.principalId.toLowerCase());
  for (const rules of groupPolicies.values()) for (const id of approverIdsOf(rules)) approverIds.add(id);
  for (const id of approverIds) more.add(id);
  const objects = new Map(first);
  for (const [id, o] of await objectsById(
    g,
    [...more].filter((id) => !first.has(id)),
  ))
    objects.set(id, o);
  for (const x of groups) if (!objects.has(x.id.toLowerCase())) objects.set(x.id.toLowerCase(), x);

  const approverGroups = [...approverIds].filter((id) => isType(objects.get(id), "group"));
  const approverMembers = await groupMembers(g, approverGroups);
  for (const [id, o] of await objectsById(
    g,
    [...new Set([...approverMembers.values()].flat())].filter((id) => !objects.has(id)),
  ))
    objects.set(id, o);

  // Read only when a grant is scoped to one: a read-only identity without AdministrativeUnit.Read.All still works.
  const auScoped = [...eligibility, ...assignments].some((s) =>
    /^\/administrativeUnits\//i.test(s.directoryScopeId ?? ""),
  );
  const administrativeUnits = auScoped ? await readAdministrativeUnits(g) : [];
  const [conditionalAccess, authenticationContexts] = await Promise.all([
    reading("the Conditional Access policies", () =>
      g.listAll<RawConditionalAccessPolicy>("/identity/conditionalAccess/policies"),
    ),
    reading("the authentication contexts", () =>
      g.listAll<RawAuthenticationContext>("/identity/conditionalAccess/authenticationContextClassReferences"),
    ),
  ]);

  return {
    organization: { id: org[0]?.id ?? "", displayName: org[0]?.displayName ?? "" },
    roles,
    rolePolicies,
    eligibility,
    assignments,
    groups,
    groupPolicies,
    groupEligibility,
    groupAssignments,
    objects,
    approverMembers,
    administrativeUnits,
    conditionalAccess,
    authenticationContexts,
    azureScopes,
    azureRoles,
  };
}

/** Each distinct scope's Azure role settings (scopes compared as identity compares them), one scope after another. */
async function readAzureScopes(
  opts: LiveReadOptions,
): Promise<{ azureScopes: string[]; azureRoles: AzureRolePolicy[] }> {
  if (!opts.arm || !opts.azureScopes?.length) return { azureScopes: [], azureRoles: [] };
  const scopes = new Map(opts.azureScopes.map((x) => [azureScopeKey(x), azureScopeSpelling(x)]));
  const azureRoles: AzureRolePolicy[] = [];
  for (const scope of scopes.values()) azureRoles.push(...(await readAzureRoleSettings(opts.arm, scope)));
  return { azureScopes: [...scopes.values()], azureRoles };
}

export const isType = (o: RawDirectoryObject | undefined, type: "user" | "group" | "servicePrincipal") =>
  (o?.["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "") === type;

/**
 * One policy GET per target, as `$batch`. `required`: every target must have a policy (directory roles), so a
 * missing one is a failed read; otherwise a target without one is simply not under PIM (a group not onboarded).
 */
async function batchedPolicies(
  g: GraphApi,
  targets: readonly (readonly [string, PolicyScope])[],
  what: string,
  required: boolean,
): Promise<Map<string, GraphRule[]>> {
  const requests: BatchRequest[] = targets.map(([, scope]) => ({
    method: "GET",
    url: assignedPolicyUrl(scope),
  }));
  const results = await reading(what, () => g.batch(requests));
  const out = new Map<string, GraphRule[]>();
  results.forEach((r, i) => {
    const [key] = targets[i]!;
    if (r.error) throw readFailure(r.error, `${what} (${key})`);
    const policy = assignedPolicyFrom(r.body);
    if (policy) out.set(key, policy.rules);
    // Graph creates a policy for every directory role with the tenant; none means the answer cannot be trusted.
    else if (required)
      throw new LiveReadError(what, r.status, `Graph returned no policy for role ${key}`, null);
  });
  return out;
}

/** A PIM-for-Groups schedule list must be filtered on a group (graph-pim.md §4): one filtered GET per group. */
async function batchedSchedules(
  g: GraphApi,
  groups: readonly RawDirectoryObject[],
  collection: string,
  what: string,
): Promise<LiveSchedule[]> {
  const results = await reading(what, () =>
    g.batch<{ value?: LiveSchedule[]; "@odata.nextLink"?: string }>(
      groups.map((x) => ({ method: "GET", url: `${collection}?${odataFilter({ groupId: x.id })}` })),
    ),
  );
  const out: LiveSchedule[] = [];
  for (const r of results) {
    if (r.error) throw readFailure(r.error, what);
    out.push(...(await reading(what, () => everyPage(g, r.body))));
  }
  return out.filter(
    (s) =>
      (s.assignmentType ?? "assigned").toLowerCase() !== "activated" &&
      (s.memberType ?? "direct").toLowerCase() === "direct",
  );
}

/** Every administrative unit's id and display name, page by page. */
export async function readAdministrativeUnits(g: GraphApi): Promise<{ id: string; displayName: string }[]> {
  return reading("the administrative units", () =>
    g.listAll<{ id: string; displayName: string }>("/directory/administrativeUnits?$select=id,displayName"),
  );
}

/** Directory objects by id, 1,000 per request (`getByIds`); an id that no longer exists is simply absent. */
export async function objectsById(
  g: GraphApi,
  ids: readonly string[],
): Promise<Map<string, RawDirectoryObject>> {
  const out = new Map<string, RawDirectoryObject>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const page = await reading("the principals the assignments and settings name", () =>
      g.post<{ value?: RawDirectoryObject[] }>("/directoryObjects/getByIds", {
        ids: chunk,
        types: ["user", "group", "servicePrincipal"],
      }),
    );
    for (const o of page?.value ?? []) out.set(o.id.toLowerCase(), o);
  }
  return out;
}

async function groupMembers(g: GraphApi, groupIds: readonly string[]): Promise<Map<string, string[]>> {
  const what = "the members of the approver groups";
  const results = await reading(what, () =>
    g.batch<{ value?: { id: string }[]; "@odata.nextLink"?: string }>(
      groupIds.map((id) => ({ method: "GET", url: `/groups/${encodeURIComponent(id)}/members?$select=id` })),
    ),
  );
  const out = new Map<string, string[]>();
  for (const [i, r] of results.entries()) {
    if (r.error) throw readFailure(r.error, what);
    const members = await reading(what, () => everyPage(g, r.body));
    out.set(groupIds[i]!, members.map((m) => m.id.toLowerCase()).sort());
  }
  return out;
}

/** Object ids of the approvers (primary and escalation) a policy's rules name. */
export function approverIdsOf(rules: readonly GraphRule[]): string[] {
  const approval = rules.find((r) => r.id === "Approval_EndUser_Assignment")?.setting;
  const ids: string[] = [];
  for (const st of approval?.approvalStages ?? [])
    for (const s of [...(st.primaryApprovers ?? []), ...(st.escalationApprovers ?? [])]) {
      const id = s.userId ?? s.groupId ?? s.id;
      if (id) ids.push(id.toLowerCase());
    }
  return ids;
}
