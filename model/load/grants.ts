/**
 * Grant files (`grants/*.yaml`, one grant each): the role and scope resolved, the time window checked against the
 * role's settings, duplicates found. Every check runs on every field the schema accepted, so one run reports all
 * of a file's problems.
 */
import { findAzureRole, findDirectoryRole } from "../catalog";
import { grantKey, settingsKeyForGrant } from "../keys";
import type { GrantInput } from "../schema/grant";
import { graphDefaults } from "../settings/defaults";
import type {
  AssignmentExpiry,
  AzureRole,
  BreakGlassAccount,
  DirectoryRole,
  Grant,
  RoleSettingsDecl,
  Scope,
} from "../types";
import { reporter, type Diagnostic, type Locator, type Report } from "./diagnostics";
import type { ParsedFields } from "./parseFile";
import { daysLeftOf, resolveWindow, statusOf } from "./timeWindow";
import { lookUpAzureRole, lookUpEntraRole } from "./unknownRole";

export interface GrantFile {
  src: Locator;
  parsed: ParsedFields<GrantInput>;
}

export interface GrantContext {
  /** Null when tenant.yaml's role settings could not be read: no expiry rule is known. */
  decls: RoleSettingsDecl[] | null;
  /** Null when tenant.yaml's break-glass accounts could not be read. */
  breakGlass: BreakGlassAccount[] | null;
  nowMs: number;
}

const TIME_FIELDS = ["start", "end", "duration"] as const;

function scopeOf(s: GrantInput["scope"]): Scope {
  if (s === undefined || s === "tenant" || s === "/") return { type: "tenant" };
  if (typeof s === "string") return { type: "azure", id: s };
  if ("administrativeUnit" in s) return { type: "administrativeUnit", ref: s.administrativeUnit };
  return { type: "application", ref: s.application };
}

/** The role in the catalog its scope says (either, when the scope itself is malformed); reports a miss. */
function roleOf(name: string, scope: Scope | null, report: Report): DirectoryRole | AzureRole | null {
  if (scope === null) {
    const hit = findDirectoryRole(name).ok ? findDirectoryRole(name) : findAzureRole(name);
    if (hit.ok) return hit.role;
  }
  const r =
    scope?.type === "azure"
      ? lookUpAzureRole(
          name,
          ["role"],
          "remove scope (the whole tenant) or use { administrativeUnit: <name> } or { application: <name> }",
        )
      : lookUpEntraRole(name, ["role"], "set scope to an Azure scope such as /subscriptions/<id>");
  if (r.ok) return r.role;
  report(r.problem);
  return null;
}

const isBreakGlassUpn = (accounts: BreakGlassAccount[] | null, principal: string) =>
  (accounts ?? []).some((b) => b.upn.toLowerCase() === principal.toLowerCase());

export function resolveGrants(files: GrantFile[], ctx: GrantContext, out: Diagnostic[]): Grant[] {
  const grants: Grant[] = [];
  const byKey = new Map<string, string>();
  for (const { src, parsed } of files) {
    let errors = 0;
    const place = reporter(src, out);
    const report: Report = (p) => {
      if ((p.severity ?? "error") === "error") errors++;
      place(p);
    };
    const g = parsed.fields;
    const scope = parsed.refused.has("scope") ? null : scopeOf(g.scope);
    const role = g.role === undefined ? null : roleOf(g.role, scope, report);
    if (scope?.type === "azure") {
      report({
        code: "azure-grant-unsupported",
        path: ["scope"],
        message:
          "Azure resource role grants are not supported yet: azure-native's PimRoleEligibilitySchedule sends no end date and replaces the assignment on every change, so this grant would not end when it says",
        hint: "assign this Azure role in PIM outside the stack for now (roleSettings.azureRoles still manages its settings)",
      });
    }

    // Graph refuses eligibility for a service principal: an app cannot activate (it has no interactive sign-in), so
    // PIM allows it only active assignments. Refused here, before anything is written, rather than by the tenant.
    if (g.kind === "eligible" && g.principalType === "servicePrincipal" && role?.kind !== "azure") {
      report({
        code: "eligible-service-principal",
        path: ["kind"],
        message: `${g.principal ?? "the principal"} is a service principal, and Entra accepts only active assignments for service principals (an app cannot activate a role)`,
        hint: "make it kind: active with an end date, or grant the role to a user",
      });
    }

    // The expiry rule that governs this grant, when the role, scope, kind and tenant settings are all known.
    let rule: AssignmentExpiry | null = null;
    if (role && scope && g.kind && ctx.decls) {
      const settings =
        ctx.decls.find((d) => d.key === settingsKeyForGrant(role, scope))?.settings ??
        graphDefaults(role.kind === "azure" ? "azure" : "directory");
      rule = g.kind === "eligible" ? settings.eligibleAssignment : settings.activeAssignment;
      // A break-glass account holds its role through a direct, permanent assignment outside PIM, so the role's
      // PIM expiry rule (e.g. Global Administrator: no permanent active assignment) does not govern it.
      const permanentBreakGlass =
        g.kind === "active" &&
        g.end === undefined &&
        g.duration === undefined &&
        isBreakGlassUpn(ctx.breakGlass, g.principal ?? "");
      if (permanentBreakGlass) rule = { ...rule, allowPermanent: true };
    }
    const window = resolveWindow(
      g,
      {
        kind: g.kind ?? "eligible",
        rule,
        ruleLabel: role?.name ?? "the role",
        nowMs: ctx.nowMs,
        incomplete: TIME_FIELDS.some((f) => parsed.refused.has(f)),
      },
      report,
    );
    // A permanent active grant is not refused here: it is a safe-default finding (PIM-004, with the service
    // accounts the baselines allow), so it carries a rule id and severity and every other rule still runs.

    let key: string | null = null;
    // Only whole grants take part: a file with a malformed field is not "the first" of anything.
    if (role && scope && parsed.data) {
      key = grantKey({ kind: parsed.data.kind, role, scope, principal: parsed.data.principal });
      const first = byKey.get(key);
      if (first !== undefined) {
        report({
          code: "duplicate-grant",
          path: ["principal"],
          message: `the same ${parsed.data.kind} ${role.name} grant for ${parsed.data.principal} is already declared in ${first}`,
          hint: "keep one file per grant: delete this one or extend the other",
        });
      } else byKey.set(key, src.file);
    }

    const input = parsed.data;
    if (errors > 0 || !input || !role || !scope || !window || key === null) continue;
    grants.push({
      id: src.file
        .split("/")
        .pop()!
        .replace(/\.ya?ml$/i, ""),
      key,
      file: src.file,
      principal: {
        ref: input.principal,
        type: input.principalType ?? (input.principal.includes("@") ? "user" : null),
      },
      role,
      scope,
      kind: input.kind,
      start: window.start,
      end: window.end,
      justification: input.justification,
      ticket: input.ticket ?? null,
      requestedBy: input.requestedBy ?? null,
      status: statusOf(window, ctx.nowMs),
      daysLeft: daysLeftOf(window, ctx.nowMs),
      source: { file: src.file, ...src.locate([]) },
    });
  }
  return grants;
}
