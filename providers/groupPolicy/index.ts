/**
 * `GroupPolicy` (`pulumi-nodejs:dynamic/pim:GroupPolicy`): the PIM settings (17 rules) of a PIM-for-Groups group's
 * member or owner access. The lifecycle is in `./provider.ts`; what a resource stores in state is only the shim
 * (`providers/shim`), which loads that implementation at call time.
 */
import * as pulumi from "@pulumi/pulumi";
import { localProvider, providerShim } from "../shim";
import type { ResolvedSettings } from "../../model/types";
import { DYNAMIC_MODULE, type GroupAccess } from "../types";
import type * as Implementation from "./provider";

/** What every resource stores as `__provider`; one instance, as serialization is cached per provider object. */
export const groupPolicyShim = providerShim("providers/groupPolicy/provider");

/** The same lifecycle for callers in this process (tests, benchmarks). */
export const groupPolicyProvider = localProvider<typeof Implementation.provider>(
  "providers/groupPolicy/provider",
);

export interface GroupPolicyArgs {
  groupId: pulumi.Input<string>;
  access: pulumi.Input<GroupAccess>;
  groupName: pulumi.Input<string>;
  settings: pulumi.Input<ResolvedSettings>;
  approverIds: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class GroupPolicy extends pulumi.dynamic.Resource {
  declare readonly groupId: pulumi.Output<string>;
  declare readonly access: pulumi.Output<GroupAccess>;
  declare readonly groupName: pulumi.Output<string>;
  declare readonly settings: pulumi.Output<ResolvedSettings>;
  declare readonly approverIds: pulumi.Output<Record<string, string>>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly originalRules: pulumi.Output<unknown[]>;

  constructor(name: string, args: GroupPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      groupPolicyShim,
      name,
      { policyId: undefined, originalRules: undefined, ...args },
      opts,
      DYNAMIC_MODULE,
      "GroupPolicy",
    );
  }
}
