/**
 * A live tenant as the files of a stack: tenant.yaml and one grant file per assignment. Pure.
 *
 * Written to load back to the snapshot it came from (`pim drift` right after shows no difference): names instead
 * of GUIDs; role settings (directory roles, PIM groups, and the Azure roles of the subscriptions read) only where
 * they differ from the defaults, and only the fields that differ; an
 * approver group listed once, under `approverGroups` with the roles it approves (the loader adds it to those
 * roles' approvers); exact instants, so nothing is rounded to a day. No profiles: several roles sharing settings
 * is left for a person to factor out, because a profile is a statement about intent the tenant cannot make.
 *
 * Break-glass candidates (accounts holding Global Administrator active and permanently) are listed commented out
 * with what to do: only a person can say which accounts are emergency access. Until then their assignments are
 * grant files like any other, so the stack still reproduces the tenant.
 *
 * Assignments made outside PIM (direct role assignments, no start: PIM-005, CISA MS.AAD.7.5) are, for `pim import`
 * (`outsidePim: "commented"`), written commented out at the end of tenant.yaml instead of as grant files: declared,
 * the first `pulumi up` would request each one through PIM and Graph refuses it (RoleAssignmentExists), so that up
 * would fail. A grant file cannot be commented out (an empty one does not load), hence tenant.yaml. Left
 * undeclared, drift reports each as extra and report flags it, until a person removes it and declares it again.
 * `pim report` keeps them as grant files (the default): its model is what the tenant holds.
 */
import { Document, stringify } from "yaml";
import { findAzureRole, GLOBAL_ADMINISTRATOR } from "../../../model/catalog";
import { normalizeRef } from "../../../model/keys";
import { graphDefaults } from "../../../model/settings/defaults";
import { same } from "../../../model/diff";
import type { GrantEntry, SettingsEntry } from "../../../model/snapshot";
import type { Approver, Scope } from "../../../model/types";
import type { LiveTenant } from "../../../providers/graph/reads/live";
import { grantFileName } from "../request/grantFile";

export interface StackFile {
  /** Relative to the stack's folder: `tenant.yaml`, `grants/<file>.yaml`. */
  path: string;
  text: string;
}

export interface ImportOptions {
  /** The instant of the import, for the generated justifications. */
  now: Date;
  /** Assignments made outside PIM: grant files like any other (the default), or commented out in tenant.yaml. */
  outsidePim?: "grantFiles" | "commented";
}

export function importFiles(live: LiveTenant, opts: ImportOptions): StackFile[] {
  const s = live.snapshot.state;
  const day = opts.now.toISOString().slice(0, 10);
  // Roles an approver group approves get it from `approverGroups`; it is not repeated in their stages.
  const approvedBy = new Map<string, Set<string>>();
  for (const a of s.approverGroups)
    for (const r of a.approves)
      approvedBy.set(r.id, (approvedBy.get(r.id) ?? new Set()).add(normalizeRef(a.name)));

  const directoryRoles = s.roleSettings
    .filter((e) => e.target.kind === "directory")
    .map((e) => ({ role: e.label, ...settingsFields(e, approvedBy.get(roleIdOf(e)) ?? new Set()) }));
  const groups = s.roleSettings
    .filter((e) => e.target.kind === "group")
    .map((e) => {
      const t = e.target as { group: string; access: "member" | "owner" };
      return { group: t.group, access: t.access, ...settingsFields(e, new Set()) };
    });

  const memberships = (group: string, access: "member" | "owner", kind: "eligible" | "active") =>
    s.memberships
      .filter((m) => normalizeRef(m.group) === normalizeRef(group) && m.access === access && m.kind === kind)
      .map((m) => ({
        principal: m.principal,
        ...(m.start ? { start: m.start } : {}),
        ...(m.end ? { end: m.end } : {}),
      }));
  const lists = (group: string, access: "member" | "owner") => {
    const eligible = memberships(group, access, "eligible");
    const active = memberships(group, access, "active");
    return eligible.length || active.length
      ? {
          [access === "member" ? "members" : "owners"]: {
            ...(eligible.length ? { eligible } : {}),
            ...(active.length ? { active } : {}),
          },
        }
      : {};
  };

  // Azure roles by catalogue name (a custom role by its definition id, which the loader takes as it is).
  const azureRoles = s.roleSettings
    .filter((e) => e.target.kind === "azure")
    .map((e) => {
      const t = e.target as { roleId: string; scope: string };
      const known = findAzureRole(t.roleId);
      return {
        scope: t.scope,
        role: known.ok ? known.role.name : t.roleId,
        ...settingsFields(e, new Set()),
      };
    });

  const tenant: Record<string, unknown> = { tenant: { id: s.tenant.id, name: s.tenant.name } };
  if (directoryRoles.length || groups.length || azureRoles.length)
    tenant["roleSettings"] = {
      ...(directoryRoles.length ? { directoryRoles } : {}),
      ...(groups.length ? { groups } : {}),
      ...(azureRoles.length ? { azureRoles } : {}),
    };
  const approverGroups = s.approverGroups.map((a) => ({
    name: a.name,
    ...(a.description ? { description: a.description } : {}),
    members: a.members,
    approves: a.approves.map((r) => r.name),
  }));
  if (approverGroups.length) tenant["approverGroups"] = approverGroups;
  const pimGroups = s.pimGroups.map((p) => ({
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    roleAssignable: p.roleAssignable,
    ...(p.roles.length ? { roles: p.roles.map((r) => r.name) } : {}),
    ...lists(p.name, "member"),
    ...lists(p.name, "owner"),
  }));
  if (pimGroups.length) tenant["pimGroups"] = pimGroups;

  const files: StackFile[] = [];
  const taken = new Set<string>();
  const grantFiles = new Map<string, string>();
  const commented = new Set(opts.outsidePim === "commented" ? live.facts.outsidePim : []);
  const outside: { path: string; grant: GrantEntry }[] = [];
  for (const g of s.grants) {
    const path = `grants/${uniqueName(g, taken)}`;
    grantFiles.set(g.key, path);
    if (commented.has(g.key)) outside.push({ path, grant: g });
    else files.push({ path, text: grantText(g, day) });
  }

  const header = [
    "# yaml-language-server: $schema=../../schemas/tenant.schema.json",
    "#",
    `# Imported from tenant ${s.tenant.id} on ${day} by \`pim import\`: what the tenant held, with names instead of ids.`,
    "# Role settings list only what differs from Graph's defaults. Grants are one file each under grants/; their",
    "# justifications are placeholders (Graph does not keep them): replace them with why the access is needed.",
  ];
  const candidates = breakGlassBlock(live, s.grants, grantFiles, commented);
  files.unshift({
    path: "tenant.yaml",
    text: `${header.join("\n")}\n\n${stringify(tenant, { lineWidth: 0 })}${candidates}${outsidePimBlock(outside, day)}`,
  });
  return files;
}

const roleIdOf = (e: SettingsEntry) => (e.target.kind === "directory" ? e.target.roleId : "");

/** The settings fields that differ from Graph's defaults, nested as tenant.yaml writes them. */
function settingsFields(e: SettingsEntry, fromApproverGroups: Set<string>): Record<string, unknown> {
  const base = graphDefaults(e.target.kind);
  const s = e.settings;
  const out: Record<string, unknown> = {};
  const activation: Record<string, unknown> = {};
  for (const k of [
    "maximumDuration",
    "requireMfa",
    "authenticationContext",
    "requireJustification",
    "requireTicket",
  ] as const)
    if (!same(s.activation[k], base.activation[k])) activation[k] = s.activation[k];
  const ap = s.activation.approval;
  const stages = ap.stages.map((st) => ({
    ...st,
    approvers: st.approvers.filter(
      (a) => !(a.type === "group" && fromApproverGroups.has(normalizeRef(a.ref))),
    ),
  }));
  if (!same({ ...ap, stages }, base.activation.approval)) {
    activation["approval"] = {
      required: ap.required,
      requiredForExtension: ap.requiredForExtension,
      stages: stages.map((st) => ({
        ...(st.approvers.length ? { approvers: st.approvers.map(approverInput) } : {}),
        timeoutDays: st.timeoutDays,
        approverJustification: st.approverJustification,
        ...(st.escalation
          ? {
              escalation: {
                afterMinutes: st.escalation.afterMinutes,
                approvers: st.escalation.approvers.map(approverInput),
              },
            }
          : {}),
      })),
    };
  }
  if (Object.keys(activation).length) out["activation"] = activation;
  for (const k of ["eligibleAssignment", "activeAssignment"] as const) {
    const part: Record<string, unknown> = {};
    for (const f of ["allowPermanent", "maximumDuration", "requireMfa", "requireJustification"] as const)
      if (!same(s[k][f], base[k][f])) part[f] = s[k][f];
    if (Object.keys(part).length) out[k] = part;
  }
  const notifications: Record<string, unknown> = {};
  for (const k of ["eligibleAssignment", "activeAssignment", "activation"] as const) {
    const triple: Record<string, unknown> = {};
    for (const who of ["admin", "requestor", "approver"] as const)
      if (!same(s.notifications[k][who], base.notifications[k][who])) triple[who] = s.notifications[k][who];
    if (Object.keys(triple).length) notifications[k] = triple;
  }
  if (Object.keys(notifications).length) out["notifications"] = notifications;
  return out;
}

const approverInput = (a: Approver) => (a.type === "user" ? { user: a.ref } : { group: a.ref });

function scopeInput(scope: Scope): unknown {
  switch (scope.type) {
    case "tenant":
      return undefined;
    case "administrativeUnit":
      return { administrativeUnit: scope.ref };
    case "application":
      return { application: scope.ref };
    case "azure":
      return scope.id;
  }
}

/** `<local part>-<role>.yaml`, with the kind, then a counter, added only when that name is taken. */
function uniqueName(g: GrantEntry, taken: Set<string>): string {
  const plain = grantFileName(g.principal, g.role.name);
  const candidates = [plain, plain.replace(/\.yaml$/, `-${g.kind}.yaml`)];
  for (let i = 2; ; i++) {
    const name = candidates.shift() ?? plain.replace(/\.yaml$/, `-${g.kind}-${i}.yaml`);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** A grant file's body, without its comments. */
function grantBody(g: GrantEntry, day: string): string {
  const body: Record<string, unknown> = { principal: g.principal };
  if (g.principalType) body["principalType"] = g.principalType;
  body["role"] = g.role.name;
  const scope = scopeInput(g.scope);
  if (scope !== undefined) body["scope"] = scope;
  body["kind"] = g.kind;
  if (g.start) body["start"] = g.start;
  if (g.end) body["end"] = g.end;
  body["justification"] = `Imported from the tenant on ${day}; replace with why this access is needed`;
  return new Document(body).toString({ lineWidth: 0 });
}

function grantText(g: GrantEntry, day: string): string {
  const lines = ["# yaml-language-server: $schema=../../../schemas/grant.schema.json"];
  if (g.kind === "active" && g.start === null)
    lines.push("# Made outside PIM (a direct role assignment, no start): PIM-004 and PIM-036 report it.");
  else if (g.end === null)
    lines.push(`# Permanent ${g.kind} assignment in the tenant: give it an end when you can.`);
  return `${lines.join("\n")}\n${grantBody(g, day)}`;
}

function breakGlassBlock(
  live: LiveTenant,
  grants: readonly GrantEntry[],
  files: Map<string, string>,
  commented: ReadonlySet<string>,
): string {
  const upns = live.facts.permanentGlobalAdmins;
  if (!upns.length) return "";
  const lines = [
    "",
    "# Break-glass candidates: these accounts hold Global Administrator active and permanently. Only a person can",
    "# tell an emergency-access account from a standing admin. For each one that is break-glass: uncomment it, and",
    "# delete the grant file named beside it, or its commented-out grant below (break-glass accounts are held",
    "# outside PIM, never by a grant).",
    "# For the others: give the grant an end, or make it eligible.",
    "# breakGlass:",
  ];
  for (const upn of upns) {
    const g = grants.find(
      (x) =>
        x.kind === "active" &&
        x.end === null &&
        x.role.id === GLOBAL_ADMINISTRATOR &&
        normalizeRef(x.principal) === normalizeRef(upn),
    );
    const file = g ? files.get(g.key)?.replace(/^grants\//, "") : undefined;
    const beside = !g
      ? ""
      : commented.has(g.key)
        ? `   # made outside PIM, commented out below: grants/${file}`
        : `   # grant file: grants/${file}`;
    lines.push(`#   - upn: ${upn}${beside}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The assignments made outside PIM, each as the grant file it would be, commented out with how to bring it under
 * PIM. Declared as it is, the first `pulumi up` would fail on it (see the module comment).
 */
function outsidePimBlock(outside: readonly { path: string; grant: GrantEntry }[], day: string): string {
  if (!outside.length) return "";
  const lines = [
    "",
    "# Made outside PIM: these assignments are direct role assignments (no start date), which PIM-005 and CISA",
    "# MS.AAD.7.5 flag. They are not declared: the first pulumi up would request each one through PIM, and Graph",
    "# refuses a request for an assignment that exists (RoleAssignmentExists). To fix one: remove it in the portal",
    "# (or az rest --method DELETE --url https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments/<id>),",
    "# then save its lines below, uncommented, as the grant file named above them: the next pulumi up grants it",
    "# through PIM. Until then pim drift reports it as extra (unmanaged) and pim report flags PIM-005.",
  ];
  for (const { path, grant } of outside) {
    lines.push("#", `# ${path}:`);
    for (const l of grantBody(grant, day).trimEnd().split("\n")) lines.push(`#   ${l}`);
  }
  return `${lines.join("\n")}\n`;
}
