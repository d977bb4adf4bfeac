// Fault injection: make the next matching requests fail the way Graph and the network fail, so the
// product's retry and idempotency code runs for real (throttling.md; §3.6 "commit then drop" explains
// the spurious RoleAssignmentDoesNotExist after a lost 201).
import { randomUUID } from "node:crypto";

export type FaultKind =
  "throttle" | "unavailable" | "gatewayTimeout" | "latency" | "reset" | "commitThenDrop";

export interface FaultSpec {
  method?: string;
  /** A glob over the path without query (`*` = one segment's characters, `**` = anything) or a RegExp. */
  path: string | RegExp;
  /** Probability per matching request, 0..1 (default 1). */
  rate?: number;
  /** Fire at most this many times, then the fault removes itself. */
  count?: number;
  kind: FaultKind;
  retryAfterSeconds?: number;
  latencyMs?: number;
}

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  re: RegExp;
  fired: number;
}

const KINDS: FaultKind[] = [
  "throttle",
  "unavailable",
  "gatewayTimeout",
  "latency",
  "reset",
  "commitThenDrop",
];

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i");
}

export class Faults {
  private list: ActiveFault[] = [];
  /** Injectable for deterministic tests of `rate`. */
  random: () => number = Math.random;

  add(spec: FaultSpec): string {
    if (!spec || !KINDS.includes(spec.kind)) throw new Error(`fault kind must be one of ${KINDS.join(", ")}`);
    if (typeof spec.path !== "string" && !(spec.path instanceof RegExp))
      throw new Error("fault path must be a glob string or a RegExp");
    if (spec.rate !== undefined && (typeof spec.rate !== "number" || spec.rate < 0 || spec.rate > 1))
      throw new Error("fault rate must be between 0 and 1");
    if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1))
      throw new Error("fault count must be a positive integer");
    const id = randomUUID();
    const re = spec.path instanceof RegExp ? spec.path : globToRegExp(spec.path);
    this.list.push({ id, spec, re, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    const n = this.list.length;
    this.list = this.list.filter((f) => f.id !== id);
    return this.list.length !== n;
  }

  clear(): void {
    this.list = [];
  }

  describe(): Array<Omit<FaultSpec, "path"> & { id: string; path: string; fired: number }> {
    return this.list.map((f) => ({ ...f.spec, path: String(f.spec.path), id: f.id, fired: f.fired }));
  }

  /** The first fault that matches and fires for this request, consuming one of its `count`. */
  pick(method: string, path: string): FaultSpec | null {
    for (const f of this.list) {
      if (f.spec.method && f.spec.method.toUpperCase() !== method.toUpperCase()) continue;
      f.re.lastIndex = 0;
      if (!f.re.test(path)) continue;
      if (this.random() >= (f.spec.rate ?? 1)) continue;
      f.fired++;
      if (f.spec.count !== undefined && f.fired >= f.spec.count) this.remove(f.id);
      return f.spec;
    }
    return null;
  }
}
