/**
 * The ten-second summary of a stack: one line per role's settings, one row per grant and per PIM-group
 * membership or ownership with its last day, what ends soon and what has ended.
 */
import { humanDuration, lastDay } from "../../../model/duration";
import { fieldValue, type SettingsFieldPath } from "../../../model/settings/fields";
import { describeScope, daysLeftAt, statusAt } from "../../../model/snapshot";
import type {
  Approver,
  GrantStatus,
  RoleSettingsDecl,
  ResolvedSettings,
  TenantModel,
} from "../../../model/types";
import type { Colors } from "../../lib/io";
import { formatTable } from "../../lib/table";
import { count } from "../../lib/text";
import { escapeControlChars } from "../../../model/untrustedText";

/** One role's settings on one line. Settings are read through the field table (`model/settings/fields.ts`). */
export function settingsLine(s: ResolvedSettings): string {
  const v = <P extends SettingsFieldPath>(path: P) => fieldValue(s, path);
  const parts = [`activate ≤${humanDuration(v("activation.maximumDuration"))}`];
  const context = v("activation.authenticationContext");
  if (context) parts.push(`auth context ${escapeControlChars(context)}`);
  else if (v("activation.requireMfa")) parts.push("MFA");
  else parts.push("no MFA");
  if (v("activation.requireJustification")) parts.push("justification");
  if (v("activation.requireTicket")) parts.push("ticket");
  if (v("activation.approval.required")) {
    const names = v("activation.approval.stages").map((st) => {
      const primary = st.approvers.map(approverName).join(" + ") || "(none)";
      // Escalation approvers can approve too: a reviewer must see them.
      return st.escalation
        ? `${primary} (escalates after ${humanDuration(`PT${st.escalation.afterMinutes}M`)} to ${st.escalation.approvers.map(approverName).join(" + ") || "(none)"})`
        : primary;
    });
    parts.push(`approval: ${names.join(" → ")}`);
  }
  const expiry = (k: "eligibleAssignment" | "activeAssignment", label: string) =>
    v(`${k}.allowPermanent`)
      ? `${label} permanent ok`
      : `${label} ≤${humanDuration(v(`${k}.maximumDuration`))}`;
  parts.push(expiry("eligibleAssignment", "eligible"), expiry("activeAssignment", "active"));
  const quiet = (["eligibleAssignment", "activeAssignment", "activation"] as const).filter(
    (k) => v(`notifications.${k}.admin`).level === "none",
  );
  if (quiet.length) parts.push(`admin alerts off: ${quiet.join(", ")}`);
  return parts.join(" · ");
}

const approverName = (a: Approver) => escapeControlChars(a.ref);

export interface SummaryOptions {
  soonDays: number;
  c: Colors;
}

interface Timed {
  end: string | null;
  status: GrantStatus;
  daysLeft: number | null;
}

/** The LAST DAY and DAYS cells and the row's mark: an ended window says "ended", never "-1". */
function timing(
  x: Timed,
  soonDays: number,
): { last: string; days: string; mark: "expired" | "soon" | "pending" | null } {
  const last = x.end ? lastDay(x.end) : "permanent";
  if (x.status === "expired") return { last, days: "ended", mark: "expired" };
  const days = x.daysLeft === null ? "-" : String(x.daysLeft);
  if (x.daysLeft !== null && x.daysLeft <= soonDays) return { last, days, mark: "soon" };
  return { last, days, mark: x.status === "pending" ? "pending" : null };
}

function markRow(row: string, mark: ReturnType<typeof timing>["mark"], c: Colors): string {
  if (mark === "expired") return c.red(`${row}  EXPIRED`);
  if (mark === "soon") return c.yellow(`${row}  ends soon`);
  if (mark === "pending") return `${row}${c.dim("  starts later")}`;
  return row;
}

export function renderSummary(model: TenantModel, opts: SummaryOptions): string {
  const { c } = opts;
  const at = new Date(model.evaluatedAt);
  const lines: string[] = [];
  lines.push(c.bold(`Role settings (${model.roleSettings.length})`));
  if (model.roleSettings.length) {
    const rows = sortDecls(model.roleSettings).map((d) => [
      escapeControlChars(d.label),
      escapeControlChars(d.profile ?? "-"),
      settingsLine(d.settings),
    ]);
    // No header row: the three columns explain themselves, as they always have.
    lines.push(...formatTable([{ header: "" }, { header: "" }, { header: "" }], rows).slice(1));
  } else lines.push("  (none declared)");

  const g = model.grants;
  const soon = g.filter((x) => x.status !== "expired" && x.daysLeft !== null && x.daysLeft <= opts.soonDays);
  const expired = g.filter((x) => x.status === "expired");
  lines.push("");
  lines.push(
    c.bold(`Grants (${g.length})`) +
      `: ${g.length - expired.length} in force or pending, ${soon.length} ending within ${count(opts.soonDays, "day")}, ${expired.length} expired`,
  );
  if (g.length) {
    const sorted = [...g].sort(
      (a, b) => (a.end ?? "9999").localeCompare(b.end ?? "9999") || a.id.localeCompare(b.id),
    );
    const cells = sorted.map((x) => {
      const t = timing(x, opts.soonDays);
      const where = x.scope.type === "tenant" ? "" : ` @ ${describeScope(x.scope)}`;
      return {
        t,
        row: [
          t.last,
          t.days,
          x.kind,
          escapeControlChars(x.role.name),
          escapeControlChars(x.principal.ref + where),
        ],
      };
    });
    const table = formatTable(
      [
        { header: "LAST DAY" },
        { header: "DAYS", align: "right" },
        { header: "KIND" },
        { header: "ROLE" },
        { header: "PRINCIPAL" },
      ],
      cells.map((x) => x.row),
    );
    lines.push(c.dim(table[0]!));
    cells.forEach((x, i) => lines.push(markRow(table[i + 1]!, x.t.mark, c)));
  }

  const memberships = model.pimGroups.flatMap((p) =>
    (["member", "owner"] as const).flatMap((access) =>
      (["eligible", "active"] as const).flatMap((kind) =>
        (access === "member" ? p.members : p.owners)[kind].map((m) => ({ group: p.name, access, kind, m })),
      ),
    ),
  );
  if (memberships.length) {
    const ended = memberships.filter((x) => x.m.status === "expired").length;
    lines.push("");
    lines.push(c.bold(`PIM group memberships and ownerships (${memberships.length})`) + `: ${ended} expired`);
    const sorted = [...memberships].sort(
      (a, b) =>
        (a.m.end ?? "9999").localeCompare(b.m.end ?? "9999") ||
        a.group.localeCompare(b.group) ||
        a.m.principal.localeCompare(b.m.principal),
    );
    const cells = sorted.map((x) => {
      const t = timing(
        { end: x.m.end, status: statusAt(x.m, at), daysLeft: daysLeftAt(x.m, at) },
        opts.soonDays,
      );
      return {
        t,
        row: [
          t.last,
          t.days,
          `${x.kind} ${x.access}`,
          escapeControlChars(x.group),
          escapeControlChars(x.m.principal),
        ],
      };
    });
    const table = formatTable(
      [
        { header: "LAST DAY" },
        { header: "DAYS", align: "right" },
        { header: "AS" },
        { header: "GROUP" },
        { header: "PRINCIPAL" },
      ],
      cells.map((x) => x.row),
    );
    lines.push(c.dim(table[0]!));
    cells.forEach((x, i) => lines.push(markRow(table[i + 1]!, x.t.mark, c)));
  }

  lines.push("");
  lines.push(
    c.bold("Break-glass") +
      `: ${model.breakGlass.map((b) => escapeControlChars(b.upn)).join(", ") || "none declared"}` +
      (model.breakGlass.length ? c.dim(" (permanent active Global Administrator, outside PIM)") : ""),
  );
  for (const a of model.approverGroups) {
    lines.push(
      `${c.bold("Approver group")} ${escapeControlChars(a.name)} (${count(a.members.length, "member")}) approves ${a.approves.map((r) => r.name).join(", ")}`,
    );
  }
  for (const p of model.pimGroups) {
    const n = (l: unknown[]) => l.length;
    lines.push(
      `${c.bold("PIM group")} ${escapeControlChars(p.name)}${p.roles.length ? ` holds ${p.roles.map((r) => r.name).join(", ")}` : ""}: ` +
        `members ${n(p.members.eligible)} eligible, ${n(p.members.active)} active; owners ${n(p.owners.eligible)} eligible, ${n(p.owners.active)} active`,
    );
  }
  return lines.join("\n");
}

const ORDER = { directory: 0, group: 1, azure: 2 } as const;
function sortDecls(ds: RoleSettingsDecl[]): RoleSettingsDecl[] {
  return [...ds].sort((a, b) => ORDER[a.target.kind] - ORDER[b.target.kind]);
}
