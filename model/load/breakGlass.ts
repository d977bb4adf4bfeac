/** `breakGlass`: existing cloud-only accounts kept outside PIM on purpose, never written by a run. */
import type { TenantFile } from "../schema/tenant";
import type { Holes } from "./tenantSections";
import type { BreakGlassAccount } from "../types";
import type { Locator, Report } from "./diagnostics";

export function resolveBreakGlass(
  declared: Holes<NonNullable<TenantFile["breakGlass"]>[number]>,
  src: Locator,
  report: Report,
): BreakGlassAccount[] {
  const out: BreakGlassAccount[] = [];
  declared.forEach((b, i) => {
    if (!b) return;
    if (out.some((o) => o.upn.toLowerCase() === b.upn.toLowerCase())) {
      report({
        code: "duplicate-break-glass",
        path: ["breakGlass", i, "upn"],
        message: `${b.upn} is declared twice`,
        hint: "remove one",
      });
      return;
    }
    out.push({
      upn: b.upn,
      description: b.description ?? null,
      source: { file: src.file, ...src.locate(["breakGlass", i]) },
    });
  });
  return out;
}
