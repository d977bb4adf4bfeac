// PIM audit records (graph-pim.md §8): loggedByService "PIM", the Entra activity names, initiator,
// target role or group, justification, result and failure reason.
import { createHash } from "node:crypto";
import { iso } from "./clock";
import { newGuid } from "./ids";
import type { Caller } from "./auth";
import type { DirectoryAudit, EmulatorState, User } from "./state";

export interface AuditInput {
  activity: string;
  category: "RoleManagement" | "GroupManagement";
  operationType: string;
  result?: "success" | "failure";
  resultReason?: string;
  caller: Caller | "system";
  /** The role definition or group the event is about. */
  target: { id: string; displayName: string | null; type: "Role" | "Group" };
  principalId?: string;
  justification?: string | null;
  requestId?: string;
  details?: Record<string, string>;
  at: Date;
}

/** Ticks (100 ns since 0001-01-01), the last part of observed PIM audit ids `PIM_{guid}_{tenant}_{ticks}`. */
function ticks(d: Date): string {
  return (BigInt(d.getTime()) * 10000n + 621355968000000000n).toString();
}

/** The caller an audit record names when a seed, not a request, says who acted. */
export function userCaller(user: User): Caller {
  return {
    kind: "user",
    appId: "",
    appDisplayName: "",
    servicePrincipalId: null,
    user,
    permissions: new Set(),
    amr: [],
    acrs: [],
    unchecked: false,
  };
}

export function recordAudit(state: EmulatorState, a: AuditInput): DirectoryAudit {
  // A completion recorded by the system (after approval) carries the justification of its request.
  const requested = a.requestId ? state.requests.get(a.requestId) : undefined;
  const justification =
    a.justification !== undefined
      ? a.justification
      : typeof requested?.justification === "string"
        ? requested.justification
        : null;
  const result = a.result ?? "success";
  const principal = a.principalId ? state.findPrincipal(a.principalId) : undefined;
  const initiatedBy: DirectoryAudit["initiatedBy"] =
    a.caller === "system"
      ? {
          app: null,
          // System actions (expiry) are initiated by "Azure AD PIM" [OBS 2026].
          user: {
            id: null,
            displayName: "Azure AD PIM",
            userPrincipalName: null,
            ipAddress: null,
            userType: null,
            homeTenantId: null,
            homeTenantName: null,
          },
        }
      : a.caller.kind === "user" && a.caller.user
        ? {
            app: null,
            user: {
              id: a.caller.user.id,
              displayName: a.caller.user.displayName,
              userPrincipalName: a.caller.user.userPrincipalName,
              ipAddress: "127.0.0.1",
              userType: a.caller.user.userType === "Guest" ? "Guest" : "Member",
              homeTenantId: state.tenant.id,
              homeTenantName: null,
            },
          }
        : {
            app: {
              appId: a.caller.appId,
              displayName: a.caller.appDisplayName,
              servicePrincipalId: a.caller.servicePrincipalId,
              servicePrincipalName: a.caller.appDisplayName,
            },
            user: null,
          };
  const targets: DirectoryAudit["targetResources"] = [
    {
      id: a.target.id,
      displayName: a.target.displayName,
      type: a.target.type,
      userPrincipalName: null,
      groupType: null,
      modifiedProperties:
        a.target.type === "Role"
          ? [
              { displayName: "RoleDefinitionOriginId", oldValue: null, newValue: `"${a.target.id}"` },
              { displayName: "RoleDefinitionOriginType", oldValue: null, newValue: `"BuiltInRole"` },
              { displayName: "TemplateId", oldValue: null, newValue: `"${a.target.id}"` },
            ]
          : [],
    },
  ];
  if (principal)
    targets.push({
      id: principal.obj.id,
      displayName: principal.obj.displayName,
      type: principal.type === "user" ? "User" : principal.type === "group" ? "Group" : "ServicePrincipal",
      userPrincipalName: principal.type === "user" ? principal.obj.userPrincipalName : null,
      groupType: null,
      modifiedProperties: [],
    });
  const details: { key: string; value: string }[] = [];
  if (justification) details.push({ key: "Justification", value: justification });
  if (a.requestId) details.push({ key: "RequestId", value: a.requestId });
  for (const [key, value] of Object.entries(a.details ?? {})) details.push({ key, value });
  const guid = newGuid();
  const record: DirectoryAudit = {
    id: `PIM_${guid}_${state.tenant.id}_${ticks(a.at)}`,
    category: a.category,
    correlationId: a.requestId ?? createHash("sha1").update(guid).digest("hex").slice(0, 8) + guid.slice(8),
    result,
    // Entra shows an activation's justification as its "status reason": Sentinel's PIM activation queries
    // read it from ResultReason [OBS]. Failures keep their error text there.
    resultReason:
      a.resultReason ??
      (result === "success" && justification && a.activity.endsWith("(PIM activation)") ? justification : ""),
    activityDisplayName: a.activity,
    activityDateTime: iso(a.at),
    loggedByService: "PIM",
    operationType: a.operationType,
    initiatedBy,
    targetResources: targets,
    additionalDetails: details,
  };
  state.audits.push(record);
  return record;
}
