/** Model objects for component tests, built the way the loader builds them (catalog roles, Graph defaults). */
import { createHash } from "node:crypto";
import {
  breakGlassReference,
  Directory,
  directoryReferences,
  resolveDirectory,
} from "../../components/directory";
import type {
  DirectoryObject,
  DirectoryObjectType,
  DirectoryReference,
  VerifiedBreakGlass,
} from "../../providers/graph/reads";
import {
  findAzureRole,
  findDirectoryRole,
  graphDefaults,
  loadStackFiles,
  type AzureRole,
  type DirectoryRole,
  type Grant,
  type ResolvedSettings,
  type TenantModel,
} from "../../model";

export function directoryRole(name: string): DirectoryRole {
  const hit = findDirectoryRole(name);
  if (!hit.ok) throw new Error(`no role ${name}`);
  return hit.role;
}

export function azureRole(name: string): AzureRole {
  const hit = findAzureRole(name);
  if (!hit.ok) throw new Error(`no Azure role ${name}`);
  return hit.role;
}

export const SOURCE = { file: "stacks/unit/tenant.yaml", line: 1, column: 1 };

export function grant(over: Partial<Grant> & Pick<Grant, "id" | "role">): Grant {
  return {
    key: `eligible|${over.role.kind}:${over.role.id}|/|ada.lovelace@contoso.com`,
    file: `stacks/unit/grants/${over.id}.yaml`,
    principal: { ref: "ada.lovelace@contoso.com", type: "user" },
    scope: { type: "tenant" },
    kind: "eligible",
    start: null,
    end: "2027-04-30T23:59:59.999Z",
    justification: "Runbook owner",
    ticket: { system: "ServiceNow", number: "RITM0001" },
    requestedBy: null,
    status: "current",
    daysLeft: 158,
    source: { ...SOURCE, file: `stacks/unit/grants/${over.id}.yaml` },
    ...over,
  };
}

/** Directory defaults with approval by the given approvers in one stage. */
export function approvalSettings(
  approvers: ResolvedSettings["activation"]["approval"]["stages"][number]["approvers"],
): ResolvedSettings {
  const s = graphDefaults("directory");
  return {
    ...s,
    activation: {
      ...s.activation,
      maximumDuration: "PT1H",
      requireTicket: true,
      approval: {
        required: true,
        requiredForExtension: true,
        stages: [{ approvers, timeoutDays: 1, approverJustification: true, escalation: null }],
      },
    },
    eligibleAssignment: { ...s.eligibleAssignment, allowPermanent: false, maximumDuration: "P180D" },
    activeAssignment: {
      ...s.activeAssignment,
      allowPermanent: false,
      maximumDuration: "P15D",
      requireMfa: true,
    },
  };
}

/** A stable, GUID-shaped object id for a name: tests can compute the id a UPN resolves to. */
export function oid(name: string): string {
  const h = createHash("sha256").update(name.trim().toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface FakeTenant {
  /** Display name (lower-cased) → object, for groups, service principals, administrative units, applications. */
  objects?: Record<string, { id: string; type: DirectoryObjectType }>;
  /** UPNs that do not exist (every other UPN is a user with id `oid(upn)`). */
  missingUsers?: string[];
}

/**
 * What the program's reads would answer for `model` in a tenant where every UPN is a user (`oid(upn)`), object ids
 * are what `objects` says (or a user), and names are what `objects` lists. Judged exactly as the program judges.
 */
export function resolveFake(model: TenantModel, fake: FakeTenant = {}) {
  const refs = directoryReferences(model);
  const bg = model.breakGlass.map((b) => breakGlassReference(b.upn));
  const byName = new Map(Object.entries(fake.objects ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const missing = new Set((fake.missingUsers ?? []).map((u) => u.toLowerCase()));
  const object = (id: string, type: DirectoryObjectType, name: string): DirectoryObject => ({
    id,
    type,
    displayName: name,
    userPrincipalName: type === "user" ? name : null,
    onPremisesSyncEnabled: null,
  });
  const answer = (r: DirectoryReference): DirectoryObject[] => {
    const ref = r.ref.trim().toLowerCase();
    if (r.kind === "user") return missing.has(ref) ? [] : [object(oid(ref), "user", ref)];
    if (r.kind === "object") {
      const named = [...byName.entries()].find(([, v]) => v.id === ref);
      return [object(ref, named?.[1].type ?? "user", named?.[0] ?? ref)];
    }
    const hit = byName.get(ref);
    return hit ? [object(hit.id, hit.type, ref)] : [];
  };
  const found = new Map([...refs, ...bg].map((r) => [r.key, answer(r)]));
  const { objects, problems } = resolveDirectory(refs, found);
  for (const r of bg) if (found.get(r.key)!.length) objects.set(r.key, found.get(r.key)![0]!);
  const breakGlass: VerifiedBreakGlass[] = model.breakGlass.map((b) => ({
    upn: b.upn,
    objectId: oid(b.upn),
    assignmentInstanceId: `instance-${oid(b.upn)}`,
  }));
  return { directory: new Directory(model, objects), breakGlass, problems };
}

/** The model of stack "unit" from its tenant.yaml and grant files (by id), loaded at `now`; fails on any error. */
export function unitModel(
  tenant: string,
  grants: Record<string, string> = {},
  now = new Date("2026-11-23T12:00:00Z"),
): TenantModel {
  const files = [
    { path: "stacks/unit/tenant.yaml", text: tenant },
    ...Object.entries(grants).map(([id, text]) => ({ path: `stacks/unit/grants/${id}.yaml`, text })),
  ];
  const r = loadStackFiles("unit", files, now);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.model || errors.length) throw new Error(JSON.stringify(errors, null, 2));
  return r.model;
}
