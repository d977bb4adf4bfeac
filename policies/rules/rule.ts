/**
 * What a rule is, and the small queries over the rule input that several rules share.
 */
import { z } from "zod";
import { humanDuration, parseDuration } from "../../model/duration";
import type {
  Assignment,
  GroupInfo,
  NotificationRule,
  RoleInfo,
  RoleTier,
  RuleInput,
  ServiceAccountExclusion,
  RolePolicy,
  SettingsFieldPath,
  SourceRef,
} from "./input";

export type Severity = "critical" | "high" | "medium" | "low";

/** The profiles a stack can choose; `cisa` is every rule's defaults, the others lay values over them. */
export type Profile = "cisa" | "strict" | "cis";

/** What a rule reports; the evaluator adds the rule's id, title, severity and whether it is mandatory. */
export interface RuleFinding {
  /** The offending object in the user's words: a role, policy label, grant file name, UPN or group name. */
  object: string;
  message: string;
  fix: string;
  source?: SourceRef;
  /** Overrides the rule's default severity for this finding (e.g. critical for Global Administrator). */
  severity?: Severity;
  /** Which input object this is about (`policy:<key>`, `assignment:<label>`, `group:<id>`), for pack URNs. */
  subject?: string;
}

export interface Rule<S extends z.ZodObject = z.ZodObject> {
  /** `PIM-0xx`, following baselines.md §4 where the catalogue has the rule. */
  id: string;
  title: string;
  /** Where the requirement comes from: CISA SCuBA MS.AAD.7.x, a Microsoft Learn page, or the project. */
  source: string;
  severity: Severity;
  /**
   * Every severity a finding of this rule can have (a finding may override the rule's own, e.g. critical for
   * Global Administrator). The pack builds one policy per enforcement level these span, so each finding is
   * mandatory or advisory exactly as in `pim check`. Default: `[severity]`.
   */
  severities?: readonly Severity[];
  /**
   * `resource`: sound on a partial input (one resource), so the pack runs it per resource.
   * `stack`: counts or cross-references objects, so the pack runs it once over the whole stack.
   */
  scope: "resource" | "stack";
  /** Strict zod object with a default for every field: the `cisa` profile. */
  params: S;
  /** Parameter values of the other profiles, laid over the defaults. */
  profiles?: Partial<Record<Exclude<Profile, "cisa">, Partial<z.input<S>>>>;
  /**
   * Why parameters are weaker than the baseline (the `cisa` defaults, or the line past which findings would be
   * mandatory): each reason is a PIM-043 finding, so an override cannot quietly lift a mandatory rule. Only rules
   * with mandatory findings need one; `ctx.uncovered` compares role selectors over the whole catalog.
   */
  floor?: (params: z.output<S>, ctx: FloorContext) => string[];
  /** One paragraph: what is checked and why. */
  docs: string;
  evaluate(input: RuleInput, params: z.output<S>): RuleFinding[];
}

export interface FloorContext {
  /** Roles the baseline selectors match and `selectors` do not (display names), over the catalog. */
  uncovered(selectors: readonly string[], baseline: readonly string[]): string[];
}

export type AnyRule = Rule<z.ZodObject>;

export function defineRule<S extends z.ZodObject>(rule: Rule<S>): Rule<S> {
  return rule;
}

export const severitiesOf = (rule: AnyRule): readonly Severity[] => rule.severities ?? [rule.severity];

/** `roles` no longer covers what the baseline covers: the reason a floor check gives. */
export function rolesFloor(
  param: string,
  selectors: readonly string[],
  baseline: readonly string[],
  ctx: FloorContext,
): string[] {
  const missing = ctx.uncovered(selectors, baseline);
  if (!missing.length) return [];
  const shown = missing.slice(0, 3).join(", ");
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : "";
  return [`${param} no longer covers ${shown}${more} (the baseline is ${JSON.stringify(baseline)})`];
}

/** The line that sets `field` for this policy (its entry, or the profile it inherits the value from). */
export function sourceOf(policy: RolePolicy, field?: SettingsFieldPath): SourceRef | undefined {
  return (field && policy.fieldSources?.[field]) || policy.source;
}

/** A zod ISO 8601 duration (days, hours, minutes), as the model accepts them. */
export const durationParam = z.string().refine((v) => parseDuration(v).ok, {
  message: "must be an ISO 8601 duration such as PT8H or P90D",
});

export function ms(duration: string): number | null {
  const r = parseDuration(duration);
  return r.ok ? r.ms : null;
}

export const human = humanDuration;

const TIER_RANK: Record<RoleTier, number> = { tier0: 0, tier1: 1, tier2: 2 };

export function highestTier(roles: readonly RoleInfo[]): RoleTier {
  return roles.reduce<RoleTier>((best, r) => (TIER_RANK[r.tier] < TIER_RANK[best] ? r.tier : best), "tier2");
}

export function policyKey(p: RolePolicy): string {
  const t = p.target;
  switch (t.kind) {
    case "directoryRole":
      return `policy:directory:${t.roleId}`;
    case "group":
      return `policy:group:${t.groupId}:${t.access}`;
    case "azureRole":
      return `policy:azure:${t.scope}:${t.roleId}`;
  }
}

export function roleOf(input: RuleInput, roleId: string): RoleInfo {
  return (
    input.roles[roleId] ?? {
      // Unknown roles are taken as privileged: the safe assumption, as the catalog does for custom roles.
      id: roleId,
      kind: "directory",
      displayName: roleId,
      isPrivileged: true,
      tier: "tier1",
      cisaHighlyPrivileged: false,
    }
  );
}

/**
 * Role ids per principal, built once per input: rules ask for the roles of every group, and scanning all
 * assignments for each (groups × assignments × rules) dominated `pim check` on a large tenant.
 */
const rolesByPrincipal = new WeakMap<RuleInput, Map<string, Set<string>>>();

/** Directory roles a group holds (eligible or active assignments whose principal is the group). */
export function rolesHeldByGroup(input: RuleInput, groupId: string): RoleInfo[] {
  let index = rolesByPrincipal.get(input);
  if (!index) {
    index = new Map();
    for (const a of input.assignments) {
      const set = index.get(a.principalId) ?? new Set<string>();
      set.add(a.roleId);
      index.set(a.principalId, set);
    }
    rolesByPrincipal.set(input, index);
  }
  return [...(index.get(groupId) ?? [])].map((id) => roleOf(input, id));
}

export interface ScopedPolicy {
  policy: RolePolicy;
  /** The roles, matching the rule's scope, that this policy governs activation of. */
  roles: RoleInfo[];
}

/**
 * Every policy that governs activation of a role matched by `match`: the role's own directory policy, the member
 * policy of each PIM group holding such a role (activating membership activates the role, as ScubaGear treats
 * 7.6-7.9), and Azure role policies.
 */
export function policiesInScope(input: RuleInput, match: (r: RoleInfo) => boolean): ScopedPolicy[] {
  const out: ScopedPolicy[] = [];
  for (const [roleId, policy] of Object.entries(input.directoryRolePolicies)) {
    const role = roleOf(input, roleId);
    if (match(role)) out.push({ policy, roles: [role] });
  }
  for (const policy of input.groupPolicies) {
    if (policy.target.kind !== "group" || policy.target.access !== "member") continue;
    const roles = rolesHeldByGroup(input, policy.target.groupId).filter(match);
    if (roles.length) out.push({ policy, roles });
  }
  for (const policy of input.azureRolePolicies) {
    if (policy.target.kind !== "azureRole") continue;
    const role = roleOf(input, policy.target.roleId);
    if (match(role)) out.push({ policy, roles: [role] });
  }
  return out;
}

/** Every role management policy of the input: directory roles, PIM groups' member and owner policies, Azure roles. */
export function allPolicies(input: RuleInput): RolePolicy[] {
  return [...Object.values(input.directoryRolePolicies), ...input.groupPolicies, ...input.azureRolePolicies];
}

export function principalName(input: RuleInput, id: string): string {
  return input.principals[id]?.displayName ?? input.groups[id]?.displayName ?? id;
}

export function isBreakGlass(input: RuleInput, principalId: string): boolean {
  return input.breakGlass.some((b) => b.principalId === principalId);
}

/**
 * Standing access on purpose (PIM-004, PIM-005): a declared break-glass account, or, with `allowPimGroups`, a
 * PIM-enrolled group whose members activate membership just in time.
 */
export function standingByDesign(input: RuleInput, a: Assignment, allowPimGroups: boolean): boolean {
  return (
    isBreakGlass(input, a.principalId) ||
    (allowPimGroups && input.groups[a.principalId]?.pimEnrolled === true)
  );
}

/** The declared service account exclusion that covers this assignment's role, if any (PIM-004, PIM-011). */
export function serviceAccountFor(input: RuleInput, a: Assignment): ServiceAccountExclusion | undefined {
  return input.serviceAccounts.find((s) => s.principalId === a.principalId && s.roleIds.includes(a.roleId));
}

/** `1 day`, `3 days`: counts that read well. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Memberships in force: not ended at `now`. */
function current(m: { endDateTime: string | null }, now: number): boolean {
  return m.endDateTime === null || Date.parse(m.endDateTime) > now;
}

/**
 * The people behind a principal: itself for a user (or an unknown principal, counted as a person to err on the
 * side of caution), the eligible and active members of a group, recursively. Service principals are not people.
 * With `owners`, a group's current owners count too: an owner can add anyone, itself included, to the group, so
 * for a group that holds a role its owners hold the role as surely as its members (headcounts); for an approver
 * group they do not approve (approver pools leave them out).
 */
export function peopleBehind(
  input: RuleInput,
  principalId: string,
  seen = new Set<string>(),
  owners = false,
): Set<string> {
  const out = new Set<string>();
  if (seen.has(principalId)) return out;
  seen.add(principalId);
  const group: GroupInfo | undefined = input.groups[principalId];
  const principal = input.principals[principalId];
  if (group || principal?.type === "group") {
    const now = Date.parse(input.now);
    const via = [...(group?.members ?? []), ...(owners ? (group?.owners ?? []) : [])];
    for (const m of via) {
      if (current(m, now)) for (const p of peopleBehind(input, m.principalId, seen, owners)) out.add(p);
    }
    return out;
  }
  if (principal?.type === "servicePrincipal") return out;
  out.add(principalId);
  return out;
}

/** Everyone who holds or can obtain a role: eligible or active, directly or through groups (members and owners). */
export function holdersOf(input: RuleInput, roleId: string): Set<string> {
  const out = new Set<string>();
  for (const a of input.assignments) {
    if (a.roleId !== roleId) continue;
    for (const p of peopleBehind(input, a.principalId, new Set(), true)) out.add(p);
  }
  return out;
}

/**
 * The people in a policy's primary approval stages, with groups expanded; `unknownGroups` counts groups not known.
 * With `escalation`, escalation approvers too: they can approve once a stage escalates, so every rule about who
 * may approve (self-approval, break-glass) must see them; only the count of day-to-day approvers leaves them out.
 */
export function approverPool(
  input: RuleInput,
  policy: RolePolicy,
  opts: { escalation?: boolean } = {},
): { people: Set<string>; unknownGroups: string[] } {
  const people = new Set<string>();
  const unknownGroups: string[] = [];
  for (const stage of policy.rules.Approval_EndUser_Assignment?.approvalStages ?? []) {
    const approvers = [
      ...stage.primaryApprovers,
      ...(opts.escalation ? (stage.escalationApprovers ?? []) : []),
    ];
    for (const a of approvers) {
      if (a.type === "group" && !input.groups[a.id]) {
        unknownGroups.push(a.id);
        continue;
      }
      for (const p of a.type === "user" ? [a.id] : peopleBehind(input, a.id)) people.add(p);
    }
  }
  return { people, unknownGroups };
}

/**
 * PIM-017 and PIM-018 at policy level: every policy in scope must refuse permanent eligible (or active)
 * assignments and bound them to `max` (an ISO duration).
 */
export function expiryPolicyFindings(
  input: RuleInput,
  match: (r: RoleInfo) => boolean,
  kind: "eligible" | "active",
  max: string,
): RuleFinding[] {
  const field = kind === "eligible" ? "eligibleAssignment" : "activeAssignment";
  const out: RuleFinding[] = [];
  for (const { policy } of policiesInScope(input, match)) {
    const rule =
      kind === "eligible"
        ? policy.rules.Expiration_Admin_Eligibility
        : policy.rules.Expiration_Admin_Assignment;
    const source = sourceOf(policy, field);
    const at = { object: policy.label, ...(source ? { source } : {}), subject: policyKey(policy) };
    if (!rule || !rule.isExpirationRequired) {
      out.push({
        ...at,
        message: `${policy.label} allows permanent ${kind} assignments`,
        fix: `set ${field}.allowPermanent: false with maximumDuration ${max} or less`,
      });
    } else if ((ms(rule.maximumDuration) ?? Infinity) > ms(max)!) {
      out.push({
        ...at,
        message: `${policy.label} lets ${kind} assignments last up to ${human(rule.maximumDuration)}; at most ${human(max)} is allowed`,
        fix: `set ${field}.maximumDuration to ${max} or less`,
      });
    }
  }
  return out;
}

export function assignmentSubject(a: Assignment): string {
  return `assignment:${a.label}`;
}

/** `a, b and c` for messages. */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Why an admin notification rule does not alert anyone, or null when it does (CISA MS.AAD.7.7-7.9). */
export function notificationProblem(rule: NotificationRule | undefined): string | null {
  if (!rule) return "the notification rule is missing";
  if (rule.notificationLevel === "None") return "notifications are turned off (level none)";
  if (rule.notificationRecipients.length === 0) {
    // Default recipients are the role's admins themselves; CISA requires a named recipient (a security mailbox).
    return "there are no additional recipients, and default recipients alone do not reach the security team";
  }
  return null;
}

/** "activating X" for a role policy; for a group's member policy, names the roles the membership carries. */
export function activationOf(sp: ScopedPolicy): string {
  return sp.policy.target.kind === "group"
    ? `activating membership of ${sp.policy.label}, which holds ${list(sp.roles.map((r) => r.displayName))},`
    : `activating ${sp.policy.label}`;
}
