// `emulator --seed stacks/<name>/tenant.yaml`: a stack's declarations become the tenant *before* the stack's
// first run, holding what the stack refers to but does not create by itself through PIM: a user for every UPN
// it names, a group for every group name (approver groups, PIM-for-Groups groups, groups that hold a grant or
// approve), a service principal for every other principal name, its break-glass accounts with their
// permanent Global Administrator, and its authentication contexts with the Conditional Access policy each
// names. Object ids derive from the names, so they are the same on every run. Role settings, grants, group
// memberships and group schedules are left for the run to make.
//
// This is a small reader of its own, not the product's loader (model/load): the emulator stands in for the
// tenant and imports nothing of the product, so that a bug in the loader cannot hide behind an emulator that
// reads the declarations the same wrong way, and so that a stack the loader refuses can still be served
// (`pim check` reports the mistakes; the emulator only needs the names). It reads names, never judges.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { defaultSeedPath } from "./catalog";
import { isGuid } from "./ids";
import type { EmulatorSeed } from "./seed";

type Doc = Record<string, unknown>;

/** A stack's tenant.yaml names its tenant with `tenant.name`; a seed has `tenant.displayName` and domains. */
export function isStackDeclarations(doc: unknown): doc is Doc {
  const t = (doc as Doc | null)?.tenant as Doc | undefined;
  return !!t && typeof t === "object" && typeof t.name === "string" && t.domains === undefined;
}

const isUpn = (s: unknown): s is string => typeof s === "string" && /^[^@\s]+@[^@\s]+$/.test(s);
const asArray = (v: unknown): Doc[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Doc[]) : [];

/** What a stack names, collected once (names compare case-insensitively for UPNs, exactly for groups). */
class Names {
  readonly users = new Map<string, string>();
  readonly groups = new Map<string, { roleAssignable: boolean; description: string | null }>();
  readonly servicePrincipals = new Set<string>();

  user(upn: string): void {
    if (!this.users.has(upn.toLowerCase())) this.users.set(upn.toLowerCase(), upn);
  }

  group(name: string, roleAssignable = false, description: string | null = null): void {
    if (isGuid(name)) return;
    const prev = this.groups.get(name);
    this.groups.set(name, {
      roleAssignable: roleAssignable || (prev?.roleAssignable ?? false),
      description: prev?.description ?? description,
    });
  }

  /** A principal written as UPN, object id (nothing to create) or display name. */
  principal(ref: unknown, type?: unknown): void {
    if (typeof ref !== "string" || !ref || isGuid(ref)) return;
    if (isUpn(ref)) this.user(ref);
    else if (type === "servicePrincipal") this.servicePrincipals.add(ref);
    // A group that holds a directory role must be role-assignable.
    else this.group(ref, true);
  }
}

/** Approvers appear as `{ user }` / `{ group }` anywhere in profiles and role settings. */
function collectApprovers(node: unknown, names: Names): void {
  if (Array.isArray(node)) {
    for (const x of node) collectApprovers(x, names);
    return;
  }
  if (!node || typeof node !== "object") return;
  const o = node as Doc;
  const keys = Object.keys(o);
  if (keys.length === 1 && typeof o.user === "string") names.principal(o.user);
  else if (keys.length === 1 && typeof o.group === "string") names.group(o.group);
  else for (const v of Object.values(o)) collectApprovers(v, names);
}

function readGrants(stackDir: string): Doc[] {
  const dir = join(stackDir, "grants");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => {
      try {
        return parseYaml(readFileSync(join(dir, f), "utf8")) as Doc;
      } catch {
        return null; // pim check reports an unreadable grant; the emulator only needs the names it can read
      }
    })
    .filter((g): g is Doc => !!g && typeof g === "object");
}

/** "ada.lovelace@contoso.com" → "Ada Lovelace". */
function displayNameOf(upn: string): string {
  return upn
    .split("@")[0]!
    .split(/[._-]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join(" ");
}

/** `*` wildcards of `synchronizedAccounts`, matched case-insensitively against the whole UPN. */
function patternMatcher(patterns: unknown): (upn: string) => boolean {
  const res = (Array.isArray(patterns) ? patterns : [])
    .filter((p): p is string => typeof p === "string")
    .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i"));
  return (upn) => res.some((r) => r.test(upn));
}

export function stackSeed(tenantYamlPath: string, doc: Doc): EmulatorSeed {
  const tenant = doc.tenant as Doc;
  const names = new Names();
  for (const a of asArray(doc.approverGroups)) {
    if (typeof a.name === "string")
      names.group(a.name, false, typeof a.description === "string" ? a.description : null);
    for (const m of Array.isArray(a.members) ? a.members : []) names.principal(m);
  }
  for (const g of asArray(doc.pimGroups)) {
    if (typeof g.name === "string")
      names.group(
        g.name,
        g.roleAssignable !== false,
        typeof g.description === "string" ? g.description : null,
      );
    for (const side of [g.members, g.owners] as Doc[])
      for (const kind of ["eligible", "active"])
        for (const m of asArray(side?.[kind])) names.principal(m.principal);
  }
  for (const r of asArray((doc.roleSettings as Doc | undefined)?.groups))
    if (typeof r.group === "string") names.group(r.group);
  collectApprovers(doc.profiles, names);
  collectApprovers(doc.roleSettings, names);
  const breakGlass = asArray(doc.breakGlass)
    .map((b) => b.upn)
    .filter(isUpn);
  for (const upn of breakGlass) names.user(upn);
  const safeDefaults = doc.safeDefaults as Doc | undefined;
  for (const s of asArray(safeDefaults?.serviceAccounts))
    names.principal(s.principal, isUpn(s.principal) ? "user" : "servicePrincipal");
  for (const g of readGrants(dirname(tenantYamlPath))) {
    names.principal(g.principal, g.principalType);
    if (isUpn(g.requestedBy)) names.user(g.requestedBy);
  }

  const synced = patternMatcher(doc.synchronizedAccounts);
  const users = [...names.users.values()].map((upn) => ({
    upn,
    displayName: displayNameOf(upn),
    ...(synced(upn) ? { onPremisesSyncEnabled: true } : {}),
  }));
  const domainCount = new Map<string, number>();
  for (const u of users) {
    const d = u.upn.split("@")[1]!.toLowerCase();
    domainCount.set(d, (domainCount.get(d) ?? 0) + 1);
  }
  const slug =
    String(tenant.name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "") || "tenant";
  const domains = [...domainCount.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([d]) => d);
  if (domains.length === 0) domains.push(`${slug}.onmicrosoft.com`);
  const defaultDomain = domains.find((d) => !d.endsWith(".onmicrosoft.com")) ?? domains[0]!;

  const contexts = asArray(doc.authenticationContexts).filter((c) => typeof c.id === "string");
  // One enabled policy per name, enforcing every context that names it with phishing-resistant MFA.
  const enforcing = new Map<string, string[]>();
  for (const c of contexts)
    if (typeof c.conditionalAccessPolicy === "string" && !isGuid(c.conditionalAccessPolicy))
      enforcing.set(c.conditionalAccessPolicy, [
        ...(enforcing.get(c.conditionalAccessPolicy) ?? []),
        c.id as string,
      ]);
  const caPolicies = [...enforcing.entries()].map(([displayName, ids]) => ({
    displayName,
    state: "enabled" as const,
    users: { include: ["All"], exclude: breakGlass },
    applications: { authenticationContexts: ids },
    grant: { authenticationStrength: "phishingResistant" as const },
  }));

  // The product's app registrations (deployer, read-only reader) are the default seed's, kept in one place.
  const demo = parseYaml(readFileSync(defaultSeedPath(), "utf8")) as {
    applications?: EmulatorSeed["applications"];
    azure?: { subscriptions?: { id: string; displayName: string; access?: unknown[] }[] };
  };
  return {
    tenant: {
      id: String(tenant.id ?? ""),
      displayName: String(tenant.name),
      domains: domains.map((name) => ({ name, isDefault: name === defaultDomain })),
    },
    users,
    groups: [...names.groups.entries()].map(([displayName, g]) => ({
      displayName,
      description: g.description,
      isAssignableToRole: g.roleAssignable,
    })),
    applications: [
      ...(demo.applications ?? []),
      ...[...names.servicePrincipals].map((displayName) => ({ displayName, permissions: [] })),
    ],
    // Break-glass accounts exist before the stack runs and hold Global Administrator permanently; the product
    // only verifies them (and Entra always has a Global Administrator).
    assignments: breakGlass.map((upn) => ({ principal: upn, role: "Global Administrator", start: "-P365D" })),
    conditionalAccess: {
      authenticationContexts: contexts.map((c) => ({
        id: c.id as string,
        displayName:
          typeof c.description === "string" ? c.description : `Authentication context ${c.id as string}`,
        isAvailable: true,
      })),
      policies: caPolicies,
    },
    azure: { subscriptions: azureSubscriptions(doc, demo.azure?.subscriptions ?? []) },
  };
}

/**
 * The subscriptions `roleSettings.azureRoles[].scope` names (with the resource groups it names), every role at
 * Azure's defaults, with the default seed's access for the product's apps (deployer Owner, pim-reader Reader).
 */
function azureSubscriptions(
  doc: Doc,
  known: { id: string; displayName: string; access?: unknown[] }[],
): NonNullable<NonNullable<EmulatorSeed["azure"]>["subscriptions"]> {
  const groups = new Map<string, Set<string>>();
  for (const r of asArray((doc.roleSettings as Doc | undefined)?.azureRoles)) {
    const m =
      typeof r.scope === "string"
        ? /^\/subscriptions\/([0-9a-f-]{36})(?:\/resourceGroups\/([^/]+))?\/?$/i.exec(r.scope)
        : null;
    if (!m || !isGuid(m[1])) continue;
    const id = m[1]!.toLowerCase();
    const rgs = groups.get(id) ?? new Set<string>();
    if (m[2]) rgs.add(m[2]);
    groups.set(id, rgs);
  }
  const access = (known[0]?.access ?? []) as { identity: string; role: string }[];
  return [...groups.entries()].map(([id, rgs]) => ({
    id,
    displayName: known.find((k) => k.id.toLowerCase() === id)?.displayName ?? `Subscription ${id}`,
    resourceGroups: [...rgs],
    access: access.map((a) => ({ identity: a.identity, role: a.role })),
  }));
}
