/**
 * Break-glass (emergency access) accounts: existing cloud-only accounts that hold Global Administrator
 * permanently and outside PIM, so that a PIM, MFA or Conditional Access failure cannot lock the tenant out.
 *
 * - The accounts are referenced, never created: a `getUser` lookup fails the run if one does not exist.
 * - The assignment is a plain `DirectoryRoleAssignment` (active, permanent); they are never made eligible.
 * - `protect` makes the engine refuse to delete the assignment, and `retainOnDelete` keeps it in the tenant even
 *   if someone unprotects it and removes it from the declarations: no run can leave the tenant without a working
 *   Global Administrator (ARCHITECTURE decision 7). Removing one is a deliberate act outside this tool.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { GLOBAL_ADMINISTRATOR, type BreakGlassAccount } from "../model";
import { slug } from "./names";

export interface BreakGlassArgs {
  accounts: BreakGlassAccount[];
}

export class BreakGlass extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:entra:BreakGlass";

  readonly assignments: azuread.DirectoryRoleAssignment[];
  /** Object id per UPN (lower-cased). */
  readonly objectIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: BreakGlassArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BreakGlass.__pulumiType, name, {}, opts);
    const ids: Record<string, pulumi.Output<string>> = {};
    this.assignments = args.accounts.map((acct) => {
      const user = azuread.getUserOutput({ userPrincipalName: acct.upn }, { parent: this });
      ids[acct.upn.toLowerCase()] = user.objectId;
      return new azuread.DirectoryRoleAssignment(
        `${name}-${slug(acct.upn)}`,
        { roleId: GLOBAL_ADMINISTRATOR, principalObjectId: user.objectId, directoryScopeId: "/" },
        { parent: this, protect: true, retainOnDelete: true },
      );
    });
    this.objectIds = pulumi.output(ids);
    this.registerOutputs({ objectIds: this.objectIds });
  }
}
