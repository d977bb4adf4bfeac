/**
 * Turns zod issues into diagnostics a person can act on: the field, what was wrong in plain words, and a fix.
 */
import type { z } from "zod";
import { closest } from "../catalog";
import { formatPath, type Diagnostic } from "./diagnostics";
import type { YamlSource } from "./yamlSource";

type AnySchema = z.ZodType;

/** What this walk reads of a zod schema's internal definition (zod 4 `_zod.def`). */
interface Def {
  type: string;
  innerType?: Walkable;
  in?: Walkable;
  out?: Walkable;
  shape?: Record<string, Walkable>;
  element?: Walkable;
  valueType?: Walkable;
  options?: Walkable[];
}
interface Walkable {
  _zod?: { def?: Def };
}

const defOf = (s: Walkable | undefined): Def | undefined => s?._zod?.def;

/** Through optional, nullable, default and transform wrappers to the schema that holds the keys. */
function unwrap(x: Walkable | undefined): Walkable | undefined {
  for (let i = 0; i < 20 && x; i++) {
    const def = defOf(x);
    if (!def) return x;
    if (def.type === "optional" || def.type === "nullable" || def.type === "default") x = def.innerType;
    else if (def.type === "pipe") x = defOf(def.in)?.type === "transform" ? def.out : def.in;
    else return x;
  }
  return x;
}

const objectShape = (s: Walkable | undefined): Record<string, Walkable> | undefined => {
  const def = defOf(s);
  return def?.type === "object" ? def.shape : undefined;
};

/** Walks a schema along a data path to the object schema there, to list the keys it allows. */
function objectKeysAt(schema: AnySchema, path: ReadonlyArray<PropertyKey>): string[] | null {
  let s: Walkable | undefined = schema as unknown as Walkable;
  for (const seg of path) {
    s = unwrap(s);
    const def = defOf(s);
    if (!def) return null;
    if (def.type === "object") s = def.shape?.[seg as string];
    else if (def.type === "array") s = def.element;
    else if (def.type === "record") s = def.valueType;
    else if (def.type === "union") {
      // Pick the first option that has this key.
      const opt = (def.options ?? []).map(unwrap).find((o) => (seg as string) in (objectShape(o) ?? {}));
      if (!opt) return null;
      s = objectShape(opt)![seg as string];
    } else return null;
  }
  s = unwrap(s);
  const def = defOf(s);
  if (def?.type === "object") return Object.keys(def.shape ?? {});
  if (def?.type === "union") {
    const keys = (def.options ?? []).map(unwrap).flatMap((o) => Object.keys(objectShape(o) ?? {}));
    return keys.length ? keys : null;
  }
  return null;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  if (typeof v === "string") return `the text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const WRONG_TYPE_HINTS: Record<string, string> = {
  string: "quote the value if YAML read it as another type",
  number: "write the number without quotes",
  boolean: "write true or false without quotes",
  array: 'write a list: one "- item" per line, or [a, b]',
};

/** What a field is called in a message: its key, or "entry in <list>" for a list item. */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  const last = path[path.length - 1];
  if (typeof last !== "number") return String(last ?? "value");
  const parent = path[path.length - 2];
  return parent === undefined ? "entry" : `entry in ${String(parent)}`;
}

const EXPECTED_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  object: "a map of keys",
  array: "a list",
};

export function zodIssuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  src: YamlSource,
  schema: AnySchema,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    const base = { severity: "error" as const, file: src.file };
    if (issue.code === "unrecognized_keys") {
      const allowed = objectKeysAt(schema, path) ?? [];
      for (const key of issue.keys) {
        const full = [...path, key];
        const near = closest(key, allowed);
        out.push({
          ...base,
          code: "unknown-key",
          ...src.locate(full, "key"),
          field: formatPath(full),
          message: `unknown key "${key}"`,
          hint: near.length
            ? `did you mean "${near[0]}"? (a misspelt key would silently drop a setting, so it is refused)`
            : `remove it; allowed here: ${allowed.join(", ")}`,
        });
      }
      continue;
    }
    const value = valueAt(src.value, path);
    const loc = src.locate(path);
    const field = formatPath(path);
    if (issue.code === "invalid_type") {
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      if (value === undefined) {
        out.push({
          ...base,
          code: "missing-field",
          ...loc,
          field,
          message: `is required (${expected})`,
          hint: `add "${String(path[path.length - 1] ?? field)}:"`,
        });
      } else {
        out.push({
          ...base,
          code: "wrong-type",
          ...loc,
          field,
          message: `must be ${expected}, not ${describeValue(value)}`,
          hint: WRONG_TYPE_HINTS[issue.expected],
        });
      }
      continue;
    }
    if (issue.code === "invalid_value") {
      const options = issue.values.map((v) => String(v));
      if (value === undefined) {
        out.push({
          ...base,
          code: "missing-field",
          ...loc,
          field,
          message: `is required (${options.join(" or ")})`,
          hint: `add "${fieldName(path)}:"`,
        });
        continue;
      }
      const near = typeof value === "string" ? closest(value, options) : [];
      out.push({
        ...base,
        code: "invalid-value",
        ...loc,
        field,
        message: `must be one of ${options.join(", ")}, not ${describeValue(value)}`,
        hint: near.length ? `did you mean "${near[0]}"?` : undefined,
      });
      continue;
    }
    if (issue.code === "invalid_union") {
      const allowed = objectKeysAt(schema, path);
      // A map with a misspelt key ({ usr: ... }): name the key it was probably meant to be.
      const near =
        allowed && value !== null && typeof value === "object" && !Array.isArray(value)
          ? Object.keys(value)
              .filter((k) => !allowed.includes(k))
              .map((k) => ({ k, near: closest(k, allowed)[0] }))
              .find((x) => x.near !== undefined)
          : undefined;
      const forms =
        issue.message && !issue.message.startsWith("Invalid input")
          ? issue.message
          : allowed
            ? `write one of the forms: ${allowed.map((k) => `{ ${k}: ... }`).join(", ")}`
            : undefined;
      out.push({
        ...base,
        code: "invalid-value",
        ...loc,
        field,
        message: `${describeValue(value)} is not a valid ${fieldName(path)}`,
        hint: near ? `did you mean "${near.near}" instead of "${near.k}"? ${forms ?? ""}`.trim() : forms,
      });
      continue;
    }
    if (issue.code === "too_small" || issue.code === "too_big") {
      const bound = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const unit = issue.origin === "array" ? "item" : issue.origin === "string" ? "character" : "";
      const what = unit && bound !== "1" ? `${unit}s` : unit;
      const most = issue.code === "too_small" ? "at least" : "at most";
      const msg =
        issue.origin === "string" && issue.code === "too_small" && bound === "1"
          ? "must not be empty"
          : what
            ? `must have ${most} ${bound} ${what}`
            : `must be ${most} ${bound}`;
      out.push({
        ...base,
        code: issue.code === "too_small" ? "too-small" : "too-big",
        ...loc,
        field,
        message: msg,
      });
      continue;
    }
    if (issue.code === "invalid_key") {
      // A map key refused by its schema (a profile name, a rule id): say why, at the key.
      const inner = issue.issues[0]?.message ?? "is not allowed here";
      out.push({
        ...base,
        code: "invalid-key",
        ...src.locate(path, "key"),
        field,
        message: `key ${inner}`,
      });
      continue;
    }
    // custom and format issues carry our own message (see model/schema/common.ts).
    out.push({ ...base, code: "invalid-value", ...loc, field, message: issue.message });
  }
  return out;
}
