/**
 * A group whose members approve activations. Security-enabled and not mail-enabled (approval is a security
 * decision, not a mailing list); members are managed one `GroupMember` each, so adding or removing an approver is
 * a one-resource change a reviewer can read.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { slug } from "./names";

export interface ApproverGroupMember {
  /** As declared (UPN or object id); names the member's resource. */
  ref: string;
  objectId: pulumi.Input<string>;
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
      { parent: this },
    );
    this.objectId = this.group.objectId;
    this.members = args.members.map(
      (m) =>
        new azuread.GroupMember(
          `${name}-member-${slug(m.ref)}`,
          { groupObjectId: this.group.objectId, memberObjectId: m.objectId },
          { parent: this },
        ),
    );
    this.registerOutputs({ objectId: this.objectId, memberCount: this.members.length });
  }
}
