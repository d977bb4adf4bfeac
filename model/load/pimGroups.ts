/**
 * `pimGroups`: PIM-for-Groups groups, the Entra roles they hold, and their eligible and active members and owners,
 * each membership with a time window checked like a grant's.
 */
import { settingsKey } from "../keys";
import { isUpnOrObjectId, UPN_OR_OBJECT_ID_MESSAGE } from "../schema/common";
import { graphDefaults } from "../settings/defaults";
import type { DirectoryRole, GroupMembership, PimGroup, RoleSettingsDecl } from "../types";
import { within, type Locator, type Report } from "./diagnostics";
import type { Holes, PimGroupEntry } from "./tenantSections";
import { resolveWindow, statusOf } from "./timeWindow";
import { lookUpEntraRoles } from "./unknownRole";

export function resolvePimGroups(
  declared: Holes<PimGroupEntry>,
  approverGroupNames: string[],
  src: Locator,
  /** Null when the role settings could not be read: membership expiry rules are then unknown. */
  decls: RoleSettingsDecl[] | null,
  nowMs: number,
  report: Report,
): PimGroup[] {
  const out: PimGroup[] = [];
  declared.forEach((g, i) => {
    if (!g) return;
    const name = g.name.toLowerCase();
    if (
      out.some((o) => o.name.toLowerCase() === name) ||
      approverGroupNames.some((a) => a.toLowerCase() === name)
    ) {
      report({
        code: "duplicate-group",
        path: ["pimGroups", i, "name"],
        message: `group "${g.name}" is declared twice`,
        hint: "give each group one entry",
      });
      return;
    }
    const roles = lookUpEntraRoles(
      g.roles ?? [],
      ["pimGroups", i, "roles"],
      "a group holds Entra roles here; give Azure roles to the group in Azure",
      report,
    );
    const roleAssignable = g.roleAssignable ?? true;
    if (roles.length && !roleAssignable) {
      report({
        code: "group-not-role-assignable",
        path: ["pimGroups", i, "roleAssignable"],
        message: `"${g.name}" holds Entra roles but is not role-assignable; Entra refuses role assignments to such groups`,
        hint: "set roleAssignable: true (it can only be set when the group is created)",
      });
    }
    if (decls) refuseRolesThatMustExpire(g, i, roles, decls, report);
    const memberships = (access: "members" | "owners", kind: "eligible" | "active") =>
      resolveMemberships(g, i, access, kind, decls, nowMs, report);
    out.push({
      name: g.name,
      previousNames: g.previousNames ?? [],
      description: g.description ?? null,
      roleAssignable,
      roles,
      members: { eligible: memberships("members", "eligible"), active: memberships("members", "active") },
      owners: { eligible: memberships("owners", "eligible"), active: memberships("owners", "active") },
      source: { file: src.file, ...src.locate(["pimGroups", i]) },
    });
  });
  return out;
}

/**
 * The group holds each of its roles through a permanent active PIM assignment (a schedule request with no end, so it
 * has a start date: a plain role assignment has none, which CISA ScubaGear flags under MS.AAD.7.5). Entra refuses
 * that request (ExpirationRule) when the role's policy requires active assignments to end, and would refuse it only
 * mid-apply: so it is refused here, at the role's line. Allowing it costs nothing in control: nobody is in the group
 * except through the group's own time-bound PIM membership.
 */
function refuseRolesThatMustExpire(
  g: PimGroupEntry,
  i: number,
  roles: DirectoryRole[],
  decls: RoleSettingsDecl[],
  report: Report,
) {
  for (const role of roles) {
    const decl = decls.find((d) => d.key === settingsKey({ kind: "directory", roleId: role.id }));
    const settings = decl?.settings ?? graphDefaults("directory");
    if (settings.activeAssignment.allowPermanent) continue;
    const j = (g.roles ?? []).findIndex(
      (r) => r !== undefined && [role.name.toLowerCase(), role.id.toLowerCase()].includes(r.toLowerCase()),
    );
    report({
      code: "group-role-must-expire",
      path: ["pimGroups", i, "roles", ...(j >= 0 ? [j] : [])],
      message: `"${g.name}" holds ${role.name} through a permanent active PIM assignment, and ${role.name}'s settings require active assignments to end (maximum ${settings.activeAssignment.maximumDuration})`,
      hint: `set activeAssignment.allowPermanent: true in ${role.name}'s roleSettings entry (the members' access is bounded by the group's own PIM settings), or remove the role from the group`,
    });
  }
}

function resolveMemberships(
  g: PimGroupEntry,
  i: number,
  access: "members" | "owners",
  kind: "eligible" | "active",
  decls: RoleSettingsDecl[] | null,
  nowMs: number,
  report: Report,
): GroupMembership[] {
  const settingsAccess = access === "members" ? "member" : "owner";
  let rule = null;
  if (decls) {
    const key = settingsKey({ kind: "group", group: g.name, access: settingsAccess });
    const settings = decls.find((d) => d.key === key)?.settings ?? graphDefaults("group");
    rule = kind === "eligible" ? settings.eligibleAssignment : settings.activeAssignment;
  }
  const res: GroupMembership[] = [];
  (g[access]?.[kind] ?? []).forEach((m, j) => {
    if (!m) return;
    const at = within(report, ["pimGroups", i, access, kind, j]);
    if (!isUpnOrObjectId(m.principal)) {
      at({ code: "invalid-value", path: ["principal"], message: UPN_OR_OBJECT_ID_MESSAGE });
      return;
    }
    const w = resolveWindow(
      m,
      { kind, rule, ruleLabel: `${g.name} (${settingsAccess})`, nowMs, incomplete: false },
      at,
    );
    if (!w) return;
    res.push({
      principal: m.principal,
      start: w.start,
      end: w.end,
      justification: m.justification ?? null,
      status: statusOf(w, nowMs),
    });
  });
  return res;
}
