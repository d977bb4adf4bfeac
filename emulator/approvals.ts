// Approvals of PendingApproval activations (graph-pim.md §3.3, §11): one stage per policy stage,
// approvers expanded from users and groups, the requester never approves their own request.
import type { Caller } from "./auth";
import { iso } from "./clock";
import { GraphError, badRequest, accessDenied } from "./errors";
import type { Env } from "./http";
import { getRule } from "./policyEngine";
import type { Approval } from "./state";
import { audit, newSchedule, scheduleId, targetOfRequest, type Target } from "./grants";
import { syncGroupMembership } from "./expiry";

export function createApproval(env: Env, t: Target, requestId: string): string {
  const { state } = env;
  const setting = getRule(t.policy, "Approval_EndUser_Assignment")!.setting!;
  const id = state.newId();
  const stages = setting.approvalStages.map((st, i) => {
    const approvers = new Set<string>();
    for (const a of st.primaryApprovers) {
      if (a.userId) approvers.add(a.userId);
      if (a.groupId) for (const m of state.groups.get(a.groupId)?._members ?? []) approvers.add(m);
    }
    approvers.delete(t.principalId); // nobody approves their own request
    return {
      id: state.newId(),
      displayName: null,
      justification: null,
      reviewedBy: null,
      reviewedDateTime: null,
      reviewResult: "NotReviewed",
      status: i === 0 ? "InProgress" : "NotStarted",
      _approverUserIds: [...approvers],
    };
  });
  const days = setting.approvalStages[0]?.approvalStageTimeOutInDays ?? 1;
  const approval: Approval = {
    id,
    _scope: t.scope,
    _requestId: requestId,
    _deadlineMs: env.clock.nowMs() + days * 86_400_000,
    stages,
  };
  state.approvals.set(id, approval);
  return id;
}

export function approvalView(a: Approval, caller: Caller): Record<string, unknown> {
  return { id: a.id, stages: a.stages.map((s) => stageView(s, caller)) };
}

export function stageView(s: Approval["stages"][number], caller: Caller): Record<string, unknown> {
  return {
    id: s.id,
    assignedToMe: !!caller.user && s._approverUserIds.includes(caller.user.id),
    displayName: s.displayName,
    justification: s.justification,
    reviewResult: s.reviewResult,
    reviewedDateTime: s.reviewedDateTime,
    status: s.status,
    reviewedBy: s.reviewedBy,
  };
}

/** PATCH …/approvals/{id}/stages/{stageId} with {reviewResult, justification}. */
export function reviewStage(
  env: Env,
  caller: Caller,
  approvalId: string,
  stageId: string,
  body: Record<string, unknown>,
): void {
  const { state } = env;
  const approval = state.approvals.get(approvalId);
  const stage = approval?.stages.find((s) => s.id === stageId);
  if (!approval || !stage)
    throw new GraphError(404, "NotFound", "The approval or approval stage does not exist.");
  for (const k of Object.keys(body))
    if (k !== "reviewResult" && k !== "justification" && !k.startsWith("@odata."))
      throw badRequest(
        `The property '${k}' does not exist on type 'microsoft.graph.approvalStage'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
  if (
    !caller.unchecked &&
    (caller.kind !== "user" || !caller.user || !stage._approverUserIds.includes(caller.user.id))
  )
    throw accessDenied();
  if (stage.status !== "InProgress")
    throw badRequest("The approval stage is not in progress.", "InvalidApprovalState");
  const result = body.reviewResult;
  if (result !== "Approve" && result !== "Deny")
    throw badRequest("'reviewResult' must be 'Approve' or 'Deny'.");
  const request = state.requests.get(approval._requestId);
  if (!request) throw new GraphError(404, "NotFound", "The request of this approval no longer exists.");
  const t = targetOfRequest(state, request);
  const stageSetting = getRule(t.policy, "Approval_EndUser_Assignment")?.setting?.approvalStages[
    approval.stages.indexOf(stage)
  ];
  const justification = typeof body.justification === "string" ? body.justification.trim() : "";
  if (stageSetting?.isApproverJustificationRequired && !justification)
    throw badRequest("Justification is required to review this request.", "JustificationRule");
  const nowIso = iso(env.clock.now());
  stage.reviewResult = result;
  stage.justification = justification || null;
  stage.reviewedBy = caller.user
    ? { id: caller.user.id, displayName: caller.user.displayName }
    : { id: caller.appId, displayName: caller.appDisplayName };
  stage.reviewedDateTime = nowIso;
  stage.status = "Completed";
  if (result === "Deny") {
    request.status = "Denied";
    request.completedDateTime = nowIso;
    audit(env, t, caller, "Add member to role request denied (PIM activation)", "Add", {
      justification,
      requestId: request.id,
    });
    env.onWrite();
    return;
  }
  audit(env, t, caller, "Add member to role request approved (PIM activation)", "Add", {
    justification,
    requestId: request.id,
  });
  const next = approval.stages[approval.stages.indexOf(stage) + 1];
  if (next) {
    next.status = "InProgress";
    env.onWrite();
    return;
  }
  const p = request._pending!;
  const nowMs = env.clock.nowMs();
  const start = Math.max(Date.parse(p.start), nowMs);
  const end = p.end === null ? null : Date.parse(p.end) + (start - Date.parse(p.start));
  const id = scheduleId(t, request.id);
  const usedId = (request._activatedUsing as string | undefined) ?? null;
  const activation = newSchedule(
    env,
    t,
    id,
    request.id,
    { start, end, expirationType: p.expirationType, duration: p.duration },
    "Activated",
    usedId,
  );
  const used = usedId ? state.schedules.get(usedId) : undefined;
  if (used && used.principalId !== t.principalId) activation._memberType = "Group";
  state.schedules.set(id, activation);
  request.targetScheduleId = id;
  request.status = start > nowMs ? "Granted" : "Provisioned";
  request.completedDateTime = nowIso;
  request._pending = null;
  syncGroupMembership(env);
  audit(env, t, "system", "Add member to role completed (PIM activation)", "Add", { requestId: request.id });
  env.onWrite();
}
