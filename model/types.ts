/**
 * The resolved model: what the loader produces from YAML (and, later, what import produces from Graph).
 *
 * Everything downstream — components, rules, plan, drift — works on these types only. Names are kept next to
 * ids so that messages and diffs speak the user's language; every object has a stable `key` so two models can be
 * compared (plan, drift) without positions or file order mattering.
 */
import type { Ticket } from "./schema/common";

export type NotificationLevel = "all" | "critical" | "none";
export type ApprovalMode = "SingleStage" | "Serial";

export interface Approver {
  type: "user" | "group";
  /** UPN, group display name, or object id, as declared. */
  ref: string;
}

export interface ResolvedApprovalStage {
  approvers: Approver[];
  timeoutDays: number;
  approverJustification: boolean;
  escalation: { afterMinutes: number; approvers: Approver[] } | null;
}

export interface ResolvedNotification {
  level: NotificationLevel;
  defaultRecipients: boolean;
  additionalRecipients: string[];
}

export interface NotificationTriple {
  admin: ResolvedNotification;
  requestor: ResolvedNotification;
  approver: ResolvedNotification;
}

export interface AssignmentExpiry {
  allowPermanent: boolean;
  /** ISO 8601 duration; applies when permanent is not allowed. */
  maximumDuration: string;
  requireMfa: boolean;
  requireJustification: boolean;
}

/** Every setting of one role's policy, nothing optional. Maps 1:1 onto the 17 Graph rules. */
export interface ResolvedSettings {
  activation: {
    maximumDuration: string;
    requireMfa: boolean;
    authenticationContext: string | null;
    requireJustification: boolean;
    requireTicket: boolean;
    approval: {
      required: boolean;
      requiredForExtension: boolean;
      stages: ResolvedApprovalStage[];
    };
  };
  eligibleAssignment: AssignmentExpiry;
  activeAssignment: AssignmentExpiry;
  notifications: {
    eligibleAssignment: NotificationTriple;
    activeAssignment: NotificationTriple;
    activation: NotificationTriple;
  };
}

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
}

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

export interface SafeDefaultsConfig {
  profile: "cisa" | "strict";
  rules: Record<string, RuleOverride>;
  exemptions: Exemption[];
}

export interface TenantModel {
  stack: string;
  tenant: { id: string; name: string };
  contractors: string[];
  roleSettings: RoleSettingsDecl[];
  approverGroups: ApproverGroup[];
  pimGroups: PimGroup[];
  breakGlass: BreakGlassAccount[];
  grants: Grant[];
  safeDefaults: SafeDefaultsConfig;
  /** The instant statuses and days left were computed against. */
  evaluatedAt: string;
}
