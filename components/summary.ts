/**
 * The stack outputs: what a reviewer or an auditor wants to read after `pulumi up` without opening the state —
 * the roles under management with their key settings, and every grant with its end date. Pure over the model.
 * Settings are read through the field table (`model/settings/fields.ts`), by the paths it names.
 */
import { humanDuration, type Approver, type Grant, type ResolvedSettings, type TenantModel } from "../model";
import { fieldValue } from "../model/settings/fields";

export interface RoleSummary {
  role: string;
  target: "directory" | "group" | "azure";
  profile: string | null;
  activationMaximum: string;
  requireMfa: boolean;
  authenticationContext: string | null;
  requireJustification: boolean;
  requireTicket: boolean;
  approvalRequired: boolean;
  /** Primary approvers of every stage, as `user:<ref>` / `group:<ref>`. */
  approvers: string[];
  /** Who is asked when a stage escalates: they can approve too. */
  escalationApprovers: string[];
  eligibleMaximum: string | null;
  activeMaximum: string | null;
}

export interface GrantSummary {
  id: string;
  principal: string;
  role: string;
  scope: string;
  kind: "eligible" | "active";
  start: string | null;
  end: string | null;
  daysLeft: number | null;
}

export interface TenantSummary {
  tenant: string;
  evaluatedAt: string;
  roles: RoleSummary[];
  grants: GrantSummary[];
  /** Declared but past their end: not provisioned; remove them in a pull request. */
  expiredGrants: GrantSummary[];
  breakGlass: string[];
}

const scopeText = (g: Grant): string => {
  const s = g.scope;
  return s.type === "tenant" ? "/" : s.type === "azure" ? s.id : `${s.type}:${s.ref}`;
};

const grantSummary = (g: Grant): GrantSummary => ({
  id: g.id,
  principal: g.principal.ref,
  role: g.role.name,
  scope: scopeText(g),
  kind: g.kind,
  start: g.start,
  end: g.end,
  daysLeft: g.daysLeft,
});

const approverText = (a: Approver) => `${a.type}:${a.ref}`;

/** The longest assignment, or null when permanent assignments are allowed. */
function assignmentMaximum(s: ResolvedSettings, k: "eligibleAssignment" | "activeAssignment"): string | null {
  return fieldValue(s, `${k}.allowPermanent`) ? null : humanDuration(fieldValue(s, `${k}.maximumDuration`));
}

export function roleSettingsSummary(s: ResolvedSettings): Omit<RoleSummary, "role" | "target" | "profile"> {
  const stages = fieldValue(s, "activation.approval.stages");
  return {
    activationMaximum: humanDuration(fieldValue(s, "activation.maximumDuration")),
    requireMfa: fieldValue(s, "activation.requireMfa"),
    authenticationContext: fieldValue(s, "activation.authenticationContext"),
    requireJustification: fieldValue(s, "activation.requireJustification"),
    requireTicket: fieldValue(s, "activation.requireTicket"),
    approvalRequired: fieldValue(s, "activation.approval.required"),
    approvers: stages.flatMap((st) => st.approvers.map(approverText)),
    escalationApprovers: stages.flatMap((st) => (st.escalation?.approvers ?? []).map(approverText)),
    eligibleMaximum: assignmentMaximum(s, "eligibleAssignment"),
    activeMaximum: assignmentMaximum(s, "activeAssignment"),
  };
}

export function summarize(model: TenantModel): TenantSummary {
  return {
    tenant: `${model.tenant.name} (${model.tenant.id})`,
    evaluatedAt: model.evaluatedAt,
    roles: model.roleSettings.map((d) => ({
      role: d.label,
      target: d.target.kind,
      profile: d.profile,
      ...roleSettingsSummary(d.settings),
    })),
    grants: model.grants.filter((g) => g.status !== "expired").map(grantSummary),
    expiredGrants: model.grants.filter((g) => g.status === "expired").map(grantSummary),
    breakGlass: model.breakGlass.map((b) => b.upn),
  };
}
