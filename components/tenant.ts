/**
 * A whole tenant's PIM configuration, composed from the model and the resolved directory: approver groups,
 * PIM-for-Groups groups, directory and Azure role settings, break-glass accounts (recorded, never written) and
 * grants.
 *
 * Names come from what each resource governs (`names.ts`), with aliases from the names earlier releases and
 * earlier group names gave them, so renaming a file, a role entry or a principal's spelling never replaces a
 * resource. The model is checked against the resolved directory before anything is registered.
 *
 * Ordering (configure, then assign) is carried by dependencies, not by construction order:
 *   approver groups (with members) → the settings that name them → the grants of each role.
 * Pulumi creates in dependency order and deletes in reverse, so a grant is removed before the settings it
 * followed are restored, and settings stop naming a group before the group goes.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Grant as GrantDecl, RoleSettingsDecl, TenantModel } from "../model";
import { graphDefaults } from "../model";
import { approverKey, normalizeRef, settingsKey, settingsKeyForGrant } from "../model/keys";
import { pimGroupsHolding } from "../model/heldByPimGroups";
import type { VerifiedBreakGlass } from "../providers/graph/reads";
import { ApproverGroup } from "./approverGroup";
import { AzureRoleSettings } from "./azureRoleSettings";
import { BreakGlass } from "./breakGlass";
import { createdGroups, type Directory, type ResolvedPrincipal } from "./directory";
import { refuse } from "./errors";
import { Grant, armRoleDefinitionId } from "./grant";
import { grantIdentity, identityProblems } from "./identity";
import { legacyNames, NameRegistry, nameAliases, previousNamesOf, resourceNames } from "./names";
import { PimGroup } from "./pimGroup";
import { approversOf } from "./principals";
import { RoleSettings } from "./roleSettings";

export interface TenantArgs {
  /** The loaded declarations of one stack (`loadStack`). */
  model: TenantModel;
  /** What every name the declarations use resolved to, read by the program before anything is registered. */
  directory: Directory;
  /** The break-glass accounts, as verified (each exists, is cloud-only and holds Global Administrator for good). */
  breakGlass: VerifiedBreakGlass[];
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

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    // Identity is checked before anything is registered, the Tenant itself included: a refused model leaves
    // nothing behind, not even an empty component.
    const problems = identityProblems(args.model, args.directory, args.breakGlass);
    if (problems.length) {
      throw new pulumi.RunError(
        `stacks/${args.model.stack}: ${problems.length} problem(s) with what the declarations name; nothing was changed.\n  - ${problems.join("\n  - ")}`,
      );
    }
    // The model is large and holds file positions; it stays out of state. Children carry the inputs.
    super(Tenant.__pulumiType, name, {}, opts);
    const { model, directory } = args;
    const names = new NameRegistry();
    // Earlier releases prefixed every name with the Tenant's name of the time (the declarations folder), passed
    // here as this component's alias: each child's old name is computed under it.
    const legacy = previousNamesOf(opts)[0] ?? name;
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

    /** Groups this program creates, by normalized name, once constructed. */
    const ownGroups = new Map<string, ApproverGroup | PimGroup>();
    const principalId = (p: ResolvedPrincipal): pulumi.Input<string> =>
      "objectId" in p ? p.objectId : ownGroups.get(normalizeRef(p.name))!.objectId;

    for (const g of model.approverGroups) {
      const n = names.claim(resourceNames.approverGroup(name, g.name), `approver group "${g.name}"`);
      const group = new ApproverGroup(
        n,
        {
          displayName: g.name,
          description: g.description,
          members: g.members.map((m) => ({ ref: m, objectId: directory.userId(m) })),
          // Whoever can change this group's membership decides who approves; keep that to privileged admins.
          assignableToRole: g.approves.some((r) => r.isPrivileged),
        },
        {
          parent: this,
          aliases: nameAliases(
            n,
            [legacy, name].flatMap((prefix) =>
              [g.name, ...g.previousNames].map((p) => resourceNames.approverGroup(prefix, p)),
            ),
          ),
        },
      );
      ownGroups.set(normalizeRef(g.name), group);
      this.approverGroups.set(g.name, group);
    }

    // A group access without declared settings still gets a managed policy: Graph's group defaults, explicitly.
    const groupSettings = (key: string) =>
      model.roleSettings.find((d) => d.key === key)?.settings ?? graphDefaults("group");
    const approverInputs = (stagesOf: RoleSettingsDecl["settings"][]) => {
      const approvers = stagesOf.flatMap((s) => approversOf(s.activation.approval.stages));
      const ids: Record<string, pulumi.Input<string>> = {};
      const dependsOn = new Set<pulumi.Resource>();
      for (const a of approvers) {
        const p = directory.approver(a);
        // Name-based dependencies on our own groups: the component, so its members are in before it is named.
        const own = "created" in p ? ownGroups.get(normalizeRef(p.name)) : undefined;
        if ("created" in p && !own) continue; // a PIM group approving its own settings: constructed below
        ids[approverKey(a)] = principalId(p);
        if (own) dependsOn.add(own);
      }
      return { approverIds: ids, dependsOn: [...dependsOn] };
    };

    // A PIM group's role is requested (permanent, active) only once that role's settings are applied: they must
    // allow it. The settings are built after the groups (a PIM group may approve a role), so the group waits on a
    // promise resolved below; only for roles whose settings the stack declares.
    const roleSettingsReady = new Map<string, (r: pulumi.Resource) => void>();
    const roleSettingsPromises = new Map<string, Promise<pulumi.Resource>>();
    const roleSettingsOf = (roleId: string) => {
      const key = settingsKey({ kind: "directory", roleId });
      if (!model.roleSettings.some((d) => d.key === key)) return undefined;
      if (!roleSettingsPromises.has(key))
        roleSettingsPromises.set(key, new Promise((resolve) => roleSettingsReady.set(key, resolve)));
      return roleSettingsPromises.get(key);
    };

    for (const g of model.pimGroups) {
      const n = names.claim(resourceNames.pimGroup(name, g.name), `PIM group "${g.name}"`);
      const memberSettings = groupSettings(settingsKey({ kind: "group", group: g.name, access: "member" }));
      const ownerSettings = groupSettings(settingsKey({ kind: "group", group: g.name, access: "owner" }));
      const all = [...g.members.eligible, ...g.members.active, ...g.owners.eligible, ...g.owners.active];
      const principalIds = Object.fromEntries(
        all
          .filter((m) => m.status !== "expired")
          .map((m) => [m.principal.toLowerCase(), directory.userId(m.principal)]),
      );
      const { approverIds, dependsOn } = approverInputs([memberSettings, ownerSettings]);
      const group = new PimGroup(
        n,
        { group: g, memberSettings, ownerSettings, approverIds, principalIds, dependsOn, roleSettingsOf },
        {
          parent: this,
          aliases: nameAliases(
            n,
            [legacy, name].flatMap((prefix) =>
              [g.name, ...g.previousNames].map((p) => resourceNames.pimGroup(prefix, p)),
            ),
          ),
        },
      );
      ownGroups.set(normalizeRef(g.name), group);
      this.pimGroups.set(g.name, group);
    }

    for (const decl of model.roleSettings) {
      const t = decl.target;
      if (t.kind === "group") continue; // applied by PimGroup
      const { approverIds, dependsOn } = approverInputs([decl.settings]);
      if (t.kind === "directory") {
        const n = names.claim(resourceNames.directorySettings(name, t.role.id), `settings of ${decl.label}`);
        const settings = new RoleSettings(
          n,
          {
            role: t.role,
            settings: decl.settings,
            approverIds,
            dependsOn,
            heldByPimGroups: pimGroupsHolding(model, t.role.id),
          },
          { parent: this, aliases: nameAliases(n, [legacyNames.directorySettings(legacy, t.role.name)]) },
        );
        this.settings.set(decl.key, settings);
        roleSettingsReady.get(decl.key)?.(settings.policy);
        continue;
      }
      const policyName = args.azurePolicyNames![decl.key]!; // present: checked before anything was created
      const n = names.claim(
        resourceNames.azureSettings(name, t.role.id, t.scope),
        `settings of ${decl.label}`,
      );
      this.settings.set(
        decl.key,
        new AzureRoleSettings(
          n,
          { scope: t.scope, role: t.role, policyName, settings: decl.settings, approverIds, dependsOn },
          {
            parent: this,
            aliases: nameAliases(n, [legacyNames.azureSettings(legacy, t.role.name, t.scope)]),
          },
        ),
      );
    }
    const bg = names.claim(resourceNames.breakGlass(name), "break-glass accounts");
    this.breakGlass = new BreakGlass(
      bg,
      { accounts: args.breakGlass },
      { parent: this, aliases: nameAliases(bg, [resourceNames.breakGlass(legacy)]) },
    );

    const previousGroupNames = new Map(
      [...model.approverGroups, ...model.pimGroups].map((g) => [normalizeRef(g.name), g.previousNames]),
    );
    const created = createdGroups(model);
    this.expired = model.grants.filter((g) => g.status === "expired");
    for (const g of model.grants.filter((x) => x.status !== "expired")) {
      const id = grantIdentity(g, directory);
      const nameOf = (i: typeof id) =>
        resourceNames.grant(name, {
          kind: g.kind,
          roleId: g.role.id,
          principal: i.principalKey,
          identity: i.key,
        });
      const n = names.claim(nameOf(id), `grant ${g.file}`);
      // Before this release: the file name. Before a rename of a group created here: its previous names.
      const own = "created" in id.principal ? created.get(normalizeRef(id.principal.name)) : undefined;
      const renamed = own
        ? (previousGroupNames.get(normalizeRef(own.name)) ?? []).map((p) =>
            nameOf(grantIdentity(g, directory, p)),
          )
        : [];
      const settings = this.settings.get(settingsKeyForGrant(g.role, g.scope));
      const grant = new Grant(
        n,
        {
          grant: g,
          principalId: principalId(id.principal),
          ...(id.directoryScopeId && id.directoryScopeId !== "/"
            ? { directoryScopeId: id.directoryScopeId }
            : {}),
          ...(settings ? { settings } : {}),
        },
        { parent: this, aliases: nameAliases(n, [legacyNames.grant(legacy, g.id), ...renamed]) },
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
