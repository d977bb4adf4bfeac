/**
 * The contract between components and the dynamic providers: inputs, outputs and type tokens.
 *
 * Type tokens are exported once and shared by the components, the policy pack and the review, so each can
 * recognise our resources in `pulumi preview --json` and in CrossGuard (`pulumi-nodejs:dynamic/pim:<Type>`).
 *
 * Two kinds of resource, each in two API families that share one lifecycle (`providers/pim/`):
 * - settings (a role management policy, 17 rules): a directory role's (`DirectoryRoleSettings`) or a PIM-for-Groups
 *   group's member or owner policy (`GroupPolicy`);
 * - schedules (one eligible or active assignment): of a directory role (`DirectoryRoleSchedule`) or of membership or
 *   ownership of a PIM-for-Groups group (`GroupSchedule`).
 *
 * Where the provider sends Graph requests and how it authenticates is read at call time (never an input, never in
 * state): stack config `pim:graphBaseUrl` or env `PIM_GRAPH_BASE_URL` (emulator), else https://graph.microsoft.com.
 */
import type { ResolvedSettings } from "../model/types";

export const DYNAMIC_MODULE = "pim";
export const TYPE_TOKENS = {
  DirectoryRoleSettings: "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings",
  DirectoryRoleSchedule: "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
  GroupPolicy: "pulumi-nodejs:dynamic/pim:GroupPolicy",
  GroupSchedule: "pulumi-nodejs:dynamic/pim:GroupSchedule",
} as const;

/** PIM for Groups governs two relationships to a group, each with its own policy (graph-pim.md §2). */
export type GroupAccess = "member" | "owner";

/** What every settings resource declares: the settings and the object ids of the approvers they name. */
export interface PolicySettingsInputs {
  /** The complete declared settings (model form); the provider maps them to the 17 Graph rules. */
  settings: ResolvedSettings;
  /**
   * Object ids of every approver named in `settings`, keyed `user:<ref>` or `group:<ref>` exactly as the model
   * names them (ref lower-cased), resolved by the component.
   */
  approverIds: Record<string, string>;
}

/** What every settings resource records. */
export interface PolicyOutputs {
  /** The policy found for the role or group access (looked up, never constructed). */
  policyId: string;
  /** The 17 rules as they were before the first apply; restored on delete. */
  originalRules: unknown[];
}

export interface DirectoryRoleSettingsInputs extends PolicySettingsInputs {
  /** Role template id (built-in) or role definition id (custom). */
  roleDefinitionId: string;
  /** For messages only. */
  roleName: string;
  /**
   * Display names of the PIM-for-Groups groups that hold this role permanently, through PIM (for the rules: such a
   * role's policy must allow permanent active assignments). Optional: absent in state written before it existed.
   */
  heldByPimGroups?: string[];
}

export interface DirectoryRoleSettingsOutputs extends DirectoryRoleSettingsInputs, PolicyOutputs {}

export interface GroupPolicyInputs extends PolicySettingsInputs {
  /** Object id of the group. */
  groupId: string;
  access: GroupAccess;
  /** For messages only: the group's display name. */
  groupName: string;
}

export interface GroupPolicyOutputs extends GroupPolicyInputs, PolicyOutputs {}

/** What every schedule resource declares: who, which kind, the window and the request's text. */
export interface ScheduleWindowInputs {
  kind: "eligible" | "active";
  principalId: string;
  /** UTC ISO instant, or null for "when provisioned". */
  start: string | null;
  /** UTC ISO instant, or null for permanent (refused by the model except for break-glass and PIM groups' roles). */
  end: string | null;
  justification: string;
  ticket: { system: string; number: string } | null;
  /** For messages only. */
  label: string;
  /** For messages only (optional): the principal as declared, e.g. "c-jordan.lee@contoso.com". */
  principalName?: string;
}

/** What every schedule resource records. */
export interface ScheduleOutputs {
  /** The schedule id (never the request id: Graph purges requests after ~45 days). */
  scheduleId: string;
  status: string;
}

export interface DirectoryRoleScheduleInputs extends ScheduleWindowInputs {
  roleDefinitionId: string;
  /** "/" for the tenant, "/administrativeUnits/<id>", or "/<application object id>". */
  directoryScopeId: string;
  /** For messages only (optional): the role's display name, e.g. "Global Administrator". */
  roleName?: string;
}

export interface DirectoryRoleScheduleOutputs extends DirectoryRoleScheduleInputs, ScheduleOutputs {}

export interface GroupScheduleInputs extends ScheduleWindowInputs {
  /** Object id of the group. */
  groupId: string;
  access: GroupAccess;
  /** For messages only (optional): the group's display name. */
  groupName?: string;
}

export interface GroupScheduleOutputs extends GroupScheduleInputs, ScheduleOutputs {}
