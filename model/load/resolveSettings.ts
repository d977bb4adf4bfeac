/**
 * Resolves settings profiles and per-role settings entries into complete settings, and checks what Graph itself
 * would refuse (MFA together with an authentication context, approval without approvers) before anything is sent.
 */
import { closest } from "../catalog";
import { parseDuration } from "../duration";
import { isObjectId } from "../ids";
import { settingsKey } from "../keys";
import type { Profile, Settings } from "../schema/settings";
import { graphDefaults } from "../settings/defaults";
import { applySettings, toApprover } from "../settings/merge";
import type { ApproverGroup, RoleSettingsDecl, ResolvedSettings, SettingsTarget } from "../types";
import { formatPath, type Locator, type Report } from "./diagnostics";
import { settingsFieldSources } from "./fieldSources";
import type { TenantSections } from "./tenantSections";
import { lookUpAzureRole, lookUpEntraRole } from "./unknownRole";

/** Profile name → the settings layers from the root of its `extends` chain down to itself. */
export function resolveProfiles(file: TenantSections, emit: Report): Map<string, Settings[]> {
  const profiles = file.profiles ?? {};
  const out = new Map<string, Settings[]>();
  for (const name of Object.keys(profiles)) {
    const chain: Settings[] = [];
    const seen: string[] = [];
    let cur: string | undefined = name;
    let ok = true;
    while (cur !== undefined) {
      if (seen.includes(cur)) {
        emit({
          code: "profile-cycle",
          path: ["profiles", name, "extends"],
          message: `profile "${name}" extends itself through ${[...seen, cur].join(" → ")}`,
          hint: "remove one of the extends links",
        });
        ok = false;
        break;
      }
      seen.push(cur);
      // Own keys only: a profile named "constructor" or "toString" must not find Object.prototype's.
      const p: Profile | undefined = Object.hasOwn(profiles, cur) ? profiles[cur] : undefined;
      if (!p) {
        const last = seen[seen.length - 2]!;
        emit({
          code: "unknown-profile",
          path: ["profiles", last, "extends"],
          message: `profile "${cur}" does not exist`,
          hint: suggestion(cur, Object.keys(profiles)),
        });
        ok = false;
        break;
      }
      const { extends: parent, description: _d, ...settings }: Profile = p;
      chain.unshift(settings);
      cur = parent;
    }
    if (ok) out.set(name, chain);
  }
  return out;
}

function suggestion(name: string, known: string[]): string {
  const near = closest(name, known);
  if (near.length) return `did you mean "${near[0]}"?`;
  return known.length ? `known: ${known.join(", ")}` : "declare it under `profiles`";
}

export interface SettingsResolution {
  decls: RoleSettingsDecl[];
}

/** Adds every approver group that approves a role to its first approval stage (deduplicated). */
function withApproverGroups(
  s: ResolvedSettings,
  target: SettingsTarget,
  groups: ApproverGroup[],
): ResolvedSettings {
  if (target.kind !== "directory") return s;
  const extra = groups.filter((g) => g.approves.some((r) => r.id === target.role.id));
  if (!extra.length) return s;
  const [first, ...rest] = s.activation.approval.stages;
  const approvers = [...(first?.approvers ?? [])];
  for (const g of extra) {
    if (!approvers.some((a) => a.type === "group" && a.ref.toLowerCase() === g.name.toLowerCase())) {
      approvers.push({ type: "group", ref: g.name });
    }
  }
  const stage = first ?? { approvers: [], timeoutDays: 1, approverJustification: true, escalation: null };
  return {
    ...s,
    activation: {
      ...s.activation,
      approval: { ...s.activation.approval, stages: [{ ...stage, approvers }, ...rest] },
    },
  };
}

/** Sections of tenant.yaml the settings refer to that were present but malformed: their checks stand down. */
export interface UnreadSections {
  profiles: boolean;
  pimGroups: boolean;
  approverGroups: boolean;
}

export function resolveRoleSettings(
  file: TenantSections,
  src: Locator,
  profiles: Map<string, Settings[]>,
  approverGroups: ApproverGroup[],
  unread: UnreadSections,
  emit: Report,
): RoleSettingsDecl[] {
  const decls: RoleSettingsDecl[] = [];
  const seen = new Map<string, string>();
  const rs = file.roleSettings ?? {};
  const knownProfiles = Object.keys(file.profiles ?? {});

  const build = (
    section: "directoryRoles" | "groups" | "azureRoles",
    i: number,
    entry: Settings & { profile?: string },
    target: SettingsTarget,
    key: string,
    label: string,
  ) => {
    const path = ["roleSettings", section, i];
    if (seen.has(key)) {
      emit({
        code: "duplicate-role-settings",
        path,
        message: `${label} already has settings at ${seen.get(key)}`,
        hint: "keep one entry per role; merge the two",
      });
      return;
    }
    seen.set(key, formatPath(path));
    let s = graphDefaults(target.kind);
    if (entry.profile !== undefined) {
      const chain = profiles.get(entry.profile);
      if (!chain) {
        if (!unread.profiles && !Object.hasOwn(file.profiles ?? {}, entry.profile)) {
          emit({
            code: "unknown-profile",
            path: [...path, "profile"],
            message: `profile "${entry.profile}" does not exist`,
            hint: suggestion(entry.profile, knownProfiles),
          });
        }
        return;
      }
      for (const layer of chain) s = applySettings(s, layer);
    }
    const { profile: _p, ...overrides } = entry as Settings & {
      profile?: string;
      role?: unknown;
      group?: unknown;
      access?: unknown;
      scope?: unknown;
    };
    delete (overrides as Record<string, unknown>)["role"];
    delete (overrides as Record<string, unknown>)["group"];
    delete (overrides as Record<string, unknown>)["access"];
    delete (overrides as Record<string, unknown>)["scope"];
    s = applySettings(s, overrides);
    s = withApproverGroups(s, target, approverGroups);
    checkSettings(s, path, label, emit, entry, unread.approverGroups, target.kind);
    decls.push({
      key,
      label,
      target,
      profile: entry.profile ?? null,
      settings: s,
      source: { file: src.file, ...src.locate(path) },
      fieldSources: settingsFieldSources(file, src, path, entry),
    });
  };

  (rs.directoryRoles ?? []).forEach((e, i) => {
    if (!e) return;
    const hit = lookUpEntraRole(
      e.role,
      ["roleSettings", "directoryRoles", i, "role"],
      "declare its settings under roleSettings.azureRoles, with its scope",
    );
    if (!hit.ok) return emit(hit.problem);
    build(
      "directoryRoles",
      i,
      e,
      { kind: "directory", role: hit.role },
      settingsKey({ kind: "directory", role: hit.role }),
      hit.role.name,
    );
  });
  (rs.groups ?? []).forEach((e, i) => {
    if (!e) return;
    const known = (file.pimGroups ?? []).flatMap((g) => (g ? [g.name] : []));
    if (
      !unread.pimGroups &&
      !isObjectId(e.group) &&
      !known.some((n) => n.toLowerCase() === e.group.toLowerCase())
    ) {
      emit({
        code: "unknown-group",
        path: ["roleSettings", "groups", i, "group"],
        message: `"${e.group}" is not a group under pimGroups`,
        hint: suggestion(e.group, known),
      });
      return;
    }
    build(
      "groups",
      i,
      e,
      { kind: "group", group: e.group, access: e.access },
      settingsKey({ kind: "group", group: e.group, access: e.access }),
      `${e.group} (${e.access})`,
    );
  });
  (rs.azureRoles ?? []).forEach((e, i) => {
    if (!e) return;
    const hit = lookUpAzureRole(
      e.role,
      ["roleSettings", "azureRoles", i, "role"],
      "declare its settings under roleSettings.directoryRoles",
    );
    if (!hit.ok) return emit(hit.problem);
    build(
      "azureRoles",
      i,
      e,
      { kind: "azure", role: hit.role, scope: e.scope },
      settingsKey({ kind: "azure", role: hit.role, scope: e.scope }),
      `${hit.role.name} on ${e.scope}`,
    );
  });
  return decls;
}

/**
 * What Graph would refuse, refused here first (graph-pim.md §1.7, §1.9). The activation window bounds (30 minutes
 * to 24 hours) are not checked here: they are safe-default findings (see the comment at the end).
 */
function checkSettings(
  s: ResolvedSettings,
  path: PropertyKey[],
  label: string,
  emit: Report,
  entry: Settings,
  approverGroupsUnread: boolean,
  family: SettingsTarget["kind"],
): void {
  const a = s.activation;
  if (family !== "azure") refuseWhatEntraDrops(s, path, label, emit, entry);
  if (a.requireMfa && a.authenticationContext) {
    const declaredHere =
      entry.activation?.requireMfa !== undefined || entry.activation?.authenticationContext !== undefined;
    emit({
      code: "mfa-and-auth-context",
      path: declaredHere ? [...path, "activation"] : path,
      message: `${label}: activation requires both MFA and authentication context "${a.authenticationContext}"; Graph rejects that combination`,
      hint: "keep authenticationContext (its Conditional Access policy can require MFA) and set requireMfa: false",
    });
  }
  // Approver groups add themselves to stages: with that section unreadable, an empty stage proves nothing.
  if (a.approval.required && !approverGroupsUnread) {
    const stageless = a.approval.stages.findIndex((st) => st.approvers.length === 0);
    if (stageless >= 0) {
      emit({
        code: "approval-without-approvers",
        path: [...path, "activation", "approval"].slice(0, entry.activation?.approval ? 5 : 3),
        message: `${label}: activation requires approval but stage ${stageless + 1} has no approvers`,
        hint: "add approvers to the stage, or list this role under an approver group's `approves`",
      });
    }
  }
  for (const k of ["eligibleAssignment", "activeAssignment"] as const) {
    const d = parseDuration(s[k].maximumDuration);
    if (d.ok && k === "eligibleAssignment" && d.ms > 3650 * 86_400_000) {
      emit({
        code: "invalid-value",
        path: [...path, k, "maximumDuration"],
        message: `${label}: longer than ten years`,
        hint: "use at most P3650D",
      });
    }
  }
  // The activation window's bounds (what Entra accepts, 30 minutes to 24 hours) are safe-default findings
  // (PIM-026, PIM-037), located on the line that sets the window, so they carry a rule id and severity.
}

/**
 * What Entra accepts on a directory role's or a group's policy and does not keep (graph-pim.md §1.7: "Request
 * succeeds but escalationApprovers isn't populated"; no document shows a second approval stage kept for Entra roles
 * or groups, and the admin center offers one). Applied, such settings would fail the providers' read-back on every
 * run, so they are refused here, at the line that declares them, before anything is written.
 */
function refuseWhatEntraDrops(
  s: ResolvedSettings,
  path: PropertyKey[],
  label: string,
  emit: Report,
  entry: Settings,
) {
  const stages = s.activation.approval.stages;
  const approvalPath = [...path, "activation", "approval"].slice(0, entry.activation?.approval ? 5 : 3);
  if (stages.length > 1) {
    emit({
      code: "second-approval-stage",
      // At the second stage when this entry declares it, so the line shown is the one to delete.
      path:
        (entry.activation?.approval?.stages?.length ?? 0) > 1
          ? [...path, "activation", "approval", "stages", 1]
          : approvalPath,
      message: `${label}: declares ${stages.length} approval stages; Entra keeps one stage on a directory role's or group's policy`,
      hint: "declare a single stage (put every approver in it)",
    });
  }
  stages.forEach((st, i) => {
    if (!st.escalation || st.escalation.approvers.length === 0) return;
    const declared = entry.activation?.approval?.stages?.[i]?.escalation !== undefined;
    emit({
      code: "escalation-approvers-dropped",
      path: declared ? [...path, "activation", "approval", "stages", i, "escalation"] : approvalPath,
      message: `${label}: stage ${i + 1} names escalation approvers; Entra accepts them on a directory role's or group's policy and keeps none`,
      hint: "remove escalation (set it to null) and add those approvers to the stage itself",
    });
  });
}

export { toApprover };
