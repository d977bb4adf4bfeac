/**
 * A group whose members approve activations. Security-enabled and not mail-enabled (approval is a security
 * decision, not a mailing list); members are managed one `GroupMember` each, so adding or removing an approver is
 * a one-resource change a reviewer can read. A member's resource is named after its object id, so a changed UPN
 * spelling (or a renamed account) is not a new membership.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { childAliases, legacyNames, previousNamesOf, resourceNames } from "./names";

export interface ApproverGroupMember {
  /** As declared (a UPN); only earlier releases named the member's resource after it (an alias now). */
  ref: string;
  /** The member's object id, resolved before anything is registered: it names the member's resource. */
  objectId: string;
}

export interface ApproverGroupArgs {
  displayName: string;
  description?: string | null;
  members: ApproverGroupMember[];
  /**
   * Make the group role-assignable. Only Privileged Role Administrators and Global Administrators can change the
   * membership of a role-assignable group, so a group approving Tier-0 roles cannot be joined by a Groups or User
   * Administrator. Can only be set when the group is created. Default false.
   */
  assignableToRole?: boolean;
}

export class ApproverGroup extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:entra:ApproverGroup";

  readonly group: azuread.Group;
  readonly members: azuread.GroupMember[];
  readonly objectId: pulumi.Output<string>;

  constructor(name: string, args: ApproverGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ApproverGroup.__pulumiType, name, {}, opts);
    const previous = previousNamesOf(opts);

    this.group = new azuread.Group(
      `${name}-group`,
      {
        displayName: args.displayName,
        ...(args.description ? { description: args.description } : {}),
        securityEnabled: true,
        mailEnabled: false,
        assignableToRole: args.assignableToRole ?? false,
        // Approvers are named by display name elsewhere; a second group with this name would make that ambiguous.
        preventDuplicateNames: true,
      },
      { parent: this, aliases: childAliases(`${name}-group`, name, previous) },
    );
    this.objectId = this.group.objectId;
    this.members = args.members.map((m) => {
      const child = resourceNames.approverMember(name, m.objectId);
      return new azuread.GroupMember(
        child,
        { groupObjectId: this.group.objectId, memberObjectId: m.objectId },
        {
          parent: this,
          aliases: childAliases(child, name, previous, [legacyNames.approverMember(name, m.ref)]),
        },
      );
    });
    this.registerOutputs({ objectId: this.objectId, memberCount: this.members.length });
  }
}
