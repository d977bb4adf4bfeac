/**
 * The PIM settings of one Azure resource role at one scope, applied through azure-native's authorization
 * `RoleManagementPolicy` (ARM).
 *
 * ARM names each scope+role policy with a GUID that cannot be derived offline, and azure-native offers no lookup
 * by role; components make no HTTP calls, so the caller passes the name (stack config `pim:azureRolePolicies`,
 * see README.md, "Deploy to a tenant").
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { AzureRole, ResolvedSettings } from "../model";
import { armPolicyRules } from "./azurePolicy";
import { refuse } from "./errors";
import { childAliases, previousNamesOf } from "./names";
import { approverKey, approversOf } from "./principals";

export interface AzureRoleSettingsArgs {
  /** ARM scope: `/subscriptions/<id>`, a resource group, a resource or a management group. */
  scope: string;
  role: AzureRole;
  /** The GUID name of the existing policy for this scope and role (ARM creates one per scope and role). */
  policyName: pulumi.Input<string>;
  settings: ResolvedSettings;
  /** Object id per approver named in the settings, keyed like `approverKey`. */
  approverIds: Record<string, pulumi.Input<string>>;
  /** Resources that must exist before the policy names them (approver groups). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class AzureRoleSettings extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:azure:AzureRoleSettings";

  readonly policy: authorization.RoleManagementPolicy;

  constructor(name: string, args: AzureRoleSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AzureRoleSettings.__pulumiType, name, {}, opts);
    const missing = approversOf(args.settings.activation.approval.stages).filter(
      (a) => args.approverIds[approverKey(a)] === undefined,
    );
    if (missing.length) {
      refuse(
        this,
        "approverIds",
        `has no object id for ${missing.map(approverKey).join(", ")} named by ${args.role.name} on ${args.scope}.`,
      );
    }
    this.policy = new authorization.RoleManagementPolicy(
      `${name}-policy`,
      {
        scope: args.scope.replace(/\/+$/, ""),
        roleManagementPolicyName: args.policyName,
        rules: armPolicyRules(args.settings, args.approverIds),
      },
      // ARM keeps exactly one policy per scope and role; it is never really deleted. Dropping the declaration
      // stops managing it instead of sending a DELETE for an object that must keep existing.
      {
        parent: this,
        dependsOn: args.dependsOn ?? [],
        retainOnDelete: true,
        aliases: childAliases(`${name}-policy`, name, previousNamesOf(opts)),
      },
    );
    this.registerOutputs({ policyId: this.policy.id });
  }
}
