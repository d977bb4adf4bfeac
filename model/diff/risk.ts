/**
 * How a change moves security: the one place that judges a settings field's old → new as weaker, stronger or
 * neutral. The field table (`model/settings/fields.ts`) says what kind each field is; this module says what a
 * change of that kind means.
 */
import { approverKey } from "../keys";
import { parseDuration } from "../duration";
import { fields } from "../untypedJson";
import type { FieldRisk } from "../settings/fields";
import type { Approver, NotificationLevel, ResolvedApprovalStage } from "../types";
import { same } from "./join";
import { RISKS, type Risk } from "./types";

export interface Judgement {
  risk: Risk;
  note: string;
}

/** The higher of two risks (critical > weaker > neutral > stronger). */
export function maxRisk(a: Risk, b: Risk): Risk {
  return RISKS.indexOf(a) <= RISKS.indexOf(b) ? a : b;
}

export function highestOf(risks: Iterable<Risk>, fallback: Risk = "neutral"): Risk {
  let out: Risk | null = null;
  for (const r of risks) out = out === null ? r : maxRisk(out, r);
  return out ?? fallback;
}

/** Judges one settings field's change; `kind` comes from the field table. */
export function judgeSettingsField(
  kind: FieldRisk,
  path: string,
  before: unknown,
  after: unknown,
): Judgement {
  switch (kind) {
    case "longerIsWeaker":
      return judgeDuration(before, after);
    case "trueIsStronger":
      return before === after
        ? neutral("unchanged")
        : after === true
          ? { risk: "stronger", note: "now required" }
          : { risk: "weaker", note: "no longer required" };
    case "trueIsWeaker":
      return before === after
        ? neutral("unchanged")
        : after === true
          ? { risk: "weaker", note: "now allowed" }
          : { risk: "stronger", note: "no longer allowed" };
    case "authContext":
      return judgeAuthContext(before, after);
    case "approvalStages":
      return judgeStages(before as ResolvedApprovalStage[], after as ResolvedApprovalStage[]);
    case "notification":
      return judgeNotification(path, before, after);
  }
}

const neutral = (note: string): Judgement => ({ risk: "neutral", note });

function judgeDuration(before: unknown, after: unknown): Judgement {
  const a = typeof before === "string" ? parseDuration(before) : null;
  const b = typeof after === "string" ? parseDuration(after) : null;
  if (!a?.ok || !b?.ok) return neutral("changed");
  if (b.ms > a.ms) return { risk: "weaker", note: "longer" };
  if (b.ms < a.ms) return { risk: "stronger", note: "shorter" };
  return neutral("same length, written differently");
}

function judgeAuthContext(before: unknown, after: unknown): Judgement {
  if (before === after) return neutral("unchanged");
  if (before === null) return { risk: "stronger", note: "now required" };
  if (after === null) return { risk: "weaker", note: "no longer required" };
  // Which Conditional Access policy backs each context is not in the declarations: a reviewer must look.
  return neutral("a different authentication context: check the Conditional Access policy behind it");
}

function approversOfStages(stages: readonly ResolvedApprovalStage[]): Map<string, Approver> {
  const out = new Map<string, Approver>();
  for (const st of stages) {
    for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])]) out.set(approverKey(a), a);
  }
  return out;
}

/**
 * More people able to approve, fewer stages, or approvers no longer asked to justify: weaker. More stages or a
 * justification now asked: stronger. Approvers removed, timeouts: neutral (the approver-count rule judges "too
 * few", and its finding shows up in the findings section).
 */
function judgeStages(
  before: readonly ResolvedApprovalStage[],
  after: readonly ResolvedApprovalStage[],
): Judgement {
  const parts: Judgement[] = [];
  const a = approversOfStages(before);
  const b = approversOfStages(after);
  const added = [...b.keys()].filter((k) => !a.has(k)).map((k) => b.get(k)!.ref);
  const removed = [...a.keys()].filter((k) => !b.has(k)).map((k) => a.get(k)!.ref);
  if (added.length) parts.push({ risk: "weaker", note: `approvers added: ${added.join(", ")}` });
  if (removed.length) parts.push(neutral(`approvers removed: ${removed.join(", ")}`));
  if (after.length < before.length)
    parts.push({ risk: "weaker", note: `${before.length} → ${after.length} stages` });
  if (after.length > before.length)
    parts.push({ risk: "stronger", note: `${before.length} → ${after.length} stages` });
  const justify = (s: readonly ResolvedApprovalStage[]) => s.every((x) => x.approverJustification);
  if (justify(before) && !justify(after))
    parts.push({ risk: "weaker", note: "approver justification no longer required" });
  if (!justify(before) && justify(after))
    parts.push({ risk: "stronger", note: "approver justification now required" });
  if (!parts.length) parts.push(neutral("timeouts or escalation timing changed"));
  return { risk: highestOf(parts.map((p) => p.risk)), note: parts.map((p) => p.note).join("; ") };
}

const LEVEL_RANK: Record<NotificationLevel, number> = { none: 0, critical: 1, all: 2 };
const NOTIFICATION_MEMBERS = ["level", "defaultRecipients", "additionalRecipients"] as const;

/**
 * A notification (the field table's unit: level, default recipients, additional recipients) or one of its members
 * (a profile declares them one by one). The whole triple is judged member by member; the highest risk wins.
 */
function judgeNotification(path: string, before: unknown, after: unknown): Judgement {
  const leaf = path.slice(path.lastIndexOf(".") + 1);
  if (leaf === "level") {
    const a = LEVEL_RANK[before as NotificationLevel];
    const b = LEVEL_RANK[after as NotificationLevel];
    if (a === undefined || b === undefined || a === b) return neutral("changed");
    return b < a
      ? { risk: "weaker", note: "fewer notifications" }
      : { risk: "stronger", note: "more notifications" };
  }
  if (leaf === "defaultRecipients") {
    if (before === after) return neutral("unchanged");
    return after === true
      ? { risk: "stronger", note: "default recipients notified again" }
      : { risk: "weaker", note: "default recipients no longer notified" };
  }
  if (leaf === "additionalRecipients") {
    const a = new Set(((before as string[]) ?? []).map((x) => x.toLowerCase()));
    const b = new Set(((after as string[]) ?? []).map((x) => x.toLowerCase()));
    const removed = [...a].filter((x) => !b.has(x));
    const added = [...b].filter((x) => !a.has(x));
    if (removed.length) return { risk: "weaker", note: `no longer notified: ${removed.join(", ")}` };
    if (added.length) return { risk: "stronger", note: `also notified: ${added.join(", ")}` };
    return neutral("recipients reordered");
  }
  const b = fields(before);
  const a = fields(after);
  const parts = NOTIFICATION_MEMBERS.filter((k) => !same(b[k], a[k])).map((k) =>
    judgeNotification(`${path}.${k}`, b[k], a[k]),
  );
  if (!parts.length) return neutral("unchanged");
  return { risk: highestOf(parts.map((p) => p.risk)), note: parts.map((p) => p.note).join("; ") };
}

const DAY_MS = 86_400_000;

/**
 * An access window's end: later (or permanent) is more access. The note gives the difference in days so a
 * reviewer sees "extended by 365 days" without counting.
 */
export function judgeEnd(before: string | null, after: string | null): Judgement {
  if (before === after) return neutral("unchanged");
  if (after === null) return { risk: "weaker", note: "now permanent" };
  if (before === null) return { risk: "stronger", note: "now ends" };
  const days = Math.round((Date.parse(after) - Date.parse(before)) / DAY_MS);
  const span = (n: number) =>
    Math.abs(n) >= 1 ? `${Math.abs(n)} day${Math.abs(n) === 1 ? "" : "s"}` : "less than a day";
  return Date.parse(after) > Date.parse(before)
    ? { risk: "weaker", note: `extended by ${span(days)}` }
    : { risk: "stronger", note: `shortened by ${span(days)}` };
}

/** An access window's start: earlier is more access; "when provisioned" against a date cannot be told apart. */
export function judgeStart(before: string | null, after: string | null): Judgement {
  if (before === after) return neutral("unchanged");
  if (before === null || after === null)
    return neutral(after === null ? "starts when provisioned" : "starts on a date");
  return Date.parse(after) < Date.parse(before)
    ? { risk: "weaker", note: "starts earlier" }
    : { risk: "stronger", note: "starts later" };
}

/** eligible → active: the role is held without activation. */
export function judgeKind(before: "eligible" | "active", after: "eligible" | "active"): Judgement {
  if (before === after) return neutral("unchanged");
  return after === "active"
    ? { risk: "weaker", note: "held now instead of activated on demand" }
    : { risk: "stronger", note: "activated on demand instead of held" };
}
