/**
 * The settings (role management policy) of one Entra directory role, applied through the `DirectoryRoleSettings`
 * dynamic resource: `@pulumi/azuread` has no resource for directory role policies.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DirectoryRole, ResolvedSettings } from "../model";
import { DirectoryRoleSettings } from "../providers/directoryRoleSettings/index";
import { refuse } from "./errors";
import { childAliases, previousNamesOf } from "./names";
import { approverKey, approversOf } from "./principals";

export interface RoleSettingsArgs {
  /** The directory role whose policy is managed (template id for built-in roles). */
  role: DirectoryRole;
  /**
   * Every setting of the role's policy, resolved by the model (defaults ← profile ← overrides). The provider maps
   * them onto Graph's 17 rules; a field the declaration left out still has its Graph default, never "whatever the
   * tenant held".
   */
  settings: ResolvedSettings;
  /**
   * Object id of every approver the settings name, keyed `user:<ref>` / `group:<ref>` (ref lower-cased), see
   * `approverKey`. Passing the approver groups' `objectId` outputs makes the settings wait for those groups.
   */
  approverIds: Record<string, pulumi.Input<string>>;
  /**
   * Resources that must exist before the policy names them, typically the `ApproverGroup` components: depending
   * on the component waits for its members too, so an approval-required role never names an empty group.
   */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Display names of the PIM groups that hold this role through PIM (for the rules; see `pimGroupsHolding`). */
  heldByPimGroups?: string[];
}

export class RoleSettings extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:entra:RoleSettings";

  /** The dynamic resource holding the policy; grants of this role depend on it. */
  readonly policy: DirectoryRoleSettings;
  readonly roleDefinitionId: pulumi.Output<string>;

  constructor(name: string, args: RoleSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of the component's own state: the child carries every security-relevant input.
    super(RoleSettings.__pulumiType, name, {}, opts);

    const approvers = approversOf(args.settings.activation.approval.stages);
    const missing = approvers.filter((a) => args.approverIds[approverKey(a)] === undefined);
    if (missing.length) {
      refuse(
        this,
        "approverIds",
        `has no object id for ${missing.map(approverKey).join(", ")} named by ${args.role.name}'s approval stages. Resolve every approver before building the settings.`,
      );
    }
    // Only the approvers the settings name: a stray id would be stored in state and shown in reviews for nothing.
    const approverIds = pulumi.output(
      Object.fromEntries(approvers.map((a) => [approverKey(a), args.approverIds[approverKey(a)]!])),
    );

    this.policy = new DirectoryRoleSettings(
      `${name}-settings`,
      {
        roleDefinitionId: args.role.id,
        roleName: args.role.name,
        settings: args.settings,
        approverIds,
        ...(args.heldByPimGroups?.length ? { heldByPimGroups: args.heldByPimGroups } : {}),
      },
      {
        parent: this,
        dependsOn: args.dependsOn ?? [],
        aliases: childAliases(`${name}-settings`, name, previousNamesOf(opts)),
      },
    );
    this.roleDefinitionId = pulumi.output(args.role.id);
    this.registerOutputs({ roleDefinitionId: this.roleDefinitionId, policyId: this.policy.id });
  }
}
