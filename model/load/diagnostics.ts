/**
 * A diagnostic is one problem in the declarations, with the place to fix it. The loader collects all of them
 * before returning, so a user fixes a file once, not once per run.
 */
export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Stable machine code, e.g. `unknown-key`, `grant-expired`; tests and JSON consumers key on it. */
  code: string;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  /** Field path in the file, e.g. `roleSettings.directoryRoles[2].activation.maximumDuration`. */
  field: string;
  message: string;
  /** How to fix it. */
  hint?: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(file)";
}

/** `file:line:col: error [code] field: message` then an indented hint: the shape compilers use, so editors link it. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity} [${d.code}] ${d.field}: ${d.message}`;
  return d.hint ? `${head}\n    fix: ${d.hint}` : head;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/**
 * Text from a pull request (file names, YAML values) with control characters made visible, so nothing it holds
 * can move the cursor, recolour or rewrite a terminal or CI log, or reorder what a reviewer reads: C0 (`\n`,
 * `\t`, ESC, ...), DEL, C1, the line and paragraph separators and the bidirectional overrides become escapes such
 * as `\x1b` or `\u202e`.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
