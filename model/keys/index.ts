/**
 * Identity: the one place that says what makes two declarations "the same object".
 *
 * Keys are built from what an object governs (principal, role, scope, kind; the role or group access a policy
 * governs), never from file names, list positions or display names of roles. The loader, the snapshot, the
 * components' resource names and every diff (plan, review, drift) use these functions, so two sides of a
 * comparison can never disagree on identity.
 *
 * Principal and group references are compared case-insensitively (Entra does), with surrounding spaces ignored.
 */
import type { Approver, Scope, SettingsTarget } from "../types";

/** A principal, group or UPN reference as identity compares it. */
export const normalizeRef = (ref: string): string => ref.trim().toLowerCase();

/** An Azure resource scope as identity compares it: lower-cased, without trailing slashes. */
/** An ARM scope as written, without surrounding spaces or trailing slashes: how it is shown and sent to ARM. */
export const azureScopeSpelling = (scope: string): string => scope.trim().replace(/\/+$/, "");
export const azureScopeKey = (scope: string): string => azureScopeSpelling(scope).toLowerCase();

/** `/` (tenant), `au:<ref>`, `app:<ref>`, or the normalized Azure scope. */
export function scopeKey(scope: Scope): string {
  switch (scope.type) {
    case "tenant":
      return "/";
    case "azure":
      return azureScopeKey(scope.id);
    case "administrativeUnit":
      return `au:${normalizeRef(scope.ref)}`;
    case "application":
      return `app:${normalizeRef(scope.ref)}`;
  }
}

/** What a settings target governs, without the display names the target carries. */
export type SettingsIdentity =
  | { kind: "directory"; roleId: string }
  | { kind: "group"; group: string; access: "member" | "owner" }
  | { kind: "azure"; roleId: string; scope: string };

export function settingsIdentity(target: SettingsTarget): SettingsIdentity {
  switch (target.kind) {
    case "directory":
      return { kind: "directory", roleId: target.role.id };
    case "group":
      return { kind: "group", group: target.group, access: target.access };
    case "azure":
      return { kind: "azure", roleId: target.role.id, scope: target.scope };
  }
}

/** `directory:<role id>`, `group:<group>:<member|owner>`, `azure:<scope>:<role id>`. */
export function settingsKey(target: SettingsTarget | SettingsIdentity): string {
  const t = "role" in target ? settingsIdentity(target) : target;
  switch (t.kind) {
    case "directory":
      return `directory:${t.roleId.toLowerCase()}`;
    case "group":
      return `group:${normalizeRef(t.group)}:${t.access}`;
    case "azure":
      return `azure:${azureScopeKey(t.scope)}:${t.roleId.toLowerCase()}`;
  }
}

/** The settings key that governs a grant of `role` at `scope` (Azure roles are governed per scope). */
export function settingsKeyForGrant(role: { kind: "directory" | "azure"; id: string }, scope: Scope): string {
  return role.kind === "azure" && scope.type === "azure"
    ? settingsKey({ kind: "azure", roleId: role.id, scope: scope.id })
    : settingsKey({ kind: "directory", roleId: role.id });
}

export interface GrantIdentity {
  kind: "eligible" | "active";
  role: { kind: "directory" | "azure"; id: string };
  scope: Scope;
  /** As declared (UPN, display name, object id), or a resolved object id. */
  principal: string;
}

/** `<kind>|<role kind>:<role id>|<scope key>|<principal>`: two grants with one key are one assignment. */
export function grantKey(g: GrantIdentity): string {
  return `${g.kind}|${g.role.kind}:${g.role.id.toLowerCase()}|${scopeKey(g.scope)}|${normalizeRef(g.principal)}`;
}

/** `user:<ref>` or `group:<ref>`: how settings name an approver (and how approver object ids are passed). */
export const approverKey = (a: Approver): string => `${a.type}:${normalizeRef(a.ref)}`;

export const approverGroupKey = (name: string): string => `approverGroup:${normalizeRef(name)}`;
export const pimGroupKey = (name: string): string => `pimGroup:${normalizeRef(name)}`;
export const breakGlassKey = (upn: string): string => `breakGlass:${normalizeRef(upn)}`;

/** One membership or ownership of a PIM group: `<group key>|<member|owner>|<eligible|active>|<principal>`. */
export function membershipKey(
  group: string,
  access: "member" | "owner",
  kind: "eligible" | "active",
  principal: string,
): string {
  return `${pimGroupKey(group)}|${access}|${kind}|${normalizeRef(principal)}`;
}

/** A settings profile (`profiles.<name>` in tenant.yaml): `profile:<name>`, compared as written (YAML keys are). */
export const profileKey = (name: string): string => `profile:${name}`;

/** A safe-default exemption: the rule it waives and the object it names. */
export const exemptionKey = (rule: string, object: string): string =>
  `exemption:${rule.trim().toUpperCase()}|${normalizeRef(object)}`;

/** A per-rule override under `safeDefaults.rules` (or the `tiers` entry). */
export const ruleOverrideKey = (rule: string): string => `ruleOverride:${rule.trim().toUpperCase()}`;

/** A contractor pattern (`contractors:` in tenant.yaml), compared as identity compares UPNs. */
export const contractorPatternKey = (pattern: string): string => `contractor:${normalizeRef(pattern)}`;

/**
 * A safe-default finding as two evaluations compare it: the rule and the object it is about. The message is left
 * out on purpose: it carries figures ("5 Global Administrators") that change without the finding changing.
 */
export const findingKey = (ruleId: string, object: string): string =>
  `finding:${ruleId.trim().toUpperCase()}|${normalizeRef(object)}`;
