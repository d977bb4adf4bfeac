/**
 * Turns Graph's `RoleAssignmentRequestPolicyValidationFailed` into a sentence naming the rule that failed and the
 * declared value that broke it, e.g.
 * "Global Administrator: Entra refused the eligible assignment for c-jordan.lee@contoso.com: ExpirationRule — the
 * declared end 2027-06-01 is beyond the policy's maximum P180D", for directory roles and PIM for Groups alike (the
 * same rules judge both, graph-pim.md §2).
 *
 * Loaded at call time by the schedule lifecycle (never serialized).
 */
import { isGraphError, type GraphApi } from "../graph";
import { readAssignedPolicy } from "../graph/reads";
import type { ScheduleWindowInputs } from "../types";
import type { ScheduleFamily } from "./scheduleFamily";

interface PolicyRule {
  id: string;
  isExpirationRequired?: boolean;
  maximumDuration?: string;
  enabledRules?: string[];
}

const FIVE_MINUTES = 5 * 60_000;
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function durationMs(text: string | undefined): number | null {
  const m = text ? DURATION.exec(text) : null;
  if (!m) return null;
  const [, w, d, h, min, s] = m;
  return (
    (((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 +
    Number(s ?? 0) * 1000
  );
}

/** `2027-06-01` for a midnight instant, the full ISO instant otherwise. */
export function showInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const full = d.toISOString();
  return full.endsWith("T00:00:00.000Z") ? full.slice(0, 10) : full.replace(".000Z", "Z");
}

/** Rule names from both message forms: `… failed: ["ExpirationRule","MfaRule"]` and `… failed: ExpirationRule - text`. */
export function failedRules(message: string): string[] {
  const names = message.match(/\b[A-Z][A-Za-z]*Rule\b/g) ?? [];
  return [...new Set(names)];
}

/** What a refusal is about: the role (or group access) and whom. */
export interface Refused extends ScheduleWindowInputs {
  /** "Global Administrator", "member of Ops"; absent when the inputs do not name it. */
  target?: string;
}

/** "Global Administrator: Entra refused the eligible assignment for ada@contoso.com" (or the label). */
export function refusalPrefix(i: Refused): string {
  if (i.target)
    return `${i.target}: Entra refused the ${i.kind} assignment for ${i.principalName ?? i.principalId}`;
  return `${i.label}: Entra refused the ${i.kind} assignment`;
}

export function explainRule(
  rule: string,
  i: ScheduleWindowInputs,
  policy: PolicyRule[] | null,
  now: number,
): string | null {
  const level = i.kind === "eligible" ? "Admin_Eligibility" : "Admin_Assignment";
  const exp = policy?.find((r) => r.id === `Expiration_${level}`);
  switch (rule) {
    case "ExpirationRule": {
      const max = exp?.maximumDuration;
      if (i.end === null)
        return `the declared ${i.kind} assignment has no end, but the policy requires one (maximum ${max ?? "unknown"})`;
      const start = i.start ? Math.max(Date.parse(i.start), now) : now;
      const span = Date.parse(i.end) - start;
      const maxMs = durationMs(max);
      if (maxMs !== null && span > maxMs)
        return `the declared end ${showInstant(i.end)} is beyond the policy's maximum ${max}`;
      if (span < FIVE_MINUTES)
        return `the declared end ${showInstant(i.end)} leaves less than Entra's minimum of five minutes`;
      return `the declared end ${showInstant(i.end)} does not satisfy the policy's expiration rule (maximum ${max ?? "unknown"})`;
    }
    case "MfaRule":
      return `the policy requires multi-factor authentication to create an ${i.kind} assignment (Enablement_${level}), which an app-only deployment cannot provide; remove requireMfa from the ${i.kind === "eligible" ? "eligibleAssignment" : "activeAssignment"} settings`;
    case "JustificationRule":
      return i.justification.trim()
        ? `the policy requires a justification and refused the declared one ("${i.justification}")`
        : "the policy requires a justification and the declared justification is empty";
    case "TicketingRule":
      return i.ticket
        ? `the policy requires ticket information and refused the declared ticket ${i.ticket.system} ${i.ticket.number}`
        : "the policy requires ticket information and the declaration names no ticket";
    default:
      return null;
  }
}

async function policyRules<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  i: I,
): Promise<PolicyRule[] | null> {
  try {
    return ((await readAssignedPolicy(g, family.policyScope(i)))?.rules as PolicyRule[] | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * The error to throw for a failed schedule request: a policy failure becomes one sentence per failed rule; any other
 * Graph error keeps its code and request id behind the resource's label.
 */
export async function explainFailure<I extends ScheduleWindowInputs>(
  g: GraphApi,
  family: ScheduleFamily<I>,
  e: unknown,
  i: I,
  now: number,
): Promise<Error> {
  if (!isGraphError(e)) return e instanceof Error ? e : new Error(String(e));
  if (e.code !== "RoleAssignmentRequestPolicyValidationFailed") {
    return new Error(`${i.label}: ${e.message}`);
  }
  const rules = failedRules(e.graphMessage);
  const policy = await policyRules(g, family, i);
  const parts = rules.length
    ? rules.map((r) => `${r} — ${explainRule(r, i, policy, now) ?? e.graphMessage}`)
    : [e.graphMessage];
  return new Error(
    `${refusalPrefix({ ...i, target: family.describeTarget(i) })}: ${parts.join("; ")}${e.requestId ? ` (request-id ${e.requestId})` : ""}`,
  );
}
