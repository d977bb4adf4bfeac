// Graph's error envelope (graph-pim.md §5): {"error":{"code","message","innerError":{date,request-id,client-request-id}}}.
// Route code throws GraphError; server.ts turns it into the envelope. Nothing else ever reaches a
// client: unexpected exceptions become a generic 500 without a stack trace.

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra members of innerError (the 429 sample in throttling.md carries code/status/message there). */
    readonly innerExtra: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export const badRequest = (message: string, code = "BadRequest") => new GraphError(400, code, message);

/** Directory objects answer unknown ids with this code and message (users, groups, service principals). */
export const resourceNotFound = (id: string) =>
  new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** PIM entity sets answer unknown keys with a plain OData 404. */
export const notFound = (message = "The requested resource does not exist.") =>
  new GraphError(404, "NotFound", message);

export const invalidJson = () =>
  new GraphError(
    400,
    "BadRequest",
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
  );

export const accessDenied = () =>
  new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

export function envelope(err: GraphError, requestId: string, clientRequestId: string, date: string): unknown {
  return {
    error: {
      code: err.code,
      message: err.message,
      innerError: { ...err.innerExtra, date, "request-id": requestId, "client-request-id": clientRequestId },
    },
  };
}
