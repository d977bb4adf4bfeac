/**
 * A whole tenant's PIM configuration, composed from the model: approver groups, PIM-for-Groups groups, directory
 * and Azure role settings, break-glass accounts and grants.
 *
 * Ordering (configure, then assign) is carried by dependencies, not by construction order:
 *   approver groups (with members) → the settings that name them → the grants of each role.
 * Pulumi creates in dependency order and deletes in reverse, so a grant is removed before the settings it
 * followed are restored, and settings stop naming a group before the group goes.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Grant as GrantDecl, RoleSettingsDecl, TenantModel } from "../model";
import { graphDefaults } from "../model";
import { settingsKey, settingsKeyForGrant } from "../model/keys";
import { ApproverGroup } from "./approverGroup";
import { AzureRoleSettings } from "./azureRoleSettings";
import { BreakGlass } from "./breakGlass";
import { refuse } from "./errors";
import { Grant, armRoleDefinitionId } from "./grant";
import { NameRegistry, slug } from "./names";
import { PimGroup } from "./pimGroup";
import { approverKey, approversOf, PrincipalResolver } from "./principals";
import { RoleSettings } from "./roleSettings";

export interface TenantArgs {
  /** The loaded declarations of one stack (`loadStack`). */
  model: TenantModel;
  /**
   * ARM policy name (GUID) per Azure settings declaration, keyed by the declaration's key
   * (`azure:<scope lower-cased>:<role definition id>`). Required for every `roleSettings.azureRoles` entry.
   */
  azurePolicyNames?: Record<string, string>;
}

export class Tenant extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:index:Tenant";

  readonly approverGroups = new Map<string, ApproverGroup>();
  readonly pimGroups = new Map<string, PimGroup>();
  /** Settings components by declaration key (`directory:<id>`, `azure:<scope>:<id>`). */
  readonly settings = new Map<string, RoleSettings | AzureRoleSettings>();
  readonly breakGlass: BreakGlass;
  /** Provisioned grants by grant id (file name). */
  readonly grants = new Map<string, Grant>();
  /** Grants whose end has passed: declared but not provisioned. */
  readonly expired: GrantDecl[];
  readonly principals: PrincipalResolver;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    // The model is large and holds file positions; it stays out of state. Children carry the inputs.
    super(Tenant.__pulumiType, name, {}, opts);
    const model = args.model;
    const names = new NameRegistry();
    // Validate before creating anything: a refused model leaves no half-built tenant behind.
    const problems = breakGlassIsolation(model);
    if (problems.length)
      refuse(this, "model", `breaks break-glass isolation:\n  - ${problems.join("\n  - ")}`);
    const missingPolicyNames = model.roleSettings.flatMap((d) =>
      d.target.kind === "azure" && !args.azurePolicyNames?.[d.key]
        ? [policyHint(d.key, d.target.scope, d.target.role.id)]
        : [],
    );
    if (missingPolicyNames.length) {
      refuse(
        this,
        "azurePolicyNames",
        `lacks the ARM policy name of ${missingPolicyNames.length} Azure role setting(s). Add to stack config pim:azureRolePolicies:\n${missingPolicyNames.join("\n")}`,
      );
    }

    const principals = new PrincipalResolver({ parent: this });
    this.principals = principals;
    const groupsByName = new Map<string, pulumi.Resource>();

    for (const g of model.approverGroups) {
      const n = names.claim(`${name}-approvers-${slug(g.name)}`, `approver group "${g.name}"`);
      const group = new ApproverGroup(
        n,
        {
          displayName: g.name,
          description: g.description,
          members: g.members.map((m) => ({ ref: m, objectId: principals.user(m) })),
          // Whoever can change this group's membership decides who approves; keep that to privileged admins.
          assignableToRole: g.approves.some((r) => r.isPrivileged),
        },
        { parent: this },
      );
      principals.registerGroup(g.name, group.objectId);
      groupsByName.set(g.name.toLowerCase(), group);
      this.approverGroups.set(g.name, group);
    }

    // A group access without declared settings still gets a managed policy: Graph's group defaults, explicitly.
    const groupSettings = (key: string) =>
      model.roleSettings.find((d) => d.key === key)?.settings ?? graphDefaults("group");
    const approverInputs = (stagesOf: RoleSettingsDecl["settings"][]) => {
      const approvers = stagesOf.flatMap((s) => approversOf(s.activation.approval.stages));
      const ids: Record<string, pulumi.Output<string>> = {};
      for (const a of approvers) ids[approverKey(a)] = principals.approver(a);
      // Name-based dependencies on our own groups: the component, so its members are in before it is named.
      const dependsOn = approvers
        .flatMap((a) => (a.type === "group" ? [groupsByName.get(a.ref.toLowerCase())] : []))
        .filter((r): r is pulumi.Resource => !!r);
      return { approverIds: ids, dependsOn: [...new Set(dependsOn)] };
    };

    for (const g of model.pimGroups) {
      const n = names.claim(`${name}-group-${slug(g.name)}`, `PIM group "${g.name}"`);
      const memberSettings = groupSettings(settingsKey({ kind: "group", group: g.name, access: "member" }));
      const ownerSettings = groupSettings(settingsKey({ kind: "group", group: g.name, access: "owner" }));
      const all = [...g.members.eligible, ...g.members.active, ...g.owners.eligible, ...g.owners.active];
      const principalIds = Object.fromEntries(
        all.map((m) => [m.principal.toLowerCase(), principals.user(m.principal)]),
      );
      const { approverIds, dependsOn } = approverInputs([memberSettings, ownerSettings]);
      const group = new PimGroup(
        n,
        { group: g, memberSettings, ownerSettings, approverIds, principalIds, dependsOn },
        { parent: this },
      );
      principals.registerGroup(g.name, group.objectId);
      groupsByName.set(g.name.toLowerCase(), group);
      this.pimGroups.set(g.name, group);
    }

    for (const decl of model.roleSettings) {
      const t = decl.target;
      if (t.kind === "group") continue; // applied by PimGroup
      const { approverIds, dependsOn } = approverInputs([decl.settings]);
      if (t.kind === "directory") {
        const n = names.claim(`${name}-role-${slug(t.role.name)}`, `settings of ${decl.label}`);
        this.settings.set(
          decl.key,
          new RoleSettings(
            n,
            { role: t.role, settings: decl.settings, approverIds, dependsOn },
            { parent: this },
          ),
        );
        continue;
      }
      const policyName = args.azurePolicyNames![decl.key]!; // present: checked before anything was created
      const n = names.claim(
        `${name}-azure-${slug(t.role.name)}-${slug(t.scope)}`,
        `settings of ${decl.label}`,
      );
      this.settings.set(
        decl.key,
        new AzureRoleSettings(
          n,
          { scope: t.scope, role: t.role, policyName, settings: decl.settings, approverIds, dependsOn },
          { parent: this },
        ),
      );
    }
    this.breakGlass = new BreakGlass(
      names.claim(`${name}-break-glass`, "break-glass accounts"),
      { accounts: model.breakGlass },
      { parent: this },
    );

    this.expired = model.grants.filter((g) => g.status === "expired");
    for (const g of model.grants.filter((x) => x.status !== "expired")) {
      const n = names.claim(`${name}-grant-${slug(g.id)}`, `grant ${g.file}`);
      const key = settingsKeyForGrant(g.role, g.scope);
      const directoryScopeId =
        g.role.kind === "directory" && g.scope.type !== "tenant"
          ? principals.directoryScopeId(g.scope)
          : undefined;
      const settings = this.settings.get(key);
      const grant = new Grant(
        n,
        {
          grant: g,
          principalId: principals.principal(g.principal),
          ...(directoryScopeId ? { directoryScopeId } : {}),
          ...(settings ? { settings } : {}),
        },
        { parent: this },
      );
      this.grants.set(g.id, grant);
    }

    this.registerOutputs({
      grantCount: this.grants.size,
      settingsCount: this.settings.size,
      expiredCount: this.expired.length,
    });
  }
}

function policyHint(key: string, scope: string, roleId: string): string {
  const s = scope.replace(/\/+$/, "");
  return (
    `    "${key}": <policy GUID>   # find it with: az rest --method get --url ` +
    `"https://management.azure.com${s}/providers/Microsoft.Authorization/roleManagementPolicyAssignments?api-version=2020-10-01&\\$filter=roleDefinitionId+eq+'${armRoleDefinitionId(s, roleId)}'" ` +
    `--query "value[0].properties.policyId"  (the GUID is its last segment)`
  );
}

/**
 * Break-glass accounts stay outside PIM (ARCHITECTURE decision 7): never eligible, never approvers, never granted
 * anything through a schedule a run could remove. Every violation is listed at once.
 */
export function breakGlassIsolation(model: TenantModel): string[] {
  const bg = new Set(model.breakGlass.map((b) => b.upn.toLowerCase()));
  const is = (ref: string) => bg.has(ref.toLowerCase());
  const out: string[] = [];
  for (const g of model.grants) {
    if (is(g.principal.ref))
      out.push(
        `${g.file}: break-glass account ${g.principal.ref} must not receive grants; its Global Administrator comes from breakGlass only`,
      );
  }
  for (const g of model.approverGroups) {
    for (const m of g.members.filter(is))
      out.push(`approver group "${g.name}": break-glass account ${m} must never approve`);
  }
  for (const d of model.roleSettings) {
    for (const a of approversOf(d.settings.activation.approval.stages)) {
      if (a.type === "user" && is(a.ref))
        out.push(`settings of ${d.label}: break-glass account ${a.ref} must never approve`);
    }
  }
  for (const g of model.pimGroups) {
    const all = [...g.members.eligible, ...g.members.active, ...g.owners.eligible, ...g.owners.active];
    for (const m of all.filter((x) => is(x.principal)))
      out.push(`PIM group "${g.name}": break-glass account ${m.principal} must not be a PIM member or owner`);
  }
  return out;
}
