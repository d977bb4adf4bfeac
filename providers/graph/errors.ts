/**
 * The one error type of the Graph access layer. It carries what a support ticket needs (status, Graph error code,
 * message, request id, method and path) and never a token or a secret: everything it holds passes `redact` first.
 */

import { permissionHint } from "./permissions";

const REDACTED = "[REDACTED]";

/** Values registered at run time (the emulator client secret, tokens) that must never appear in an error. */
const knownSecrets = new Set<string>();

/** Registers a value (a client secret, an access token) to be masked wherever `redact` runs. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}

/**
 * Query parameters of a URL that carry credentials: anything named like a token, secret, password, signature, key,
 * code or assertion, alone or after a `_`/`-` prefix (`?sig=` of a SAS URL, `?code=` of an OAuth redirect,
 * `?x-api-key=`). Graph's paging parameters (`$skiptoken`, `$deltatoken`) are cursors, not credentials: readable.
 */
const CREDENTIAL_QUERY =
  /([?&;](?:[^=&;\s#"']*[_-])?(?:access_?token|refresh_?token|id_?token|token|client_?secret|secret|password|passwd|pwd|sig|signature|api_?key|key|code|client_?assertion|assertion|credential|sas)=)[^&;\s#"']+/gi;

/**
 * Masks credentials in free text — the one redaction of this layer, applied to everything its errors carry:
 * `user:password@` in any URL (a proxy's, a base URL's), credential query parameters, `Bearer <token>`, JWT-shaped
 * strings, `client_secret=`/`access_token=`/`client_assertion=` form or JSON fields, `Authorization` headers, and
 * every registered secret.
 */
export function redact(text: string): string {
  let out = text;
  for (const s of knownSecrets) out = out.split(s).join(REDACTED);
  return out
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']+@/gi, `$1${REDACTED}@`)
    .replace(CREDENTIAL_QUERY, `$1${REDACTED}`)
    .replace(/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${REDACTED}`)
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED)
    .replace(
      /((?:client_secret|access_token|refresh_token|id_token|client_assertion|password)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
      `$1${REDACTED}`,
    )
    .replace(/(authorization["']?\s*[:=]\s*["']?)[^"'\n,}]+/gi, `$1${REDACTED}`);
}

export interface GraphErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | null;
  method: string;
  path: string;
  date?: string | null;
  retryAfterSeconds?: number | null;
  /** What to do about it (a 403: the permission the request lacks and how to grant it). */
  hint?: string | null;
  cause?: unknown;
}

export class GraphError extends Error {
  override readonly name = "GraphError";
  /** HTTP status; 0 when no response arrived (network failure). */
  readonly status: number;
  /** Graph's `error.code` (e.g. `RoleAssignmentExists`), `NetworkError`, or `HttpError<status>` without a body. */
  readonly code: string;
  /** Graph's `error.message`, redacted. */
  readonly graphMessage: string;
  readonly requestId: string | null;
  readonly method: string;
  /** Path and query below the version (`/roleManagement/directory/...`), redacted. */
  readonly path: string;
  readonly date: string | null;
  readonly retryAfterSeconds: number | null;
  readonly hint: string | null;

  constructor(init: GraphErrorInit) {
    const graphMessage = redact(init.message);
    const path = redact(init.path);
    const id = init.requestId ? ` (request-id ${init.requestId})` : "";
    const hint = init.hint ? redact(init.hint) : null;
    super(
      `${init.method} ${path} → ${init.status || "no response"} ${init.code}: ${graphMessage}${id}${hint ? `. ${hint}` : ""}`,
    );
    this.hint = hint;
    this.status = init.status;
    this.code = init.code;
    this.graphMessage = graphMessage;
    this.requestId = init.requestId ?? null;
    this.method = init.method;
    this.path = path;
    this.date = init.date ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    if (init.cause !== undefined) {
      // Keep the cause's text for debugging, never the object (it may hold request options with headers).
      Object.defineProperty(this, "cause", {
        value: redact(String((init.cause as Error)?.message ?? init.cause)),
      });
    }
    if (this.stack) this.stack = redact(this.stack);
  }

  /** Plain data for logs and test assertions; already redacted. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      message: this.graphMessage,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      date: this.date,
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

/** Duck-typed check that survives two copies of this module (vitest and a provider loaded at call time). */
export function isGraphError(e: unknown): e is GraphError {
  return (
    !!e &&
    typeof e === "object" &&
    (e as { name?: unknown }).name === "GraphError" &&
    "status" in e &&
    "code" in e
  );
}

/**
 * Graph's PIM APIs report a missing permission as `UnknownError` whose message is itself JSON:
 * `{"errorCode":"PermissionScopeNotGranted","message":"Authorization failed due to missing permission scope …"}`
 * (Azure/azure-cli#33778, terraform-provider-azuread#1386). The inner code and message are what it means.
 */
function unwrapInnerError(code: string, message: string): { code: string; message: string } {
  if (!message.trimStart().startsWith("{")) return { code, message };
  try {
    const inner = JSON.parse(message) as { errorCode?: unknown; message?: unknown };
    if (typeof inner.errorCode === "string" && inner.errorCode)
      return { code: inner.errorCode, message: typeof inner.message === "string" ? inner.message : message };
  } catch {
    // not JSON after all
  }
  return { code, message };
}

/**
 * Builds a GraphError from a non-2xx response body (Graph's envelope, or anything else). For a 403, `token` (the
 * one that was sent) says which kind of permission to name (`permissions.ts`).
 */
export function graphErrorFromResponse(
  method: string,
  path: string,
  status: number,
  headers: { get(name: string): string | null },
  bodyText: string,
  token?: string | null,
): GraphError {
  let code = `HttpError${status}`;
  let message = bodyText.slice(0, 500) || `HTTP ${status}`;
  let requestId = headers.get("request-id") ?? headers.get("x-ms-request-id");
  let date: string | null = null;
  try {
    const parsed = JSON.parse(bodyText) as {
      error?: { code?: string; message?: string; innerError?: Record<string, string> };
    };
    if (parsed?.error) {
      ({ code, message } = unwrapInnerError(parsed.error.code || code, parsed.error.message ?? message));
      requestId = parsed.error.innerError?.["request-id"] ?? requestId;
      date = parsed.error.innerError?.date ?? null;
    }
  } catch {
    // not JSON: keep the text
  }
  const ra = headers.get("retry-after");
  const retryAfterSeconds = ra !== null && /^\d+$/.test(ra.trim()) ? Number(ra) : null;
  const hint = status === 403 ? permissionHint(method, path, token) : null;
  return new GraphError({ status, code, message, requestId, method, path, date, retryAfterSeconds, hint });
}
