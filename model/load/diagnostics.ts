/**
 * A diagnostic is one problem in the declarations, with the place to fix it. The loader collects all of them
 * before returning, so a user fixes a file once, not once per run.
 *
 * Every check reports in one style: a `Problem` (code, field path, message, fix) handed to a `Report`, which
 * places it in its file. Only file-level problems (a file that cannot be read or parsed) are built directly.
 */
import { escapeControlChars } from "../untrustedText";

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

/** One problem found by a check, before it is placed in a file. */
export interface Problem {
  code: string;
  /** Field path inside the file; `[]` is the file itself. */
  path: ReadonlyArray<PropertyKey>;
  message: string;
  hint?: string;
  /** Default: error. */
  severity?: Severity;
  /** Point at the key rather than its value (an unknown key). */
  at?: "key" | "value";
}

export type Report = (p: Problem) => void;

/** Where a field is in a file: what a `Report` needs of a parsed YAML file. */
export interface Locator {
  file: string;
  locate(path: ReadonlyArray<PropertyKey>, at?: "key" | "value"): { line: number; column: number };
}

/** A `Report` that places problems in `src` and collects them in `out`. */
export function reporter(src: Locator, out: Diagnostic[]): Report {
  return ({ path, at, severity, code, message, hint }) =>
    out.push({
      severity: severity ?? "error",
      code,
      file: src.file,
      ...src.locate(path, at),
      field: formatPath(path),
      message,
      ...(hint === undefined ? {} : { hint }),
    });
}

/** A `Report` for the part of a file under `prefix`: checks shared by several places take relative paths. */
export function within(report: Report, prefix: ReadonlyArray<PropertyKey>): Report {
  return (p) => report({ ...p, path: [...prefix, ...p.path] });
}

/** A problem with a whole file or folder (unreadable, not YAML, in the wrong place), at its first line. */
export function fileDiagnostic(
  file: string,
  code: string,
  message: string,
  hint: string,
  severity: Severity = "error",
): Diagnostic {
  return { severity, code, file, line: 1, column: 1, field: "(file)", message, hint };
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(file)";
}

/**
 * `file:line:col: error [code] field: message` then an indented hint: the shape compilers use, so editors link it.
 * Every part is escaped (model/untrustedText.ts): a field or message that quotes a pull request's text must not
 * move the cursor, start a new line that looks like a verdict, or turn text around.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const e = escapeControlChars;
  const head = `${e(d.file)}:${d.line}:${d.column}: ${d.severity} [${e(d.code)}] ${e(d.field)}: ${e(d.message)}`;
  return d.hint ? `${head}\n    fix: ${e(d.hint)}` : head;
}

/** The diagnostic with every text part escaped (model/untrustedText.ts); idempotent. */
export function escapeDiagnostic(d: Diagnostic): Diagnostic {
  const e = escapeControlChars;
  return {
    ...d,
    code: e(d.code),
    file: e(d.file),
    field: e(d.field),
    message: e(d.message),
    ...(d.hint === undefined ? {} : { hint: e(d.hint) }),
  };
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}
