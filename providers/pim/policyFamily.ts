/**
 * The two API families of role management policies, as data the one lifecycle (`policyLifecycle.ts`) reads
 * (graph-pim.md §1, §2): the same 17 rules and the same whole-policy PATCH; they differ in how the policy is found
 * and in what Graph does to it over time.
 *
 * - a directory role's policy: scope `/`, type `DirectoryRole`, the role's template id; its id is stable;
 * - a group's member or owner policy: scope the group, type `Group`, `member` or `owner`. Entra creates a new
 *   group's policies a little after the group (so `create` waits for them, bounded), and the ids change when PIM
 *   onboards the group on its first policy update or request (so the policy is always found again by scope).
 */
import type { PolicyScope } from "../graph/reads";
import type { DirectoryRoleSettingsInputs, GroupPolicyInputs, PolicySettingsInputs } from "../types";
import { seconds } from "./wait";

export interface PolicyFamily<I extends PolicySettingsInputs> {
  readonly typeName: string;
  /** Inputs that identify the policy: a change is another policy (a replace). */
  readonly identity: readonly (keyof I & string)[];
  /** Inputs that only name things in messages or for the rules: a change is an update that sends nothing. */
  readonly descriptive: readonly (keyof I & string)[];
  /** What a person calls it: "Global Administrator", "Ops (member)". */
  label(i: I): string;
  scope(i: I): PolicyScope;
  /** A new target's policy may not exist yet: `create` waits for it (`POLICY_WAIT`). */
  readonly appearsLate: boolean;
  /** The policy id can change under us: every read finds the policy again by scope rather than by id. */
  readonly idMoves: boolean;
  /** The error when no policy is found (after waiting, for families whose policies appear late). */
  missing(i: I, waitedMs: number): string;
}

/** How long `create` waits for a new group's policies, and how often it looks. */
export const POLICY_WAIT = { limitMs: 180_000, firstDelayMs: 2_000, maxDelayMs: 15_000 };

export const directoryRolePolicies: PolicyFamily<DirectoryRoleSettingsInputs> = {
  typeName: "DirectoryRoleSettings",
  identity: ["roleDefinitionId"],
  descriptive: ["roleName", "heldByPimGroups"],
  label: (i) => i.roleName,
  // The scopeId + scopeType filter is required by Graph (graph-pim.md §1.2); never construct the policy id.
  scope: (i) => ({ scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId: i.roleDefinitionId }),
  appearsLate: false,
  idMoves: false,
  missing: (i) => `${i.roleName}: Entra has no PIM policy for role ${i.roleDefinitionId}`,
};

export const groupPolicies: PolicyFamily<GroupPolicyInputs> = {
  typeName: "GroupPolicy",
  identity: ["groupId", "access"],
  descriptive: ["groupName"],
  label: (i) => `${i.groupName} (${i.access})`,
  scope: (i) => ({ scopeId: i.groupId, scopeType: "Group", roleDefinitionId: i.access }),
  appearsLate: true,
  idMoves: true,
  missing: (i, waited) =>
    `${i.groupName} (${i.access}): Entra has not created the PIM policies of group ${i.groupId} after ${seconds(waited)}. ` +
    "A new group's policies appear shortly after the group is created: run the deployment again in a few minutes. If it " +
    "keeps failing, check that the group is a security group that is neither dynamic nor synchronised from " +
    "on-premises (PIM for Groups refuses those).",
};
