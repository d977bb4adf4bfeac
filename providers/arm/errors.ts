/**
 * The one error type of the ARM access layer, as `GraphError` is Graph's: status, ARM's error code and message
 * (the CloudError envelope `{"error":{"code","message"}}`), request id, method and path — all redacted, never a
 * token. A refusal (403 `AuthorizationFailed`) names what to grant: an Azure role at the scope (Azure RBAC), not a
 * Graph permission — ARM knows nothing of Graph's app roles.
 */
import { redact } from "../graph";

export interface ArmErrorInit {
  status: number;
  code: string;
  message: string;
  method: string;
  path: string;
  requestId?: string | null;
  hint?: string | null;
  cause?: unknown;
}

export class ArmError extends Error {
  override readonly name = "ArmError";
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** ARM's `error.code` (`AuthorizationFailed`, `SubscriptionNotFound`), `NetworkError`, or `HttpError<status>`. */
  readonly code: string;
  /** ARM's `error.message`, redacted. */
  readonly armMessage: string;
  readonly method: string;
  /** Path and query (`/subscriptions/…/providers/Microsoft.Authorization/…?api-version=…`), redacted. */
  readonly path: string;
  readonly requestId: string | null;
  /** What to do about it: for a 403, the Azure role to assign at the scope. */
  readonly hint: string | null;
  /** The message without the hint (a caller that gives its own fix, the live reader, shows this). */
  readonly summary: string;

  constructor(init: ArmErrorInit) {
    const armMessage = redact(init.message);
    const path = redact(init.path);
    const hint = init.hint ? redact(init.hint) : null;
    const id = init.requestId ? ` (request-id ${init.requestId})` : "";
    const summary = `${init.method} ${path} → ${init.status || "no response"} ${init.code}: ${armMessage}${id}`;
    super(`${summary}${hint ? `. ${hint}` : ""}`);
    this.summary = summary;
    this.status = init.status;
    this.code = init.code;
    this.armMessage = armMessage;
    this.method = init.method;
    this.path = path;
    this.requestId = init.requestId ?? null;
    this.hint = hint;
    if (init.cause !== undefined)
      Object.defineProperty(this, "cause", {
        value: redact(String((init.cause as Error)?.message ?? init.cause)),
      });
    if (this.stack) this.stack = redact(this.stack);
  }
}

/** Duck-typed, like `isGraphError`: survives two copies of this module. */
export function isArmError(e: unknown): e is ArmError {
  return !!e && typeof e === "object" && (e as { name?: unknown }).name === "ArmError" && "status" in e;
}

/** The ARM scope a request path is about: everything before `/providers/Microsoft.Authorization`. */
export function scopeOfPath(path: string): string {
  const p = path.split("?")[0]!;
  const i = p.search(/\/providers\/Microsoft\.Authorization\//i);
  return i > 0 ? p.slice(0, i) : p || "/";
}

/**
 * The Azure role that lets an identity do `method` at `scope`, least privileged: reading role definitions and role
 * management policies is `Microsoft.Authorization/*\/read`, in Reader; changing a policy needs
 * `Microsoft.Authorization/roleManagementPolicies/write`, which User Access Administrator and Owner hold
 * (`Microsoft.Authorization/*`). Role Based Access Control Administrator's documented actions do not include it,
 * so it is not named (the emulator refuses it too: emulator/README.md).
 */
export function azureRoleFor(method: string, scope: string): string {
  return method.toUpperCase() === "GET"
    ? `Reader at ${scope}`
    : `User Access Administrator (or Owner) at ${scope}`;
}

/** An ArmError from a non-2xx answer: ARM's CloudError envelope when there is one, the text otherwise. */
export function armErrorFromResponse(
  method: string,
  path: string,
  status: number,
  headers: { get(name: string): string | null },
  bodyText: string,
): ArmError {
  let code = `HttpError${status}`;
  let message = bodyText.slice(0, 500) || `HTTP ${status}`;
  try {
    const parsed = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } };
    if (parsed?.error) {
      if (typeof parsed.error.code === "string" && parsed.error.code) code = parsed.error.code;
      if (typeof parsed.error.message === "string") message = parsed.error.message;
    }
  } catch {
    // not JSON: keep the text
  }
  const requestId =
    headers.get("x-ms-request-id") ?? headers.get("x-ms-correlation-request-id") ?? headers.get("request-id");
  const hint =
    status === 403
      ? `assign the identity the Azure role ${azureRoleFor(method, scopeOfPath(path))}`
      : status === 401
        ? "the token was refused: sign in again (pim:credential), or check that the identity belongs to the tenant"
        : null;
  return new ArmError({ status, code, message, method, path, requestId, hint });
}
