/**
 * What a PIM-for-Groups policy can hold when applied through azuread's `GroupRoleManagementPolicy`, which exposes
 * a subset of Graph's rules and a few fixed values. The loader refuses what breaks them (`pim check`); the
 * spelling for azuread (`azureadGroupPolicy.ts`) converts durations with them. Pure.
 */
import { durationMs } from "../duration";
import type { NotificationTriple, ResolvedSettings } from "../types";

const HALF_HOUR = 30 * 60_000;
export const GROUP_EXPIRE_AFTER = ["P15D", "P30D", "P90D", "P180D", "P365D"];

/** azuread accepts PT30M..PT23H30M in half hours, or P1D. */
export function groupActivationDuration(iso: string): string | null {
  const ms = durationMs(iso);
  if (ms < HALF_HOUR || ms > 48 * HALF_HOUR || ms % HALF_HOUR !== 0) return null;
  if (ms === 48 * HALF_HOUR) return "P1D";
  const h = Math.floor(ms / (2 * HALF_HOUR));
  return `PT${h ? `${h}H` : ""}${ms % (2 * HALF_HOUR) ? "30M" : ""}`;
}

/** azuread accepts P15D, P30D, P90D, P180D or P365D for assignment expiry. */
export function groupExpireAfter(iso: string): string | null {
  const days = durationMs(iso) / 86_400_000;
  const text = `P${days}D`;
  return GROUP_EXPIRE_AFTER.includes(text) ? text : null;
}

export interface GroupSettingsProblem {
  /** Path inside the settings, dot-separated (`activation.maximumDuration`). */
  path: string;
  message: string;
  fix: string;
  /** `message fix`, as the component refuses it. */
  reason: string;
}

const problem = (path: string, message: string, fix: string): GroupSettingsProblem => ({
  path,
  message,
  fix,
  reason: `${message} ${fix}`,
});

/**
 * Declared settings a group policy cannot hold without weakening them: refused, never silently dropped. In the
 * order the loader reports them.
 */
export function groupSettingsProblems(s: ResolvedSettings, label: string): GroupSettingsProblem[] {
  const out: GroupSettingsProblem[] = [];
  const a = s.activation;
  if (!groupActivationDuration(a.maximumDuration)) {
    out.push(
      problem(
        "activation.maximumDuration",
        `${a.maximumDuration} for ${label} is not accepted by PIM for Groups.`,
        "Use half hours from PT30M to PT23H30M, or P1D.",
      ),
    );
  }
  const stages = a.approval.stages;
  if (a.approval.required && stages.length > 1) {
    out.push(
      problem(
        "activation.approval.stages",
        `${label} declares ${stages.length} approval stages; azuread applies one to a group.`,
        "Declare a single stage.",
      ),
    );
  }
  if (a.approval.required && stages.some((st) => st.escalation)) {
    out.push(
      problem(
        "activation.approval.stages[0].escalation",
        `${label}: escalation approvers cannot be set on a group policy through azuread.`,
        "Remove escalation.",
      ),
    );
  }
  for (const k of ["eligibleAssignment", "activeAssignment"] as const) {
    const e = s[k];
    if (!e.allowPermanent && !groupExpireAfter(e.maximumDuration)) {
      out.push(
        problem(
          `${k}.maximumDuration`,
          `${e.maximumDuration} for ${label} is not accepted by PIM for Groups.`,
          `Use ${GROUP_EXPIRE_AFTER.join(", ")}.`,
        ),
      );
    }
  }
  const events: Array<[string, NotificationTriple]> = [
    ["eligibleAssignment", s.notifications.eligibleAssignment],
    ["activeAssignment", s.notifications.activeAssignment],
    ["activation", s.notifications.activation],
  ];
  for (const [event, t] of events) {
    for (const who of ["admin", "requestor", "approver"] as const) {
      if (t[who].level === "none") {
        out.push(
          problem(
            `notifications.${event}.${who}.level`,
            `"none" cannot be set on a PIM-for-Groups policy through azuread (it accepts all or critical).`,
            "Use level: critical with defaultRecipients: false.",
          ),
        );
      }
    }
  }
  return out;
}
