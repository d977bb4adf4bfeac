/**
 * Finds a stack's folder and reads its declaration files: `tenant.yaml` and `grants/*.yaml`, each through
 * `safeRead`. Whatever else the folder holds is looked at, never read: a YAML file the loader would skip is an
 * error (a grant saved in the wrong place, or a misspelt `grants/`, would otherwise vanish from the next
 * `pulumi up` and its access be removed), another file inside grants/ a warning.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { closest } from "../catalog";
import { findControlChar } from "../untrustedText";
import { fileDiagnostic, type Diagnostic } from "./diagnostics";
import { classify, READ_LIMITS, readCapped, type Budget, type Entry } from "./safeRead";

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  text: string;
}

export interface StackFiles {
  /** Null when tenant.yaml exists but cannot be read (a folder, a link out of the stack, too large…). */
  tenant: SourceFile | null;
  grants: SourceFile[];
  /** Why something was not read, or is in a place where it is not read. */
  diagnostics: Diagnostic[];
}

export class StackNotFoundError extends Error {
  readonly known: string[];
  constructor(
    readonly stackName: string,
    known: string[],
  ) {
    super(
      `no stack named "${stackName}": stacks/${stackName}/tenant.yaml does not exist` +
        (known.length ? ` (stacks here: ${known.join(", ")})` : ""),
    );
    this.known = known;
  }
}

/** A plain folder name: not "." or "..", which would read tenant.yaml from outside stacks/. */
const STACK_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const YAML_FILE = /\.ya?ml$/i;
/** Expected in grants/ and not worth a warning. */
const QUIET_FILES = /^(README\.md|\.gitkeep)$/i;
/** How far the look for misplaced YAML goes: deep and wide enough for any mistake, bounded for any attack. */
const WALK_LIMITS = { depth: 8, entries: 100_000 };

const lexists = (p: string) => {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

export function listStacks(root: string): string[] {
  const dir = path.join(root, "stacks");
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((d) => d.isDirectory() && lexists(path.join(dir, d.name, "tenant.yaml")))
    .map((d) => d.name)
    .sort();
}

const realpathOrNull = (p: string): string | null => {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
};
const isDirectory = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
/** A folder's entries, or none when it cannot be listed (what is in it is then not read either). */
const listFolder = (p: string): fs.Dirent[] => {
  try {
    return fs.readdirSync(p, { withFileTypes: true });
  } catch {
    return [];
  }
};

export function readStack(root: string, stack: string): StackFiles {
  const dir = path.join(root, "stacks", stack);
  const tenantPath = path.join(dir, "tenant.yaml");
  if (!STACK_NAME.test(stack) || !lexists(tenantPath)) {
    throw new StackNotFoundError(stack, listStacks(root));
  }
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
  const label = `stacks/${stack}/`;
  const out: StackFiles = { tenant: null, grants: [], diagnostics: [] };
  /** A problem with the file or folder at `p`; the message starts with its name (a folder's ends in `/`). */
  const problem = (p: string, code: string, message: string, hint: string, severity?: "warning") =>
    out.diagnostics.push(fileDiagnostic(rel(p), code, `${path.basename(p)} ${message}`, hint, severity));
  const folderProblem = (p: string, code: string, message: string, hint: string, severity?: "warning") =>
    out.diagnostics.push(
      fileDiagnostic(`${rel(p)}/`, code, `${path.basename(p)}/ ${message}`, hint, severity),
    );

  // The folder itself must be where it says: `stacks` or `stacks/<stack>` as a link would make "inside the
  // stack" mean anywhere on the machine.
  const stackReal = realpathOrNull(dir);
  if (stackReal === null || !isDirectory(stackReal)) {
    folderProblem(
      dir,
      "unreadable-file",
      "cannot be read as a folder",
      "make it a folder readable by the user running pim",
    );
    return out;
  }
  if (stackReal !== path.join(fs.realpathSync(root), "stacks", stack)) {
    folderProblem(
      dir,
      "stack-folder-link",
      "is reached through a symbolic link: a stack is read only from a real folder under stacks/",
      "replace the link (stacks/ or the stack's folder) with the folder itself",
    );
    return out;
  }

  const budget: Budget = { left: READ_LIMITS.totalBytes };
  const read = (abs: string, entry: Entry, what: string): SourceFile | null => {
    if (entry.kind === "refused") {
      problem(abs, entry.code, entry.message, entry.hint);
      return null;
    }
    if (entry.kind === "folder") {
      folderProblem(
        abs,
        "folder-not-file",
        `is a folder; ${what} must be a file`,
        "replace the folder with a file",
      );
      return null;
    }
    if (entry.kind === "missing") return null;
    const r = readCapped(entry.real, rel(abs), budget);
    if (!r.ok) {
      out.diagnostics.push({ ...r.diagnostic, message: `${path.basename(abs)} ${r.diagnostic.message}` });
      return null;
    }
    return { path: rel(abs), text: r.text };
  };

  out.tenant = read(tenantPath, classify(tenantPath, stackReal, label), "tenant.yaml");

  const grantsDir = path.join(dir, "grants");
  const grants = classify(grantsDir, stackReal, label);
  let seen = 0;
  /** Reports every YAML file under `folder` (not read), with `hint`; true when there was one. */
  const misplacedYaml = (folder: string, depth: number, hint: string): boolean => {
    let found = false;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++seen > WALK_LIMITS.entries) return found;
      const p = path.join(folder, e.name);
      if (e.isDirectory() && depth < WALK_LIMITS.depth) found = misplacedYaml(p, depth + 1, hint) || found;
      else if (YAML_FILE.test(e.name) && !e.isDirectory()) {
        problem(p, "unread-yaml", "is not read: only tenant.yaml and grants/*.yaml are", hint);
        found = true;
      }
    }
    return found;
  };

  // Everything beside tenant.yaml and grants/: YAML there is a grant (or a settings file) that would be skipped.
  const siblings = listFolder(dir).filter((e) => e.name !== "tenant.yaml");
  for (const e of siblings.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name === "grants") continue;
    const p = path.join(dir, e.name);
    const nearGrants = closest(e.name, ["grants"]).length > 0;
    if (e.isDirectory()) {
      misplacedYaml(
        p,
        1,
        nearGrants
          ? `rename ${e.name}/ to grants/: grants are read from ${label}grants/ only`
          : `move grant files into ${label}grants/, and other YAML out of ${label}`,
      );
    } else if (YAML_FILE.test(e.name)) {
      problem(
        p,
        "unread-yaml",
        "is not read: only tenant.yaml and grants/*.yaml are",
        `move it into ${label}grants/ if it is a grant, or out of ${label}`,
      );
    }
  }

  if (grants.kind === "missing") {
    const near = siblings.find((e) => e.isDirectory() && closest(e.name, ["grants"]).length > 0);
    folderProblem(
      grantsDir,
      "grants-folder-missing",
      "does not exist: without it the stack declares no grants, and the next pulumi up would remove every grant",
      near
        ? `rename ${near.name}/ to grants/`
        : `create ${label}grants/ (with an empty .gitkeep file while there are no grants)`,
    );
    return out;
  }
  if (grants.kind !== "folder" || grants.link) {
    const what =
      grants.kind === "refused"
        ? grants.message
        : grants.kind === "file"
          ? "is a file"
          : "is a symbolic link";
    folderProblem(
      grantsDir,
      "grants-not-a-folder",
      `${what}; it must be a folder of grant files`,
      "make grants/ a real folder holding one .yaml file per grant",
    );
    return out;
  }

  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(grantsDir, { withFileTypes: true });
  } catch (e) {
    // Never "0 grants": an unlistable grants/ would read as a stack whose grants were all removed.
    const code = (e as NodeJS.ErrnoException).code ?? "an error";
    folderProblem(
      grantsDir,
      "unreadable-file",
      `cannot be listed (${code})`,
      "make grants/ readable by the user running pim",
    );
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (++seen > WALK_LIMITS.entries) {
      folderProblem(
        grantsDir,
        "too-many-entries",
        `holds more than ${WALK_LIMITS.entries} entries; the rest is not read`,
        "split the tenant into several stacks",
      );
      break;
    }
    const p = path.join(grantsDir, e.name);
    // A grant's file name becomes its id and its resources' names: it must read as what it is.
    if (findControlChar(e.name)) {
      problem(
        p,
        "file-name-control-character",
        "has a control character in its name, so it is not read",
        "rename it to plain letters, digits and dashes, e.g. ada-lovelace-security-reader.yaml",
      );
      continue;
    }
    const entry = classify(p, stackReal, label);
    if (entry.kind === "folder") {
      // A sub-folder (even one named like a YAML file) is not read: its YAML files are errors, an empty one a warning.
      const hasYaml =
        !entry.link && misplacedYaml(p, 1, "move it up into grants/: sub-folders of grants/ are not read");
      if (!hasYaml) {
        folderProblem(
          p,
          "ignored-file",
          "is a folder under grants/ and is not read: grants are only read from grants/ itself",
          "move its grant files up into grants/",
          "warning",
        );
      }
      continue;
    }
    if (!YAML_FILE.test(e.name)) {
      if (!QUIET_FILES.test(e.name)) {
        problem(
          p,
          "ignored-file",
          "is not a .yaml or .yml file, so it is not read as a grant",
          "rename it to end in .yaml, or remove it",
          "warning",
        );
      }
      continue;
    }
    const file = read(p, entry, "a grant");
    if (file) out.grants.push(file);
  }
  return out;
}
