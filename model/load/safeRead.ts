/**
 * Reads one file of a stack the way a file from an untrusted pull request must be read: only a regular file, only
 * inside the stack's folder, only up to a byte limit, never blocking.
 *
 * The attacks this closes (issue 10): a link `grants/x.yaml -> ../../../.git/config` would put CI's credentials
 * into the output, a link to `/proc/self/environ` its secrets, a link to `/dev/zero` would grow without end, a
 * FIFO would block forever. Links that stay inside the stack's folder are followed (a shared file is harmless);
 * everything else is a diagnostic that names the file and never quotes what it points at.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileDiagnostic, type Diagnostic } from "./diagnostics";

export const READ_LIMITS = {
  /** Per file: the largest real tenant.yaml is tens of kilobytes, a grant file a few hundred bytes. */
  fileBytes: 1024 * 1024,
  /** Per stack: tens of thousands of grant files fit, a runaway file or a flood of them does not. */
  totalBytes: 64 * 1024 * 1024,
};

/** What is at a path, decided without opening it (a device or FIFO must not even be opened). */
export type Entry =
  | { kind: "missing" }
  | { kind: "file"; real: string }
  | { kind: "folder"; link: boolean }
  | { kind: "refused"; code: string; message: string; hint: string };

const REPLACE = "replace it with a regular file, or delete it";

/** What a non-regular, non-folder file is, in words. */
function specialKind(st: fs.Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/**
 * Classifies `abs` with lstat and, for a link, realpath: a regular file (possibly through a link that stays inside
 * `stackReal`), a folder, or a refusal with its reason.
 */
export function classify(abs: string, stackReal: string, stackLabel: string): Entry {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return unreadable(e);
  }
  if (st.isSymbolicLink()) {
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ELOOP")
        return {
          kind: "refused",
          code: "link-loop",
          message: "is a symbolic link that loops back on itself",
          hint: "replace the link with the file itself, or delete it",
        };
      if (code === "ENOENT" || code === "ENOTDIR")
        return {
          kind: "refused",
          code: "dangling-link",
          message: "is a symbolic link to a file that does not exist",
          hint: "replace the link with the file itself, or delete it",
        };
      return unreadable(e);
    }
    if (!isInside(stackReal, real)) {
      return {
        kind: "refused",
        code: "link-outside-stack",
        message: `is a symbolic link that leaves ${stackLabel}: only files inside the stack's folder are read`,
        hint: "replace the link with the file itself",
      };
    }
    let target: fs.Stats;
    try {
      target = fs.statSync(real);
    } catch (e) {
      return unreadable(e);
    }
    if (target.isDirectory()) return { kind: "folder", link: true };
    if (!target.isFile())
      return {
        kind: "refused",
        code: "special-file",
        message: `is a symbolic link to ${specialKind(target)}`,
        hint: REPLACE,
      };
    return { kind: "file", real };
  }
  if (st.isDirectory()) return { kind: "folder", link: false };
  if (!st.isFile())
    return { kind: "refused", code: "special-file", message: `is ${specialKind(st)}`, hint: REPLACE };
  return { kind: "file", real: abs };
}

function unreadable(e: unknown): Entry {
  const code = (e as NodeJS.ErrnoException).code ?? "an error";
  return {
    kind: "refused",
    code: "unreadable-file",
    message: `cannot be read (${code})`,
    hint: "make it readable by the user running pim, or delete it",
  };
}

/** Bytes still allowed for the rest of the stack; shared by every read of one load. */
export interface Budget {
  left: number;
}

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

// O_NOFOLLOW: the path was resolved already; a link swapped in since is refused, not followed. O_NONBLOCK: a FIFO
// swapped in since cannot block the open. Both are 0 where the platform lacks them (Windows).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a file `classify` found regular, re-checking through the open descriptor, with a byte cap per file and for
 * the stack. `rel` names it in diagnostics.
 */
export function readCapped(real: string, rel: string, budget: Budget): ReadResult {
  const refuse = (code: string, message: string, hint: string): ReadResult => ({
    ok: false,
    diagnostic: fileDiagnostic(rel, code, message, hint),
  });
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (e) {
    const entry = unreadable(e) as Extract<Entry, { kind: "refused" }>;
    return refuse(entry.code, entry.message, entry.hint);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return refuse("special-file", `is ${specialKind(st)}`, REPLACE);
    const cap = Math.min(READ_LIMITS.fileBytes, budget.left);
    // Read until the end or one byte past the cap: the size in fstat is where to start, not a promise.
    let buf = Buffer.allocUnsafe(Math.min(st.size, cap) + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length > cap) break;
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, cap + 1));
        buf.copy(grown, 0, 0, total);
        buf = grown;
      }
      const n = fs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > cap) {
      return cap < READ_LIMITS.fileBytes
        ? refuse(
            "stack-too-large",
            `is not read: the stack's files hold more than ${mib(READ_LIMITS.totalBytes)} together`,
            "split the tenant into several stacks, or remove files that are not declarations",
          )
        : refuse(
            "file-too-large",
            `holds more than ${mib(READ_LIMITS.fileBytes)}; a declaration file is at most that`,
            "one grant per file under grants/; keep tenant.yaml to settings, groups and break-glass accounts",
          );
    }
    budget.left -= total;
    try {
      return { ok: true, text: utf8.decode(buf.subarray(0, total)) };
    } catch {
      return refuse("not-utf8", "is not UTF-8 text", "save the file as UTF-8");
    }
  } finally {
    fs.closeSync(fd);
  }
}

const mib = (bytes: number) => `${bytes / (1024 * 1024)} MiB`;
