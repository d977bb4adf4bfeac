/**
 * One grant: a time-bound eligible or active assignment of a role to a principal.
 *
 * - Entra directory roles go through the `DirectoryRoleSchedule` dynamic resource, because azuread's schedule
 *   request resource hard-codes "no expiration" and is keyed on request objects Graph purges after ~45 days.
 * - Azure resource roles (eligible only) go through azure-native `PimRoleEligibilitySchedule`.
 *
 * Ordering: the schedule depends on the role's settings, so it is created after the settings are applied and,
 * because Pulumi deletes dependents first, removed before the settings are restored (configure, then assign).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { Grant as GrantDecl } from "../model";
import { DirectoryRoleSchedule } from "../providers/directoryRoleSchedule/index";
import { refuse } from "./errors";
import { childAliases, previousNamesOf } from "./names";

export interface GrantArgs {
  /** The grant as the model resolved it: role, scope, kind, absolute start and end, justification, ticket. */
  grant: GrantDecl;
  /** Object id of the principal (user, group or service principal) receiving the role. */
  principalId: pulumi.Input<string>;
  /**
   * Entra roles only: `/`, `/administrativeUnits/<id>` or `/<application object id>`. Default `/` (tenant);
   * required when the grant is scoped to an administrative unit or an application.
   */
  directoryScopeId?: pulumi.Input<string>;
  /** The settings of the grant's role (a `RoleSettings` or `AzureRoleSettings`); the schedule depends on them. */
  settings?: pulumi.Resource;
}

export class Grant extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:index:Grant";

  /** The schedule resource: `DirectoryRoleSchedule` or `PimRoleEligibilitySchedule`. */
  readonly schedule: pulumi.CustomResource;
  readonly end: pulumi.Output<string | null>;

  constructor(name: string, args: GrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Grant.__pulumiType, name, {}, opts);
    const g = args.grant;
    const where = `grant \`${g.id}\` (${g.file})`;
    if (g.status === "expired") {
      refuse(
        this,
        "grant.end",
        `${where} expired on ${g.end}; an expired grant is never provisioned. Delete the file, or extend end.`,
      );
    }
    // A renamed grant (aliases from its previous names) keeps its schedule's identity too.
    const childOpts = (child: string): pulumi.CustomResourceOptions => ({
      parent: this,
      dependsOn: args.settings ? [args.settings] : [],
      aliases: childAliases(child, name, previousNamesOf(opts)),
    });

    if (g.role.kind === "directory") {
      if (g.scope.type === "azure")
        refuse(this, "grant.scope", `${where}: an Entra role cannot take an Azure scope.`);
      if (g.scope.type !== "tenant" && args.directoryScopeId === undefined) {
        refuse(
          this,
          "directoryScopeId",
          `${where} is scoped to ${g.scope.type} "${g.scope.ref}"; pass its resolved directoryScopeId.`,
        );
      }
      this.schedule = new DirectoryRoleSchedule(
        `${name}-schedule`,
        {
          kind: g.kind,
          principalId: args.principalId,
          roleDefinitionId: g.role.id,
          directoryScopeId: args.directoryScopeId ?? "/",
          start: g.start,
          end: g.end,
          justification: g.justification,
          ticket: g.ticket,
          label: `${g.kind} ${g.role.name} for ${g.principal.ref} (${g.id})`,
          roleName: g.role.name,
          principalName: g.principal.ref,
        },
        childOpts(`${name}-schedule`),
      );
    } else {
      if (g.scope.type !== "azure")
        refuse(
          this,
          "grant.scope",
          `${where}: Azure role ${g.role.name} needs an Azure scope such as /subscriptions/<id>.`,
        );
      if (g.kind !== "eligible") {
        // azure-native has no resource for active PIM assignments (pulumi-azure-native#4287).
        refuse(
          this,
          "grant.kind",
          `${where}: active Azure role grants are not supported yet. Make it kind: eligible.`,
        );
      }
      const scope = g.scope.id.replace(/\/+$/, "");
      this.schedule = new authorization.PimRoleEligibilitySchedule(
        `${name}-eligibility`,
        {
          principalId: args.principalId,
          roleDefinitionId: armRoleDefinitionId(scope, g.role.id),
          scope,
          justification: g.justification,
          scheduleInfo: {
            ...(g.start ? { startDateTime: g.start } : {}),
            expiration: g.end ? { type: "AfterDateTime", endDateTime: g.end } : { type: "NoExpiration" },
          },
          ...(g.ticket
            ? { ticketInfo: { ticketSystem: g.ticket.system, ticketNumber: g.ticket.number } }
            : {}),
        },
        childOpts(`${name}-eligibility`),
      );
    }
    this.end = pulumi.output(g.end);
    this.registerOutputs({ end: this.end, scheduleId: this.schedule.id });
  }
}

/**
 * ARM wants the full role definition id. Built-in role definitions live at the subscription (or, for a
 * management-group scope, the tenant root), whatever resource group or resource the grant targets.
 */
export function armRoleDefinitionId(scope: string, roleId: string): string {
  const sub = /^\/subscriptions\/[^/]+/i.exec(scope)?.[0];
  return `${sub ?? ""}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}
