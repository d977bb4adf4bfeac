// The live reader's ARM part against the emulator (handmade seed), below pim import and drift: the scopes asked
// for are read once each whatever their spelling, and the approvers an Azure role names — groups nothing else in
// the directory makes the reader meet — are named as declarations name them. (Entra keeps no escalation approvers,
// so the emulator drops them: approverIdsOf is tested on them below, on rules as written.)
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { liveSnapshot, readLiveTenant } from "../../providers/graph/reads/live";
import { approverIdsOf } from "../../providers/graph/reads/live/read";
import { importFiles } from "../../scripts/commands/import/files";
import { parse } from "yaml";
import { emulatorArm, emulatorGraph } from "./harness";

const NOW = new Date("2026-11-23T12:00:00Z");
const SUB = "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const SCOPE = `/subscriptions/${SUB}`;
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const AUTHZ = `${SCOPE}/providers/Microsoft.Authorization`;
const HANDMADE = path.join(__dirname, "..", "..", "emulator", "seeds", "handmade.yaml");

let emu: RunningEmulator;
let primary: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: NOW, seed: HANDMADE });
  const deployer = emulatorGraph(emu, "pim-as-code-deployer");
  const group = async (displayName: string, mailNickname: string) =>
    (
      await deployer.post<{ id: string }>("/groups", {
        displayName,
        mailEnabled: false,
        mailNickname,
        securityEnabled: true,
      })
    ).id;
  primary = await group("Azure Owner Approvers", "azure-owner-approvers");
  const owner = emu.state.azure.policies.find((p) => p.roleGuid === OWNER && p.scope === SCOPE)!;
  // As the portal writes it: ids in capitals, which the reader must match to the directory's lower-case ones.
  await emulatorArm(emu, "pim-as-code-deployer").patch(
    `${AUTHZ}/roleManagementPolicies/${owner.name}?api-version=2020-10-01`,
    {
      properties: {
        rules: [
          {
            id: "Approval_EndUser_Assignment",
            ruleType: "RoleManagementPolicyApprovalRule",
            setting: {
              isApprovalRequired: true,
              isApprovalRequiredForExtension: false,
              isRequestorJustificationRequired: true,
              approvalMode: "SingleStage",
              approvalStages: [
                {
                  approvalStageTimeOutInDays: 1,
                  isApproverJustificationRequired: true,
                  escalationTimeInMinutes: 0,
                  primaryApprovers: [{ id: primary.toUpperCase(), userType: "Group", isBackup: false }],
                  isEscalationEnabled: false,
                  escalationApprovers: null,
                },
              ],
            },
          },
        ],
      },
    },
  );
  emu.log.clear();
});
afterAll(async () => {
  await emu.stop();
});

describe("readLiveTenant with ARM scopes", () => {
  it("reads a scope given in two spellings once, and names the Azure role's approver group", async () => {
    const read = await readLiveTenant(emulatorGraph(emu, "pim-reader"), {
      arm: emulatorArm(emu, "pim-reader"),
      azureScopes: [`${SCOPE.toUpperCase()}/`, SCOPE],
    });
    expect(read.azureScopes).toEqual([SCOPE]);
    const armReads = emu.log.entries().filter((e) => e.path.startsWith("/subscriptions/")).length;
    expect(armReads).toBe(9);
    const owner = liveSnapshot(read, "contoso").snapshot.state.roleSettings.find(
      (e) => e.target.kind === "azure" && e.target.roleId === OWNER,
    )!;
    expect(owner.settings.activation.approval.stages).toEqual([
      {
        approvers: [{ type: "group", ref: "Azure Owner Approvers" }],
        timeoutDays: 1,
        approverJustification: true,
        escalation: null,
      },
    ]);
  });
});

describe("importFiles of Azure role settings", () => {
  it("writes roleSettings.azureRoles when no directory role or group differs from its defaults", async () => {
    const read = await readLiveTenant(emulatorGraph(emu, "pim-reader"), {
      arm: emulatorArm(emu, "pim-reader"),
      azureScopes: [SCOPE],
    });
    const live = liveSnapshot({ ...read, rolePolicies: new Map(), groupPolicies: new Map() }, "contoso");
    const tenant = parse(importFiles(live, { now: NOW }).find((f) => f.path === "tenant.yaml")!.text);
    expect(tenant.roleSettings).toEqual({
      azureRoles: [
        {
          scope: SCOPE,
          role: "Owner",
          activation: {
            maximumDuration: "P1D",
            requireMfa: false,
            approval: {
              required: true,
              requiredForExtension: false,
              stages: [
                {
                  approvers: [{ group: "Azure Owner Approvers" }],
                  timeoutDays: 1,
                  approverJustification: true,
                },
              ],
            },
          },
          activeAssignment: { allowPermanent: true },
        },
      ],
    });
  });
});

describe("approverIdsOf", () => {
  it("takes every approver id of the approval rule, primary and escalation, user, group or bare id, lower-cased", () => {
    const rules = [
      {
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        id: "Expiration_EndUser_Assignment",
      },
      {
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
        id: "Approval_EndUser_Assignment",
        setting: {
          approvalStages: [
            {
              primaryApprovers: [
                {
                  "@odata.type": "#microsoft.graph.singleUser",
                  userId: "AAAAAAAA-0000-4000-8000-000000000001",
                },
                {
                  "@odata.type": "#microsoft.graph.groupMembers",
                  groupId: "BBBBBBBB-0000-4000-8000-000000000002",
                },
              ],
              escalationApprovers: [
                {
                  "@odata.type": "#microsoft.graph.groupMembers",
                  id: "CCCCCCCC-0000-4000-8000-000000000003",
                },
              ],
            },
          ],
        },
      },
    ] as unknown as Parameters<typeof approverIdsOf>[0];
    expect(approverIdsOf(rules)).toEqual([
      "aaaaaaaa-0000-4000-8000-000000000001",
      "bbbbbbbb-0000-4000-8000-000000000002",
      "cccccccc-0000-4000-8000-000000000003",
    ]);
  });
});
