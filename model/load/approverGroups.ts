/** `approverGroups`: groups that become primary approvers of the Entra roles they list under `approves`. */
import type { TenantFile } from "../schema/tenant";
import type { Holes } from "./tenantSections";
import type { ApproverGroup, RoleSettingsDecl } from "../types";
import type { Locator, Report } from "./diagnostics";
import { lookUpEntraRoles } from "./unknownRole";

export function resolveApproverGroups(
  declared: Holes<NonNullable<TenantFile["approverGroups"]>[number]>,
  src: Locator,
  report: Report,
): ApproverGroup[] {
  const out: ApproverGroup[] = [];
  const names = new Set<string>();
  declared.forEach((g, i) => {
    if (!g) return;
    if (names.has(g.name.toLowerCase())) {
      report({
        code: "duplicate-group",
        path: ["approverGroups", i, "name"],
        message: `group "${g.name}" is declared twice`,
        hint: "merge the two entries",
      });
      return;
    }
    names.add(g.name.toLowerCase());
    const approves = lookUpEntraRoles(
      g.approves,
      ["approverGroups", i, "approves"],
      "approver groups approve Entra roles; Azure roles take approvers in roleSettings.azureRoles",
      report,
    );
    const seen = new Set<string>();
    g.members.forEach((m, j) => {
      if (seen.has(m.toLowerCase())) {
        report({
          code: "duplicate-member",
          path: ["approverGroups", i, "members", j],
          message: `${m} is listed twice`,
          hint: "remove one",
        });
      }
      seen.add(m.toLowerCase());
    });
    out.push({
      name: g.name,
      previousNames: g.previousNames ?? [],
      description: g.description ?? null,
      members: g.members,
      approves,
      source: { file: src.file, ...src.locate(["approverGroups", i]) },
    });
  });
  return out;
}

/** An approver group is only asked when the role it approves has settings here, and they require approval. */
export function checkApprovedRolesRequireApproval(
  groups: ApproverGroup[],
  decls: RoleSettingsDecl[],
  report: Report,
): void {
  groups.forEach((g, i) => {
    g.approves.forEach((role, j) => {
      const decl = decls.find((d) => d.target.kind === "directory" && d.target.role.id === role.id);
      if (!decl) {
        report({
          code: "approver-role-unmanaged",
          path: ["approverGroups", i, "approves", j],
          message: `"${g.name}" approves ${role.name}, but roleSettings.directoryRoles declares no settings for it, so nothing would ask this group`,
          hint: `add "- role: ${role.name}" with approval required under roleSettings.directoryRoles`,
        });
      } else if (!decl.settings.activation.approval.required) {
        report({
          severity: "warning",
          code: "approver-without-approval",
          path: ["approverGroups", i, "approves", j],
          message: `"${g.name}" approves ${role.name}, but activating ${role.name} does not require approval`,
          hint: "set activation.approval.required: true for the role, or remove it from approves",
        });
      }
    });
  });
}
