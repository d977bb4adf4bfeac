/**
 * Turns the names people write in declarations (UPNs, group and service principal display names, administrative
 * unit and application names) into object ids, through `@pulumi/azuread` lookups.
 *
 * One resolver serves one program run and memoises every lookup, so each distinct principal costs one Graph read
 * however many grants, approver stages and memberships name it. Object ids are taken as they are (no lookup), and
 * groups this program creates itself are answered from their resources, which also makes anything naming them
 * depend on them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import type { Approver, PrincipalRef, Scope } from "../model";

import { approverKey } from "../model/keys";
import { isObjectId } from "../model/ids";

// The key under which `DirectoryRoleSettingsInputs.approverIds` carries an approver's object id is `approverKey`.
export { approverKey, isObjectId };

/** Every approver a settings object names: primary and escalation approvers of every stage. */
export function approversOf(
  stages: ReadonlyArray<{ approvers: Approver[]; escalation: { approvers: Approver[] } | null }>,
): Approver[] {
  const seen = new Map<string, Approver>();
  for (const st of stages) {
    for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])]) seen.set(approverKey(a), a);
  }
  return [...seen.values()];
}

export class PrincipalResolver {
  private readonly cache = new Map<string, pulumi.Output<string>>();
  private readonly created = new Map<string, pulumi.Output<string>>();
  /** Lookups actually issued, by memo key; tests assert each distinct principal appears once. */
  readonly lookups: string[] = [];

  /** `opts.parent` lets the lookups inherit the caller's provider (e.g. an explicit azuread provider). */
  constructor(private readonly opts: pulumi.InvokeOptions = {}) {}

  /** A group this program creates: names resolve to its object id instead of a lookup. */
  registerGroup(displayName: string, objectId: pulumi.Output<string>): void {
    this.created.set(displayName.toLowerCase(), objectId);
  }

  user(ref: string): pulumi.Output<string> {
    if (isObjectId(ref)) return pulumi.output(ref.toLowerCase());
    return this.memo(
      `user:${ref.toLowerCase()}`,
      () => azuread.getUserOutput({ userPrincipalName: ref }, this.opts).objectId,
    );
  }

  group(ref: string): pulumi.Output<string> {
    const own = this.created.get(ref.toLowerCase());
    if (own) return own;
    if (isObjectId(ref)) return pulumi.output(ref.toLowerCase());
    return this.memo(
      `group:${ref.toLowerCase()}`,
      () => azuread.getGroupOutput({ displayName: ref, securityEnabled: true }, this.opts).objectId,
    );
  }

  servicePrincipal(ref: string): pulumi.Output<string> {
    if (isObjectId(ref)) return pulumi.output(ref.toLowerCase());
    return this.memo(
      `servicePrincipal:${ref.toLowerCase()}`,
      () => azuread.getServicePrincipalOutput({ displayName: ref }, this.opts).objectId,
    );
  }

  approver(a: Approver): pulumi.Output<string> {
    return a.type === "user" ? this.user(a.ref) : this.group(a.ref);
  }

  /** A grant's principal. Without a declared type: a UPN is a user, else a group or a service principal. */
  principal(p: PrincipalRef): pulumi.Output<string> {
    if (p.type === "user" || (p.type === null && p.ref.includes("@"))) return this.user(p.ref);
    if (p.type === "group") return this.group(p.ref);
    if (p.type === "servicePrincipal") return this.servicePrincipal(p.ref);
    if (isObjectId(p.ref)) return pulumi.output(p.ref.toLowerCase());
    const own = this.created.get(p.ref.toLowerCase());
    if (own) return own;
    return this.memo(`groupOrServicePrincipal:${p.ref.toLowerCase()}`, () =>
      this.groupOrServicePrincipal(p.ref),
    );
  }

  /** Graph's `directoryScopeId` for an Entra role grant: `/`, `/administrativeUnits/<id>` or `/<app object id>`. */
  directoryScopeId(scope: Scope): pulumi.Output<string> {
    switch (scope.type) {
      case "tenant":
        return pulumi.output("/");
      case "administrativeUnit": {
        const id = isObjectId(scope.ref)
          ? pulumi.output(scope.ref.toLowerCase())
          : this.memo(
              `administrativeUnit:${scope.ref.toLowerCase()}`,
              () => azuread.getAdministrativeUnitOutput({ displayName: scope.ref }, this.opts).objectId,
            );
        return pulumi.interpolate`/administrativeUnits/${id}`;
      }
      case "application": {
        // A GUID is taken as the application's object id (what Graph expects); app ids need the display name.
        const id = isObjectId(scope.ref)
          ? pulumi.output(scope.ref.toLowerCase())
          : this.memo(
              `application:${scope.ref.toLowerCase()}`,
              () => azuread.getApplicationOutput({ displayName: scope.ref }, this.opts).objectId,
            );
        return pulumi.interpolate`/${id}`;
      }
      case "azure":
        throw new Error(`an Azure scope (${scope.id}) has no directory scope id`);
    }
  }

  private memo(key: string, lookup: () => pulumi.Output<string>): pulumi.Output<string> {
    let hit = this.cache.get(key);
    if (!hit) {
      this.lookups.push(key);
      hit = lookup();
      this.cache.set(key, hit);
    }
    return hit;
  }

  /**
   * A bare display name may be a group or a service principal. Both are asked; exactly one must answer, so a
   * name that is both is refused instead of silently granting the role to whichever was looked up first.
   */
  private groupOrServicePrincipal(name: string): pulumi.Output<string> {
    const found = <T extends { objectId: string }>(p: Promise<T>) =>
      p.then(
        (r) => r.objectId,
        () => undefined,
      );
    const both = Promise.all([
      found(azuread.getGroup({ displayName: name, securityEnabled: true }, this.opts)),
      found(azuread.getServicePrincipal({ displayName: name }, this.opts)),
    ]).then(([group, sp]) => pickGroupOrServicePrincipal(name, group, sp));
    return pulumi.output(both);
  }
}

/** Exactly one of the two lookups must have found the name (exported for tests: a rejected Output cannot be awaited cleanly). */
export function pickGroupOrServicePrincipal(
  name: string,
  groupId: string | undefined,
  spId: string | undefined,
): string {
  if (groupId && spId) {
    throw new Error(
      `principal "${name}" is both a group and a service principal; add principalType: group or servicePrincipal to the grant`,
    );
  }
  const id = groupId ?? spId;
  if (!id) {
    throw new Error(
      `principal "${name}" is neither a group nor a service principal in the tenant; check the spelling, or use a UPN or an object id`,
    );
  }
  return id;
}
