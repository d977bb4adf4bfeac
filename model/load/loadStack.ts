/**
 * Loads one stack's declarations (`stacks/<stack>/tenant.yaml` and `stacks/<stack>/grants/*.yaml`) into the model,
 * or returns every problem at once. Offline and deterministic: the only input besides the files is `now`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findAzureRole, findDirectoryRole } from "../catalog";
import { DAY, daysLeft, durationMs, humanDuration, parseDuration, parseInstant } from "../duration";
import { grant as grantSchema, type GrantInput } from "../schema/grant";
import { tenantFile, type TenantFile } from "../schema/tenant";
import { grantKey, settingsKey, settingsKeyForGrant } from "../keys";
import { graphDefaults } from "../settings/defaults";
import type {
  ApproverGroup,
  BreakGlassAccount,
  Exemption,
  Grant,
  GrantStatus,
  GroupMembership,
  PimGroup,
  RoleSettingsDecl,
  ResolvedSettings,
  Scope,
  TenantModel,
} from "../types";
import { sortDiagnostics, type Diagnostic } from "./diagnostics";
import { makeEmitter, resolveProfiles, resolveRoleSettings } from "./resolveSettings";
import { parseYamlSource, topLevelLocator, type Locator, type YamlSource } from "./yamlSource";
import { zodIssuesToDiagnostics } from "./zodIssues";

export interface LoadOptions {
  /** Repository root; stacks live in `<root>/stacks`. */
  root: string;
  stack: string;
  /** The current time; injectable so tests and reports never depend on the clock. */
  now?: Date;
}

export interface LoadResult {
  /** Present when there is no error (warnings allowed). */
  model: TenantModel | null;
  diagnostics: Diagnostic[];
  files: string[];
}

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  text: string;
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

export function listStacks(root: string): string[] {
  const dir = path.join(root, "stacks");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "tenant.yaml")))
    .map((d) => d.name)
    .sort();
}

/** Reads the stack's files from disk, then loads them. */
export function loadStack(opts: LoadOptions): LoadResult {
  const dir = path.join(opts.root, "stacks", opts.stack);
  const tenantPath = path.join(dir, "tenant.yaml");
  // A plain folder name: not "." or "..", which would read tenant.yaml from outside stacks/.
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(opts.stack) || !fs.existsSync(tenantPath)) {
    throw new StackNotFoundError(opts.stack, listStacks(opts.root));
  }
  const rel = (p: string) => path.relative(opts.root, p).split(path.sep).join("/");
  const files: SourceFile[] = [{ path: rel(tenantPath), text: fs.readFileSync(tenantPath, "utf8") }];
  const grantsDir = path.join(dir, "grants");
  const ignored: string[] = [];
  if (fs.existsSync(grantsDir)) {
    const entries = fs.readdirSync(grantsDir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(grantsDir, e.name);
      // A directory (even one named like a YAML file) or another extension is not read: say so, because a grant
      // saved as `x.yaml.txt` or moved into a subfolder would otherwise be dropped without a word.
      if (e.isDirectory() || !/\.ya?ml$/i.test(e.name)) {
        if (!/^(README\.md|\.gitkeep)$/i.test(e.name)) ignored.push(rel(p) + (e.isDirectory() ? "/" : ""));
        continue;
      }
      files.push({ path: rel(p), text: fs.readFileSync(p, "utf8") });
    }
  }
  return loadStackFiles(opts.stack, files, opts.now ?? new Date(), ignored);
}

/**
 * Loads from texts already in memory: the first file is tenant.yaml, the rest are grant files. `ignored` lists
 * entries of grants/ that were not read (reported as warnings).
 */
export function loadStackFiles(
  stack: string,
  files: SourceFile[],
  now: Date,
  ignored: string[] = [],
): LoadResult {
  const diagnostics: Diagnostic[] = ignored.map((file) => ({
    severity: "warning" as const,
    code: "ignored-file",
    file,
    line: 1,
    column: 1,
    field: "(file)",
    message: file.endsWith("/")
      ? "a folder under grants/ is not read: grants are only read from grants/ itself"
      : "not a .yaml or .yml file, so it is not read as a grant",
    hint: file.endsWith("/")
      ? "move its grant files up into grants/"
      : "rename it to end in .yaml, or remove it",
  }));
  const [tenantSrcFile, ...grantFiles] = files;
  if (!tenantSrcFile) throw new Error("loadStackFiles needs tenant.yaml first");
  const nowMs = now.getTime();

  // 1. Structure: every file parsed and shape-checked, all problems collected.
  const tenantSrc = parseDocumentOrReport(tenantSrcFile, diagnostics, "tenant");
  let tenant: TenantFile | null = null;
  if (tenantSrc) {
    const r = tenantFile.safeParse(tenantSrc.value);
    if (r.success) tenant = r.data;
    else diagnostics.push(...zodIssuesToDiagnostics(r.error.issues, tenantSrc, tenantFile));
  }
  const grantInputs: Array<{ src: Locator; input: GrantInput }> = [];
  for (const f of grantFiles) {
    const src = parseDocumentOrReport(f, diagnostics, "grant");
    if (!src) continue;
    const r = grantSchema.safeParse(src.value);
    if (r.success) grantInputs.push({ src: topLevelLocator(src), input: r.data });
    else diagnostics.push(...zodIssuesToDiagnostics(r.error.issues, src, grantSchema));
  }

  // 2. Meaning: names resolved, references checked, grants checked against their role's settings.
  let model: TenantModel | null = null;
  if (tenant && tenantSrc) {
    const emit = makeEmitter(tenantSrc, diagnostics);
    const approverGroups = resolveApproverGroups(tenant, tenantSrc, emit);
    const profiles = resolveProfiles(tenant, emit);
    const roleSettings = resolveRoleSettings(tenant, tenantSrc, profiles, approverGroups, emit);
    warnApproverGroupsWithoutApproval(approverGroups, roleSettings, tenant, emit);
    const breakGlass = resolveBreakGlass(tenant, tenantSrc, emit);
    const pimGroups = resolvePimGroups(tenant, tenantSrc, roleSettings, nowMs, emit);
    const grants = resolveGrants(grantInputs, roleSettings, breakGlass, nowMs, diagnostics);
    const exemptions: Exemption[] = (tenant.safeDefaults?.exemptions ?? []).map((e, i) => ({
      rule: e.rule,
      object: e.object,
      justification: e.justification,
      expires: e.expires ? instant(e.expires, "end") : null,
      approvedBy: e.approvedBy ?? null,
      source: { file: tenantSrc.file, ...tenantSrc.locate(["safeDefaults", "exemptions", i]) },
    }));
    model = {
      stack,
      tenant: { id: tenant.tenant.id.toLowerCase(), name: tenant.tenant.name },
      contractors: tenant.contractors ?? [],
      roleSettings,
      approverGroups,
      pimGroups,
      breakGlass,
      grants,
      safeDefaults: {
        profile: tenant.safeDefaults?.profile ?? "cisa",
        rules: tenant.safeDefaults?.rules ?? {},
        exemptions,
      },
      evaluatedAt: now.toISOString(),
    };
  } else {
    // The tenant file is broken; still report what is wrong inside each grant on its own.
    resolveGrants(grantInputs, null, [], nowMs, diagnostics);
  }

  const sorted = sortDiagnostics(diagnostics);
  const failed = sorted.some((d) => d.severity === "error");
  return { model: failed ? null : model, diagnostics: sorted, files: files.map((f) => f.path) };
}

function parseDocumentOrReport(
  f: SourceFile,
  out: Diagnostic[],
  kind: "tenant" | "grant",
): YamlSource | null {
  const src = parseYamlSource(f.path, f.text);
  if (src.syntaxErrors.length) {
    for (const e of src.syntaxErrors) {
      if (e.code === "DUPLICATE_KEY") {
        // YAML would keep one of the two values: the other setting would be lost without a word.
        const key = (f.text.split(/\r?\n/)[e.line - 1] ?? "")
          .slice(e.column - 1)
          .match(/^([^:#]+?)\s*:/)?.[1];
        out.push({
          severity: "error",
          code: "duplicate-key",
          file: f.path,
          line: e.line,
          column: e.column,
          field: "(file)",
          message: key
            ? `key "${key}" is set twice in the same map`
            : "this key is set twice in the same map",
          hint: "remove one of the two entries, or merge them",
        });
        continue;
      }
      out.push({
        severity: "error",
        code: "yaml-syntax",
        file: f.path,
        line: e.line,
        column: e.column,
        field: "(file)",
        message: `YAML syntax error: ${e.message}`,
        hint:
          e.code === "ALIAS"
            ? "write the value out instead of using anchors and aliases"
            : "check indentation and quoting on this line",
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
    out.push({
      severity: "error",
      code: empty ? "empty-file" : "not-a-map",
      file: f.path,
      line: 1,
      column: 1,
      field: "(file)",
      message: `${kind === "grant" ? "grant file" : "tenant.yaml"} ${what}; it must be a map of keys`,
      hint:
        kind === "grant"
          ? "one grant per file: principal, role, kind, end (or duration), justification; split a list into files"
          : "start from stacks/demo/tenant.yaml",
    });
    return null;
  }
  return src;
}

const instant = (text: string, as: "start" | "end"): string => {
  const r = parseInstant(text, as);
  if (!r.ok) throw new Error(r.reason); // unreachable: the schema already checked it
  return r.iso;
};

type Emit = ReturnType<typeof makeEmitter>;

function resolveApproverGroups(file: TenantFile, src: YamlSource, emit: Emit): ApproverGroup[] {
  const out: ApproverGroup[] = [];
  const names = new Set<string>();
  (file.approverGroups ?? []).forEach((g, i) => {
    if (names.has(g.name.toLowerCase())) {
      emit({
        code: "duplicate-group",
        path: ["approverGroups", i, "name"],
        message: `group "${g.name}" is declared twice`,
        hint: "merge the two entries",
      });
      return;
    }
    names.add(g.name.toLowerCase());
    const approves = g.approves.flatMap((r, j) => {
      const hit = findDirectoryRole(r);
      if (hit.ok) return [hit.role];
      emit({
        code: "unknown-role",
        path: ["approverGroups", i, "approves", j],
        message: `"${r}" is not an Entra built-in role`,
        hint: hit.suggestions.length
          ? `did you mean "${hit.suggestions[0]}"?`
          : "use a display name from the catalog",
      });
      return [];
    });
    const seen = new Set<string>();
    g.members.forEach((m, j) => {
      if (seen.has(m.toLowerCase())) {
        emit({
          code: "duplicate-member",
          path: ["approverGroups", i, "members", j],
          message: `${m} is listed twice`,
          hint: "remove one",
        });
      }
      seen.add(m.toLowerCase());
    });
    out.push({
      name: g.name,
      previousNames: g.previousNames ?? [],
      description: g.description ?? null,
      members: g.members,
      approves,
      source: { file: src.file, ...src.locate(["approverGroups", i]) },
    });
  });
  return out;
}

function warnApproverGroupsWithoutApproval(
  groups: ApproverGroup[],
  decls: RoleSettingsDecl[],
  file: TenantFile,
  emit: Emit,
): void {
  groups.forEach((g, i) => {
    g.approves.forEach((role, j) => {
      const decl = decls.find((d) => d.target.kind === "directory" && d.target.role.id === role.id);
      if (!decl) {
        emit({
          code: "approver-role-unmanaged",
          path: ["approverGroups", i, "approves", j],
          message: `"${g.name}" approves ${role.name}, but roleSettings.directoryRoles declares no settings for it, so nothing would ask this group`,
          hint: `add "- role: ${role.name}" with approval required under roleSettings.directoryRoles`,
        });
      } else if (!decl.settings.activation.approval.required) {
        emit({
          severity: "warning",
          code: "approver-without-approval",
          path: ["approverGroups", i, "approves", j],
          message: `"${g.name}" approves ${role.name}, but activating ${role.name} does not require approval`,
          hint: "set activation.approval.required: true for the role, or remove it from approves",
        });
      }
    });
  });
  void file;
}

function resolveBreakGlass(file: TenantFile, src: YamlSource, emit: Emit): BreakGlassAccount[] {
  const out: BreakGlassAccount[] = [];
  (file.breakGlass ?? []).forEach((b, i) => {
    if (out.some((o) => o.upn.toLowerCase() === b.upn.toLowerCase())) {
      emit({
        code: "duplicate-break-glass",
        path: ["breakGlass", i, "upn"],
        message: `${b.upn} is declared twice`,
        hint: "remove one",
      });
      return;
    }
    out.push({
      upn: b.upn,
      description: b.description ?? null,
      source: { file: src.file, ...src.locate(["breakGlass", i]) },
    });
  });
  return out;
}

function settingsFor(
  decls: RoleSettingsDecl[],
  key: string,
  kind: "directory" | "group" | "azure",
): ResolvedSettings {
  return decls.find((d) => d.key === key)?.settings ?? graphDefaults(kind);
}

function statusOf(startMs: number | null, endMs: number | null, nowMs: number): GrantStatus {
  if (endMs !== null && endMs <= nowMs) return "expired";
  if (startMs !== null && startMs > nowMs) return "pending";
  return "current";
}

interface TimeWindow {
  start?: string;
  end?: string;
  duration?: string;
}

/** Start, end and expiry-rule checks shared by grants and group memberships. Returns null when unusable. */
function resolveWindow(
  w: TimeWindow,
  kind: "eligible" | "active",
  rule: ResolvedSettings["eligibleAssignment"],
  ruleLabel: string,
  nowMs: number,
  report: (
    code: string,
    field: string,
    message: string,
    hint?: string,
    severity?: Diagnostic["severity"],
  ) => void,
): { start: string | null; end: string | null; startMs: number | null; endMs: number | null } | null {
  const startMs = w.start ? Date.parse(instant(w.start, "start")) : null;
  let endMs: number | null = null;
  if (w.end !== undefined && w.duration !== undefined) {
    report(
      "end-and-duration",
      "duration",
      "give either end or duration, not both",
      "remove duration (an end date is easier to review)",
    );
    return null;
  }
  if (w.end !== undefined) endMs = Date.parse(instant(w.end, "end"));
  if (w.duration !== undefined) {
    if (startMs === null) {
      report(
        "duration-without-start",
        "duration",
        `duration ${w.duration} needs a start: counted from "now" the end would move on every run`,
        "add start: YYYY-MM-DD, or write end: YYYY-MM-DD instead",
      );
      return null;
    }
    endMs = startMs + durationMs(w.duration);
  }
  if (startMs !== null && endMs !== null && endMs <= startMs) {
    report(
      "end-before-start",
      w.end !== undefined ? "end" : "duration",
      `ends (${iso(endMs)}) before it starts (${iso(startMs)})`,
      "move end after start",
    );
    return null;
  }
  const window = {
    start: startMs === null ? null : iso(startMs),
    end: endMs === null ? null : iso(endMs),
    startMs,
    endMs,
  };
  if (endMs === null) {
    if (!rule.allowPermanent) {
      report(
        "permanent-not-allowed",
        "end",
        `${ruleLabel} does not allow permanent ${kind} assignments (maximum ${humanDuration(rule.maximumDuration)})`,
        `add end: YYYY-MM-DD within ${humanDuration(rule.maximumDuration)} of the start`,
      );
      return null;
    }
    return window;
  }
  if (endMs <= nowMs) {
    report(
      "grant-expired",
      w.end !== undefined ? "end" : "duration",
      `expired on ${iso(endMs)} (${Math.floor((nowMs - endMs) / DAY)} days ago); it will not be provisioned`,
      "delete this declaration in a pull request, or extend end if the access is still needed",
      "warning",
    );
    return window;
  }
  if (!rule.allowPermanent) {
    const max = parseDuration(rule.maximumDuration);
    const from = startMs ?? nowMs;
    if (max.ok && endMs - from > max.ms) {
      report(
        "end-beyond-maximum",
        w.end !== undefined ? "end" : "duration",
        `lasts ${Math.ceil((endMs - from) / DAY)} days from ${startMs === null ? "now" : "its start"}, beyond the ${humanDuration(rule.maximumDuration)} maximum for ${kind} assignments of ${ruleLabel}`,
        `end on or before ${iso(from + max.ms).slice(0, 10)}, or raise ${kind}Assignment.maximumDuration in the role's settings`,
      );
      return null;
    }
  }
  return window;
}

const iso = (ms: number) => new Date(ms).toISOString();

function scopeOf(s: GrantInput["scope"]): Scope {
  if (s === undefined || s === "tenant" || s === "/") return { type: "tenant" };
  if (typeof s === "string") return { type: "azure", id: s };
  if ("administrativeUnit" in s) return { type: "administrativeUnit", ref: s.administrativeUnit };
  return { type: "application", ref: s.application };
}

function resolveGrants(
  inputs: Array<{ src: Locator; input: GrantInput }>,
  /** null when tenant.yaml could not be read: role settings and break-glass accounts are then unknown. */
  decls: RoleSettingsDecl[] | null,
  breakGlass: BreakGlassAccount[],
  nowMs: number,
  out: Diagnostic[],
): Grant[] {
  const grants: Grant[] = [];
  const byKey = new Map<string, string>();
  for (const { src, input } of inputs) {
    const report = (
      code: string,
      field: string,
      message: string,
      hint?: string,
      severity: Diagnostic["severity"] = "error",
    ) =>
      out.push({
        severity,
        code,
        file: src.file,
        ...src.locate([field]),
        field,
        message,
        ...(hint ? { hint } : {}),
      });
    const scope = scopeOf(input.scope);
    const roleHit = scope.type === "azure" ? findAzureRole(input.role) : findDirectoryRole(input.role);
    if (!roleHit.ok) {
      // The right name in the wrong place says more than a near miss: "Reader" is an Azure role, not "Global Reader".
      const azureRole = scope.type !== "azure" && findAzureRole(input.role).ok;
      const entraRole = scope.type === "azure" && findDirectoryRole(input.role).ok;
      report(
        "unknown-role",
        "role",
        `"${input.role}" is not ${scope.type === "azure" ? "an Azure role in the catalog" : "an Entra built-in role"}`,
        azureRole
          ? `${input.role} is an Azure role: set scope to an Azure scope such as /subscriptions/<id>`
          : entraRole
            ? `${input.role} is an Entra role: remove scope (the whole tenant) or use { administrativeUnit: <name> } or { application: <name> }`
            : roleHit.suggestions.length
              ? `did you mean "${roleHit.suggestions[0]}"?`
              : "use the role's display name from the catalog, or a custom role definition id",
      );
      continue;
    }
    const role = roleHit.role;
    const settings = settingsFor(
      decls ?? [],
      settingsKeyForGrant(role, scope),
      role.kind === "azure" ? "azure" : "directory",
    );
    const isBreakGlass = breakGlass.some((b) => b.upn.toLowerCase() === input.principal.toLowerCase());
    const declared = input.kind === "eligible" ? settings.eligibleAssignment : settings.activeAssignment;
    // A break-glass account holds its role through a direct, permanent role assignment outside PIM, so the role's
    // PIM expiry rule (e.g. Global Administrator: no permanent active assignment) does not govern it. With
    // tenant.yaml unreadable, only what a grant file says on its own is checked: no expiry rule is known, and a
    // permanent active grant may be for a break-glass account.
    const tenantUnknown = decls === null;
    const rule = tenantUnknown
      ? { ...declared, allowPermanent: true, maximumDuration: "P36500D" }
      : isBreakGlass && input.kind === "active" && input.end === undefined && input.duration === undefined
        ? { ...declared, allowPermanent: true }
        : declared;
    const window = resolveWindow(input, input.kind, rule, role.name, nowMs, report);
    if (!window) continue;
    if (input.kind === "active" && window.end === null && !isBreakGlass && !tenantUnknown) {
      report(
        "permanent-active",
        "end",
        `a permanent active ${role.name} assignment for ${input.principal}: only declared break-glass accounts may hold a role permanently`,
        "add end: YYYY-MM-DD, or make it kind: eligible so the role is activated just in time",
      );
      continue;
    }
    const key = grantKey({ kind: input.kind, role, scope, principal: input.principal });
    const id = src.file
      .split("/")
      .pop()!
      .replace(/\.ya?ml$/i, "");
    if (byKey.has(key)) {
      report(
        "duplicate-grant",
        "principal",
        `the same ${input.kind} ${role.name} grant for ${input.principal} is already declared in ${byKey.get(key)}`,
        "keep one file per grant: delete this one or extend the other",
      );
      continue;
    }
    byKey.set(key, src.file);
    grants.push({
      id,
      key,
      file: src.file,
      principal: {
        ref: input.principal,
        type: input.principalType ?? (input.principal.includes("@") ? "user" : null),
      },
      role,
      scope,
      kind: input.kind,
      start: window.start,
      end: window.end,
      justification: input.justification,
      ticket: input.ticket ?? null,
      requestedBy: input.requestedBy ?? null,
      status: statusOf(window.startMs, window.endMs, nowMs),
      daysLeft: window.endMs === null ? null : daysLeft(window.endMs, nowMs),
      source: { file: src.file, ...src.locate([]) },
    });
  }
  return grants;
}

function resolvePimGroups(
  file: TenantFile,
  src: YamlSource,
  decls: RoleSettingsDecl[],
  nowMs: number,
  emit: Emit,
): PimGroup[] {
  const out: PimGroup[] = [];
  (file.pimGroups ?? []).forEach((g, i) => {
    if (
      out.some((o) => o.name.toLowerCase() === g.name.toLowerCase()) ||
      (file.approverGroups ?? []).some((a) => a.name.toLowerCase() === g.name.toLowerCase())
    ) {
      emit({
        code: "duplicate-group",
        path: ["pimGroups", i, "name"],
        message: `group "${g.name}" is declared twice`,
        hint: "give each group one entry",
      });
      return;
    }
    const roles = (g.roles ?? []).flatMap((r, j) => {
      const hit = findDirectoryRole(r);
      if (hit.ok) return [hit.role];
      emit({
        code: "unknown-role",
        path: ["pimGroups", i, "roles", j],
        message: `"${r}" is not an Entra built-in role`,
        hint: hit.suggestions.length
          ? `did you mean "${hit.suggestions[0]}"?`
          : "use a display name from the catalog",
      });
      return [];
    });
    const roleAssignable = g.roleAssignable ?? true;
    if (roles.length && !roleAssignable) {
      emit({
        code: "group-not-role-assignable",
        path: ["pimGroups", i, "roleAssignable"],
        message: `"${g.name}" holds Entra roles but is not role-assignable; Entra refuses role assignments to such groups`,
        hint: "set roleAssignable: true (it can only be set when the group is created)",
      });
    }
    const memberships = (access: "members" | "owners", kind: "eligible" | "active"): GroupMembership[] => {
      const settingsAccess = access === "members" ? "member" : "owner";
      const settings = settingsFor(
        decls,
        settingsKey({ kind: "group", group: g.name, access: settingsAccess }),
        "group",
      );
      const rule = kind === "eligible" ? settings.eligibleAssignment : settings.activeAssignment;
      const list = g[access]?.[kind] ?? [];
      const res: GroupMembership[] = [];
      list.forEach((m, j) => {
        const base = ["pimGroups", i, access, kind, j];
        if (!/@/.test(m.principal) && !/^[0-9a-f-]{36}$/i.test(m.principal)) {
          emit({
            code: "invalid-value",
            path: [...base, "principal"],
            message: `"${m.principal}" is neither a UPN nor an object id`,
            hint: "write the user's UPN, e.g. ada.lovelace@contoso.com",
          });
          return;
        }
        const w = resolveWindow(
          m,
          kind,
          rule,
          `${g.name} (${settingsAccess})`,
          nowMs,
          (code, field, message, hint, severity) =>
            emit({
              code,
              path: [...base, field],
              message,
              ...(hint ? { hint } : {}),
              ...(severity ? { severity } : {}),
            }),
        );
        if (!w) return;
        res.push({
          principal: m.principal,
          start: w.start,
          end: w.end,
          justification: m.justification ?? null,
          status: statusOf(w.startMs, w.endMs, nowMs),
        });
      });
      return res;
    };
    out.push({
      name: g.name,
      previousNames: g.previousNames ?? [],
      description: g.description ?? null,
      roleAssignable,
      roles,
      members: { eligible: memberships("members", "eligible"), active: memberships("members", "active") },
      owners: { eligible: memberships("owners", "eligible"), active: memberships("owners", "active") },
      source: { file: src.file, ...src.locate(["pimGroups", i]) },
    });
  });
  return out;
}
