/**
 * A PIM-for-Groups group: a role-assignable security group that holds Entra roles, whose members and owners are
 * made eligible or active for a bounded time and activate membership just in time.
 *
 * Children, in dependency order (configure, then assign):
 *   group → member and owner policies (`GroupRoleManagementPolicy`) → the group's role assignments and the
 *   eligibility / assignment schedules of its members and owners.
 * The role assignment is permanent on purpose: it is the group that holds the role, and nobody is in the group
 * except through a time-bound PIM membership.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import type { GroupMembership, PimGroup as PimGroupDecl, ResolvedSettings } from "../model";
import { refuse } from "./errors";
import { groupPolicyArgs } from "./groupPolicy";
import { slug } from "../model/slug";
import { childAliases, previousNamesOf } from "./names";

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
}

type Access = "member" | "owner";
type Kind = "eligible" | "active";

export class PimGroup extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:entra:PimGroup";

  readonly group: azuread.Group;
  readonly policies: Record<Access, azuread.GroupRoleManagementPolicy>;
  readonly roleAssignments: azuread.DirectoryRoleAssignment[];
  readonly schedules: Array<
    azuread.PrivilegedAccessGroupEligibilitySchedule | azuread.PrivilegedAccessGroupAssignmentSchedule
  >;
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

    const policy = (access: Access, settings: ResolvedSettings) => {
      const mapped = groupPolicyArgs(settings, args.approverIds, `${g.name} (${access})`);
      const [first] = mapped.errors;
      if (first) refuse(this, first.path, mapped.errors.map((e) => e.reason).join(" "));
      for (const w of mapped.warnings) pulumi.log.warn(w, this);
      return new azuread.GroupRoleManagementPolicy(
        `${name}-${access}-policy`,
        { groupId: this.group.objectId, roleId: access, ...mapped.args },
        { parent: this, dependsOn: args.dependsOn ?? [], aliases: aliases(`${name}-${access}-policy`) },
      );
    };
    this.policies = {
      member: policy("member", args.memberSettings),
      owner: policy("owner", args.ownerSettings),
    };
    const bothPolicies = [this.policies.member, this.policies.owner];

    this.roleAssignments = g.roles.map(
      (role) =>
        new azuread.DirectoryRoleAssignment(
          `${name}-role-${slug(role.name)}`,
          { roleId: role.id, principalObjectId: this.group.objectId, directoryScopeId: "/" },
          // The group carries a role only once its membership rules are in place.
          { parent: this, dependsOn: bothPolicies, aliases: aliases(`${name}-role-${slug(role.name)}`) },
        ),
    );

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
        this.schedules.push(this.schedule(name, args, access, kind, m, this.policies[access], previous));
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
    policy: azuread.GroupRoleManagementPolicy,
    previous: string[],
  ): azuread.PrivilegedAccessGroupEligibilitySchedule | azuread.PrivilegedAccessGroupAssignmentSchedule {
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
    const inputs = {
      groupId: this.group.objectId,
      principalId,
      assignmentType: access,
      ...(m.start ? { startDate: m.start } : {}),
      ...(m.end ? { expirationDate: m.end, permanentAssignment: false } : { permanentAssignment: true }),
      ...(m.justification ? { justification: m.justification } : {}),
    };
    const childName = `${name}-${access}-${kind}-${slug(m.principal)}`;
    const childOpts = {
      parent: this,
      dependsOn: [policy],
      aliases: childAliases(childName, name, previous),
    };
    return kind === "eligible"
      ? new azuread.PrivilegedAccessGroupEligibilitySchedule(childName, inputs, childOpts)
      : new azuread.PrivilegedAccessGroupAssignmentSchedule(childName, inputs, childOpts);
  }
}
