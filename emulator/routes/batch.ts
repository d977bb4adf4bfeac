// JSON batching (json-batching.md; graph-pim.md §7): up to 20 requests, unique ids, `dependsOn`
// ordering with 424 for failed dependencies, per-request status/headers/body, and per-request 429s
// from the fault injector. The outer response is 200 even when inner requests fail.
import { GraphError, badRequest } from "../errors";

export interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export type SubDispatch = (r: SubRequest) => Promise<SubResponse>;

const MAX = 20;

export function parseBatch(body: unknown): SubRequest[] {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("Invalid batch payload format.");
  const reqs = (body as { requests?: unknown }).requests;
  if (!Array.isArray(reqs)) throw badRequest("Invalid batch payload format.");
  if (reqs.length === 0) throw badRequest("The batch request must contain at least one request.");
  if (reqs.length > MAX) throw badRequest(`The number of batch requests exceeds the maximum of ${MAX}.`);
  const ids = new Set<string>();
  const out = reqs.map((raw, i): SubRequest => {
    if (!raw || typeof raw !== "object")
      throw badRequest(`Invalid batch payload format: request ${i} is not an object.`);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== "string" || !r.id)
      throw badRequest(`Batch request ${i} is missing the 'id' property.`);
    if (ids.has(r.id))
      throw badRequest(`Batch request id '${r.id}' is duplicated. Request ids must be unique.`);
    ids.add(r.id);
    if (
      typeof r.method !== "string" ||
      !["GET", "POST", "PATCH", "PUT", "DELETE"].includes(r.method.toUpperCase())
    )
      throw badRequest(`Batch request '${r.id}' has an invalid 'method'.`);
    if (typeof r.url !== "string" || !r.url || /^https?:/i.test(r.url))
      throw badRequest(`Batch request '${r.id}' must have a relative 'url'.`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (!r.headers || typeof r.headers !== "object" || Array.isArray(r.headers))
        throw badRequest(`Batch request '${r.id}' has invalid 'headers'.`);
      for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
    }
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === "string"))
      throw badRequest(`Batch request '${r.id}' has an invalid 'dependsOn'.`);
    return {
      id: r.id,
      method: r.method.toUpperCase(),
      url: r.url,
      headers,
      body: r.body,
      dependsOn: dependsOn as string[],
    };
  });
  for (const r of out)
    for (const d of r.dependsOn)
      if (!ids.has(d)) throw badRequest(`Batch request '${r.id}' depends on unknown request '${d}'.`);
  return out;
}

/** Run requests respecting `dependsOn` (sequentially; order of the responses is the request order). */
export async function runBatch(reqs: SubRequest[], dispatch: SubDispatch): Promise<SubResponse[]> {
  const done = new Map<string, SubResponse>();
  const pending = [...reqs];
  let guard = 0;
  while (pending.length && guard++ < 1000) {
    const idx = pending.findIndex((r) => r.dependsOn.every((d) => done.has(d)));
    if (idx < 0) {
      // A dependency cycle: fail what remains.
      for (const r of pending.splice(0))
        done.set(r.id, failed(r.id, 424, "FailedDependency", "The request has a circular dependency."));
      break;
    }
    const r = pending.splice(idx, 1)[0]!;
    const failedDep = r.dependsOn.find((d) => (done.get(d)?.status ?? 500) >= 400);
    if (failedDep) {
      done.set(
        r.id,
        failed(r.id, 424, "FailedDependency", `The request depends on request '${failedDep}', which failed.`),
      );
      continue;
    }
    if (r.body !== undefined && r.body !== null && !Object.keys(r.headers).includes("content-type")) {
      done.set(
        r.id,
        failed(r.id, 400, "BadRequest", "Content-Type header must be specified when the request has a body."),
      );
      continue;
    }
    try {
      done.set(r.id, await dispatch(r));
    } catch (e) {
      const g = e instanceof GraphError ? e : new GraphError(500, "UnknownError", "An error has occurred.");
      done.set(r.id, failed(r.id, g.status, g.code, g.message));
    }
  }
  return reqs.map((r) => done.get(r.id)!);
}

function failed(id: string, status: number, code: string, message: string): SubResponse {
  return { id, status, headers: { "Content-Type": "application/json" }, body: { error: { code, message } } };
}
