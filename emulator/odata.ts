// OData query options, limited on purpose to what Graph documents for the PIM and directory sets
// (graph-pim.md §1.2, §3.5, §4, §8). A filter this module cannot answer exactly is refused with a
// 400, never evaluated approximately: a silently wrong list is the worst thing an emulator can do.
import { GraphError } from "./errors";

export type Op = "eq" | "ne" | "ge" | "le" | "gt" | "lt";
type Literal = string | number | boolean | null;

export type FilterNode =
  | { t: "cmp"; op: Op; path: string; value: Literal; isDate: boolean }
  | { t: "in"; path: string; values: Literal[] }
  | { t: "and" | "or"; left: FilterNode; right: FilterNode }
  | { t: "not"; e: FilterNode }
  | { t: "startswith"; path: string; value: string }
  | { t: "isof"; path: string; type: string }
  | { t: "any"; path: string; variable: string; body: FilterNode };

/** What one entity set accepts in `$filter`. Paths use `/` like the OData URL does. */
export interface FilterSpec {
  /** Display name of the entity type for error messages, e.g. `microsoft.graph.user`. */
  entity: string;
  props: Record<string, readonly Op[]>;
  startswith?: readonly string[];
  in?: readonly string[];
  isof?: readonly string[];
  /** Lambda collections (`targetResources/any(t: t/id eq '…')`) and what the body may use. */
  any?: Record<string, FilterSpec>;
  /** Whether `or` is accepted (roleDefinitions refuses it — graph-pim.md §3.5 [OBS]). */
  or?: boolean;
  not?: boolean;
  /** Error code for a well-formed but unsupported clause (`Request_UnsupportedQuery` on directory sets). */
  unsupportedCode?: string;
  /** Message for a refused `or` (roleDefinitions: "Or operator not supported for this entity set."). */
  orMessage?: string;
}

// ---------------------------------------------------------------- tokenizer

type Tok =
  | { k: "id"; v: string }
  | { k: "str"; v: string }
  | { k: "num"; v: number }
  | { k: "date"; v: string }
  | { k: "guid"; v: string }
  | { k: "punc"; v: "(" | ")" | "," | ":" };

const syntax = (detail: string) => new GraphError(400, "BadRequest", `Invalid filter clause: ${detail}`);

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "," || c === ":") {
      out.push({ k: "punc", v: c });
      i++;
      continue;
    }
    if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw syntax(`unterminated string literal at position ${i}.`);
        const ch = src[i]!;
        if (ch === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ k: "str", v: s });
      continue;
    }
    // Unquoted DateTimeOffset literal (audit filters: `activityDateTime ge 2026-09-01T00:00:00Z`).
    const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/.exec(src.slice(i));
    if (date) {
      out.push({ k: "date", v: date[0] });
      i += date[0].length;
      continue;
    }
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/i.exec(src.slice(i));
    if (guid) {
      out.push({ k: "guid", v: guid[0] });
      i += guid[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![\w])/.exec(src.slice(i));
    if (num) {
      out.push({ k: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_@][\w@.]*(\/[A-Za-z_@][\w@.]*)*/.exec(src.slice(i));
    if (id) {
      out.push({ k: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    throw syntax(`syntax error at position ${i} in '${src}'.`);
  }
  return out;
}

// ---------------------------------------------------------------- parser

const OPS = new Set(["eq", "ne", "ge", "le", "gt", "lt"]);

class Parser {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  parse(): FilterNode {
    if (this.toks.length === 0) throw syntax("the filter expression is empty.");
    const e = this.or();
    if (this.p < this.toks.length) throw syntax(`unexpected token at the end of '${this.src}'.`);
    return e;
  }

  private peek(): Tok | undefined {
    return this.toks[this.p];
  }
  private next(): Tok {
    const t = this.toks[this.p++];
    if (!t) throw syntax(`unexpected end of expression in '${this.src}'.`);
    return t;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return !!t && t.k === "id" && t.v.toLowerCase() === w;
  }
  private expectPunc(v: string): void {
    const t = this.next();
    if (t.k !== "punc" || t.v !== v) throw syntax(`expected '${v}' in '${this.src}'.`);
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord("or")) {
      this.p++;
      left = { t: "or", left, right: this.and() };
    }
    return left;
  }
  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord("and")) {
      this.p++;
      left = { t: "and", left, right: this.unary() };
    }
    return left;
  }
  private unary(): FilterNode {
    if (this.isWord("not")) {
      this.p++;
      return { t: "not", e: this.unary() };
    }
    return this.primary();
  }
  private literal(): { value: Literal; isDate: boolean } {
    const t = this.next();
    switch (t.k) {
      case "str":
        return { value: t.v, isDate: false };
      case "num":
        return { value: t.v, isDate: false };
      case "date":
        return { value: t.v, isDate: true };
      case "guid":
        return { value: t.v, isDate: false };
      case "id": {
        const w = t.v.toLowerCase();
        if (w === "true") return { value: true, isDate: false };
        if (w === "false") return { value: false, isDate: false };
        if (w === "null") return { value: null, isDate: false };
        throw syntax(`'${t.v}' is not a literal value in '${this.src}'.`);
      }
      default:
        throw syntax(`unexpected '${t.v}' in '${this.src}'.`);
    }
  }
  private primary(): FilterNode {
    const t = this.next();
    if (t.k === "punc" && t.v === "(") {
      const e = this.or();
      this.expectPunc(")");
      return e;
    }
    if (t.k !== "id") throw syntax(`expected a property name in '${this.src}'.`);
    const nt = this.peek();
    // function call: startswith(path,'x'), isof(path,'type'), or collection/any(v: body)
    if (nt && nt.k === "punc" && nt.v === "(") {
      this.p++;
      const lower = t.v.toLowerCase();
      if (lower.endsWith("/any")) {
        const path = t.v.slice(0, -4);
        const v = this.next();
        if (v.k !== "id") throw syntax(`expected a lambda variable in '${this.src}'.`);
        this.expectPunc(":");
        const body = this.or();
        this.expectPunc(")");
        return { t: "any", path, variable: v.v, body };
      }
      if (lower === "startswith" || lower === "isof") {
        const a = this.next();
        if (a.k !== "id") throw syntax(`expected a property name in '${this.src}'.`);
        this.expectPunc(",");
        const b = this.next();
        if (b.k !== "str") throw syntax(`expected a string literal in '${this.src}'.`);
        this.expectPunc(")");
        return lower === "isof"
          ? { t: "isof", path: a.v, type: b.v }
          : { t: "startswith", path: a.v, value: b.v };
      }
      throw new GraphError(400, "BadRequest", `Invalid filter clause: function '${t.v}' is not supported.`);
    }
    const opTok = this.next();
    if (opTok.k !== "id") throw syntax(`expected an operator after '${t.v}' in '${this.src}'.`);
    const op = opTok.v.toLowerCase();
    if (op === "in") {
      this.expectPunc("(");
      const values: Literal[] = [];
      for (;;) {
        values.push(this.literal().value);
        const sep = this.next();
        if (sep.k === "punc" && sep.v === ")") break;
        if (sep.k !== "punc" || sep.v !== ",") throw syntax(`expected ',' or ')' in '${this.src}'.`);
      }
      return { t: "in", path: t.v, values };
    }
    if (!OPS.has(op)) {
      if (["has", "add", "sub", "mul", "div", "mod"].includes(op))
        throw new GraphError(400, "BadRequest", `Invalid filter clause: operator '${op}' is not supported.`);
      throw syntax(`unknown operator '${opTok.v}' in '${this.src}'.`);
    }
    const lit = this.literal();
    return { t: "cmp", op: op as Op, path: t.v, value: lit.value, isDate: lit.isDate };
  }
}

export function parseFilter(src: string): FilterNode {
  if (src.length > 4096) throw syntax("the filter expression is too long.");
  return new Parser(tokenize(src), src).parse();
}

// ---------------------------------------------------------------- validation against a spec

function unsupported(spec: FilterSpec, message: string): GraphError {
  return new GraphError(400, spec.unsupportedCode ?? "BadRequest", message);
}

function propMessage(spec: FilterSpec, path: string): string {
  return `Unsupported or invalid query filter clause specified for property '${path}' of resource '${spec.entity}'.`;
}

/** Throws unless every clause is one the entity set supports. */
export function checkFilter(node: FilterNode, spec: FilterSpec, lambdaVar?: string): void {
  const strip = (p: string): string => {
    if (lambdaVar === undefined) return p;
    if (!p.startsWith(`${lambdaVar}/`))
      throw unsupported(
        spec,
        `Invalid filter clause: '${p}' does not use the lambda variable '${lambdaVar}'.`,
      );
    return p.slice(lambdaVar.length + 1);
  };
  switch (node.t) {
    case "and":
      checkFilter(node.left, spec, lambdaVar);
      checkFilter(node.right, spec, lambdaVar);
      return;
    case "or":
      if (spec.or === false)
        throw unsupported(spec, spec.orMessage ?? "Or operator not supported for this entity set.");
      checkFilter(node.left, spec, lambdaVar);
      checkFilter(node.right, spec, lambdaVar);
      return;
    case "not":
      if (!spec.not) throw unsupported(spec, "The 'not' operator is not supported for this entity set.");
      checkFilter(node.e, spec, lambdaVar);
      return;
    case "cmp": {
      const p = strip(node.path);
      const ops = Object.hasOwn(spec.props, p) ? spec.props[p] : undefined;
      if (!ops || !ops.includes(node.op)) throw unsupported(spec, propMessage(spec, p));
      return;
    }
    case "in": {
      const p = strip(node.path);
      if (!spec.in?.includes(p)) throw unsupported(spec, propMessage(spec, p));
      return;
    }
    case "startswith": {
      const p = strip(node.path);
      if (!spec.startswith?.includes(p)) throw unsupported(spec, propMessage(spec, p));
      return;
    }
    case "isof": {
      const p = strip(node.path);
      if (!spec.isof?.includes(p)) throw unsupported(spec, propMessage(spec, p));
      return;
    }
    case "any": {
      const p = strip(node.path);
      const inner = spec.any && Object.hasOwn(spec.any, p) ? spec.any[p] : undefined;
      if (!inner) throw unsupported(spec, propMessage(spec, p));
      checkFilter(node.body, { ...inner, unsupportedCode: spec.unsupportedCode }, node.variable);
      return;
    }
  }
}

// ---------------------------------------------------------------- evaluation

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- OData filters walk arbitrary JSON objects by path
export type Resolver = (obj: any, path: string) => unknown;

export const defaultResolver: Resolver = (obj, path) => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OData filters walk arbitrary JSON objects by path
  let cur: any = obj;
  for (const seg of path.split("/")) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[seg];
  }
  return cur;
};

function eqValues(a: unknown, b: Literal): boolean {
  if (b === null) return a === null || a === undefined;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function compare(a: unknown, b: Literal, isDate: boolean): number | null {
  if (a === null || a === undefined || b === null) return null;
  if (isDate || (typeof a === "string" && typeof b === "string" && /^\d{4}-\d{2}-\d{2}T/.test(a))) {
    const x = Date.parse(String(a));
    const y = Date.parse(String(b));
    if (Number.isNaN(x) || Number.isNaN(y)) return null;
    return x - y;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a.localeCompare(b);
  return null;
}

export function evalFilter(
  node: FilterNode,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OData filters walk arbitrary JSON objects by path
  obj: any,
  resolve: Resolver = defaultResolver,
  lambda?: { v: string },
): boolean {
  const get = (p: string): unknown => {
    if (lambda && p.startsWith(`${lambda.v}/`)) return defaultResolver(obj, p.slice(lambda.v.length + 1));
    return resolve(obj, p);
  };
  switch (node.t) {
    case "and":
      return evalFilter(node.left, obj, resolve, lambda) && evalFilter(node.right, obj, resolve, lambda);
    case "or":
      return evalFilter(node.left, obj, resolve, lambda) || evalFilter(node.right, obj, resolve, lambda);
    case "not":
      return !evalFilter(node.e, obj, resolve, lambda);
    case "cmp": {
      const a = get(node.path);
      if (node.op === "eq") return eqValues(a, node.value);
      if (node.op === "ne") return !eqValues(a, node.value);
      const c = compare(a, node.value, node.isDate);
      if (c === null) return false;
      return node.op === "ge" ? c >= 0 : node.op === "le" ? c <= 0 : node.op === "gt" ? c > 0 : c < 0;
    }
    case "in": {
      const a = get(node.path);
      return node.values.some((v) => eqValues(a, v));
    }
    case "startswith": {
      const a = get(node.path);
      return typeof a === "string" && a.toLowerCase().startsWith(node.value.toLowerCase());
    }
    case "isof": {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OData filters walk arbitrary JSON objects by path
      const a = get(node.path) as any;
      const t = node.type.startsWith("#") ? node.type.slice(1) : node.type;
      return (
        !!a &&
        typeof a === "object" &&
        String(a["@odata.type"] ?? "")
          .replace(/^#/, "")
          .toLowerCase() === t.toLowerCase()
      );
    }
    case "any": {
      const coll = get(node.path);
      if (!Array.isArray(coll)) return false;
      return coll.some((item) => evalFilter(node.body, item, defaultResolver, { v: node.variable }));
    }
  }
}

/**
 * The `eq` constraints of a filter that is a pure conjunction (`a eq 'x' and b eq 'y'`), or null if
 * the filter has any other shape. Used to enforce Graph's "this list requires `$filter` (`eq`) on …"
 * rules (graph-pim.md §1.2, §4).
 */
export function eqConstraints(node: FilterNode | null): Map<string, Literal> | null {
  if (!node) return null;
  const out = new Map<string, Literal>();
  const walk = (n: FilterNode): boolean => {
    if (n.t === "and") return walk(n.left) && walk(n.right);
    if (n.t === "cmp" && n.op === "eq") {
      out.set(n.path, n.value);
      return true;
    }
    return false;
  };
  return walk(node) ? out : null;
}

// ---------------------------------------------------------------- $select / $expand / paging

export interface QueryOptions {
  filter: FilterNode | null;
  filterText: string | null;
  select: string[] | null;
  expand: ExpandItem[];
  top: number | null;
  skip: number;
  count: boolean;
  orderby: { path: string; desc: boolean } | null;
}

export interface ExpandItem {
  name: string;
  /** Nested options, e.g. `policy($expand=rules)` or `rules($select=id)`. */
  nested: { expand: ExpandItem[]; select: string[] | null };
}

const KNOWN = new Set([
  "$filter",
  "$select",
  "$expand",
  "$top",
  "$skiptoken",
  "$count",
  "$orderby",
  "$format",
]);

/** Split on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0)
      throw new GraphError(
        400,
        "BadRequest",
        `Parsing OData Select and Expand failed: unbalanced parentheses in '${s}'.`,
      );
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (depth !== 0)
    throw new GraphError(
      400,
      "BadRequest",
      `Parsing OData Select and Expand failed: unbalanced parentheses in '${s}'.`,
    );
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function parseExpand(s: string): ExpandItem[] {
  return splitTop(s).map((item) => {
    const m = /^([\w*]+)(?:\((.*)\))?$/.exec(item);
    if (!m)
      throw new GraphError(
        400,
        "BadRequest",
        `Parsing OData Select and Expand failed: could not parse '${item}'.`,
      );
    const nested: ExpandItem["nested"] = { expand: [], select: null };
    if (m[2]) {
      for (const opt of m[2].split(";")) {
        const eq = opt.indexOf("=");
        const k = opt.slice(0, eq).trim();
        const v = opt.slice(eq + 1).trim();
        if (k === "$expand") nested.expand = parseExpand(v);
        else if (k === "$select") nested.select = splitTop(v);
        else
          throw new GraphError(
            400,
            "BadRequest",
            `Parsing OData Select and Expand failed: '${k}' is not supported inside $expand.`,
          );
      }
    }
    return { name: m[1]!, nested };
  });
}

export function parseQuery(params: URLSearchParams): QueryOptions {
  for (const key of params.keys()) {
    if (key.startsWith("$") && !KNOWN.has(key.toLowerCase()))
      throw new GraphError(
        400,
        "BadRequest",
        `Query option '${key}' is not allowed. To use this option, remove it or use a supported query option.`,
      );
  }
  const get = (k: string) => params.get(k) ?? params.get(k.toUpperCase());
  const filterText = get("$filter");
  const filter = filterText !== null ? parseFilter(filterText) : null;
  const selectRaw = get("$select");
  const select = selectRaw !== null ? splitTop(selectRaw).filter(Boolean) : null;
  const expandRaw = get("$expand");
  const expand = expandRaw ? parseExpand(expandRaw) : [];
  const topRaw = get("$top");
  let top: number | null = null;
  if (topRaw !== null) {
    if (!/^\d+$/.test(topRaw) || Number(topRaw) < 1 || Number(topRaw) > 999)
      throw new GraphError(
        400,
        "BadRequest",
        `Invalid page size specified: '${topRaw}'. Must be between 1 and 999 inclusive.`,
      );
    top = Number(topRaw);
  }
  const countRaw = get("$count");
  if (countRaw !== null && countRaw !== "true" && countRaw !== "false")
    throw new GraphError(
      400,
      "BadRequest",
      `Invalid value '${countRaw}' for $count; expected true or false.`,
    );
  const tokenRaw = get("$skiptoken");
  let skip = 0;
  if (tokenRaw !== null) skip = decodeSkipToken(tokenRaw);
  const orderRaw = get("$orderby");
  let orderby: QueryOptions["orderby"] = null;
  if (orderRaw !== null) {
    const m = /^\s*([\w/]+)(?:\s+(asc|desc))?\s*$/i.exec(orderRaw);
    if (!m) throw new GraphError(400, "BadRequest", `Invalid $orderby expression '${orderRaw}'.`);
    orderby = { path: m[1]!, desc: (m[2] ?? "asc").toLowerCase() === "desc" };
  }
  return { filter, filterText, select, expand, top, skip, count: countRaw === "true", orderby };
}

// Skip tokens are opaque to clients (concepts/paging.md); ours carry an offset and a checksum so a
// hand-edited or truncated token is refused instead of silently restarting the listing.
export function encodeSkipToken(offset: number): string {
  const body = `o${offset}`;
  return Buffer.from(`${body}.${checksum(body)}`).toString("base64url");
}

function checksum(s: string): string {
  let h = 7;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(36);
}

function decodeSkipToken(token: string): number {
  const raw = Buffer.from(token, "base64url").toString("utf8");
  const m = /^o(\d{1,9})\.([a-z0-9]+)$/.exec(raw);
  if (!m || checksum(`o${m[1]}`) !== m[2])
    throw new GraphError(400, "BadRequest", "The $skiptoken is invalid or has expired.");
  return Number(m[1]);
}

/** Apply `$select` to one object (Graph keeps `@odata.*` annotations). */
export function applySelect<T extends Record<string, unknown>>(
  obj: T,
  select: string[] | null,
): Record<string, unknown> {
  if (!select || select.includes("*")) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k.startsWith("@odata.")) out[k] = v;
  for (const s of select) if (s in obj) out[s] = obj[s];
  return out;
}

/** Refuse `$select` of a property the type does not have, as Graph does. */
export function checkSelect(select: string[] | null, known: readonly string[], typeName: string): void {
  if (!select) return;
  for (const s of select) {
    if (s === "*") continue;
    if (!known.includes(s))
      throw new GraphError(
        400,
        "BadRequest",
        `Could not find a property named '${s}' on type '${typeName}'.`,
      );
  }
}

/** `eq` clauses found in the top-level `and` chain (other clauses are ignored). */
export function andEqClauses(node: FilterNode | null): Map<string, Literal> {
  const out = new Map<string, Literal>();
  const walk = (n: FilterNode): void => {
    if (n.t === "and") {
      walk(n.left);
      walk(n.right);
    } else if (n.t === "cmp" && n.op === "eq") out.set(n.path, n.value);
  };
  if (node) walk(node);
  return out;
}
