/**
 * A configuration problem of the Graph layer (base URL, credentials, proxy, tenant): the user's to fix, reported
 * without a stack trace by the program and the providers. Its message passes `redact` (a base URL or a proxy value
 * may carry `user:password@`).
 */
import { redact } from "./errors";

export class GraphConfigError extends Error {
  override readonly name: string = "GraphConfigError";

  constructor(message: string) {
    super(redact(message));
  }
}
