/**
 * Adapter: the loaded declarations (TenantModel) as the rule input.
 *
 * The model names principals by UPN or display name, so ids here are those references lower-cased. What the
 * components will create beyond the grants is synthesized, because the rules must see the tenant as it will be:
 * each PIM group's role assignment (a plain, permanent assignment; members activate membership instead), and
 * each break-glass account's permanent, direct Global Administrator assignment (outside PIM on purpose). Both are
 * plain role assignments today, so they carry no start date, as Graph would show them; a grant that starts when
 * provisioned starts at `now`, as its PIM schedule will.
 *
 * Facts the YAML can carry are taken from it: accounts listed under `synchronizedAccounts` are synchronised (the
 * rest are not known), and each authentication context's Conditional Access policy is the one tenant.yaml names.
 */
import azureCatalog from "../../model/catalog/azure-roles.json";
import { GLOBAL_ADMINISTRATOR, entraRoleById } from "../../model/catalog";
import { normalizeRef } from "../../model/keys";
import type { Approver, Grant, GroupMembership, Scope, TenantModel } from "../../model/types";
import type { Assignment, GroupInfo, Membership, Principal, RolePolicy, RuleInput } from "./input";
import { pimGroupsHolding } from "../../model/heldByPimGroups";
import { settingsToRules } from "./fromSettings";
import { DEFAULT_TIERS, classifyRole, type ResolvedTiers } from "./tiers";

const azurePrivileged = new Map(
  (azureCatalog as Array<{ roleDefinitionId: string; isPrivileged: boolean }>).map((r) => [
    r.roleDefinitionId.toLowerCase(),
    r.isPrivileged,
  ]),
);

/** Microsoft's catalog says which Azure roles are privileged; roles outside it (custom ids) are taken as privileged. */
export function isPrivilegedAzureRole(id: string): boolean {
  return azurePrivileged.get(id.toLowerCase()) ?? true;
}

export const idOf = normalizeRef;

/** `c-*@contoso.com` → a case-insensitive whole-string match. */
export function contractorMatcher(patterns: readonly string[]): (upn: string) => boolean {
  const lowered = patterns.map((p) => p.toLowerCase());
  return (upn) => {
    const text = upn.toLowerCase();
    return lowered.some((p) => globMatches(p, text));
  };
}

/**
 * `*` stands for any run of characters. No regular expression: `^a.*a.*a.*…b$` backtracks exponentially on a
 * crafted pattern (issue 10: past 60 s). The text between stars is found left to right, each part after the
 * last, which is correct for globs and never goes back: time grows with the text, not with its combinations.
 */
function globMatches(pattern: string, text: string): boolean {
  const parts = pattern.split("*");
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (parts.length === 1) return pattern === text;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last))
    return false;
  const end = text.length - last.length;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    const i = text.indexOf(middle, at);
    if (i < 0 || i + middle.length > end) return false;
    at = i + middle.length;
  }
  return true;
}

function scopeId(s: Scope): string {
  switch (s.type) {
    case "tenant":
      return "/";
    case "administrativeUnit":
      return `/administrativeUnits/${s.ref}`;
    case "application":
      return `/${s.ref}`;
    case "azure":
      return s.id;
  }
}

export function fromModel(model: TenantModel, opts: { tiers?: ResolvedTiers; now?: Date } = {}): RuleInput {
  const tiers = opts.tiers ?? DEFAULT_TIERS;
  const nowText = (opts.now ?? new Date(model.evaluatedAt)).toISOString();
  const now = Date.parse(nowText);
  const isContractor = contractorMatcher(model.contractors);
  const isSynced = contractorMatcher(model.synchronizedAccounts ?? []);
  const groupNames = new Set([
    ...model.pimGroups.map((g) => idOf(g.name)),
    ...model.approverGroups.map((g) => idOf(g.name)),
  ]);
  const input: RuleInput = {
    tenant: { id: model.tenant.id, displayName: model.tenant.name },
    now: nowText,
    roles: {},
    directoryRolePolicies: {},
    groupPolicies: [],
    azureRolePolicies: [],
    assignments: [],
    principals: {},
    groups: {},
    breakGlass: model.breakGlass.map((b) => ({ principalId: idOf(b.upn), source: b.source })),
    ...(model.breakGlassSource ? { breakGlassSource: model.breakGlassSource } : {}),
    serviceAccounts: [],
    authenticationContexts: Object.fromEntries(
      (model.authenticationContexts ?? []).map((c) => [
        c.id.toLowerCase(),
        { id: c.id, conditionalAccessPolicy: c.conditionalAccessPolicy, source: c.source },
      ]),
    ),
    facts: { conditionalAccess: { complete: false, policies: [] } },
  };

  const addDirectoryRole = (id: string, name: string, isPrivileged: boolean) => {
    input.roles[id] ??= classifyRole({ id, kind: "directory", displayName: name, isPrivileged }, tiers);
  };
  const addAzureRole = (id: string, name: string) => {
    input.roles[id] ??= classifyRole(
      { id, kind: "azure", displayName: name, isPrivileged: isPrivilegedAzureRole(id) },
      tiers,
    );
  };
  const addPrincipal = (ref: string, declared: Grant["principal"]["type"] = null) => {
    const id = idOf(ref);
    if (input.principals[id]) return id;
    const type: Principal["type"] =
      declared ?? (ref.includes("@") ? "user" : groupNames.has(id) ? "group" : "unknown");
    const upn = type === "user" && ref.includes("@") ? ref : null;
    input.principals[id] = {
      id,
      type,
      displayName: ref,
      userPrincipalName: upn,
      userType: upn === null ? null : /#ext#/i.test(upn) ? "Guest" : "Member",
      isContractor: upn !== null && isContractor(upn),
      // Offline, only what synchronizedAccounts lists is known; the rest is left to the live tenant.
      onPremisesSynced: upn !== null && isSynced(upn) ? true : null,
    };
    return id;
  };
  const approverId = (a: Approver) =>
    a.type === "user" ? addPrincipal(a.ref, "user") : addPrincipal(a.ref, "group");
  const memberships = (list: GroupMembership[], kind: Membership["kind"]): Membership[] =>
    list
      .filter((m) => m.status !== "expired")
      .map((m) => ({
        principalId: addPrincipal(m.principal),
        kind,
        startDateTime: m.start,
        endDateTime: m.end,
      }));

  // Groups first, so grants naming a group by display name resolve to it.
  for (const g of model.pimGroups) {
    const id = addPrincipal(g.name, "group");
    const group: GroupInfo = {
      id,
      displayName: g.name,
      isAssignableToRole: g.roleAssignable,
      pimEnrolled: true,
      members: [...memberships(g.members.eligible, "eligible"), ...memberships(g.members.active, "active")],
      owners: [...memberships(g.owners.eligible, "eligible"), ...memberships(g.owners.active, "active")],
      source: g.source,
    };
    input.groups[id] = group;
    for (const role of g.roles) {
      addDirectoryRole(role.id, role.name, role.isPrivileged);
      input.assignments.push({
        kind: "active",
        roleId: role.id,
        principalId: id,
        scope: "/",
        // The PimGroup component gives the group its role through a PIM schedule request (permanent, active), so it
        // starts when it is provisioned, as any PIM schedule does; PIM governs the membership.
        startDateTime: nowText,
        endDateTime: null,
        label: `${g.name} holds ${role.name}`,
        source: g.source,
      });
    }
  }
  for (const g of model.approverGroups) {
    const id = addPrincipal(g.name, "group");
    input.groups[id] = {
      id,
      displayName: g.name,
      // As the Tenant component creates it: role-assignable when it approves a privileged role.
      isAssignableToRole: g.approves.some((r) => r.isPrivileged),
      pimEnrolled: false,
      members: g.members.map((m) => ({
        principalId: addPrincipal(m, "user"),
        kind: "active",
        startDateTime: null,
        endDateTime: null,
      })),
      owners: [],
      source: g.source,
    };
    for (const r of g.approves) addDirectoryRole(r.id, r.name, r.isPrivileged);
  }

  for (const decl of model.roleSettings) {
    const t = decl.target;
    const base = { label: decl.label, source: decl.source };
    const fields = decl.fieldSources ? { fieldSources: decl.fieldSources } : {};
    if (t.kind === "directory") {
      addDirectoryRole(t.role.id, t.role.name, t.role.isPrivileged);
      const held = pimGroupsHolding(model, t.role.id);
      input.directoryRolePolicies[t.role.id] = {
        ...base,
        target: { kind: "directoryRole", roleId: t.role.id },
        rules: settingsToRules(decl.settings, approverId),
        ...fields,
        ...(held.length ? { heldByPimGroups: held } : {}),
      };
    } else if (t.kind === "group") {
      const policy: RolePolicy = {
        ...base,
        target: { kind: "group", groupId: idOf(t.group), access: t.access },
        rules: settingsToRules(decl.settings, approverId),
        ...fields,
      };
      input.groupPolicies.push(policy);
    } else {
      addAzureRole(t.role.id, t.role.name);
      input.azureRolePolicies.push({
        ...base,
        target: { kind: "azureRole", roleId: t.role.id, scope: t.scope },
        rules: settingsToRules(decl.settings, approverId),
        ...fields,
      });
    }
  }

  for (const g of model.grants) {
    // Expired grants are not provisioned; the loader already reports them for removal.
    if (g.status === "expired" || (g.end !== null && Date.parse(g.end) <= now)) continue;
    if (g.role.kind === "directory") addDirectoryRole(g.role.id, g.role.name, g.role.isPrivileged);
    else addAzureRole(g.role.id, g.role.name);
    const a: Assignment = {
      kind: g.kind,
      roleId: g.role.id,
      principalId: addPrincipal(g.principal.ref, g.principal.type),
      scope: scopeId(g.scope),
      startDateTime: g.start ?? nowText,
      endDateTime: g.end,
      label: g.id,
      source: g.source,
    };
    input.assignments.push(a);
  }

  const ga = entraRoleById(GLOBAL_ADMINISTRATOR)!;
  for (const b of model.breakGlass) {
    addDirectoryRole(ga.id, ga.name, ga.isPrivileged);
    input.assignments.push({
      kind: "active",
      roleId: ga.id,
      principalId: addPrincipal(b.upn, "user"),
      scope: "/",
      startDateTime: null,
      endDateTime: null,
      label: `break-glass ${b.upn}`,
      source: b.source,
    });
  }
  for (const s of model.safeDefaults.serviceAccounts ?? []) {
    input.serviceAccounts.push({
      principalId: addPrincipal(s.principal, s.principal.includes("@") ? "user" : null),
      roleIds: s.roles.map((r) => {
        if (r.kind === "directory") addDirectoryRole(r.id, r.name, r.isPrivileged);
        else addAzureRole(r.id, r.name);
        return r.id;
      }),
      justification: s.justification,
      source: s.source,
    });
  }
  return input;
}
