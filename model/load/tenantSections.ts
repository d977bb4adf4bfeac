/**
 * tenant.yaml as the meaning checks see it: each section the schema accepts, and inside a refused list section
 * (approverGroups, pimGroups, breakGlass, the roleSettings lists) each entry it accepts, so one malformed entry
 * hides none of its neighbours' problems. A refused entry is a hole (`undefined`) so indices still match the file.
 */
import type { z } from "zod";
import { pimGroup, tenantFile, type TenantFile } from "../schema/tenant";
import type { Diagnostic } from "./diagnostics";
import { parseFields } from "./parseFile";
import type { YamlSource } from "./yamlSource";

export type Holes<T> = ReadonlyArray<T | undefined>;
type Entry<K extends keyof TenantFile> =
  NonNullable<TenantFile[K]> extends ReadonlyArray<infer E> ? E : never;
type RoleSettings = NonNullable<TenantFile["roleSettings"]>;
type RoleSettingsEntry<K extends keyof RoleSettings> = NonNullable<RoleSettings[K]>[number];

type PimGroupInput = Entry<"pimGroups">;
type Membership = NonNullable<NonNullable<PimGroupInput["members"]>["eligible"]>[number];
type Memberships = { eligible?: Holes<Membership>; active?: Holes<Membership> };

/** A PIM group entry with its roles and memberships one by one: one bad membership hides none of the others. */
export type PimGroupEntry = Omit<PimGroupInput, "roles" | "members" | "owners"> & {
  roles?: Holes<string>;
  members?: Memberships;
  owners?: Memberships;
};

export interface TenantSections {
  tenant?: TenantFile["tenant"];
  contractors?: TenantFile["contractors"];
  synchronizedAccounts?: TenantFile["synchronizedAccounts"];
  authenticationContexts?: TenantFile["authenticationContexts"];
  profiles?: TenantFile["profiles"];
  roleSettings?: {
    directoryRoles?: Holes<RoleSettingsEntry<"directoryRoles">>;
    groups?: Holes<RoleSettingsEntry<"groups">>;
    azureRoles?: Holes<RoleSettingsEntry<"azureRoles">>;
  };
  approverGroups?: Holes<Entry<"approverGroups">>;
  pimGroups?: Holes<PimGroupEntry>;
  breakGlass?: Holes<Entry<"breakGlass">>;
  safeDefaults?: TenantFile["safeDefaults"];
}

export interface ParsedTenant {
  sections: TenantSections;
  /** Sections present but not wholly accepted: checks that need all of one stand down. */
  incomplete: Set<keyof TenantFile>;
}

const LIST_SECTIONS = ["approverGroups", "breakGlass"] as const;
const ROLE_SETTINGS_LISTS = ["directoryRoles", "groups", "azureRoles"] as const;

/** The element schema of an (optional) array schema. */
function elementOf(schema: z.ZodType): z.ZodType | null {
  let s: z.ZodType = schema;
  for (let i = 0; i < 4; i++) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } }).def;
    if (def.type === "optional" && def.innerType) s = def.innerType;
    else if (def.type === "array" && def.element) return def.element;
    else return null;
  }
  return null;
}

/** Each entry of `raw` that `arraySchema`'s element accepts; a hole for the others; undefined if not a list. */
function entries<T>(arraySchema: z.ZodType, raw: unknown): Holes<T> | undefined {
  const element = elementOf(arraySchema);
  if (!element || !Array.isArray(raw)) return undefined;
  return raw.map((e) => {
    const r = element.safeParse(e);
    return r.success ? (r.data as T) : undefined;
  });
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A refused PIM group entry, taken apart: its accepted fields, and its roles and memberships one by one. */
function pimGroupEntry(raw: unknown): PimGroupEntry | undefined {
  const whole = pimGroup.safeParse(raw);
  if (whole.success) return whole.data;
  if (!isMap(raw)) return undefined;
  const shape = pimGroup.shape;
  const name = shape.name.safeParse(raw.name);
  if (!name.success) return undefined;
  const field = <K extends "description" | "roleAssignable">(k: K) => {
    const r = shape[k].safeParse(raw[k]);
    return r.success ? (r.data as PimGroupInput[K]) : undefined;
  };
  const membershipList = (shape.members.unwrap() as z.ZodObject).shape.eligible as z.ZodType;
  const memberships = (k: "members" | "owners"): Memberships | undefined =>
    isMap(raw[k])
      ? {
          eligible: entries<Membership>(membershipList, (raw[k] as Record<string, unknown>).eligible),
          active: entries<Membership>(membershipList, (raw[k] as Record<string, unknown>).active),
        }
      : undefined;
  return {
    name: name.data,
    description: field("description"),
    roleAssignable: field("roleAssignable"),
    roles: entries<string>(shape.roles, raw.roles),
    members: memberships("members"),
    owners: memberships("owners"),
  };
}

/** Reports every schema problem of tenant.yaml and returns what the meaning checks can still use. */
export function parseTenant(src: YamlSource, out: Diagnostic[]): ParsedTenant {
  const parsed = parseFields(tenantFile, src, out);
  const sections: TenantSections = { ...parsed.fields };
  const raw = src.value as Record<string, unknown>;
  for (const k of LIST_SECTIONS) {
    if (parsed.refused.has(k)) {
      (sections as Record<string, unknown>)[k] = entries(tenantFile.shape[k], raw[k]);
    }
  }
  if (parsed.refused.has("pimGroups") && Array.isArray(raw.pimGroups)) {
    sections.pimGroups = raw.pimGroups.map(pimGroupEntry);
  }
  if (parsed.refused.has("roleSettings") && raw.roleSettings && typeof raw.roleSettings === "object") {
    const rs = raw.roleSettings as Record<string, unknown>;
    const shape = (tenantFile.shape.roleSettings.unwrap() as z.ZodObject).shape as Record<string, z.ZodType>;
    sections.roleSettings = Object.fromEntries(
      ROLE_SETTINGS_LISTS.map((k) => [k, entries(shape[k]!, rs[k])]),
    ) as TenantSections["roleSettings"];
  }
  return { sections, incomplete: parsed.refused as Set<keyof TenantFile> };
}
