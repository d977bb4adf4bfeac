/**
 * The implementation of `GroupPolicy` (`pulumi-nodejs:dynamic/pim:GroupPolicy`): the 17 rules of a PIM-for-Groups
 * group's member or owner policy, through the one policy lifecycle (`providers/pim/policyLifecycle.ts`) in the
 * PIM-for-Groups API family (found by group and access, waited for when the group is new).
 *
 * Loaded at call time by the shim the resource stores in state (`providers/shim`), never serialized.
 */
import { groupPolicies } from "../pim/policyFamily";
import { PolicyLifecycle } from "../pim/policyLifecycle";
import { checkGroupPolicyInputs } from "./check";

export const provider = new PolicyLifecycle(groupPolicies, checkGroupPolicyInputs);
