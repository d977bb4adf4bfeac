/**
 * The stack outputs: what a reviewer or an auditor wants to read after `pulumi up` without opening the state —
 * the roles under management with their key settings, and every grant with its end date. Pure over the model.
 */
import { humanDuration, type Grant, type TenantModel } from "../model";

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
  approvers: string[];
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

export function summarize(model: TenantModel): TenantSummary {
  return {
    tenant: `${model.tenant.name} (${model.tenant.id})`,
    evaluatedAt: model.evaluatedAt,
    roles: model.roleSettings.map((d) => {
      const s = d.settings;
      const a = s.activation;
      return {
        role: d.label,
        target: d.target.kind,
        profile: d.profile,
        activationMaximum: humanDuration(a.maximumDuration),
        requireMfa: a.requireMfa,
        authenticationContext: a.authenticationContext,
        requireJustification: a.requireJustification,
        requireTicket: a.requireTicket,
        approvalRequired: a.approval.required,
        approvers: a.approval.stages.flatMap((st) => st.approvers.map((ap) => `${ap.type}:${ap.ref}`)),
        eligibleMaximum: s.eligibleAssignment.allowPermanent
          ? null
          : humanDuration(s.eligibleAssignment.maximumDuration),
        activeMaximum: s.activeAssignment.allowPermanent
          ? null
          : humanDuration(s.activeAssignment.maximumDuration),
      };
    }),
    grants: model.grants.filter((g) => g.status !== "expired").map(grantSummary),
    expiredGrants: model.grants.filter((g) => g.status === "expired").map(grantSummary),
    breakGlass: model.breakGlass.map((b) => b.upn),
  };
}
