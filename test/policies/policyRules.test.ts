/**
 * Rules → rule input, by every path a policy takes into it: declarations (`pim check`), the DirectoryRoleSettings
 * resource, the azure-native RoleManagementPolicy the components write, and the azuread GroupRoleManagementPolicy a
 * stack may still hold (the pack, during `pulumi preview`/`up`). Each must give the rules the same policy: the one written here as
 * `expected`, an independent statement of what each settings field means to the rules.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { armPolicyRules as armRulesOf } from "../../components/azurePolicy";
import { approverKey } from "../../model/keys";
import {
  AZUREAD_EXPIRE_AFTER,
  azureadActivationDuration,
  azureadExpireAfter,
  toAzureadGroupPolicy,
} from "../../model/settings/azureadGroupPolicy";
import { toGraphRules } from "../../model/settings/graphRules";
import type { Approver, ResolvedNotification, ResolvedSettings } from "../../model/types";
import { inputFromResources, PIM_TYPES, type PackContext, type ResourceLike } from "../../policies/adapters";
import { settingsToRules } from "../../policies/rules/fromSettings";
import type { PolicyRules } from "../../policies/rules/input";
import { policyRulesFromGraph } from "../../policies/rules/policyRules";
import { DEFAULT_TIERS } from "../../policies/rules/tiers";
import { APPROVER_IDS, distinct, oneHot, settingsArb } from "../model/settingsFixtures";

const GA = "62e90394-69f5-4237-9190-012177145e10";
const SUB = "/subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const GROUP = "0f0f0f0f-1111-4222-8333-444444444444";
const NOW = "2026-12-01T00:00:00.000Z";
const ctx: PackContext = {
  tiers: DEFAULT_TIERS,
  breakGlass: [],
  contractors: [],
  synchronizedAccounts: [],
  serviceAccounts: [],
  authenticationContexts: {},
};

const LEVEL = { all: "All", critical: "Critical", none: "None" } as const;
const byRef = (a: Approver) => a.ref.toLowerCase();
const byObjectId = (a: Approver) => APPROVER_IDS[approverKey(a)]!.toLowerCase();

/** What each field means to the rules, written out independently of the mapping under test. */
function expected(s: ResolvedSettings, id: (a: Approver) => string): PolicyRules {
  const a = s.activation;
  const flags = (mfa: boolean, justification: boolean, ticket = false) => ({
    enabledRules: [
      ...(mfa ? (["MultiFactorAuthentication"] as const) : []),
      ...(justification ? (["Justification"] as const) : []),
      ...(ticket ? (["Ticketing"] as const) : []),
    ],
  });
  const notice = (n: ResolvedNotification) => ({
    notificationLevel: LEVEL[n.level],
    isDefaultRecipientsEnabled: n.defaultRecipients,
    notificationRecipients: n.additionalRecipients,
  });
  const refs = (list: Approver[]) => list.map((ap) => ({ type: ap.type, id: id(ap) }));
  const n = s.notifications;
  return {
    Expiration_EndUser_Assignment: { maximumDuration: a.maximumDuration },
    Enablement_EndUser_Assignment: flags(a.requireMfa, a.requireJustification, a.requireTicket),
    AuthenticationContext_EndUser_Assignment: {
      isEnabled: a.authenticationContext !== null,
      claimValue: a.authenticationContext,
    },
    Approval_EndUser_Assignment: {
      isApprovalRequired: a.approval.required,
      approvalStages: a.approval.stages.map((st) => ({
        primaryApprovers: refs(st.approvers),
        ...(st.escalation ? { escalationApprovers: refs(st.escalation.approvers) } : {}),
      })),
    },
    Expiration_Admin_Eligibility: {
      isExpirationRequired: !s.eligibleAssignment.allowPermanent,
      maximumDuration: s.eligibleAssignment.maximumDuration,
    },
    Expiration_Admin_Assignment: {
      isExpirationRequired: !s.activeAssignment.allowPermanent,
      maximumDuration: s.activeAssignment.maximumDuration,
    },
    Enablement_Admin_Assignment: flags(
      s.activeAssignment.requireMfa,
      s.activeAssignment.requireJustification,
    ),
    Notification_Admin_Admin_Eligibility: notice(n.eligibleAssignment.admin),
    Notification_Requestor_Admin_Eligibility: notice(n.eligibleAssignment.requestor),
    Notification_Approver_Admin_Eligibility: notice(n.eligibleAssignment.approver),
    Notification_Admin_Admin_Assignment: notice(n.activeAssignment.admin),
    Notification_Requestor_Admin_Assignment: notice(n.activeAssignment.requestor),
    Notification_Approver_Admin_Assignment: notice(n.activeAssignment.approver),
    Notification_Admin_EndUser_Assignment: notice(n.activation.admin),
    Notification_Requestor_EndUser_Assignment: notice(n.activation.requestor),
    Notification_Approver_EndUser_Assignment: notice(n.activation.approver),
  };
}

/** What azuread can hold of `expected` (a group-valid declaration: see `groupValid`). */
function expectedThroughAzuread(s: ResolvedSettings, id: (a: Approver) => string): PolicyRules {
  const e = expected(s, id);
  const a = s.activation;
  const first = a.approval.stages[0]!;
  const expiry = (x: ResolvedSettings["eligibleAssignment"]) => ({
    isExpirationRequired: !x.allowPermanent,
    // Permanent: azuread sends no expireAfter, and the reader takes Graph's default.
    maximumDuration: x.allowPermanent ? "P365D" : azureadExpireAfter(x.maximumDuration)!,
  });
  return {
    ...e,
    Expiration_EndUser_Assignment: { maximumDuration: azureadActivationDuration(a.maximumDuration)! },
    // azuread writes the authentication context instead of MFA.
    Enablement_EndUser_Assignment: {
      enabledRules: e.Enablement_EndUser_Assignment!.enabledRules.filter(
        (r) => r !== "MultiFactorAuthentication" || a.authenticationContext === null,
      ),
    },
    Approval_EndUser_Assignment: {
      isApprovalRequired: a.approval.required,
      approvalStages:
        a.approval.required && first.approvers.length
          ? [{ primaryApprovers: first.approvers.map((ap) => ({ type: ap.type, id: id(ap) })) }]
          : [],
    },
    Expiration_Admin_Eligibility: expiry(s.eligibleAssignment),
    Expiration_Admin_Assignment: expiry(s.activeAssignment),
  };
}

/** The same settings with what azuread cannot spell for a group replaced by values it can (the program no longer
 * writes azuread's resource; a stack or another program may still register one, which the pack reads back). */
function groupValid(s: ResolvedSettings, pick: number): ResolvedSettings {
  const g = structuredClone(s);
  g.activation.maximumDuration = ["PT30M", "PT1H", "PT4H30M", "PT24H", "P1D"][pick % 5]!;
  g.eligibleAssignment.maximumDuration = AZUREAD_EXPIRE_AFTER[pick % AZUREAD_EXPIRE_AFTER.length]!;
  g.activeAssignment.maximumDuration = ["PT360H", ...AZUREAD_EXPIRE_AFTER][pick % 6]!;
  if (g.activation.approval.required) {
    g.activation.approval.stages = [{ ...g.activation.approval.stages[0]!, escalation: null }];
  }
  for (const t of Object.values(g.notifications))
    for (const n of Object.values(t)) if (n.level === "none") n.level = "critical";
  return g;
}

// ------------------------------------------------------------------------------------------ the paths

const viaCheck = (s: ResolvedSettings) => settingsToRules(s, byRef);

function viaPack(r: Omit<ResourceLike, "urn">) {
  return inputFromResources([{ ...r, urn: `urn:pulumi:demo::pim::${r.type}::${r.name}` }], ctx, {
    now: NOW,
    mode: "stack",
  }).input;
}

const viaDirectoryRoleSettings = (s: ResolvedSettings) =>
  viaPack({
    type: PIM_TYPES.DirectoryRoleSettings,
    name: "ga",
    props: { roleDefinitionId: GA, roleName: "Global Administrator", settings: s, approverIds: APPROVER_IDS },
  }).directoryRolePolicies[GA]!.rules;

const viaRoleManagementPolicy = (s: ResolvedSettings) =>
  viaPack({
    type: PIM_TYPES.RoleManagementPolicy,
    name: "owner",
    props: { scope: SUB, roleManagementPolicyName: "p", rules: armRulesOf(s, APPROVER_IDS) },
  }).azureRolePolicies[0]!.rules;

function viaGroupPolicy(s: ResolvedSettings) {
  // Only what azuread can spell (`groupValid`): its fixed steps, no `none` level.
  expect(azureadActivationDuration(s.activation.maximumDuration)).not.toBeNull();
  for (const x of [s.eligibleAssignment, s.activeAssignment])
    if (!x.allowPermanent) expect(azureadExpireAfter(x.maximumDuration)).not.toBeNull();
  const levels = Object.values(s.notifications).flatMap((t) => Object.values(t).map((n) => n.level));
  expect(levels).not.toContain("none");
  return viaPack({
    type: PIM_TYPES.GroupRoleManagementPolicy,
    name: "ops-member-policy",
    props: { groupId: GROUP, roleId: "member", ...toAzureadGroupPolicy(toGraphRules(s, APPROVER_IDS)) },
  }).groupPolicies[0]!.rules;
}

// ------------------------------------------------------------------------------------------ tests

describe("rules → rule input: pim check's path (declarations)", () => {
  it("reads distinct() into the rule input, value for value", () => {
    expect(viaCheck(distinct())).toEqual({
      Expiration_EndUser_Assignment: { maximumDuration: "PT2H" },
      Enablement_EndUser_Assignment: { enabledRules: ["MultiFactorAuthentication", "Ticketing"] },
      AuthenticationContext_EndUser_Assignment: { isEnabled: true, claimValue: "c3" },
      Approval_EndUser_Assignment: {
        isApprovalRequired: true,
        approvalStages: [
          {
            primaryApprovers: [
              { type: "group", id: "tier-0 approvers" },
              { type: "user", id: "ada.lovelace@contoso.com" },
            ],
            escalationApprovers: [{ type: "user", id: "ken.thompson@contoso.com" }],
          },
          {
            primaryApprovers: [{ type: "group", id: "soc" }],
            escalationApprovers: [{ type: "group", id: "security leads" }],
          },
        ],
      },
      Expiration_Admin_Eligibility: { isExpirationRequired: true, maximumDuration: "P90D" },
      Expiration_Admin_Assignment: { isExpirationRequired: false, maximumDuration: "P14D" },
      Enablement_Admin_Assignment: { enabledRules: ["Justification"] },
      Notification_Admin_Admin_Eligibility: {
        notificationLevel: "Critical",
        isDefaultRecipientsEnabled: false,
        notificationRecipients: ["el-admin@contoso.com"],
      },
      Notification_Requestor_Admin_Eligibility: {
        notificationLevel: "All",
        isDefaultRecipientsEnabled: true,
        notificationRecipients: ["el-requestor@contoso.com"],
      },
      Notification_Approver_Admin_Eligibility: {
        notificationLevel: "None",
        isDefaultRecipientsEnabled: false,
        notificationRecipients: ["el-approver@contoso.com"],
      },
      Notification_Admin_Admin_Assignment: {
        notificationLevel: "All",
        isDefaultRecipientsEnabled: false,
        notificationRecipients: ["ac-admin@contoso.com", "ac-admin-2@contoso.com"],
      },
      Notification_Requestor_Admin_Assignment: {
        notificationLevel: "None",
        isDefaultRecipientsEnabled: true,
        notificationRecipients: ["ac-requestor@contoso.com"],
      },
      Notification_Approver_Admin_Assignment: {
        notificationLevel: "Critical",
        isDefaultRecipientsEnabled: true,
        notificationRecipients: ["ac-approver@contoso.com"],
      },
      Notification_Admin_EndUser_Assignment: {
        notificationLevel: "None",
        isDefaultRecipientsEnabled: true,
        notificationRecipients: ["act-admin@contoso.com"],
      },
      Notification_Requestor_EndUser_Assignment: {
        notificationLevel: "Critical",
        isDefaultRecipientsEnabled: false,
        notificationRecipients: ["act-requestor@contoso.com"],
      },
      Notification_Approver_EndUser_Assignment: {
        notificationLevel: "All",
        isDefaultRecipientsEnabled: false,
        notificationRecipients: ["act-approver@contoso.com"],
      },
    });
  });

  it.each(oneHot().map((v) => [v.name, v.settings] as const))("reads %s as written", (_name, s) => {
    expect(viaCheck(s)).toEqual(expected(s, byRef));
  });

  it("reads any generated settings as written", () => {
    fc.assert(
      fc.property(settingsArb, (s) => {
        expect(viaCheck(s)).toEqual(expected(s, byRef));
      }),
      { numRuns: 300 },
    );
  });
});

describe("rules → rule input: the pack's paths see what pim check sees", () => {
  it.each(oneHot().map((v) => [v.name, v.settings] as const))("DirectoryRoleSettings: %s", (_name, s) => {
    expect(viaDirectoryRoleSettings(s)).toEqual(expected(s, byObjectId));
  });

  it.each(oneHot().map((v) => [v.name, v.settings] as const))(
    "RoleManagementPolicy (ARM): %s",
    (_name, s) => {
      expect(viaRoleManagementPolicy(s)).toEqual(expected(s, byObjectId));
    },
  );

  it.each(oneHot().map((v) => [v.name, v.settings] as const))(
    "GroupRoleManagementPolicy (azuread): %s",
    (_name, s) => {
      const g = groupValid(s, 3);
      expect(viaGroupPolicy(g)).toEqual(expectedThroughAzuread(g, byObjectId));
    },
  );

  it("for any generated settings, by every path", () => {
    fc.assert(
      fc.property(settingsArb, fc.nat(), (s, pick) => {
        expect(viaDirectoryRoleSettings(s)).toEqual(expected(s, byObjectId));
        expect(viaRoleManagementPolicy(s)).toEqual(expected(s, byObjectId));
        const g = groupValid(s, pick);
        expect(viaGroupPolicy(g)).toEqual(expectedThroughAzuread(g, byObjectId));
      }),
      { numRuns: 150 },
    );
  });
});

describe("rules → rule input: untrusted rules", () => {
  it("reads a missing or malformed value as the weaker setting, and leaves an absent rule absent", () => {
    expect(
      policyRulesFromGraph([
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
          id: "Expiration_Admin_Eligibility",
        },
        {
          "@odata.type": "microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
          id: "Enablement_EndUser_Assignment",
          enabledRules: ["justification", "Bogus", 7],
        },
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
          id: "Notification_Admin_EndUser_Assignment",
          notificationLevel: "CRITICAL",
          isDefaultRecipientsEnabled: "yes",
        },
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
          id: "Approval_EndUser_Assignment",
          setting: {
            isApprovalRequired: "true",
            approvalStages: [
              {
                isEscalationEnabled: false,
                primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", id: "ADA-ID" }],
                escalationApprovers: [
                  { "@odata.type": "#microsoft.graph.singleUser", userId: "never-asked" },
                ],
              },
            ],
          },
        },
        null,
        "junk",
      ]),
    ).toEqual({
      Expiration_Admin_Eligibility: { isExpirationRequired: false, maximumDuration: "P365D" },
      Enablement_EndUser_Assignment: { enabledRules: ["Justification"] },
      Notification_Admin_EndUser_Assignment: {
        notificationLevel: "Critical",
        isDefaultRecipientsEnabled: false,
        notificationRecipients: [],
      },
      Approval_EndUser_Assignment: {
        isApprovalRequired: false,
        approvalStages: [{ primaryApprovers: [{ type: "user", id: "ada-id" }] }],
      },
    });
  });

  it("leaves out a rule whose type contradicts its id", () => {
    expect(
      policyRulesFromGraph([
        {
          "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
          id: "Approval_EndUser_Assignment",
          enabledRules: [],
        },
      ]),
    ).toEqual({});
  });
});
