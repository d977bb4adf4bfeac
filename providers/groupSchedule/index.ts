/**
 * `GroupSchedule` (`pulumi-nodejs:dynamic/pim:GroupSchedule`): one eligible or active, time-bound membership or
 * ownership of a PIM-for-Groups group. The lifecycle is in `./provider.ts`; what a resource stores in state is only
 * the shim (`providers/shim`), which loads that implementation at call time.
 */
import * as pulumi from "@pulumi/pulumi";
import { localProvider, providerShim } from "../shim";
import { DYNAMIC_MODULE, type GroupAccess } from "../types";
import type * as Implementation from "./provider";

/** What every resource stores as `__provider`; one instance, as serialization is cached per provider object. */
export const groupScheduleShim = providerShim("providers/groupSchedule/provider");

/** The same lifecycle for callers in this process (tests, benchmarks). */
export const groupScheduleProvider = localProvider<typeof Implementation.provider>(
  "providers/groupSchedule/provider",
);

export interface GroupScheduleArgs {
  kind: pulumi.Input<"eligible" | "active">;
  access: pulumi.Input<GroupAccess>;
  groupId: pulumi.Input<string>;
  principalId: pulumi.Input<string>;
  start: pulumi.Input<string | null>;
  end: pulumi.Input<string | null>;
  justification: pulumi.Input<string>;
  ticket: pulumi.Input<{ system: pulumi.Input<string>; number: pulumi.Input<string> } | null>;
  label: pulumi.Input<string>;
  /** Optional, for messages: the group's display name. */
  groupName?: pulumi.Input<string>;
  /** Optional, for messages: the principal as declared (UPN). */
  principalName?: pulumi.Input<string>;
}

export class GroupSchedule extends pulumi.dynamic.Resource {
  declare readonly kind: pulumi.Output<"eligible" | "active">;
  declare readonly access: pulumi.Output<GroupAccess>;
  declare readonly groupId: pulumi.Output<string>;
  declare readonly principalId: pulumi.Output<string>;
  declare readonly start: pulumi.Output<string | null>;
  declare readonly end: pulumi.Output<string | null>;
  declare readonly justification: pulumi.Output<string>;
  declare readonly label: pulumi.Output<string>;
  declare readonly scheduleId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: GroupScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      groupScheduleShim,
      name,
      { scheduleId: undefined, status: undefined, ...args },
      opts,
      DYNAMIC_MODULE,
      "GroupSchedule",
    );
  }
}
