/**
 * `tenant.yaml`: the tenant, settings profiles, role settings, approver groups, PIM groups, break-glass accounts
 * and the safe-defaults configuration. Each section the schema accepts is resolved even when another is refused,
 * so one run reports every problem; checks that depend on a refused section stand down instead of guessing.
 */
import { parseInstant } from "../duration";
import type { BreakGlassAccount, Exemption, RoleSettingsDecl, TenantModel } from "../types";
import { reporter, type Diagnostic } from "./diagnostics";
import { checkApprovedRolesRequireApproval, resolveApproverGroups } from "./approverGroups";
import { resolveBreakGlass } from "./breakGlass";
import { resolvePimGroups } from "./pimGroups";
import { resolveSafeDefaultsParts } from "./resolveSafeDefaults";
import { resolveProfiles, resolveRoleSettings } from "./resolveSettings";
import type { ParsedTenant } from "./tenantSections";
import type { YamlSource } from "./yamlSource";

export type TenantParts = Omit<TenantModel, "stack" | "grants" | "evaluatedAt">;

export interface ResolvedTenant {
  /** Null when the `tenant` section itself is missing or malformed. */
  parts: TenantParts | null;
  /** What grants are checked against; null where the section could not be read. */
  decls: RoleSettingsDecl[] | null;
  breakGlass: BreakGlassAccount[] | null;
}

export function resolveTenant(
  parsed: ParsedTenant,
  src: YamlSource,
  nowMs: number,
  out: Diagnostic[],
): ResolvedTenant {
  const file = parsed.sections;
  const unread = {
    profiles: parsed.incomplete.has("profiles"),
    pimGroups: parsed.incomplete.has("pimGroups"),
    approverGroups: parsed.incomplete.has("approverGroups"),
  };
  const report = reporter(src, out);
  const approverGroups = resolveApproverGroups(file.approverGroups ?? [], src, report);
  const profiles = resolveProfiles(file, report);
  // Every settings entry is resolved and checked; grants and memberships are held to the settings only when all
  // of them could be read (otherwise a grant of a refused entry's role would be judged by Graph's defaults).
  const allSettings = resolveRoleSettings(file, src, profiles, approverGroups, unread, report);
  const settingsComplete = !parsed.incomplete.has("roleSettings") && !unread.profiles;
  const roleSettings = settingsComplete ? allSettings : null;
  if (settingsComplete) checkApprovedRolesRequireApproval(approverGroups, allSettings, report);
  const allBreakGlass = resolveBreakGlass(file.breakGlass ?? [], src, report);
  const breakGlass = parsed.incomplete.has("breakGlass") ? null : allBreakGlass;
  const pimGroups = resolvePimGroups(
    file.pimGroups ?? [],
    (file.approverGroups ?? []).flatMap((g) => (g ? [g.name] : [])),
    src,
    roleSettings,
    nowMs,
    report,
  );
  const exemptions: Exemption[] = (file.safeDefaults?.exemptions ?? []).map((e, i) => ({
    rule: e.rule,
    object: e.object,
    justification: e.justification,
    expires: e.expires ? endInstant(e.expires) : null,
    approvedBy: e.approvedBy ?? null,
    source: { file: src.file, ...src.locate(["safeDefaults", "exemptions", i]) },
  }));
  const safe = resolveSafeDefaultsParts(file, src, report);
  const parts: TenantParts | null =
    file.tenant && roleSettings && breakGlass
      ? {
          tenant: { id: file.tenant.id.toLowerCase(), name: file.tenant.name },
          contractors: file.contractors ?? [],
          synchronizedAccounts: safe.synchronizedAccounts,
          authenticationContexts: safe.authenticationContexts,
          breakGlassSource: safe.breakGlassSource,
          roleSettings,
          approverGroups,
          pimGroups,
          breakGlass,
          safeDefaults: {
            profile: file.safeDefaults?.profile ?? "cisa",
            rules: file.safeDefaults?.rules ?? {},
            ruleSources: safe.ruleSources,
            exemptions,
            serviceAccounts: safe.serviceAccounts,
            source: safe.safeDefaultsSource,
          },
        }
      : null;
  return { parts, decls: roleSettings, breakGlass };
}

function endInstant(text: string): string {
  const r = parseInstant(text, "end");
  if (!r.ok) throw new Error(r.reason); // unreachable: the schema checked it
  return r.iso;
}
