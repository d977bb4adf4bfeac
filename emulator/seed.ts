// Seed files (JSON or YAML) describe the tenant before the product runs: directory objects, apps
// and their granted permissions, role-setting differences from the defaults, existing grants and
// audit history. Validated with zod; every problem is reported at once with its path.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { iso } from "./clock";
import { parseDuration } from "./duration";
import { isGuid, roleAssignmentKey, stableGuid } from "./ids";
import { loadAzureRoleCatalog, loadRoleCatalog, type AzureCatalogRole, type CatalogRole } from "./catalog";
import { azureSeed, buildAzure } from "./armSeed";
import { recordAudit, userCaller } from "./audit";
import { EmulatorState, type Group, type Schedule } from "./state";
import { activationSeed, addActivations } from "./seedActivations";
import { addConditionalAccess, conditionalAccessSeed } from "./seedConditionalAccess";
import { isStackDeclarations, stackSeed } from "./stackSeed";

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID");
const ref = z.string().min(1);
/** Rule id → properties, same shapes as a PATCH body without `@odata.type`. */
const overrides = z.record(z.string(), z.record(z.string(), z.unknown()));
/** ISO instant, or a duration relative to the emulator's start (`-P30D` = 30 days ago, `P7D` = in 7 days). */
const when = z.string().min(1);

const grant = z
  .object({
    principal: ref,
    role: z.string().min(1),
    scope: z.string().default("/"),
    start: when.optional(),
    /** ISO instant, a duration after `start`, or null/absent for no expiration. */
    end: when.nullable().optional(),
  })
  .strict();
const groupGrant = z
  .object({
    principal: ref,
    group: ref,
    access: z.enum(["member", "owner"]),
    start: when.optional(),
    end: when.nullable().optional(),
  })
  .strict();

export const SeedSchema = z
  .object({
    tenant: z
      .object({
        id: guid,
        displayName: z.string().min(1),
        domains: z
          .array(z.object({ name: z.string().min(1), isDefault: z.boolean().default(false) }).strict())
          .min(1),
      })
      .strict(),
    settings: z
      .object({ policyErrorMessageFormat: z.enum(["text", "list"]).optional() })
      .strict()
      .optional(),
    users: z
      .array(
        z
          .object({
            upn: z.string().min(3),
            displayName: z.string().min(1),
            id: guid.optional(),
            userType: z.enum(["Member", "Guest"]).optional(),
            accountEnabled: z.boolean().optional(),
            mail: z.string().nullable().optional(),
            givenName: z.string().nullable().optional(),
            surname: z.string().nullable().optional(),
            jobTitle: z.string().nullable().optional(),
            /** true: synchronised from on-premises (Entra Connect); false: no longer; absent/null: cloud-only. */
            onPremisesSyncEnabled: z.boolean().nullable().optional(),
            /** Derived from the UPN when sync is enabled and this is absent. */
            onPremisesImmutableId: z.string().min(1).optional(),
            /** ISO instant or relative duration; default 30 minutes ago when sync is enabled. */
            onPremisesLastSyncDateTime: when.optional(),
          })
          .strict(),
      )
      .default([]),
    groups: z
      .array(
        z
          .object({
            displayName: z.string().min(1),
            id: guid.optional(),
            description: z.string().nullable().optional(),
            mailEnabled: z.boolean().optional(),
            mailNickname: z.string().optional(),
            securityEnabled: z.boolean().optional(),
            isAssignableToRole: z.boolean().optional(),
            members: z.array(ref).optional(),
            owners: z.array(ref).optional(),
            /** Already onboarded into PIM for Groups (policy ids are the post-onboarding ones). */
            pimOnboarded: z.boolean().optional(),
            policies: z
              .object({ member: overrides.optional(), owner: overrides.optional() })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .default([]),
    applications: z
      .array(
        z
          .object({
            displayName: z.string().min(1),
            appId: guid.optional(),
            objectId: guid.optional(),
            servicePrincipalId: guid.optional(),
            clientSecret: z.string().nullable().optional(),
            /** Microsoft Graph application permissions granted with admin consent. */
            permissions: z.array(z.string()).default([]),
          })
          .strict(),
      )
      .default([]),
    administrativeUnits: z
      .array(
        z
          .object({
            displayName: z.string().min(1),
            id: guid.optional(),
            description: z.string().nullable().optional(),
            members: z.array(ref).optional(),
          })
          .strict(),
      )
      .default([]),
    roles: z
      .object({
        /** Role display name or template id → rule overrides (per-role default differences, §1.8). */
        policies: z.record(z.string(), overrides).optional(),
        custom: z
          .array(
            z
              .object({
                displayName: z.string().min(1),
                id: guid.optional(),
                description: z.string().optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    eligibilities: z.array(grant).default([]),
    assignments: z.array(grant).default([]),
    /** Active assignments made outside PIM: permanent, no schedule request, no start (routes/roleAssignments.ts). */
    directAssignments: z
      .array(
        z
          .object({
            principal: ref,
            role: z.string().min(1),
            scope: z.string().default("/"),
            created: when.optional(),
          })
          .strict(),
      )
      .default([]),
    groupEligibilities: z.array(groupGrant).default([]),
    groupAssignments: z.array(groupGrant).default([]),
    auditEvents: z
      .array(
        z
          .object({
            activityDisplayName: z.string().min(1),
            activityDateTime: when,
            initiatedBy: ref.optional(),
            role: z.string().optional(),
            group: ref.optional(),
            principal: ref.optional(),
            result: z.enum(["success", "failure"]).optional(),
            resultReason: z.string().optional(),
            justification: z.string().optional(),
            operationType: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Activation history as events, expanded into Entra's PIM audit records (seedActivations.ts). */
    activations: z.array(activationSeed).default([]),
    conditionalAccess: conditionalAccessSeed.optional(),
    /** Azure subscriptions, Azure RBAC and Azure role settings, served on the ARM routes (armSeed.ts). */
    azure: azureSeed.optional(),
  })
  .strict();

export type EmulatorSeed = z.input<typeof SeedSchema>;
type Seed = z.output<typeof SeedSchema>;

export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid emulator seed:\n  ${problems.join("\n  ")}`);
    this.name = "SeedError";
  }
}

/**
 * Read a seed file (JSON or YAML). A stack's `tenant.yaml` is accepted too: its declarations become a seed
 * holding the principals and groups the stack names (stackSeed.ts).
 */
export function readSeedFile(path: string): EmulatorSeed {
  const text = readFileSync(path, "utf8");
  let doc: unknown;
  try {
    doc = extname(path).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SeedError([`${path}: ${(e as Error).message}`]);
  }
  return isStackDeclarations(doc) ? stackSeed(path, doc) : (doc as EmulatorSeed);
}

/** On-premises synchronisation attributes of a seeded user (all null for a cloud-only account). */
function onPremises(
  u: Seed["users"][number],
  tid: string,
  nowMs: number,
  problems: string[],
): {
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesLastSyncDateTime: string | null;
} {
  if (!u.onPremisesSyncEnabled) {
    if (u.onPremisesImmutableId || u.onPremisesLastSyncDateTime)
      problems.push(
        `users.${u.upn}: onPremisesImmutableId and onPremisesLastSyncDateTime need onPremisesSyncEnabled: true`,
      );
    return { onPremisesSyncEnabled: null, onPremisesImmutableId: null, onPremisesLastSyncDateTime: null };
  }
  // Entra Connect's default source anchor: the base64 of the on-premises objectGUID's bytes.
  const anchor = Buffer.from(stableGuid(`${tid}:onprem:${u.upn.toLowerCase()}`).replace(/-/g, ""), "hex");
  const last = u.onPremisesLastSyncDateTime
    ? resolveWhen(u.onPremisesLastSyncDateTime, nowMs, `users.${u.upn}.onPremisesLastSyncDateTime`, problems)
    : nowMs - 30 * 60_000;
  return {
    onPremisesSyncEnabled: true,
    onPremisesImmutableId: u.onPremisesImmutableId ?? anchor.toString("base64"),
    onPremisesLastSyncDateTime: Number.isNaN(last) ? null : iso(last),
  };
}

function resolveWhen(v: string, base: number, label: string, problems: string[]): number {
  const neg = v.startsWith("-");
  const d = parseDuration(neg ? v.slice(1) : v);
  if (d !== null) return base + (neg ? -d : d);
  const t = Date.parse(v);
  if (Number.isNaN(t)) problems.push(`${label}: '${v}' is neither an ISO instant nor an ISO duration`);
  return t;
}

/** Build a fresh state from a seed. `now` anchors relative times. */
export function buildState(
  input: EmulatorSeed,
  now: Date,
  catalog: CatalogRole[] = loadRoleCatalog(),
  azureCatalog: AzureCatalogRole[] = loadAzureRoleCatalog(),
): EmulatorState {
  const parsed = SeedSchema.safeParse(input);
  if (!parsed.success)
    throw new SeedError(parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  const seed: Seed = parsed.data;
  const problems: string[] = [];
  const state = new EmulatorState();
  const nowMs = now.getTime();
  const nowIso = iso(now);
  const tid = seed.tenant.id.toLowerCase();
  state.tenant = { id: tid, displayName: seed.tenant.displayName, domains: seed.tenant.domains };
  if (seed.settings?.policyErrorMessageFormat)
    state.settings.policyErrorMessageFormat = seed.settings.policyErrorMessageFormat;

  for (const u of seed.users) {
    const [given, ...rest] = u.displayName.split(" ");
    state.addUser({
      id: (u.id ?? stableGuid(`${tid}:user:${u.upn.toLowerCase()}`)).toLowerCase(),
      displayName: u.displayName,
      userPrincipalName: u.upn,
      mail: u.mail === undefined ? (u.userType === "Guest" ? null : u.upn) : u.mail,
      userType: u.userType ?? "Member",
      accountEnabled: u.accountEnabled ?? true,
      givenName: u.givenName === undefined ? (given ?? null) : u.givenName,
      surname: u.surname === undefined ? rest.join(" ") || null : u.surname,
      jobTitle: u.jobTitle ?? null,
      ...onPremises(u, tid, nowMs, problems),
    });
  }
  for (const a of seed.applications) {
    const appId = (a.appId ?? stableGuid(`${tid}:appId:${a.displayName}`)).toLowerCase();
    state.applications.set((a.objectId ?? stableGuid(`${tid}:application:${a.displayName}`)).toLowerCase(), {
      id: (a.objectId ?? stableGuid(`${tid}:application:${a.displayName}`)).toLowerCase(),
      appId,
      displayName: a.displayName,
      signInAudience: "AzureADMyOrg",
      createdDateTime: nowIso,
    });
    const spId = (a.servicePrincipalId ?? stableGuid(`${tid}:sp:${a.displayName}`)).toLowerCase();
    state.servicePrincipals.set(spId, {
      id: spId,
      appId,
      displayName: a.displayName,
      servicePrincipalType: "Application",
      accountEnabled: true,
      appOwnerOrganizationId: tid,
      _clientSecret: a.clientSecret ?? null,
      _permissions: [...a.permissions],
    });
  }
  const groupSeeds: [Group, Seed["groups"][number]][] = [];
  for (const g of seed.groups) {
    const id = (g.id ?? stableGuid(`${tid}:group:${g.displayName}`)).toLowerCase();
    const group: Group = {
      id,
      displayName: g.displayName,
      description: g.description ?? null,
      mailEnabled: g.mailEnabled ?? false,
      mailNickname:
        g.mailNickname ??
        g.displayName
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, ""),
      securityEnabled: g.securityEnabled ?? true,
      groupTypes: [],
      isAssignableToRole: g.isAssignableToRole ?? false,
      createdDateTime: nowIso,
      visibility: g.isAssignableToRole ? "Private" : null,
      _members: [],
      _owners: [],
      _pimOnboarded: g.pimOnboarded ?? false,
    };
    state.groups.set(id, group);
    groupSeeds.push([group, g]);
    if (g.policies) state.groupPolicyOverrides.set(id, g.policies);
  }

  const principal = (r: string, label: string): string => {
    if (isGuid(r)) {
      const p = state.findPrincipal(r.toLowerCase());
      if (p) return p.obj.id;
    }
    const u = state.findUser(r);
    if (u) return u.id;
    const matches = [...state.groups.values()]
      .filter((g) => g.displayName === r)
      .map((g) => g.id)
      .concat([...state.servicePrincipals.values()].filter((s) => s.displayName === r).map((s) => s.id));
    if (matches.length === 1) return matches[0]!;
    problems.push(
      `${label}: '${r}' ${matches.length ? "is ambiguous" : "matches no user, group or service principal"}`,
    );
    return "00000000-0000-0000-0000-000000000000";
  };
  for (const [group, g] of groupSeeds) {
    group._members = (g.members ?? []).map((m, i) => principal(m, `groups.${g.displayName}.members[${i}]`));
    group._owners = (g.owners ?? []).map((m, i) => principal(m, `groups.${g.displayName}.owners[${i}]`));
  }
  for (const au of seed.administrativeUnits) {
    const id = (au.id ?? stableGuid(`${tid}:au:${au.displayName}`)).toLowerCase();
    state.administrativeUnits.set(id, {
      id,
      displayName: au.displayName,
      description: au.description ?? null,
      visibility: null,
      _members: (au.members ?? []).map((m, i) =>
        principal(m, `administrativeUnits.${au.displayName}.members[${i}]`),
      ),
    });
  }

  // Built-in role definitions: id = template id, as for every built-in role in Graph.
  for (const r of catalog) {
    state.roleDefinitions.set(r.templateId, {
      id: r.templateId,
      description: r.description ?? r.displayName,
      displayName: r.displayName,
      isBuiltIn: true,
      isEnabled: true,
      resourceScopes: ["/"],
      templateId: r.templateId,
      version: "1",
      rolePermissions: [{ allowedResourceActions: [], condition: null }],
      _isPrivileged: r.isPrivileged,
    });
  }
  for (const c of seed.roles?.custom ?? []) {
    const id = (c.id ?? stableGuid(`${tid}:customRole:${c.displayName}`)).toLowerCase();
    state.roleDefinitions.set(id, {
      id,
      description: c.description ?? c.displayName,
      displayName: c.displayName,
      isBuiltIn: false,
      isEnabled: true,
      resourceScopes: ["/"],
      templateId: id,
      version: null,
      rolePermissions: [{ allowedResourceActions: [], condition: null }],
      _isPrivileged: false,
    });
  }
  const roleId = (r: string, label: string): string => {
    const byId = state.roleDefinitions.get(r.toLowerCase());
    if (byId) return byId.id;
    const byName = [...state.roleDefinitions.values()].find(
      (d) => d.displayName.toLowerCase() === r.toLowerCase(),
    );
    if (byName) return byName.id;
    problems.push(`${label}: unknown role '${r}'`);
    return "";
  };
  const roleOverrides = new Map<string, Record<string, Record<string, unknown>>>();
  for (const [name, o] of Object.entries(seed.roles?.policies ?? {})) {
    const id = roleId(name, `roles.policies.${name}`);
    if (id) roleOverrides.set(id, o);
  }
  for (const r of state.roleDefinitions.values()) {
    try {
      state.addRolePolicy(r.id, roleOverrides.get(r.id));
    } catch (e) {
      problems.push(`roles.policies.${r.displayName}: ${(e as Error).message}`);
    }
  }
  for (const g of state.groups.values()) {
    try {
      state.ensureGroupPolicies(g.id);
    } catch (e) {
      problems.push(`groups.${g.displayName}.policies: ${(e as Error).message}`);
    }
  }

  const addSchedule = (
    s: Omit<
      Schedule,
      | "createdUsing"
      | "createdDateTime"
      | "modifiedDateTime"
      | "_memberType"
      | "_expirationType"
      | "_duration"
      | "_activatedUsing"
      | "_instanceKey"
      | "appScopeId"
    >,
  ) => {
    state.schedules.set(s.id, {
      ...s,
      appScopeId: null,
      createdUsing: s.id,
      createdDateTime: s.startDateTime,
      modifiedDateTime: "0001-01-01T08:00:00Z",
      _memberType: "Direct",
      _expirationType: s.endDateTime ? "afterDateTime" : "noExpiration",
      _duration: null,
      _activatedUsing: null,
      _instanceKey: roleAssignmentKey(
        s.principalId,
        `${s._target}:${s._accessId ?? ""}:${s._kind}`,
        s.directoryScopeId ?? "",
      ),
    });
  };
  const span = (g: { start?: string; end?: string | null }, label: string) => {
    const start = g.start ? resolveWhen(g.start, nowMs, `${label}.start`, problems) : nowMs;
    const end =
      g.end === undefined || g.end === null
        ? null
        : resolveWhen(g.end, g.end.startsWith("P") ? start : nowMs, `${label}.end`, problems);
    return { startDateTime: iso(start), endDateTime: end === null ? null : iso(end) };
  };
  for (const [list, kind] of [
    [seed.eligibilities, "eligibility"],
    [seed.assignments, "assignment"],
  ] as const) {
    list.forEach((g, i) => {
      const label = `${kind === "eligibility" ? "eligibilities" : "assignments"}[${i}]`;
      const p = principal(g.principal, `${label}.principal`);
      const r = roleId(g.role, `${label}.role`);
      addSchedule({
        id: stableGuid(`${tid}:seed:${kind}:${p}:${r}:${g.scope}`),
        _scope: "directory",
        _kind: kind,
        principalId: p,
        _target: r,
        _accessId: null,
        directoryScopeId: g.scope,
        _assignmentType: kind === "assignment" ? "Assigned" : null,
        ...span(g, label),
      });
    });
  }
  for (const [list, kind] of [
    [seed.groupEligibilities, "eligibility"],
    [seed.groupAssignments, "assignment"],
  ] as const) {
    list.forEach((g, i) => {
      const label = `${kind === "eligibility" ? "groupEligibilities" : "groupAssignments"}[${i}]`;
      const p = principal(g.principal, `${label}.principal`);
      const gid = principal(g.group, `${label}.group`);
      const reqId = stableGuid(`${tid}:seed:group:${kind}:${p}:${gid}:${g.access}`);
      addSchedule({
        id: `${gid}_${g.access}_${reqId}`,
        _scope: "group",
        _kind: kind,
        principalId: p,
        _target: gid,
        _accessId: g.access,
        directoryScopeId: null,
        _assignmentType: kind === "assignment" ? "Assigned" : null,
        ...span(g, label),
      });
    });
  }

  for (const [i, a] of seed.auditEvents.entries()) {
    const label = `auditEvents[${i}]`;
    const at = resolveWhen(a.activityDateTime, nowMs, `${label}.activityDateTime`, problems);
    const initiator = a.initiatedBy ? state.findUser(a.initiatedBy) : undefined;
    const role = a.role ? roleId(a.role, `${label}.role`) : null;
    const group = a.group ? principal(a.group, `${label}.group`) : null;
    if (!role && !group) problems.push(`${label}: needs 'role' or 'group'`);
    if (Number.isNaN(at) || (!role && !group)) continue;
    recordAudit(state, {
      activity: a.activityDisplayName,
      category: group ? "GroupManagement" : "RoleManagement",
      operationType: a.operationType ?? "Add",
      result: a.result,
      resultReason: a.resultReason,
      caller: initiator ? userCaller(initiator) : "system",
      target: role
        ? { id: role, displayName: state.roleDefinitions.get(role)?.displayName ?? null, type: "Role" }
        : { id: group!, displayName: state.groups.get(group!)?.displayName ?? null, type: "Group" },
      principalId: a.principal ? principal(a.principal, `${label}.principal`) : undefined,
      justification: a.justification,
      at: new Date(at),
    });
  }
  seed.directAssignments.forEach((d, i) => {
    const label = `directAssignments[${i}]`;
    const p = principal(d.principal, `${label}.principal`);
    const r = roleId(d.role, `${label}.role`);
    const created = d.created ? resolveWhen(d.created, nowMs, `${label}.created`, problems) : nowMs;
    if (!r || Number.isNaN(created)) return;
    state.addDirectAssignment({
      principalId: p,
      roleDefinitionId: r,
      directoryScopeId: d.scope,
      createdDateTime: iso(created),
    });
  });
  const userId = (ref: string, label: string): string => {
    const u = state.findUser(ref);
    if (!u) problems.push(`${label}: '${ref}' matches no user`);
    return u?.id ?? "00000000-0000-0000-0000-000000000000";
  };
  const group = (ref: string, label: string): Group | undefined => {
    const g =
      state.groups.get(ref.toLowerCase()) ?? [...state.groups.values()].find((x) => x.displayName === ref);
    if (!g) problems.push(`${label}: '${ref}' matches no group`);
    return g;
  };
  if (seed.conditionalAccess)
    addConditionalAccess(
      state,
      seed.conditionalAccess,
      {
        user: userId,
        group: (ref, label) => group(ref, label)?.id ?? "00000000-0000-0000-0000-000000000000",
        role: roleId,
        when: (v, label) => {
          const t = resolveWhen(v, nowMs, label, problems);
          return Number.isNaN(t) ? nowIso : iso(t);
        },
      },
      nowIso,
      problems,
    );
  addActivations(
    state,
    seed.activations,
    {
      user: (ref, label) => {
        const u = state.findUser(ref);
        if (!u) problems.push(`${label}: '${ref}' matches no user`);
        return u;
      },
      role: (ref, label) => {
        const id = roleId(ref, label);
        const d = id ? state.roleDefinitions.get(id) : undefined;
        return d ? { id: d.id, displayName: d.displayName } : undefined;
      },
      group,
      at: (v, label) => resolveWhen(v, nowMs, label, problems),
    },
    nowMs,
    problems,
  );
  state.azure = buildAzure(seed.azure, azureCatalog, { principal, lookup: state.lookup }, problems);
  if (problems.length) throw new SeedError(problems);
  return state;
}
