/**
 * The demo's apply: the stack's program and the project's dynamic providers run as `pulumi up` runs them, driven by
 * the engine test double (engineDouble `up`) against the emulator only — never a tenant. What each step did is
 * described in the declarations' words; what another package's provider (azuread, azure-native) would create is
 * listed from what the program registered, never faked.
 *
 * Pulumi's own processes: the program through `@pulumi/pulumi/cmd/run` (ts-node type-checks it, as for a user) and
 * the dynamic-provider host `cmd/dynamic-provider`. Test doubles: the engine (step order, state file) and the tenant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator/index";
import { up, type DeployResult, type Step } from "../../../engineDouble/deploy";
import { directoryOutputs } from "../../../engineDouble/emulatorDirectory";
import type { Registration } from "../../../engineDouble/monitor";
import { cliEnvironment } from "../../../engineDouble/program";
import { readProject, readStackConfig } from "../../../engineDouble/project";
import { escapeControlChars } from "../../../model/untrustedText";
import { DEPLOYER_APP } from "./tenant";

export interface ApplyResult {
  run: DeployResult;
  statePath: string;
  /** Graph writes the apply made, `METHOD route` → count. */
  writes: Record<string, number>;
}

/** Runs `up` of `stack` against the emulator as the deployer app, with the program's clock at `at`. */
export async function applyStack(
  root: string,
  stack: string,
  emu: RunningEmulator,
  at: Date,
): Promise<ApplyResult> {
  const project = readProject(root);
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-demo-")), "state.json");
  const cc = emu.clientCredentials(DEPLOYER_APP);
  const env = cliEnvironment({
    PIM_NOW: at.toISOString(),
    PIM_GRAPH_BASE_URL: emu.baseUrl,
    PIM_GRAPH_TENANT_ID: cc.tenantId,
    PIM_GRAPH_CLIENT_ID: cc.clientId,
    PIM_GRAPH_CLIENT_SECRET: cc.clientSecret,
  });
  const before = emu.counters().byRoute;
  const run = await up({
    projectDir: root,
    stack,
    statePath,
    // The stack file as the CLI reads it, with the emulator's address (its own names a fixed local port).
    config: { ...readStackConfig(project, stack), "pim:graphBaseUrl": emu.baseUrl },
    env,
    externalOutputs: directoryOutputs(emu),
  });
  const writes: Record<string, number> = {};
  for (const [route, n] of Object.entries(emu.counters().byRoute)) {
    const added = n - (before[route] ?? 0);
    if (added > 0 && !route.startsWith("GET ") && route !== "POST /$batch") writes[route] = added;
  }
  return { run, statePath, writes };
}

/** Short names of the types the demo describes (the rest are shown by their type token). */
const KIND: Record<string, string> = {
  "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings": "role settings",
  "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule": "grant",
  "pulumi-nodejs:dynamic/pim:GroupPolicy": "PIM-group policy",
  "pulumi-nodejs:dynamic/pim:GroupSchedule": "PIM-group grant",
  "azuread:index/group:Group": "azuread Group",
  "azuread:index/groupMember:GroupMember": "azuread GroupMember",
  "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy": "azuread GroupRoleManagementPolicy",
  "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule":
    "azuread PrivilegedAccessGroupEligibilitySchedule",
  "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule":
    "azuread PrivilegedAccessGroupAssignmentSchedule",
  "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment": "azuread DirectoryRoleAssignment",
  "azure-native:authorization:RoleManagementPolicy": "azure-native RoleManagementPolicy",
};

export const kindOf = (type: string): string => KIND[type] ?? type;

const text = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** What a registered resource governs, in the declarations' words (names from the emulator's directory). */
export function subjectOf(reg: Registration, emu: RunningEmulator): string {
  const i = reg.inputs;
  const name = (id: unknown) => (typeof id === "string" ? (emu.state.displayName(id) ?? id) : "?");
  switch (reg.type) {
    case "azuread:index/group:Group": {
      const g = [...emu.state.groups.values()].find((x) => x.displayName === i["displayName"]);
      return `"${text(i["displayName"])}"${g ? ` — already in the emulator's tenant (object id ${g.id}), as in a tenant where it was created; the program used that id` : ""}`;
    }
    case "azuread:index/groupMember:GroupMember":
      return `${name(i["memberObjectId"])} in "${name(i["groupObjectId"])}"`;
    case "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy":
    case "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule":
    case "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule":
      return `${text(i["assignmentType"]) ?? text(i["roleId"]) ?? ""} of "${name(i["groupId"])}"${i["principalId"] ? ` for ${name(i["principalId"])}` : ""}`;
    case "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment":
      return `role ${text(i["roleId"])} for "${name(i["principalObjectId"])}"`;
    case "pulumi-nodejs:dynamic/pim:GroupPolicy":
      return `${text(i["groupName"]) ?? name(i["groupId"])} (${text(i["access"]) ?? "?"})`;
    default:
      return text(i["label"]) ?? text(i["roleName"]) ?? reg.name;
  }
}

export interface DescribedStep {
  step: Step;
  kind: string;
  subject: string;
}

/** The custom resources' steps in registration order (components are only containers), described. */
export function describeSteps(result: DeployResult, emu: RunningEmulator): DescribedStep[] {
  const byUrn = new Map(result.registrations.map((r) => [r.urn, r]));
  return result.steps
    .filter((s) => byUrn.get(s.urn)?.custom ?? s.op === "delete")
    .map((step) => {
      const reg = byUrn.get(step.urn);
      return {
        step,
        kind: kindOf(step.type),
        subject: escapeControlChars(reg ? subjectOf(reg, emu) : step.urn),
      };
    });
}
