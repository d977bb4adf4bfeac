// Time passing: schedules end, granted ones start, approvals time out, old requests are purged
// (graph-pim.md §3.4; ARCHITECTURE decision 4), and PIM-for-Groups memberships follow active assignments.
import { iso } from "./clock";
import type { Env } from "./http";
import { isCurrent } from "./state";
import { audit, expiredKey, targetOfRequest, type GrantRef } from "./grants";

export const REQUEST_RETENTION_MS = 45 * 86_400_000; // requests are purged after about 45 days (ARCHITECTURE decision 4)

export const CANCELED_RETENTION_MS = 30 * 86_400_000; // "canceled requests are deleted automatically after 30 days" (§3.4)

/**
 * Bring the tenant up to "now": end expired schedules, start granted ones, time out approvals,
 * purge old requests. Called when the clock moves and lazily before requests.
 */
export function sweep(env: Env): void {
  const { state } = env;
  const nowMs = env.clock.nowMs();
  for (const s of [...state.schedules.values()]) {
    if (s.endDateTime !== null && Date.parse(s.endDateTime) <= nowMs) {
      state.schedules.delete(s.id);
      const t: GrantRef = {
        scope: s._scope,
        kind: s._kind,
        principalId: s.principalId,
        target: s._target,
        accessId: s._accessId,
        directoryScopeId: s.directoryScopeId,
        appScopeId: s.appScopeId,
        displayName:
          s._scope === "directory"
            ? (state.roleDefinitions.get(s._target)?.displayName ?? null)
            : (state.groups.get(s._target)?.displayName ?? null),
      };
      state.expiredKeys.add(expiredKey(t, s._kind));
      if (s._assignmentType === "Activated")
        audit(env, t, "system", "Remove member from role (PIM activation expired)", "Remove", {});
    }
  }
  for (const r of state.requests.values()) {
    if (
      r.status === "Granted" &&
      r.scheduleInfo &&
      Date.parse(String((r.scheduleInfo as Record<string, unknown>).startDateTime)) <= nowMs
    )
      r.status = "Provisioned";
  }
  for (const a of [...state.approvals.values()]) {
    const r = state.requests.get(a._requestId);
    if (r && r.status === "PendingApproval" && nowMs >= a._deadlineMs) {
      // "number of days … before it is automatically denied" (§1.7).
      r.status = "Denied";
      r.completedDateTime = iso(nowMs);
      for (const st of a.stages) if (st.status !== "Completed") st.status = "Completed";
      audit(env, targetOfRequest(state, r), "system", "PIM activation request expired", "Add", {
        requestId: r.id,
      });
    }
  }
  for (const [id, r] of state.requests) {
    const canceledMs = typeof r._canceledMs === "number" ? r._canceledMs : null;
    if (
      nowMs - r._createdMs >= REQUEST_RETENTION_MS ||
      (canceledMs !== null && nowMs - canceledMs >= CANCELED_RETENTION_MS)
    ) {
      state.requests.delete(id);
      if (r.approvalId) state.approvals.delete(String(r.approvalId));
    }
  }
  syncGroupMembership(env);
}

/** Active PIM-for-Groups assignments are real memberships/ownerships while they last. */
export function syncGroupMembership(env: Env): void {
  const { state } = env;
  const nowMs = env.clock.nowMs();
  const want = new Map<string, Set<string>>();
  for (const id of state.schedules.groupIds) {
    const s = state.schedules.get(id)!;
    if (s._kind !== "assignment" || !isCurrent(s, nowMs)) continue;
    const key = `${s._target}|${s._accessId}`;
    if (!want.has(key)) want.set(key, new Set());
    want.get(key)!.add(s.principalId);
  }
  for (const g of state.groups.values()) {
    const pim = (g as typeof g & { _pimMembers?: Record<string, string[]> })._pimMembers ?? {};
    for (const access of ["member", "owner"] as const) {
      const list = access === "member" ? g._members : g._owners;
      const now = want.get(`${g.id}|${access}`) ?? new Set<string>();
      const before = new Set(pim[access] ?? []);
      for (const p of before)
        if (!now.has(p)) {
          const i = list.indexOf(p);
          if (i >= 0) list.splice(i, 1);
        }
      for (const p of now) if (!list.includes(p)) list.push(p);
      pim[access] = [...now];
    }
    (g as typeof g & { _pimMembers?: Record<string, string[]> })._pimMembers = pim;
  }
}
