/**
 * `DirectoryRoleSettings` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSettings`): the PIM settings (17 rules) of one
 * Entra directory role. The lifecycle is in `./provider.ts`; what a resource stores in state is only the shim
 * (`providers/shim`), which loads that implementation at call time.
 */
import * as pulumi from "@pulumi/pulumi";
import { localProvider, providerShim } from "../shim";
import type { ResolvedSettings } from "../../model/types";
import { DYNAMIC_MODULE } from "../types";
import type * as Implementation from "./provider";

/** What every resource stores as `__provider`; one instance, as serialization is cached per provider object. */
export const directoryRoleSettingsShim = providerShim("providers/directoryRoleSettings/provider");

/** The same lifecycle for callers in this process (tests, benchmarks). */
export const directoryRoleSettingsProvider = localProvider<typeof Implementation.provider>(
  "providers/directoryRoleSettings/provider",
);

export interface DirectoryRoleSettingsArgs {
  roleDefinitionId: pulumi.Input<string>;
  roleName: pulumi.Input<string>;
  settings: pulumi.Input<ResolvedSettings>;
  approverIds: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Display names of the PIM groups that hold the role permanently (for the rules; nothing is sent). */
  heldByPimGroups?: pulumi.Input<string[]>;
}

export class DirectoryRoleSettings extends pulumi.dynamic.Resource {
  declare readonly roleDefinitionId: pulumi.Output<string>;
  declare readonly roleName: pulumi.Output<string>;
  declare readonly settings: pulumi.Output<ResolvedSettings>;
  declare readonly approverIds: pulumi.Output<Record<string, string>>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly originalRules: pulumi.Output<unknown[]>;

  constructor(name: string, args: DirectoryRoleSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      directoryRoleSettingsShim,
      name,
      { policyId: undefined, originalRules: undefined, ...args },
      opts,
      DYNAMIC_MODULE,
      "DirectoryRoleSettings",
    );
  }
}
