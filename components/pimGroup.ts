/**
 * A PIM-for-Groups group: a role-assignable security group that holds Entra roles, whose members and owners are
 * made eligible or active for a bounded time and activate membership just in time.
 *
 * Children, in dependency order (configure, then assign):
 *   group (azuread) → member and owner policies (`GroupPolicy`) → the roles the group holds (`DirectoryRoleSchedule`,
 *   active, permanent) and the eligible / active schedules of its members and owners (`GroupSchedule`).
 * Policies and schedules run on the project's providers, in the one PIM lifecycle shared with directory roles
 * (`providers/pim`): azuread keeps only the group object. The role the group holds is permanent on purpose (it is the
 * group that holds it, and nobody is in the group except through a time-bound PIM membership), and it is made through
 * a PIM schedule request, so it has a start date (a plain role assignment has none: CISA ScubaGear MS.AAD.7.5).
 *
 * Names come from what a child governs: the access for a policy, the role for a role, and access, kind and the
 * principal's object id for a membership (a UPN can be renamed; the object id is the grant's identity).
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import type { GroupMembership, PimGroup as PimGroupDecl, ResolvedSettings } from "../model";
import { approverKey } from "../model/keys";
import { slug } from "../model/slug";
import { DirectoryRoleSchedule } from "../providers/directoryRoleSchedule/index";
import { GroupPolicy } from "../providers/groupPolicy/index";
import { GroupSchedule } from "../providers/groupSchedule/index";
import { refuse } from "./errors";
import { childAliases, previousNamesOf } from "./names";
import { approversOf } from "./principals";

export interface PimGroupArgs {
  /** The group as the model resolved it: name, roles, eligible and active members and owners with their windows. */
  group: PimGroupDecl;
  /** Settings for membership activation (`group:<name>:member`); Graph's group defaults when none is declared. */
  memberSettings: ResolvedSettings;
  /** Settings for ownership activation (`group:<name>:owner`). */
  ownerSettings: ResolvedSettings;
  /** Object id per approver named in either settings, keyed like `approverKey`. */
  approverIds: Record<string, pulumi.Input<string>>;
  /** Object id per member or owner (resolved before anything is registered), keyed by the declared principal lower-cased. */
  principalIds: Record<string, string>;
  /** Resources the policies must wait for (approver groups they name). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * The settings resource of a directory role the group holds, when the stack declares them: the role is requested
   * permanently only once its policy (which must allow that) is applied. May resolve later than construction.
   */
  roleSettingsOf?: (roleId: string) => pulumi.Input<pulumi.Resource> | undefined;
}

type Access = "member" | "owner";
type Kind = "eligible" | "active";

export class PimGroup extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:entra:PimGroup";

  readonly group: azuread.Group;
  readonly policies: Record<Access, GroupPolicy>;
  /** The roles the group holds: permanent active assignments made through PIM. */
  readonly roles: DirectoryRoleSchedule[];
  readonly schedules: GroupSchedule[];
  readonly objectId: pulumi.Output<string>;

  constructor(name: string, args: PimGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PimGroup.__pulumiType, name, {}, opts);
    const g = args.group;
    // A renamed group (`previousNames`, as aliases of this component) keeps every child's identity too.
    const previous = previousNamesOf(opts);
    const aliases = (child: string) => childAliases(child, name, previous);

    this.group = new azuread.Group(
      `${name}-group`,
      {
        displayName: g.name,
        ...(g.description ? { description: g.description } : {}),
        securityEnabled: true,
        mailEnabled: false,
        // Only a role-assignable group can hold Entra roles; it also restricts who may change its membership.
        assignableToRole: g.roleAssignable,
        preventDuplicateNames: true,
      },
      { parent: this, aliases: aliases(`${name}-group`) },
    );
    this.objectId = this.group.objectId;

    const policy = (access: Access, settings: ResolvedSettings, after: pulumi.Resource[] = []) => {
      const approvers = approversOf(settings.activation.approval.stages);
      const missing = approvers.filter((a) => args.approverIds[approverKey(a)] === undefined);
      if (missing.length) {
        refuse(
          this,
          "approverIds",
          `has no object id for ${missing.map(approverKey).join(", ")} named by the ${access} settings of ${g.name}. Resolve every approver before building the group.`,
        );
      }
      return new GroupPolicy(
        `${name}-${access}-policy`,
        {
          groupId: this.group.objectId,
          access,
          groupName: g.name,
          settings,
          // Only the approvers these settings name: a stray id would be stored in state for nothing.
          approverIds: Object.fromEntries(
            approvers.map((a) => [approverKey(a), args.approverIds[approverKey(a)]!]),
          ),
        },
        {
          parent: this,
          dependsOn: [...(args.dependsOn ?? []), ...after],
          aliases: aliases(`${name}-${access}-policy`),
        },
      );
    };
    // One after the other: the first write to a group's PIM policy onboards the group, and onboarding gives both of
    // its policies new ids (graph-pim.md §2), so an owner PATCH sent beside the member PATCH would meet a 404.
    const member = policy("member", args.memberSettings);
    this.policies = { member, owner: policy("owner", args.ownerSettings, [member]) };
    const bothPolicies = [this.policies.member, this.policies.owner];

    this.roles = g.roles.map((role) => {
      const child = `${name}-role-${slug(role.name)}`;
      return new DirectoryRoleSchedule(
        child,
        {
          kind: "active",
          principalId: this.group.objectId,
          roleDefinitionId: role.id,
          directoryScopeId: "/",
          start: null,
          end: null,
          justification: `Held by PIM group ${g.name}: members activate membership just in time`,
          ticket: null,
          label: `${g.name} holds ${role.name}`,
          roleName: role.name,
          principalName: g.name,
        },
        // The group carries a role only once its membership rules, and the role's own settings, are in place.
        {
          parent: this,
          dependsOn: [...bothPolicies, ...[args.roleSettingsOf?.(role.id)].filter((x) => x !== undefined)],
          aliases: aliases(child),
        },
      );
    });

    const lists: Array<[Access, Kind, GroupMembership[]]> = [
      ["member", "eligible", g.members.eligible],
      ["member", "active", g.members.active],
      ["owner", "eligible", g.owners.eligible],
      ["owner", "active", g.owners.active],
    ];
    this.schedules = [];
    for (const [access, kind, list] of lists) {
      // Expired memberships are not provisioned; the program reports them.
      for (const m of list.filter((x) => x.status !== "expired")) {
        this.schedules.push(this.schedule(name, args, access, kind, m, this.policies[access], aliases));
      }
    }
    this.registerOutputs({ objectId: this.objectId, scheduleCount: this.schedules.length });
  }

  private schedule(
    name: string,
    args: PimGroupArgs,
    access: Access,
    kind: Kind,
    m: GroupMembership,
    policy: GroupPolicy,
    aliases: (child: string) => pulumi.Input<pulumi.Alias>[],
  ): GroupSchedule {
    const path = `group.${access === "member" ? "members" : "owners"}.${kind}`;
    const principalId = args.principalIds[m.principal.toLowerCase()];
    if (principalId === undefined)
      refuse(this, "principalIds", `has no object id for ${m.principal} (${path}).`);
    if (kind === "active" && m.end === null) {
      // A permanent active member of a role-holding group is a permanent role holder (ARCHITECTURE decision 7).
      refuse(
        this,
        `${path}.end`,
        `${m.principal} would be a permanent active ${access} of ${args.group.name}. Add end: YYYY-MM-DD.`,
      );
    }
    const child = `${name}-${access}-${kind}-${principalId.toLowerCase()}`;
    return new GroupSchedule(
      child,
      {
        kind,
        access,
        groupId: this.group.objectId,
        principalId,
        start: m.start,
        end: m.end,
        justification: m.justification ?? `${kind} ${access} of PIM group ${args.group.name}`,
        ticket: null,
        label: `${kind} ${access} of ${args.group.name} for ${m.principal}`,
        groupName: args.group.name,
        principalName: m.principal,
      },
      { parent: this, dependsOn: [policy], aliases: aliases(child) },
    );
  }
}
