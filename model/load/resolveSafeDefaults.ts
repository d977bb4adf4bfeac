/**
 * The parts of tenant.yaml that only the safe-default rules read: service accounts excluded from the
 * permanent-active rule, accounts known to be synchronised from on-premises, authentication contexts and the
 * Conditional Access policy behind each, and where overrides are declared (so findings point at them).
 */
import { findAzureRole } from "../catalog";
import type { AuthenticationContextDecl, ServiceAccountDecl, SourceRef } from "../types";
import { quote } from "../untrustedText";
import type { Locator, Report } from "./diagnostics";
import type { TenantSections } from "./tenantSections";
import { lookUpEntraRole } from "./unknownRole";

export interface SafeDefaultsParts {
  serviceAccounts: ServiceAccountDecl[];
  synchronizedAccounts: string[];
  authenticationContexts: AuthenticationContextDecl[];
  ruleSources: Record<string, SourceRef>;
  safeDefaultsSource: SourceRef;
  breakGlassSource: SourceRef;
}

export function resolveSafeDefaultsParts(
  file: TenantSections,
  src: Locator,
  emit: Report,
): SafeDefaultsParts {
  const at = (path: ReadonlyArray<PropertyKey>, where: "key" | "value" = "value"): SourceRef => ({
    file: src.file,
    ...src.locate(path, where),
  });
  // A section that is not declared is pointed at by the file's first line (where a reviewer would add it).
  const section = (key: "safeDefaults" | "breakGlass"): SourceRef =>
    file[key] === undefined ? { file: src.file, line: 1, column: 1 } : at([key], "key");
  const serviceAccounts: ServiceAccountDecl[] = [];
  (file.safeDefaults?.serviceAccounts ?? []).forEach((s, i) => {
    const roles: ServiceAccountDecl["roles"] = [];
    s.roles.forEach((ref, j) => {
      // An Entra role or an Azure role; a name that is neither is reported by the one unknown-role helper.
      const entra = lookUpEntraRole(ref, ["safeDefaults", "serviceAccounts", i, "roles", j], "");
      const azure = entra.ok ? null : findAzureRole(ref);
      if (entra.ok) roles.push(entra.role);
      else if (azure?.ok) roles.push(azure.role);
      else emit(entra.problem);
    });
    serviceAccounts.push({
      principal: s.principal,
      roles,
      justification: s.justification,
      source: at(["safeDefaults", "serviceAccounts", i]),
    });
  });
  const authenticationContexts: AuthenticationContextDecl[] = [];
  (file.authenticationContexts ?? []).forEach((c, i) => {
    const dup = authenticationContexts.find((x) => x.id.toLowerCase() === c.id.toLowerCase());
    if (dup) {
      emit({
        code: "duplicate-authentication-context",
        path: ["authenticationContexts", i, "id"],
        message: `authentication context ${quote(c.id)} is declared twice`,
        hint: `keep one entry (the first is at line ${dup.source.line})`,
      });
      return;
    }
    authenticationContexts.push({
      id: c.id,
      conditionalAccessPolicy: c.conditionalAccessPolicy,
      source: at(["authenticationContexts", i]),
    });
  });
  const ruleSources = Object.fromEntries(
    Object.keys(file.safeDefaults?.rules ?? {}).map((k) => [k, at(["safeDefaults", "rules", k], "key")]),
  );
  return {
    serviceAccounts,
    synchronizedAccounts: file.synchronizedAccounts ?? [],
    authenticationContexts,
    ruleSources,
    safeDefaultsSource: section("safeDefaults"),
    breakGlassSource: section("breakGlass"),
  };
}
