/**
 * The implementation of `DirectoryRoleSettings` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSettings`): the 17 rules of
 * one Entra directory role's PIM policy, through the one policy lifecycle (`providers/pim/policyLifecycle.ts`) in
 * the directory-role API family.
 *
 * Loaded at call time by the shim the resource stores in state (`providers/shim`), never serialized.
 */
import { directoryRolePolicies } from "../pim/policyFamily";
import { PolicyLifecycle } from "../pim/policyLifecycle";
import { checkSettingsInputs } from "./check";

export const provider = new PolicyLifecycle(directoryRolePolicies, checkSettingsInputs);
