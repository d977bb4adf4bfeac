/**
 * From a file's text to values the checks can use: YAML with positions, a map at the top, then the schema. When the
 * schema refuses something, the fields it accepts are still handed on, so the meaning checks run on them and a
 * file's problems are all reported in one run (a malformed end does not hide an unknown role, nor the reverse).
 */
import type { z } from "zod";
import { fileDiagnostic, type Diagnostic } from "./diagnostics";
import type { SourceFile } from "./readStack";
import { parseYamlSource, type YamlSource } from "./yamlSource";
import { zodIssuesToDiagnostics } from "./zodIssues";

const HINTS = {
  grant:
    "one grant per file: principal, role, kind, end (or duration), justification; split a list into files",
  tenant: "start from stacks/demo/tenant.yaml",
};

/** Parses `f` as YAML holding a map, or reports why not (syntax, duplicate keys, aliases, empty, not a map). */
export function parseDeclarationFile(
  f: SourceFile,
  out: Diagnostic[],
  kind: "tenant" | "grant",
): YamlSource | null {
  const src = parseYamlSource(f.path, f.text);
  if (src.syntaxErrors.length) {
    for (const e of src.syntaxErrors) {
      if (e.code === "DUPLICATE_KEY") {
        // YAML would keep one of the two values: the other setting would be lost without a word.
        const key = (f.text.split(/\r?\n/, e.line)[e.line - 1] ?? "")
          .slice(e.column - 1, e.column - 1 + 200)
          .match(/^([^:#]+?)\s*:/)?.[1];
        out.push({
          ...fileDiagnostic(
            f.path,
            "duplicate-key",
            key ? `key "${key}" is set twice in the same map` : "this key is set twice in the same map",
            "remove one of the two entries, or merge them",
          ),
          line: e.line,
          column: e.column,
        });
        continue;
      }
      out.push({
        ...fileDiagnostic(
          f.path,
          "yaml-syntax",
          `YAML syntax error: ${e.message}`,
          e.code === "ALIAS"
            ? "write the value out instead of using anchors and aliases"
            : "check indentation and quoting on this line",
        ),
        line: e.line,
        column: e.column,
      });
    }
    return null;
  }
  const empty = src.value === null || src.value === undefined;
  if (empty || typeof src.value !== "object" || Array.isArray(src.value)) {
    const what = empty
      ? "is empty"
      : Array.isArray(src.value)
        ? "holds a list"
        : `holds a single ${typeof src.value === "string" ? "line of text" : typeof src.value}`;
    out.push(
      fileDiagnostic(
        f.path,
        empty ? "empty-file" : "not-a-map",
        `${kind === "grant" ? "grant file" : "tenant.yaml"} ${what}; it must be a map of keys`,
        HINTS[kind],
      ),
    );
    return null;
  }
  return src;
}

export interface ParsedFields<T> {
  /** The whole file, when the schema accepts all of it. */
  data: T | null;
  /** Each top-level field the schema accepts on its own (all of them when `data` is set). */
  fields: Partial<T>;
  /** Top-level fields that are present but refused: checks that depend on them stand down. */
  refused: Set<string>;
}

/** Checks `src` against an object schema, reporting every issue, and keeps the fields that pass on their own. */
export function parseFields<S extends z.ZodObject>(
  schema: S,
  src: YamlSource,
  out: Diagnostic[],
): ParsedFields<z.infer<S>> {
  const full = schema.safeParse(src.value);
  if (full.success) return { data: full.data, fields: full.data, refused: new Set() };
  out.push(...zodIssuesToDiagnostics(full.error.issues, src, schema));
  const value = src.value as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  const refused = new Set<string>();
  for (const [key, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (!Object.hasOwn(value, key)) continue;
    const r = fieldSchema.safeParse(value[key]);
    if (r.success) fields[key] = r.data;
    else refused.add(key);
  }
  return { data: null, fields: fields as Partial<z.infer<S>>, refused };
}
