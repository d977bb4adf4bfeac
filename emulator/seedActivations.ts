// Seed section `activations`: PIM activation history written as what happened (who activated which role,
// when, why, whether an approver answered and how fast) and expanded into the directoryAudit records Entra
// writes for it, in the order and with the activity names the live emulator uses for the same flow
// (schedules.ts, approvals.ts, expiry.ts): requested → [approval requested → approved | denied | expired]
// → completed. Every record of one activation shares its request id (correlationId and `RequestId`).
import { z } from "zod";
import { recordAudit, userCaller } from "./audit";
import { parseDuration } from "./duration";
import { stableGuid } from "./ids";
import type { EmulatorState, User } from "./state";

const ref = z.string().min(1);
const duration = z
  .string()
  .refine((v) => parseDuration(v) !== null, "must be an ISO-8601 duration such as PT5M");

export const activationSeed = z
  .object({
    principal: ref,
    /** A directory role (name or template id), or a PIM-for-Groups group with `access`. */
    role: z.string().min(1).optional(),
    group: ref.optional(),
    access: z.enum(["member", "owner"]).default("member"),
    /** ISO instant, or a duration relative to the emulator's start (`-P3D`). */
    at: z.string().min(1),
    justification: z.string().optional(),
    /** `failure`: the request was refused (policy rule, MFA …); `reason` says why. */
    result: z.enum(["success", "failure"]).default("success"),
    reason: z.string().optional(),
    approval: z
      .object({
        decision: z.enum(["approved", "denied", "expired", "pending"]).default("approved"),
        /** Who answered (approved or denied). */
        approver: ref.optional(),
        /** How long after the request the answer (or the expiry) came. */
        after: duration.optional(),
        justification: z.string().optional(),
      })
      .strict()
      .optional(),
    /** The same activation `count` times, `every` apart (e.g. the outlier who activates every day). */
    repeat: z
      .object({ count: z.number().int().min(1).max(10_000), every: duration })
      .strict()
      .optional(),
  })
  .strict();

export type ActivationSeed = z.output<typeof activationSeed>;

export interface ActivationResolvers {
  user(ref: string, label: string): User | undefined;
  role(ref: string, label: string): { id: string; displayName: string } | undefined;
  group(ref: string, label: string): { id: string; displayName: string } | undefined;
  /** Milliseconds since the epoch of an ISO instant or relative duration; NaN when invalid (problem recorded). */
  at(value: string, label: string): number;
}

export function addActivations(
  state: EmulatorState,
  list: ActivationSeed[],
  r: ActivationResolvers,
  now: number,
  problems: string[],
): void {
  list.forEach((a, i) => {
    const label = `activations[${i}]`;
    const user = r.user(a.principal, `${label}.principal`);
    const target = a.role
      ? r.role(a.role, `${label}.role`)
      : a.group
        ? r.group(a.group, `${label}.group`)
        : undefined;
    if (!a.role === !a.group) problems.push(`${label}: needs exactly one of 'role' or 'group'`);
    if (a.result === "failure" && !a.reason)
      problems.push(`${label}.reason: a failed activation needs a reason`);
    if (a.result === "failure" && a.approval)
      problems.push(`${label}.approval: a failed request never reaches an approver`);
    const ap = a.approval;
    if (ap && ap.decision !== "pending" && !ap.after)
      problems.push(`${label}.approval.after: needed unless the decision is pending`);
    if (ap && (ap.decision === "approved" || ap.decision === "denied") && !ap.approver)
      problems.push(`${label}.approval.approver: needed when the request was ${ap.decision}`);
    const approver = ap?.approver ? r.user(ap.approver, `${label}.approval.approver`) : undefined;
    const start = r.at(a.at, `${label}.at`);
    if (!user || !target || Number.isNaN(start) || (ap?.approver && !approver)) return;
    const every = a.repeat ? parseDuration(a.repeat.every)! : 0;
    const last = start + ((a.repeat?.count ?? 1) - 1) * every + (ap?.after ? parseDuration(ap.after)! : 0);
    if (last > now)
      problems.push(
        `${label}: its last record would be after the emulator's start; history ends now (use decision: pending)`,
      );
    for (let n = 0; n < (a.repeat?.count ?? 1); n++)
      record(state, a, {
        user,
        approver,
        target,
        at: start + n * every,
        requestId: stableGuid(`${state.tenant.id}:activation:${i}:${n}`),
      });
  });
}

function record(
  state: EmulatorState,
  a: ActivationSeed,
  x: {
    user: User;
    approver: User | undefined;
    target: { id: string; displayName: string };
    at: number;
    requestId: string;
  },
): void {
  const group = !!a.group;
  const base = {
    category: group ? ("GroupManagement" as const) : ("RoleManagement" as const),
    operationType: "Add",
    target: {
      id: x.target.id,
      displayName: x.target.displayName,
      type: group ? ("Group" as const) : ("Role" as const),
    },
    principalId: x.user.id,
    requestId: x.requestId,
    details: group ? { AccessId: a.access } : undefined,
  };
  const self = userCaller(x.user);
  const at = (ms: number) => new Date(ms);
  const requested = "Add member to role requested (PIM activation)";
  if (a.result === "failure") {
    recordAudit(state, {
      ...base,
      activity: requested,
      caller: self,
      result: "failure",
      resultReason: a.reason,
      justification: a.justification ?? null,
      at: at(x.at),
    });
    return;
  }
  recordAudit(state, {
    ...base,
    activity: requested,
    caller: self,
    justification: a.justification ?? null,
    at: at(x.at),
  });
  const ap = a.approval;
  if (!ap) {
    recordAudit(state, {
      ...base,
      activity: "Add member to role completed (PIM activation)",
      caller: self,
      justification: a.justification ?? null,
      at: at(x.at),
    });
    return;
  }
  recordAudit(state, {
    ...base,
    activity: "Add member to role approval requested (PIM activation)",
    caller: self,
    justification: a.justification ?? null,
    at: at(x.at),
  });
  if (ap.decision === "pending") return;
  const answered = x.at + parseDuration(ap.after)!;
  if (ap.decision === "expired") {
    recordAudit(state, {
      ...base,
      activity: "PIM activation request expired",
      caller: "system",
      justification: null,
      at: at(answered),
    });
    return;
  }
  const reviewer = userCaller(x.approver!);
  if (ap.decision === "denied") {
    recordAudit(state, {
      ...base,
      activity: "Add member to role request denied (PIM activation)",
      caller: reviewer,
      justification: ap.justification ?? "",
      at: at(answered),
    });
    return;
  }
  recordAudit(state, {
    ...base,
    activity: "Add member to role request approved (PIM activation)",
    caller: reviewer,
    justification: ap.justification ?? "",
    at: at(answered),
  });
  recordAudit(state, {
    ...base,
    activity: "Add member to role completed (PIM activation)",
    caller: "system",
    justification: a.justification ?? null,
    at: at(answered),
  });
}
