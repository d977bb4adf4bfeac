/**
 * PIM's records in the directory audit log (graph-pim.md §8): `GET /auditLogs/directoryAudits` filtered on
 * `loggedByService eq 'PIM'` and a time window, every page. Only the fields the activation audit reads are typed;
 * the records are otherwise returned as Graph sends them.
 *
 * Entra keeps 30 days of audit history (P1/P2); a longer window reads what there is.
 */
import type { GraphApi } from "../client";
import { isGraphError } from "../errors";

export interface AuditIdentity {
  id?: string | null;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

export interface AuditTarget {
  id?: string | null;
  displayName?: string | null;
  /** `Role`, `Group`, `User`, `ServicePrincipal`, … */
  type?: string | null;
  userPrincipalName?: string | null;
}

/** A `directoryAudit` as the activation audit reads it. */
export interface PimAuditRecord {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category?: string | null;
  correlationId?: string | null;
  /** `success`, `failure`, `timeout`, … */
  result?: string | null;
  resultReason?: string | null;
  initiatedBy?: {
    user?: AuditIdentity | null;
    app?: (AuditIdentity & { appId?: string | null }) | null;
  } | null;
  targetResources?: AuditTarget[] | null;
  additionalDetails?: { key?: string | null; value?: string | null }[] | null;
}

/** The permission the directory audit log needs (directoryaudit-list: AuditLog.Read.All, nothing lower). */
export const AUDIT_PERMISSION = "AuditLog.Read.All";

/** A read of the audit log that failed; `hint` says what to do when the cause is known. */
export class AuditReadError extends Error {
  override readonly name = "AuditReadError";
  constructor(
    message: string,
    readonly hint: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

const PATH = "/auditLogs/directoryAudits";

/** OData DateTimeOffset literal: unquoted, whole seconds, UTC. */
const literal = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The URL of the first page of PIM records between `from` and `to` (both inclusive). */
export function pimAuditUrl(from: Date, to: Date): string {
  const filter = `loggedByService eq 'PIM' and activityDateTime ge ${literal(from)} and activityDateTime le ${literal(to)}`;
  return `${PATH}?$filter=${encodeURIComponent(filter)}&$top=999`;
}

/**
 * Every PIM record between `from` and `to`, following `@odata.nextLink`. A failure reads nothing: no partial
 * list comes back, and a 403 names the permission to grant.
 */
export async function readPimAudit(g: GraphApi, window: { from: Date; to: Date }): Promise<PimAuditRecord[]> {
  try {
    return await g.listAll<PimAuditRecord>(pimAuditUrl(window.from, window.to));
  } catch (e) {
    if (!isGraphError(e)) throw e;
    const hint =
      e.status === 403
        ? `grant the identity the Microsoft Graph application permission ${AUDIT_PERMISSION} (admin consent); Directory.Read.All does not include audit data`
        : e.status === 401
          ? "the token was refused: sign in again, or check the credentials of the identity"
          : undefined;
    throw new AuditReadError(`reading the PIM audit log failed: ${e.message}`, hint, e.status);
  }
}
