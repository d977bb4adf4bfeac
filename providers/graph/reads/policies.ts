/**
 * Role management policies (graph-pim.md §1.2, §1.3, §2): the policy that governs a directory role or a group's
 * member or owner access, and its 17 rules.
 *
 * A policy is found through its assignment, never constructed from ids: `roleManagementPolicyAssignments` filtered
 * on scope (required by Graph) and role (`roleDefinitionId`: the role template id, or `member` / `owner` for a
 * group), with the policy and its rules expanded, so one GET gives the id and the rules. A group's policy ids change
 * when PIM onboards the group (its first request or policy update), so a group's policy is always found again this
 * way rather than by a remembered id.
 */
import type { GraphRule } from "../../../model/settings/graphRules";
import { isGraphError, odataFilter, type GraphApi } from "../index";

/** What a policy governs, as Graph's assignment filter names it. */
export interface PolicyScope {
  scopeId: string;
  scopeType: "DirectoryRole" | "Group";
  roleDefinitionId: string;
}

export interface LivePolicy {
  policyId: string;
  rules: GraphRule[];
}

/** The GET that finds a policy and its rules in one request. */
export function assignedPolicyUrl(scope: PolicyScope): string {
  return `/policies/roleManagementPolicyAssignments?${odataFilter({ ...scope })}&$expand=policy($expand=rules)`;
}

interface AssignmentsPage {
  value?: { policyId?: string; policy?: { id?: string; rules?: GraphRule[] } | null }[];
}

/** The policy of `scope` from an answer to `assignedPolicyUrl`; null when Graph holds none (yet). */
export function assignedPolicyFrom(page: AssignmentsPage): LivePolicy | null {
  const hit = page?.value?.find((a) => a.policyId);
  if (!hit?.policyId) return null;
  return { policyId: hit.policyId, rules: stripAnnotations(hit.policy?.rules ?? []) };
}

export async function readAssignedPolicy(
  g: GraphApi,
  scope: PolicyScope,
  get: <T>(url: string) => Promise<T> = (url) => g.get(url),
): Promise<LivePolicy | null> {
  return assignedPolicyFrom(await get<AssignmentsPage>(assignedPolicyUrl(scope)));
}

/** A policy's rules by its id; null when Graph no longer has that id (404). */
export async function readPolicyRules(g: GraphApi, policyId: string): Promise<GraphRule[] | null> {
  try {
    const p = await g.get<{ rules?: GraphRule[] }>(
      `/policies/roleManagementPolicies/${encodeURIComponent(policyId)}?$expand=rules`,
    );
    return stripAnnotations(p.rules ?? []);
  } catch (e) {
    if (isGraphError(e) && e.status === 404) return null;
    throw e;
  }
}

/** Rules as read, minus the OData annotations Graph adds to read shapes (`@odata.type` stays: writes need it). */
export function stripAnnotations(rules: GraphRule[]): GraphRule[] {
  return rules.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (k === "@odata.type" || !k.startsWith("@")) out[k] = v;
    return out as unknown as GraphRule;
  });
}
