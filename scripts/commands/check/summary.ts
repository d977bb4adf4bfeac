/**
 * The ten-second summary of a stack: one line per role's settings, one line per grant, what expires soon.
 */
import { humanDuration } from "../../model/duration";
import type { Approver, RoleSettingsDecl, ResolvedSettings, TenantModel } from "../../model/types";
import type { Colors } from "../lib/io";

export function settingsLine(s: ResolvedSettings): string {
  const a = s.activation;
  const parts = [`activate ≤${humanDuration(a.maximumDuration)}`];
  if (a.authenticationContext) parts.push(`auth context ${a.authenticationContext}`);
  else if (a.requireMfa) parts.push("MFA");
  else parts.push("no MFA");
  if (a.requireJustification) parts.push("justification");
  if (a.requireTicket) parts.push("ticket");
  if (a.approval.required) {
    const names = a.approval.stages.map((st) => st.approvers.map(approverName).join(" + ") || "(none)");
    parts.push(`approval: ${names.join(" → ")}`);
  }
  const expiry = (k: "eligibleAssignment" | "activeAssignment", label: string) =>
    s[k].allowPermanent ? `${label} permanent ok` : `${label} ≤${humanDuration(s[k].maximumDuration)}`;
  parts.push(expiry("eligibleAssignment", "eligible"), expiry("activeAssignment", "active"));
  const quiet = (["eligibleAssignment", "activeAssignment", "activation"] as const).filter(
    (k) => s.notifications[k].admin.level === "none",
  );
  if (quiet.length) parts.push(`admin alerts off: ${quiet.join(", ")}`);
  return parts.join(" · ");
}

const approverName = (a: Approver) => a.ref;

/**
 * How a person reads an end: a grant declared `end: 2026-12-31` ends at 2027-01-01T00:00Z, and is shown as its last
 * day, 2026-12-31. An end at another time of day is shown with the time.
 */
export function lastDay(endIso: string): string {
  if (endIso.endsWith("T00:00:00.000Z"))
    return new Date(Date.parse(endIso) - 86_400_000).toISOString().slice(0, 10);
  return `${endIso.slice(0, 16).replace("T", " ")}Z`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export interface SummaryOptions {
  soonDays: number;
  c: Colors;
}

export function renderSummary(model: TenantModel, opts: SummaryOptions): string {
  const { c } = opts;
  const lines: string[] = [];
  const nameWidth = Math.min(42, Math.max(12, ...model.roleSettings.map((d) => d.label.length)));
  lines.push(c.bold(`Role settings (${model.roleSettings.length})`));
  for (const d of sortDecls(model.roleSettings)) {
    lines.push(
      `  ${pad(d.label, nameWidth)}  ${c.dim(pad(d.profile ?? "-", 10))} ${settingsLine(d.settings)}`,
    );
  }
  if (!model.roleSettings.length) lines.push("  (none declared)");

  const g = model.grants;
  const soon = g.filter((x) => x.status !== "expired" && x.daysLeft !== null && x.daysLeft <= opts.soonDays);
  const expired = g.filter((x) => x.status === "expired");
  lines.push("");
  lines.push(
    c.bold(`Grants (${g.length})`) +
      `: ${g.length - expired.length} in force or pending, ${soon.length} ending within ${opts.soonDays} days, ${expired.length} expired`,
  );
  if (g.length) {
    const roleWidth = Math.min(40, Math.max(4, ...g.map((x) => x.role.name.length)));
    lines.push(
      c.dim(
        `  ${pad("LAST DAY", 10)}  ${pad("DAYS", 5)} ${pad("KIND", 9)} ${pad("ROLE", roleWidth)}  PRINCIPAL`,
      ),
    );
    const sorted = [...g].sort(
      (a, b) => (a.end ?? "9999").localeCompare(b.end ?? "9999") || a.id.localeCompare(b.id),
    );
    for (const x of sorted) {
      const end = x.end ? lastDay(x.end) : "permanent";
      const days = x.daysLeft === null ? "-" : String(x.daysLeft);
      let row = `  ${pad(end, 10)}  ${pad(days, 5)} ${pad(x.kind, 9)} ${pad(x.role.name, roleWidth)}  ${x.principal.ref}`;
      if (x.scope.type !== "tenant")
        row += ` @ ${x.scope.type === "azure" ? x.scope.id : `${x.scope.type} ${x.scope.ref}`}`;
      if (x.status === "expired") row = c.red(`${row}  EXPIRED`);
      else if (x.daysLeft !== null && x.daysLeft <= opts.soonDays) row = c.yellow(`${row}  ends soon`);
      else if (x.status === "pending") row += c.dim("  starts later");
      lines.push(row);
    }
  }

  lines.push("");
  lines.push(
    c.bold("Break-glass") +
      `: ${model.breakGlass.map((b) => b.upn).join(", ") || "none declared"}` +
      (model.breakGlass.length ? c.dim(" (permanent active Global Administrator, outside PIM)") : ""),
  );
  for (const a of model.approverGroups) {
    lines.push(
      `${c.bold("Approver group")} ${a.name} (${a.members.length} members) approves ${a.approves.map((r) => r.name).join(", ")}`,
    );
  }
  for (const p of model.pimGroups) {
    const n = (l: unknown[]) => l.length;
    lines.push(
      `${c.bold("PIM group")} ${p.name}${p.roles.length ? ` holds ${p.roles.map((r) => r.name).join(", ")}` : ""}: ` +
        `members ${n(p.members.eligible)} eligible, ${n(p.members.active)} active; owners ${n(p.owners.eligible)} eligible, ${n(p.owners.active)} active`,
    );
  }
  return lines.join("\n");
}

const ORDER = { directory: 0, group: 1, azure: 2 } as const;
function sortDecls(ds: RoleSettingsDecl[]): RoleSettingsDecl[] {
  return [...ds].sort((a, b) => ORDER[a.target.kind] - ORDER[b.target.kind]);
}
