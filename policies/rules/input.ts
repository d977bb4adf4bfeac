/**
 * The rule input: one tenant's PIM configuration in a normalized, Graph-aligned shape (baselines.md §5).
 *
 * Three producers fill it: `fromModel` (declarations, offline `pim check`), the policy-pack adapters (resource
 * inputs during `pulumi preview`), and later `fromGraph` (a live tenant, for the compliance report). The rules see
 * only this shape, so the same rule grades all three. Field names follow Graph where Graph has one: rule ids of
 * `unifiedRoleManagementPolicy` (`Approval_EndUser_Assignment`, ...), `roleDefinitionId`, `principalId`,
 * `startDateTime`/`endDateTime`, `isAssignableToRole`. Directory roles are keyed by role template id.
 *
 * Ids: Graph object ids when known (live tenant, pack adapters); the declared reference, lower-cased, when the
 * model only has a name (a UPN, a group display name). `displayName` always carries the user's words for messages.
 *
 * Facts the declarations cannot hold (on-premises synchronisation, Conditional Access policies, assignments made
 * outside PIM) have a place here too: the live-tenant report fills them from Graph; offline they come from what
 * tenant.yaml declares (`synchronizedAccounts`, `authenticationContexts`) or are marked as not known.
 */
import type { ConditionalAccessPolicyFact } from "../../model/conditionalAccess";
import type { SettingsFieldPath, SourceRef } from "../../model/types";

export type { SettingsFieldPath, SourceRef };

/** Tier of a role after classification (tiers.ts): tier0 controls the tenant, tier1 is privileged, tier2 the rest. */
export type RoleTier = "tier0" | "tier1" | "tier2";

export interface RoleInfo {
  /** Template id (directory role) or role definition GUID (Azure role). */
  id: string;
  kind: "directory" | "azure";
  displayName: string;
  /** Microsoft's PRIVILEGED label (`isPrivileged`); custom and unknown roles are taken as privileged. */
  isPrivileged: boolean;
  tier: RoleTier;
  /** One of the eight CISA SCuBA "highly privileged" roles (MS.AAD.7). */
  cisaHighlyPrivileged: boolean;
}

export type EnablementRule = "MultiFactorAuthentication" | "Justification" | "Ticketing";

/** `unifiedRoleManagementPolicyNotificationRule` fields the rules read. */
export interface NotificationRule {
  notificationLevel: "All" | "Critical" | "None";
  isDefaultRecipientsEnabled: boolean;
  notificationRecipients: string[];
}

/** A primary approver: Graph's `singleUser` (userId) or `groupMembers` (groupId). */
export interface ApproverRef {
  type: "user" | "group";
  id: string;
}

export interface ExpirationRule {
  isExpirationRequired: boolean;
  /** ISO 8601 duration. */
  maximumDuration: string;
}

/**
 * The rules of one role management policy, keyed by Graph rule id. A key is absent when the policy does not hold
 * that rule (possible on a live tenant or a partial resource); rules treat an absent rule as not configured.
 */
export interface PolicyRules {
  Expiration_EndUser_Assignment?: { maximumDuration: string };
  Enablement_EndUser_Assignment?: { enabledRules: EnablementRule[] };
  AuthenticationContext_EndUser_Assignment?: { isEnabled: boolean; claimValue: string | null };
  Approval_EndUser_Assignment?: {
    isApprovalRequired: boolean;
    /** Escalation approvers can approve too once the stage escalates, so self-approval rules count them. */
    approvalStages: Array<{ primaryApprovers: ApproverRef[]; escalationApprovers?: ApproverRef[] }>;
  };
  Expiration_Admin_Eligibility?: ExpirationRule;
  Expiration_Admin_Assignment?: ExpirationRule;
  Enablement_Admin_Assignment?: { enabledRules: EnablementRule[] };
  Notification_Admin_Admin_Eligibility?: NotificationRule;
  Notification_Requestor_Admin_Eligibility?: NotificationRule;
  Notification_Approver_Admin_Eligibility?: NotificationRule;
  Notification_Admin_Admin_Assignment?: NotificationRule;
  Notification_Requestor_Admin_Assignment?: NotificationRule;
  Notification_Approver_Admin_Assignment?: NotificationRule;
  Notification_Admin_EndUser_Assignment?: NotificationRule;
  Notification_Requestor_EndUser_Assignment?: NotificationRule;
  Notification_Approver_EndUser_Assignment?: NotificationRule;
}

/** Where a policy applies: a directory role, a PIM-for-Groups group's member or owner policy, an Azure role. */
export type PolicyTarget =
  | { kind: "directoryRole"; roleId: string }
  | { kind: "group"; groupId: string; access: "member" | "owner" }
  | { kind: "azureRole"; roleId: string; scope: string };

export interface RolePolicy {
  target: PolicyTarget;
  /** What a person calls it: `Global Administrator`, `Ops (member)`, `Owner on /subscriptions/…`. */
  label: string;
  rules: PolicyRules;
  source?: SourceRef;
  /** The line that sets a value, when it is not the policy's own entry (a profile); see `sourceOf`. */
  fieldSources?: Partial<Record<SettingsFieldPath, SourceRef>>;
  /**
   * Directory roles only: display names of the PIM groups that hold this role permanently through PIM (such a
   * policy must allow permanent active assignments: PIM-018 accepts it when no one else holds the role actively).
   */
  heldByPimGroups?: string[];
}

export interface Assignment {
  kind: "eligible" | "active";
  /** Key into `roles`. */
  roleId: string;
  principalId: string;
  /** Directory scope ("/", "/administrativeUnits/<id>") or an Azure scope. */
  scope: string;
  /**
   * Null: made outside PIM, as a plain role assignment (Graph shows no start for one; this is how ScubaGear tests
   * MS.AAD.7.5). A PIM schedule always has a start: producers put the instant of provisioning (`now`) for one
   * that starts when it is created.
   */
  startDateTime: string | null;
  /** Null: permanent. */
  endDateTime: string | null;
  /** The declaration in the user's words: a grant file name, a resource name, or a synthesized description. */
  label: string;
  source?: SourceRef;
}

export interface Principal {
  id: string;
  type: "user" | "group" | "servicePrincipal" | "unknown";
  displayName: string;
  userPrincipalName: string | null;
  /** `Guest` for external users (a UPN with #EXT#); null when unknown. */
  userType: "Member" | "Guest" | null;
  /** Matches the tenant's contractor patterns. */
  isContractor: boolean;
  /**
   * Synchronised from an on-premises directory (Graph `onPremisesSyncEnabled`, or an `onPremisesImmutableId`);
   * null when not known (offline, an account not listed under `synchronizedAccounts`).
   */
  onPremisesSynced: boolean | null;
}

export interface Membership {
  principalId: string;
  kind: "eligible" | "active";
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface GroupInfo {
  id: string;
  displayName: string;
  /** Null when unknown (a group the stack does not manage). */
  isAssignableToRole: boolean | null;
  /** Membership is governed by PIM for Groups. */
  pimEnrolled: boolean;
  members: Membership[];
  owners: Membership[];
  source?: SourceRef;
}

export interface BreakGlassEntry {
  principalId: string;
  source?: SourceRef;
}

/** An account that cannot activate and may hold the listed roles permanently (CISA MS.AAD.7.4 exclusion). */
export interface ServiceAccountExclusion {
  principalId: string;
  /** Keys into `roles`. */
  roleIds: string[];
  justification: string;
  source?: SourceRef;
}

/** What the declarations say about an authentication context: the Conditional Access policy that enforces it. */
export interface AuthenticationContextInfo {
  id: string;
  /** Display name or object id of the policy. */
  conditionalAccessPolicy: string;
  source?: SourceRef;
}

export type { ConditionalAccessPolicyFact };

/** Facts a live tenant holds and the declarations do not. */
export interface LiveFacts {
  /**
   * Conditional Access policies. `complete`: this is every policy of the tenant (live report), so a policy that
   * is not listed does not exist; otherwise only some are known (the pack sees the stack's own), and the
   * declarations are trusted for the rest.
   */
  conditionalAccess: { complete: boolean; policies: ConditionalAccessPolicyFact[] };
}

export interface RuleInput {
  tenant: { id: string; displayName: string };
  /** The instant the input describes; rules never read the clock. */
  now: string;
  roles: Record<string, RoleInfo>;
  /** Directory role policies keyed by role template id; absent when the role's settings are not known. */
  directoryRolePolicies: Record<string, RolePolicy>;
  groupPolicies: RolePolicy[];
  azureRolePolicies: RolePolicy[];
  /** Assignments that are or will be in force (expired ones are left out by the producer). */
  assignments: Assignment[];
  principals: Record<string, Principal>;
  groups: Record<string, GroupInfo>;
  breakGlass: BreakGlassEntry[];
  /** Where the break-glass list is declared, for findings about the list as a whole. */
  breakGlassSource?: SourceRef;
  serviceAccounts: ServiceAccountExclusion[];
  /** Keyed by context id, lower-cased. */
  authenticationContexts: Record<string, AuthenticationContextInfo>;
  facts: LiveFacts;
}

/** An empty input, for adapters that fill in one resource at a time. */
export function emptyInput(now: string, tenant = { id: "", displayName: "" }): RuleInput {
  return {
    tenant,
    now,
    roles: {},
    directoryRolePolicies: {},
    groupPolicies: [],
    azureRolePolicies: [],
    assignments: [],
    principals: {},
    groups: {},
    breakGlass: [],
    serviceAccounts: [],
    authenticationContexts: {},
    facts: { conditionalAccess: { complete: false, policies: [] } },
  };
}
