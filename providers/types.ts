/**
 * The contract between components and the dynamic providers: inputs, outputs and type tokens.
 *
 * Type tokens are exported once and shared by the components, the policy pack and the review, so each can
 * recognise our resources in `pulumi preview --json` and in CrossGuard (`pulumi-nodejs:dynamic/pim:<Type>`).
 */
import type { ResolvedSettings } from "../model/types";

export const DYNAMIC_MODULE = "pim";
export const TYPE_TOKENS = {
  DirectoryRoleSettings: "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings",
  DirectoryRoleSchedule: "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
} as const;

/**
 * Where the provider sends Graph requests and how it authenticates, read at call time (never an input, never in
 * state): stack config `pim:graphBaseUrl` or env `PIM_GRAPH_BASE_URL` (emulator), else https://graph.microsoft.com.
 */
export interface DirectoryRoleSettingsInputs {
  /** Role template id (built-in) or role definition id (custom). */
  roleDefinitionId: string;
  /** For messages only. */
  roleName: string;
  /** The complete declared settings (model form); the provider maps them to the 17 Graph rules. */
  settings: ResolvedSettings;
  /**
   * Object ids of every approver named in `settings`, keyed `user:<ref>` or `group:<ref>` exactly as the model
   * names them (ref lower-cased), resolved by the component.
   */
  approverIds: Record<string, string>;
}

export interface DirectoryRoleSettingsOutputs extends DirectoryRoleSettingsInputs {
  /** The policy found for the role (looked up, never constructed). */
  policyId: string;
  /** The 17 rules as they were before the first apply; restored on delete. */
  originalRules: unknown[];
}

export interface DirectoryRoleScheduleInputs {
  kind: "eligible" | "active";
  principalId: string;
  roleDefinitionId: string;
  /** "/" for the tenant, "/administrativeUnits/<id>", or "/<application object id>". */
  directoryScopeId: string;
  /** UTC ISO instant, or null for "when provisioned". */
  start: string | null;
  /** UTC ISO instant, or null for permanent (refused by the model except for break-glass). */
  end: string | null;
  justification: string;
  ticket: { system: string; number: string } | null;
  /** For messages only. */
  label: string;
  /** For messages only (optional): the role's display name, e.g. "Global Administrator". */
  roleName?: string;
  /** For messages only (optional): the principal as declared, e.g. "c-jordan.lee@contoso.com". */
  principalName?: string;
}

export interface DirectoryRoleScheduleOutputs extends DirectoryRoleScheduleInputs {
  /** The schedule id (never the request id: Graph purges requests after ~45 days). */
  scheduleId: string;
  status: string;
}
