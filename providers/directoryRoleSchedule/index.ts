/**
 * `DirectoryRoleSchedule` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule`): one eligible or active, time-bound
 * assignment of an Entra directory role. The lifecycle is in `./provider.ts`; what a resource stores in state is
 * only the shim (`providers/shim`), which loads that implementation at call time.
 */
import * as pulumi from "@pulumi/pulumi";
import { localProvider, providerShim } from "../shim";
import { DYNAMIC_MODULE } from "../types";
import type * as Implementation from "./provider";

/** What every resource stores as `__provider`; one instance, as serialization is cached per provider object. */
export const directoryRoleScheduleShim = providerShim("providers/directoryRoleSchedule/provider");

/** The same lifecycle for callers in this process (tests, benchmarks). */
export const directoryRoleScheduleProvider = localProvider<typeof Implementation.provider>(
  "providers/directoryRoleSchedule/provider",
);

export interface DirectoryRoleScheduleArgs {
  kind: pulumi.Input<"eligible" | "active">;
  principalId: pulumi.Input<string>;
  roleDefinitionId: pulumi.Input<string>;
  directoryScopeId: pulumi.Input<string>;
  start: pulumi.Input<string | null>;
  end: pulumi.Input<string | null>;
  justification: pulumi.Input<string>;
  ticket: pulumi.Input<{ system: pulumi.Input<string>; number: pulumi.Input<string> } | null>;
  label: pulumi.Input<string>;
  /** Optional, for messages: the role's display name ("Global Administrator"). */
  roleName?: pulumi.Input<string>;
  /** Optional, for messages: the principal as declared (UPN, group name). */
  principalName?: pulumi.Input<string>;
}

export class DirectoryRoleSchedule extends pulumi.dynamic.Resource {
  declare readonly kind: pulumi.Output<"eligible" | "active">;
  declare readonly principalId: pulumi.Output<string>;
  declare readonly roleDefinitionId: pulumi.Output<string>;
  declare readonly directoryScopeId: pulumi.Output<string>;
  declare readonly start: pulumi.Output<string | null>;
  declare readonly end: pulumi.Output<string | null>;
  declare readonly justification: pulumi.Output<string>;
  declare readonly ticket: pulumi.Output<{ system: string; number: string } | null>;
  declare readonly label: pulumi.Output<string>;
  declare readonly scheduleId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: DirectoryRoleScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      directoryRoleScheduleShim,
      name,
      { scheduleId: undefined, status: undefined, ...args },
      opts,
      DYNAMIC_MODULE,
      "DirectoryRoleSchedule",
    );
  }
}
