/**
 * The three activation reports the PIM guidance asks for, computed from PIM's audit records (pure: records in,
 * report out; `pim audit` only reads and prints):
 *
 * 1. who activated which role (or PIM-for-Groups group), when and why;
 * 2. activations per user and role over the window, with the pairs above a threshold as outliers;
 * 3. failed activations (refused requests, denials, approvals that expired) with their reasons;
 *
 * and how fast approvers answer: per role and approver the median and 90th percentile of the time from
 * "approval requested" to the decision, and every request that waited longer than a threshold (answered late,
 * expired, or still pending now).
 *
 * Records of one request are tied together by its request id (additional detail `RequestId`, else the
 * `correlationId`), which is how Entra and the emulator correlate them.
 */
import type { AuditTarget, PimAuditRecord } from "../../../providers/graph/reads/audit";

export const ACTIVITY = {
  requested: "Add member to role requested (PIM activation)",
  approvalRequested: "Add member to role approval requested (PIM activation)",
  approved: "Add member to role request approved (PIM activation)",
  denied: "Add member to role request denied (PIM activation)",
  canceled: "Add member to role canceled (PIM activation)",
  completed: "Add member to role completed (PIM activation)",
  expired: "PIM activation request expired",
} as const;

export interface Person {
  id: string | null;
  /** UPN when known, else the display name. */
  name: string;
}

export interface Target {
  id: string | null;
  name: string;
  /** `Role` for a directory role, `Group` for a PIM-for-Groups group. */
  type: string;
}

export interface Activation {
  at: string;
  user: Person;
  target: Target;
  justification: string | null;
  requestId: string | null;
}

export interface ActivationCount {
  user: Person;
  target: Target;
  count: number;
  /** More than the threshold in the window. */
  outlier: boolean;
}

export interface FailedActivation {
  at: string;
  user: Person;
  target: Target;
  /** `refused`: the request failed (a policy rule, MFA …); `denied` by an approver; `expired` unanswered. */
  kind: "refused" | "denied" | "expired";
  reason: string | null;
  /** Who denied it. */
  by: Person | null;
  requestId: string | null;
}

export interface ApprovalTimes {
  target: Target;
  approver: Person;
  decisions: number;
  approved: number;
  denied: number;
  medianMinutes: number;
  p90Minutes: number;
}

export interface SlowApproval {
  requestedAt: string;
  user: Person;
  target: Target;
  /** Minutes from "approval requested" to the decision, the expiry, or now. */
  waitedMinutes: number;
  outcome: "approved" | "denied" | "expired" | "canceled" | "pending";
  approver: Person | null;
  requestId: string;
}

export interface AuditOptions {
  from: Date;
  to: Date;
  /** An activation count above this for one user and role is an outlier (default 10). */
  threshold: number;
  /** Approval waits above this many minutes are listed (default 5). */
  pendingMinutes: number;
}

export interface AuditReport {
  from: string;
  to: string;
  threshold: number;
  pendingMinutes: number;
  records: number;
  activations: Activation[];
  counts: ActivationCount[];
  failures: FailedActivation[];
  approvalTimes: ApprovalTimes[];
  slowApprovals: SlowApproval[];
}

const MINUTE = 60_000;

/** What ends a wait for approval. */
const DECISIONS: ReadonlySet<string> = new Set([
  ACTIVITY.approved,
  ACTIVITY.denied,
  ACTIVITY.expired,
  ACTIVITY.canceled,
]);

const detail = (r: PimAuditRecord, key: string): string | null =>
  r.additionalDetails?.find((d) => d.key?.toLowerCase() === key.toLowerCase())?.value ?? null;

const requestIdOf = (r: PimAuditRecord): string | null => detail(r, "RequestId") ?? r.correlationId ?? null;

function person(
  p:
    { id?: string | null; displayName?: string | null; userPrincipalName?: string | null } | null | undefined,
): Person | null {
  if (!p || (!p.id && !p.userPrincipalName && !p.displayName)) return null;
  return { id: p.id ?? null, name: p.userPrincipalName || p.displayName || p.id || "" };
}

/** The role or group a record is about: the first target that is neither a user nor an app. */
function targetOf(r: PimAuditRecord): Target {
  const t: AuditTarget | undefined = r.targetResources?.find((x) => x.type === "Role" || x.type === "Group");
  return { id: t?.id ?? null, name: t?.displayName || t?.id || "(unknown)", type: t?.type ?? "Role" };
}

/** Who the request is for: the user among the targets, else whoever initiated a self-service record. */
function requesterOf(r: PimAuditRecord): Person {
  const t = r.targetResources?.find((x) => x.type === "User");
  return person(t) ?? person(r.initiatedBy?.user) ?? { id: null, name: "(unknown)" };
}

/** The justification: a detail, or (Entra's "status reason") the result reason of a successful record. */
function justificationOf(r: PimAuditRecord): string | null {
  const d = detail(r, "Justification");
  if (d) return d;
  return r.result === "success" && r.resultReason ? r.resultReason : null;
}

const keyOf = (p: Person) => (p.id ?? p.name).toLowerCase();
const targetKey = (t: Target) => `${t.type}:${(t.id ?? t.name).toLowerCase()}`;

/** Median: the middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

const byTime = (a: PimAuditRecord, b: PimAuditRecord) => a.activityDateTime.localeCompare(b.activityDateTime);

export function analyzeAudit(input: readonly PimAuditRecord[], opts: AuditOptions): AuditReport {
  const fromMs = opts.from.getTime();
  const toMs = opts.to.getTime();
  const records = input
    .filter((r) => {
      const t = Date.parse(r.activityDateTime);
      return t >= fromMs && t <= toMs;
    })
    .sort(byTime);
  const byRequest = new Map<string, PimAuditRecord[]>();
  for (const r of records) {
    const id = requestIdOf(r);
    if (id) byRequest.set(id, [...(byRequest.get(id) ?? []), r]);
  }
  const requestJustification = (id: string | null): string | null => {
    for (const r of id ? (byRequest.get(id) ?? []) : [])
      if (r.activityDisplayName === ACTIVITY.requested) return justificationOf(r);
    return null;
  };

  // 1. Activations, one per request.
  const activations: Activation[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (r.activityDisplayName !== ACTIVITY.completed || r.result !== "success") continue;
    const requestId = requestIdOf(r);
    if (requestId && seen.has(requestId)) continue;
    if (requestId) seen.add(requestId);
    activations.push({
      at: r.activityDateTime,
      user: requesterOf(r),
      target: targetOf(r),
      justification: justificationOf(r) ?? requestJustification(requestId),
      requestId,
    });
  }

  // 2. Per user and role.
  const tally = new Map<string, ActivationCount>();
  for (const a of activations) {
    const k = `${keyOf(a.user)}|${targetKey(a.target)}`;
    const c = tally.get(k) ?? { user: a.user, target: a.target, count: 0, outlier: false };
    c.count++;
    tally.set(k, c);
  }
  const counts = [...tally.values()]
    .map((c) => ({ ...c, outlier: c.count > opts.threshold }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        a.user.name.localeCompare(b.user.name) ||
        a.target.name.localeCompare(b.target.name),
    );

  // 3. Failures.
  const failures: FailedActivation[] = [];
  for (const r of records) {
    const base = {
      at: r.activityDateTime,
      user: requesterOf(r),
      target: targetOf(r),
      requestId: requestIdOf(r),
    };
    if (r.result === "failure" && r.activityDisplayName.endsWith("(PIM activation)"))
      failures.push({ ...base, kind: "refused", reason: r.resultReason || null, by: null });
    else if (r.activityDisplayName === ACTIVITY.denied)
      failures.push({ ...base, kind: "denied", reason: justificationOf(r), by: person(r.initiatedBy?.user) });
    else if (r.activityDisplayName === ACTIVITY.expired)
      failures.push({ ...base, kind: "expired", reason: "no approver answered in time", by: null });
  }

  // 4. Approval response times.
  const waits = new Map<
    string,
    { target: Target; approver: Person; minutes: number[]; approved: number; denied: number }
  >();
  const slowApprovals: SlowApproval[] = [];
  for (const [requestId, rs] of byRequest) {
    const asked = rs.find((r) => r.activityDisplayName === ACTIVITY.approvalRequested);
    if (!asked) continue;
    const askedMs = Date.parse(asked.activityDateTime);
    const answer = rs.find(
      (r) => Date.parse(r.activityDateTime) >= askedMs && DECISIONS.has(r.activityDisplayName),
    );
    const outcome: SlowApproval["outcome"] = !answer
      ? "pending"
      : answer.activityDisplayName === ACTIVITY.approved
        ? "approved"
        : answer.activityDisplayName === ACTIVITY.denied
          ? "denied"
          : answer.activityDisplayName === ACTIVITY.expired
            ? "expired"
            : "canceled";
    const endMs = answer ? Date.parse(answer.activityDateTime) : toMs;
    const minutes = (endMs - askedMs) / MINUTE;
    const target = targetOf(asked);
    const approver =
      outcome === "approved" || outcome === "denied" ? person(answer!.initiatedBy?.user) : null;
    if (approver) {
      const k = `${targetKey(target)}|${keyOf(approver)}`;
      const w = waits.get(k) ?? { target, approver, minutes: [], approved: 0, denied: 0 };
      w.minutes.push(minutes);
      if (outcome === "approved") w.approved++;
      else w.denied++;
      waits.set(k, w);
    }
    if (minutes > opts.pendingMinutes)
      slowApprovals.push({
        requestedAt: asked.activityDateTime,
        user: requesterOf(asked),
        target,
        waitedMinutes: minutes,
        outcome,
        approver,
        requestId,
      });
  }
  const approvalTimes = [...waits.values()]
    .map((w) => ({
      target: w.target,
      approver: w.approver,
      decisions: w.minutes.length,
      approved: w.approved,
      denied: w.denied,
      medianMinutes: median(w.minutes),
      p90Minutes: percentile(w.minutes, 90),
    }))
    .sort(
      (a, b) => a.target.name.localeCompare(b.target.name) || a.approver.name.localeCompare(b.approver.name),
    );
  slowApprovals.sort(
    (a, b) => b.waitedMinutes - a.waitedMinutes || a.requestedAt.localeCompare(b.requestedAt),
  );

  return {
    from: opts.from.toISOString(),
    to: opts.to.toISOString(),
    threshold: opts.threshold,
    pendingMinutes: opts.pendingMinutes,
    records: records.length,
    activations,
    counts,
    failures,
    approvalTimes,
    slowApprovals,
  };
}
