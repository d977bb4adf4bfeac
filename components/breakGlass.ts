/**
 * Break-glass (emergency access) accounts: existing cloud-only accounts that hold Global Administrator
 * permanently and outside PIM, so that a PIM, MFA or Conditional Access failure cannot lock the tenant out.
 *
 * Verified, never written (ARCHITECTURE decision 3): the program reads, before it registers anything, that each
 * account exists, is cloud-only and holds Global Administrator permanently and actively on its own, and stops
 * otherwise. This component only records what was verified (its inputs, visible to policies and in state) and
 * creates nothing: no resource can create, change or remove a break-glass assignment, so no run, no `destroy` and
 * no deleted declaration can take one away.
 *
 * Earlier releases created a protected `DirectoryRoleAssignment` per account here (which conflicted with the
 * assignment the accounts already hold). Those resources must leave the state without a delete: see README.md,
 * "Upgrading a stack: break-glass assignments leave the state".
 */
import * as pulumi from "@pulumi/pulumi";
import type { VerifiedBreakGlass } from "../providers/graph/reads";

export interface BreakGlassArgs {
  /** The accounts as verified: UPN, object id and the permanent assignment instance that makes them GA. */
  accounts: VerifiedBreakGlass[];
}

export class BreakGlass extends pulumi.ComponentResource {
  static readonly __pulumiType = "pim:entra:BreakGlass";

  /** Object id per UPN (lower-cased). */
  readonly objectIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: BreakGlassArgs, opts?: pulumi.ComponentResourceOptions) {
    // The verified accounts are the component's inputs: the policy pack and a reviewer see exactly what was checked.
    super(
      BreakGlass.__pulumiType,
      name,
      {
        accounts: args.accounts.map((a) => ({
          upn: a.upn,
          objectId: a.objectId,
          assignmentInstanceId: a.assignmentInstanceId,
        })),
      },
      opts,
    );
    this.objectIds = pulumi.output(
      Object.fromEntries(args.accounts.map((a) => [a.upn.toLowerCase(), a.objectId])),
    );
    this.registerOutputs({ objectIds: this.objectIds });
  }
}
