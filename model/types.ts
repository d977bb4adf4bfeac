/**
 * The resolved model: what the loader produces from YAML (and, later, what import produces from Graph).
 *
 * Everything downstream — components, rules, plan, drift — works on these types only. Names are kept next to
 * ids so that messages and diffs speak the user's language; every object has a stable `key` so two models can be
 * compared (plan, drift) without positions or file order mattering.
 */
import type { Ticket } from "./schema/common";
import type { ResolvedSettings } from "./schema/resolvedSettings";

export type ApprovalMode = "SingleStage" | "Serial";

// Resolved settings are a zod schema (the providers validate their inputs with it); the types are inferred.
export type {
  Approver,
  AssignmentExpiry,
  NotificationLevel,
  NotificationTriple,
  ResolvedApprovalStage,
  ResolvedNotification,
  ResolvedSettings,
} from "./schema/resolvedSettings";

/** Where a declaration came from, for messages that point at the line to change. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export interface DirectoryRole {
  kind: "directory";
  name: string;
  /** Template id for built-in roles; role definition id for custom roles. */
  id: string;
  builtIn: boolean;
  isPrivileged: boolean;
}

export interface AzureRole {
  kind: "azure";
  name: string;
  /** Role definition GUID (without the /providers/... prefix). */
  id: string;
}

export type Scope =
  | { type: "tenant" }
  | { type: "administrativeUnit"; ref: string }
  | { type: "application"; ref: string }
  | { type: "azure"; id: string };

export type SettingsTarget =
  | { kind: "directory"; role: DirectoryRole }
  | { kind: "group"; group: string; access: "member" | "owner" }
  | { kind: "azure"; role: AzureRole; scope: string };

export interface RoleSettingsDecl {
  /** Stable identity: `directory:<templateId>`, `group:<name>:member`, `azure:<scope>:<roleId>`. */
  key: string;
  /** What a person calls it: `Global Administrator`, `Ops (member)`, `Owner on /subscriptions/…`. */
  label: string;
  target: SettingsTarget;
  profile: string | null;
  settings: ResolvedSettings;
  source: SourceRef;
  /**
   * Where some effective values were declared (this entry or the profile it inherits them from), keyed by
   * settings path such as `activation.maximumDuration`, so a finding points at the line to change.
   */
  fieldSources?: Partial<Record<SettingsFieldPath, SourceRef>>;
}

/** Settings paths whose declaring line findings point at (see `model/load/fieldSources.ts`). */
export type SettingsFieldPath =
  | "activation.maximumDuration"
  | "activation.requireMfa"
  | "activation.authenticationContext"
  | "activation.requireJustification"
  | "activation.requireTicket"
  | "activation.approval"
  | "eligibleAssignment"
  | "activeAssignment"
  | "notifications.eligibleAssignment.admin"
  | "notifications.activeAssignment.admin"
  | "notifications.activation.admin";

export interface PrincipalRef {
  /** As declared: UPN, display name or object id. */
  ref: string;
  type: "user" | "group" | "servicePrincipal" | null;
}

export type GrantStatus = "pending" | "current" | "expired";

export interface Grant {
  /** File name without extension; stable, unique per stack, used to name resources. */
  id: string;
  /** Stable identity for duplicates and diffs: kind, role, scope and principal. */
  key: string;
  file: string;
  principal: PrincipalRef;
  role: DirectoryRole | AzureRole;
  scope: Scope;
  kind: "eligible" | "active";
  /** UTC ISO instant, or null for "when provisioned". */
  start: string | null;
  /** UTC ISO instant, or null for a permanent grant. */
  end: string | null;
  justification: string;
  ticket: Ticket | null;
  requestedBy: string | null;
  /** Relative to the load's `now`. */
  status: GrantStatus;
  daysLeft: number | null;
  source: SourceRef;
}

export interface ApproverGroup {
  name: string;
  /** Names the group had before (`previousNames`): its resources keep their identity across the rename. */
  previousNames: string[];
  description: string | null;
  members: string[];
  approves: DirectoryRole[];
  source: SourceRef;
}

export interface GroupMembership {
  principal: string;
  start: string | null;
  end: string | null;
  justification: string | null;
  status: GrantStatus;
}

export interface PimGroup {
  name: string;
  /** Names the group had before (`previousNames`): its resources keep their identity across the rename. */
  previousNames: string[];
  description: string | null;
  roleAssignable: boolean;
  roles: DirectoryRole[];
  members: { eligible: GroupMembership[]; active: GroupMembership[] };
  owners: { eligible: GroupMembership[]; active: GroupMembership[] };
  source: SourceRef;
}

export interface BreakGlassAccount {
  upn: string;
  description: string | null;
  source: SourceRef;
}

export interface RuleOverride {
  enabled?: boolean;
  severity?: "critical" | "high" | "medium" | "low";
  params?: Record<string, unknown>;
}

export interface Exemption {
  rule: string;
  object: string;
  justification: string;
  expires: string | null;
  approvedBy: string | null;
  source: SourceRef;
}

/** An account that cannot activate and may hold the listed roles permanently (CISA MS.AAD.7.4 exclusion). */
export interface ServiceAccountDecl {
  /** UPN, service principal display name or object id, as declared. */
  principal: string;
  roles: Array<DirectoryRole | AzureRole>;
  justification: string;
  source: SourceRef;
}

export type SafeDefaultsProfile = "cisa" | "strict" | "cis";

export interface SafeDefaultsConfig {
  profile: SafeDefaultsProfile;
  rules: Record<string, RuleOverride>;
  /** Where each override under `safeDefaults.rules` is declared, keyed as `rules` is. */
  ruleSources?: Record<string, SourceRef>;
  exemptions: Exemption[];
  serviceAccounts?: ServiceAccountDecl[];
  /** The `safeDefaults` key itself (or the file's start when absent), for findings about the section. */
  source?: SourceRef;
}

/** An authentication context and the Conditional Access policy the declarations say enforces it. */
export interface AuthenticationContextDecl {
  id: string;
  conditionalAccessPolicy: string;
  source: SourceRef;
}

export interface TenantModel {
  stack: string;
  tenant: { id: string; name: string };
  contractors: string[];
  /** UPN patterns of accounts synchronised from on-premises (PIM-003); empty when none are declared. */
  synchronizedAccounts?: string[];
  authenticationContexts?: AuthenticationContextDecl[];
  /** Where the `breakGlass` list is declared (or the file's start), for findings about the list as a whole. */
  breakGlassSource?: SourceRef;
  roleSettings: RoleSettingsDecl[];
  approverGroups: ApproverGroup[];
  pimGroups: PimGroup[];
  breakGlass: BreakGlassAccount[];
  grants: Grant[];
  safeDefaults: SafeDefaultsConfig;
  /** The instant statuses and days left were computed against. */
  evaluatedAt: string;
}
