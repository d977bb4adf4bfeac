/**
 * The comparable form of a tenant: what is declared (or, later, what a live tenant holds), as plain data.
 *
 * Nothing here depends on where the data came from or when it was read: no file positions, no status, no days
 * left (those are functions of a snapshot and an instant, `./time.ts`). Every object carries the key `model/keys`
 * gives it, every list is sorted by that key, so two snapshots of the same tenant are equal as data and a diff
 * never depends on file order. Where an object was declared is kept beside the data (`Snapshot.provenance`), for
 * messages only: it is never compared.
 *
 * Principals and groups are named as declared (UPN, display name or object id); roles by id, with the catalog
 * name beside it for messages. A live-tenant reader produces the same shapes.
 */
import type { SettingsIdentity } from "../keys";
import type { Ticket } from "../schema/common";
import type { ResolvedSettings, Scope, SourceRef } from "../types";

export interface RoleRef {
  kind: "directory" | "azure";
  /** Template id (built-in Entra role), role definition id (custom or Azure role). */
  id: string;
  /** Display name, for messages. */
  name: string;
}

export interface SettingsEntry {
  key: string;
  /** What a person calls it (`Global Administrator`, `Ops (member)`); not compared. */
  label: string;
  target: SettingsIdentity;
  /** The profile the declaration names; null when none (or not known, as for a live tenant). */
  profile: string | null;
  settings: ResolvedSettings;
}

export interface ProfileEntry {
  key: string;
  name: string;
  extends: string | null;
  description: string | null;
  /** The profile's own fields as written, flattened to dotted paths (arrays are one value). Not inherited ones. */
  declared: Record<string, unknown>;
}

export interface GrantEntry {
  key: string;
  kind: "eligible" | "active";
  principal: string;
  principalType: "user" | "group" | "servicePrincipal" | null;
  role: RoleRef;
  scope: Scope;
  /** UTC ISO instants; null start = when provisioned, null end = permanent. */
  start: string | null;
  end: string | null;
  justification: string;
  ticket: Ticket | null;
  requestedBy: string | null;
}

export interface ApproverGroupEntry {
  key: string;
  name: string;
  description: string | null;
  /** Sorted as identity compares them. */
  members: string[];
  approves: RoleRef[];
}

export interface PimGroupEntry {
  key: string;
  name: string;
  description: string | null;
  roleAssignable: boolean;
  roles: RoleRef[];
}

export interface MembershipEntry {
  key: string;
  group: string;
  access: "member" | "owner";
  kind: "eligible" | "active";
  principal: string;
  start: string | null;
  end: string | null;
  justification: string | null;
}

export interface BreakGlassEntry {
  key: string;
  upn: string;
  description: string | null;
}

export interface RuleOverrideEntry {
  key: string;
  rule: string;
  enabled: boolean | null;
  severity: string | null;
  params: Record<string, unknown> | null;
}

export interface ExemptionEntry {
  key: string;
  rule: string;
  object: string;
  justification: string;
  expires: string | null;
  approvedBy: string | null;
}

export interface TenantSnapshot {
  stack: string;
  tenant: { id: string; name: string };
  /** Contractor UPN patterns, sorted. */
  contractors: string[];
  profiles: ProfileEntry[];
  roleSettings: SettingsEntry[];
  grants: GrantEntry[];
  approverGroups: ApproverGroupEntry[];
  pimGroups: PimGroupEntry[];
  memberships: MembershipEntry[];
  breakGlass: BreakGlassEntry[];
  safeDefaults: { profile: string; rules: RuleOverrideEntry[]; exemptions: ExemptionEntry[] };
}

export interface Snapshot {
  state: TenantSnapshot;
  /** Object key → where it is declared. For messages; never compared. */
  provenance: Record<string, SourceRef>;
}
