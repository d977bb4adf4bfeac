// Role management policies: the 17 rules, their defaults, the write→read normalisation and the
// validation Graph applies to a PATCH (graph-pim.md §1.3–§1.9, §2). Pure functions over plain
// objects; the routes do the HTTP and the state does the storage.
import { GraphError, badRequest } from "./errors";
import { parseDuration } from "./duration";

export const NS = "#microsoft.graph.";

export type RuleKind = "Expiration" | "Enablement" | "Notification" | "Approval" | "AuthenticationContext";

export const RULE_TYPES: Record<RuleKind, string> = {
  Expiration: `${NS}unifiedRoleManagementPolicyExpirationRule`,
  Enablement: `${NS}unifiedRoleManagementPolicyEnablementRule`,
  Notification: `${NS}unifiedRoleManagementPolicyNotificationRule`,
  Approval: `${NS}unifiedRoleManagementPolicyApprovalRule`,
  AuthenticationContext: `${NS}unifiedRoleManagementPolicyAuthenticationContextRule`,
};

/** The 17 rule ids in the order every documented directory-role response uses (graph-pim.md §1.3). */
export const RULE_IDS = [
  "Expiration_Admin_Eligibility",
  "Enablement_Admin_Eligibility",
  "Notification_Admin_Admin_Eligibility",
  "Notification_Requestor_Admin_Eligibility",
  "Notification_Approver_Admin_Eligibility",
  "Expiration_Admin_Assignment",
  "Enablement_Admin_Assignment",
  "Notification_Admin_Admin_Assignment",
  "Notification_Requestor_Admin_Assignment",
  "Notification_Approver_Admin_Assignment",
  "Expiration_EndUser_Assignment",
  "Enablement_EndUser_Assignment",
  "Approval_EndUser_Assignment",
  "AuthenticationContext_EndUser_Assignment",
  "Notification_Admin_EndUser_Assignment",
  "Notification_Requestor_EndUser_Assignment",
  "Notification_Approver_EndUser_Assignment",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export function ruleKind(id: string): RuleKind | null {
  const k = id.split("_")[0];
  return k && Object.hasOwn(RULE_TYPES, k) ? (k as RuleKind) : null;
}

export interface RuleTarget {
  "@odata.type"?: string;
  caller: string;
  operations: string[];
  level: string;
  inheritableSettings: string[];
  enforcedSettings: string[];
}

export interface SubjectSet {
  "@odata.type": string;
  userId?: string;
  groupId?: string;
  description: string | null;
  [k: string]: unknown;
}

export interface ApprovalStage {
  approvalStageTimeOutInDays: number;
  isApproverJustificationRequired: boolean;
  escalationTimeInMinutes: number;
  isEscalationEnabled: boolean;
  primaryApprovers: SubjectSet[];
  escalationApprovers: SubjectSet[];
}

export interface ApprovalSettings {
  isApprovalRequired: boolean;
  isApprovalRequiredForExtension: boolean;
  isRequestorJustificationRequired: boolean;
  approvalMode: string;
  approvalStages: ApprovalStage[];
}

/** A rule in its stored (= read) shape. Kind-specific members are optional on the common type. */
export interface Rule {
  "@odata.type": string;
  id: string;
  isExpirationRequired?: boolean;
  maximumDuration?: string;
  enabledRules?: string[];
  notificationType?: string;
  recipientType?: string;
  notificationLevel?: string;
  isDefaultRecipientsEnabled?: boolean;
  notificationRecipients?: string[];
  setting?: ApprovalSettings;
  isEnabled?: boolean;
  claimValue?: string | null;
  target: RuleTarget;
}

export interface Policy {
  id: string;
  displayName: string;
  description: string;
  isOrganizationDefault: boolean;
  scopeId: string;
  scopeType: string;
  lastModifiedDateTime: string | null;
  lastModifiedBy: { displayName: string | null; id: string | null };
  rules: Rule[];
}

export interface PolicyAssignment {
  id: string;
  policyId: string;
  scopeId: string;
  scopeType: string;
  roleDefinitionId: string;
}

/** Per-role (or per-group) differences from the defaults, as a seed writes them. */
export type RuleOverrides = Record<string, Record<string, unknown>>;

function target(id: string): RuleTarget {
  const parts = id.split("_");
  return {
    caller: parts.includes("EndUser") ? "EndUser" : "Admin",
    operations: ["all"],
    level: id.endsWith("_Eligibility") ? "Eligibility" : "Assignment",
    inheritableSettings: [],
    enforcedSettings: [],
  };
}

/**
 * Default rules of an untouched policy (graph-pim.md §1.8 for directory roles, §2 for groups: groups
 * require expiry of eligible and active assignments and do not require MFA on activation). An Azure
 * resource role's policy (ARM, routes/arm.ts) is the directory one except that active assignments must
 * expire: the Azure portal's default role setting allows permanent eligibility, not permanent activity.
 */
export function defaultRules(scope: "directory" | "group" | "azure"): Rule[] {
  return RULE_IDS.map((id): Rule => {
    const kind = ruleKind(id)!;
    const base = { "@odata.type": RULE_TYPES[kind], id };
    switch (id) {
      case "Expiration_Admin_Eligibility":
        return {
          ...base,
          isExpirationRequired: scope === "group",
          maximumDuration: "P365D",
          target: target(id),
        };
      case "Expiration_Admin_Assignment":
        return {
          ...base,
          isExpirationRequired: scope !== "directory",
          maximumDuration: "P180D",
          target: target(id),
        };
      case "Expiration_EndUser_Assignment":
        return { ...base, isExpirationRequired: true, maximumDuration: "PT8H", target: target(id) };
      case "Enablement_Admin_Eligibility":
        return { ...base, enabledRules: [], target: target(id) };
      case "Enablement_Admin_Assignment":
        return { ...base, enabledRules: ["Justification"], target: target(id) };
      case "Enablement_EndUser_Assignment":
        return {
          ...base,
          enabledRules:
            scope === "group" ? ["Justification"] : ["MultiFactorAuthentication", "Justification"],
          target: target(id),
        };
      case "Approval_EndUser_Assignment":
        return {
          ...base,
          setting: {
            isApprovalRequired: false,
            isApprovalRequiredForExtension: false,
            isRequestorJustificationRequired: true,
            approvalMode: "SingleStage",
            approvalStages: [
              {
                approvalStageTimeOutInDays: 1,
                isApproverJustificationRequired: true,
                escalationTimeInMinutes: 0,
                isEscalationEnabled: false,
                primaryApprovers: [],
                escalationApprovers: [],
              },
            ],
          },
          target: target(id),
        };
      case "AuthenticationContext_EndUser_Assignment":
        return { ...base, isEnabled: false, claimValue: null, target: target(id) };
      default: {
        const recipientType = id.split("_")[1]!; // Notification_<Admin|Requestor|Approver>_…
        return {
          ...base,
          notificationType: "Email",
          recipientType,
          notificationLevel: "All",
          isDefaultRecipientsEnabled: true,
          notificationRecipients: [],
          target: target(id),
        };
      }
    }
  });
}

// ------------------------------------------------------------------ write path

/** Properties a PATCH may carry per rule kind (graph-pim.md §1.4), besides `@odata.type`, `id` and `target`. */
const WRITABLE: Record<
  RuleKind,
  Record<string, "boolean" | "duration" | "stringArray" | "string" | "approval" | "nullableString">
> = {
  Expiration: { isExpirationRequired: "boolean", maximumDuration: "duration" },
  Enablement: { enabledRules: "stringArray" },
  Notification: {
    notificationType: "string",
    recipientType: "string",
    notificationLevel: "string",
    isDefaultRecipientsEnabled: "boolean",
    notificationRecipients: "stringArray",
  },
  Approval: { setting: "approval" },
  AuthenticationContext: { isEnabled: "boolean", claimValue: "nullableString" },
};

const ENABLED_RULES = ["MultiFactorAuthentication", "Justification", "Ticketing"];
const NOTIFICATION_LEVELS = ["None", "Critical", "All"];
const RECIPIENT_TYPES = ["Requestor", "Approver", "Admin"];
const APPROVAL_MODES = ["SingleStage", "Serial", "Parallel", "NoApproval"];
const OPERATIONS = ["all", "activate", "deactivate", "assign", "update", "remove", "extend", "renew"];

const noSuchProperty = (prop: string, type: string) =>
  badRequest(
    `The property '${prop}' does not exist on type '${type.replace(/^#/, "")}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
const cannotConvert = (value: unknown, edm: string) =>
  badRequest(
    `Cannot convert the literal '${typeof value === "string" ? value : JSON.stringify(value)}' to the expected type '${edm}'.`,
  );

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/** Resolves an approver id to a display name; null when no such object exists. */
export type NameLookup = (kind: "user" | "group", id: string) => string | null;

function normalizeTarget(raw: unknown, current: RuleTarget): RuleTarget {
  if (raw === undefined) return current;
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw cannotConvert(raw, "microsoft.graph.unifiedRoleManagementPolicyRuleTarget");
  const t = raw as Record<string, unknown>;
  const allowed = [
    "@odata.type",
    "caller",
    "operations",
    "level",
    "inheritableSettings",
    "enforcedSettings",
    "targetObjects",
  ];
  for (const k of Object.keys(t))
    if (!allowed.includes(k))
      throw noSuchProperty(k, "microsoft.graph.unifiedRoleManagementPolicyRuleTarget");
  const out = { ...current };
  if (t.operations !== undefined) {
    if (!isStringArray(t.operations))
      throw cannotConvert(
        t.operations,
        "Collection(microsoft.graph.unifiedRoleManagementPolicyRuleTargetOperations)",
      );
    // Requests send "All", responses serialise the enum lowercase (graph-pim.md §1.7).
    const ops = t.operations.map((o) => o.toLowerCase());
    for (const o of ops) if (!OPERATIONS.includes(o)) badEnum("operations", o);
    out.operations = ops;
  }
  for (const k of ["caller", "level"] as const) {
    if (t[k] !== undefined) {
      if (typeof t[k] !== "string") throw cannotConvert(t[k], "Edm.String");
      // The target of a rule is fixed by its id; Graph does not let a PATCH move a rule to another caller/level.
      if ((t[k] as string).toLowerCase() !== current[k].toLowerCase())
        throw badRequest(
          `The rule target ${k} '${t[k] as string}' does not match the rule.`,
          "InvalidPolicyRule",
        );
    }
  }
  for (const k of ["inheritableSettings", "enforcedSettings"] as const) {
    if (t[k] !== undefined) {
      if (!isStringArray(t[k])) throw cannotConvert(t[k], "Collection(Edm.String)");
      out[k] = t[k] as string[];
    }
  }
  return out;
}

function badEnum(prop: string, value: string): never {
  throw badRequest(`The value '${value}' is not valid for property '${prop}'.`);
}

function normalizeSubjectSets(raw: unknown, lookup: NameLookup, prop: string): SubjectSet[] {
  if (!Array.isArray(raw)) throw cannotConvert(raw, "Collection(microsoft.graph.subjectSet)");
  return raw.map((s): SubjectSet => {
    if (!s || typeof s !== "object") throw cannotConvert(s, "microsoft.graph.subjectSet");
    const o = s as Record<string, unknown>;
    const type = o["@odata.type"];
    if (typeof type !== "string") throw badRequest(`The '@odata.type' of an entry in '${prop}' is required.`);
    const short = type.replace(/^#?microsoft\.graph\./, "");
    if (short === "singleUser") {
      // Approvers may be written as `id` (legacy shape in the policy-update doc) or `userId`; they are
      // always read back as `userId` with `description` = the user's display name (graph-pim.md §1.7, OBS 2026).
      const id = o.userId ?? o.id;
      if (typeof id !== "string") throw badRequest(`A singleUser approver needs 'userId'.`);
      const name = lookup("user", id);
      if (name === null)
        throw badRequest(`The approver '${id}' does not exist in the directory.`, "InvalidPolicyRule");
      return { "@odata.type": `${NS}singleUser`, userId: id, description: name };
    }
    if (short === "groupMembers") {
      const id = o.groupId ?? o.id;
      if (typeof id !== "string") throw badRequest(`A groupMembers approver needs 'groupId'.`);
      const name = lookup("group", id);
      if (name === null)
        throw badRequest(`The approver group '${id}' does not exist in the directory.`, "InvalidPolicyRule");
      return { "@odata.type": `${NS}groupMembers`, groupId: id, description: name };
    }
    throw badRequest(`Approvers of type '${short}' are not supported by PIM.`, "InvalidPolicyRule");
  });
}

function normalizeApproval(raw: unknown, current: ApprovalSettings, lookup: NameLookup): ApprovalSettings {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw cannotConvert(raw, "microsoft.graph.approvalSettings");
  const s = raw as Record<string, unknown>;
  const allowed = [
    "@odata.type",
    "isApprovalRequired",
    "isApprovalRequiredForExtension",
    "isRequestorJustificationRequired",
    "approvalMode",
    "approvalStages",
  ];
  for (const k of Object.keys(s))
    if (!allowed.includes(k)) throw noSuchProperty(k, "microsoft.graph.approvalSettings");
  const out: ApprovalSettings = { ...current };
  for (const k of [
    "isApprovalRequired",
    "isApprovalRequiredForExtension",
    "isRequestorJustificationRequired",
  ] as const) {
    if (s[k] !== undefined) {
      if (typeof s[k] !== "boolean") throw cannotConvert(s[k], "Edm.Boolean");
      out[k] = s[k] as boolean;
    }
  }
  if (s.approvalMode !== undefined) {
    if (typeof s.approvalMode !== "string" || !APPROVAL_MODES.includes(s.approvalMode))
      badEnum("approvalMode", String(s.approvalMode));
    out.approvalMode = s.approvalMode as string;
  }
  if (s.approvalStages !== undefined) {
    if (!Array.isArray(s.approvalStages) || s.approvalStages.length < 1 || s.approvalStages.length > 2)
      throw badRequest("'approvalStages' must contain one or two stages.", "InvalidPolicyRule");
    out.approvalStages = s.approvalStages.map((st, i): ApprovalStage => {
      if (!st || typeof st !== "object") throw cannotConvert(st, "microsoft.graph.unifiedApprovalStage");
      const o = st as Record<string, unknown>;
      const allowedStage = [
        "@odata.type",
        "approvalStageTimeOutInDays",
        "isApproverJustificationRequired",
        "escalationTimeInMinutes",
        "isEscalationEnabled",
        "primaryApprovers",
        "escalationApprovers",
      ];
      for (const k of Object.keys(o))
        if (!allowedStage.includes(k)) throw noSuchProperty(k, "microsoft.graph.unifiedApprovalStage");
      const prev = current.approvalStages[i] ?? current.approvalStages[0]!;
      const num = (k: "approvalStageTimeOutInDays" | "escalationTimeInMinutes") => {
        if (o[k] === undefined) return prev[k];
        if (typeof o[k] !== "number" || !Number.isInteger(o[k])) throw cannotConvert(o[k], "Edm.Int32");
        return o[k] as number;
      };
      const bool = (k: "isApproverJustificationRequired" | "isEscalationEnabled") => {
        if (o[k] === undefined) return prev[k];
        if (typeof o[k] !== "boolean") throw cannotConvert(o[k], "Edm.Boolean");
        return o[k] as boolean;
      };
      return {
        approvalStageTimeOutInDays: num("approvalStageTimeOutInDays"),
        isApproverJustificationRequired: bool("isApproverJustificationRequired"),
        escalationTimeInMinutes: num("escalationTimeInMinutes"),
        isEscalationEnabled: bool("isEscalationEnabled"),
        primaryApprovers:
          o.primaryApprovers === undefined
            ? prev.primaryApprovers
            : normalizeSubjectSets(o.primaryApprovers, lookup, "primaryApprovers"),
        escalationApprovers:
          o.escalationApprovers === undefined
            ? prev.escalationApprovers
            : normalizeSubjectSets(o.escalationApprovers, lookup, "escalationApprovers"),
      };
    });
  }
  return out;
}

/**
 * Apply one rule body (PATCH rule, or one element of a whole-policy PATCH) to the stored rule and
 * return the new rule. Throws Graph's 400s for bad input; does not mutate `current`.
 */
export function applyRulePatch(current: Rule, body: unknown, lookup: NameLookup): Rule {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The rule body must be a JSON object.");
  const b = body as Record<string, unknown>;
  const kind = ruleKind(current.id)!;
  const type = b["@odata.type"];
  // "The @odata.type property with a value of the specific rule type must be included in the body" (§1.4).
  if (type === undefined)
    throw badRequest(
      "The '@odata.type' property with the value of the specific rule type must be included in the request body.",
      "InvalidPolicyRule",
    );
  if (
    typeof type !== "string" ||
    type.replace(/^#/, "").toLowerCase() !== RULE_TYPES[kind].replace(/^#/, "").toLowerCase()
  )
    throw badRequest(
      `The '@odata.type' '${String(type)}' does not match the type '${RULE_TYPES[kind].slice(1)}' of rule '${current.id}'.`,
      "InvalidPolicyRule",
    );
  if (b.id !== undefined && b.id !== current.id)
    throw badRequest(`The policy rule id ${String(b.id)} is invalid.`, "InvalidPolicyRule");
  const spec = WRITABLE[kind];
  const next: Rule = structuredClone(current);
  for (const [k, v] of Object.entries(b)) {
    if (k === "@odata.type" || k === "id" || k.startsWith("@odata.")) continue;
    if (k === "target") {
      next.target = normalizeTarget(v, current.target);
      continue;
    }
    const t = Object.hasOwn(spec, k) ? spec[k] : undefined;
    if (!t) throw noSuchProperty(k, RULE_TYPES[kind]);
    switch (t) {
      case "boolean":
        if (typeof v !== "boolean") throw cannotConvert(v, "Edm.Boolean");
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a PATCH body writes a field named at run time, after its type is checked above
        (next as any)[k] = v;
        break;
      case "duration":
        if (parseDuration(v) === null) throw cannotConvert(v, "Edm.Duration");
        next.maximumDuration = v as string;
        break;
      case "string":
        if (typeof v !== "string") throw cannotConvert(v, "Edm.String");
        if (k === "notificationLevel" && !NOTIFICATION_LEVELS.includes(v)) badEnum(k, v);
        if (k === "recipientType" && (!RECIPIENT_TYPES.includes(v) || v !== current.recipientType))
          badEnum(k, v);
        if (k === "notificationType" && v !== "Email") badEnum(k, v);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a PATCH body writes a field named at run time, after its type is checked above
        (next as any)[k] = v;
        break;
      case "nullableString":
        if (v !== null && typeof v !== "string") throw cannotConvert(v, "Edm.String");
        // Doc PATCH examples send "" for "no context"; store what was sent.
        next.claimValue = v as string | null;
        break;
      case "stringArray":
        if (!isStringArray(v)) throw cannotConvert(v, "Collection(Edm.String)");
        if (k === "enabledRules") for (const r of v) if (!ENABLED_RULES.includes(r)) badEnum(k, r);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a PATCH body writes a field named at run time, after its type is checked above
        (next as any)[k] = [...v];
        break;
      case "approval":
        next.setting = normalizeApproval(v, current.setting!, lookup);
        break;
    }
  }
  return next;
}

/** True when an Approver-type notification rule holds explicit recipients (the OBS 2026 write lock, §1.9). */
/**
 * What Entra keeps of an approval rule it accepted. Escalation approvers are accepted and not kept ("Request
 * succeeds but escalationApprovers isn't populated", graph-pim.md §1.7). A second stage: PIM's admin center offers
 * one stage for roles and groups and no document shows a second one kept, so the emulator keeps the first stage
 * only (its choice, README "Known gaps"), which is the harder case for a client: the write succeeds, the read-back
 * differs.
 */
export function keptByEntra(rule: Rule): Rule {
  if (!rule.setting) return rule;
  const [first] = rule.setting.approvalStages;
  if (!first) return rule;
  const dropped = rule.setting.approvalStages.length > 1 || first.escalationApprovers.length > 0;
  if (!dropped) return rule;
  return {
    ...rule,
    setting: {
      ...rule.setting,
      approvalMode: rule.setting.approvalStages.length > 1 ? "SingleStage" : rule.setting.approvalMode,
      approvalStages: [{ ...first, escalationApprovers: [] }],
    },
  };
}

export function isApproverRecipientLocked(rules: Rule[]): boolean {
  return rules.some((r) => r.recipientType === "Approver" && (r.notificationRecipients?.length ?? 0) > 0);
}

export const approverLockError = () =>
  new GraphError(
    400,
    "ActivationCustomApproversNotEmpty",
    "The policy cannot be updated one rule at a time while an approver notification rule has custom recipients. Clear notificationRecipients with an update of the whole policy.",
  );

/**
 * Whole-policy consistency checks Graph applies after a change (graph-pim.md §1.9, issue #3 §4).
 * The codes of the last two are not documented; they are this emulator's choice (see README).
 */
export function validatePolicy(rules: Rule[]): void {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const enablement = byId.get("Enablement_EndUser_Assignment");
  const authContext = byId.get("AuthenticationContext_EndUser_Assignment");
  if (enablement?.enabledRules?.includes("MultiFactorAuthentication") && authContext?.isEnabled)
    throw new GraphError(
      400,
      "MfaAndAcrsConflict",
      "Multi-factor authentication and an authentication context cannot both be required on activation. Remove MultiFactorAuthentication from Enablement_EndUser_Assignment or disable AuthenticationContext_EndUser_Assignment.",
    );
  if (authContext?.isEnabled && !authContext.claimValue)
    throw badRequest(
      "AuthenticationContext_EndUser_Assignment requires a claimValue when isEnabled is true.",
      "InvalidPolicyRule",
    );
  const approval = byId.get("Approval_EndUser_Assignment")?.setting;
  if (approval?.isApprovalRequired && approval.approvalStages.every((s) => s.primaryApprovers.length === 0))
    throw badRequest(
      "Approval is required for activation but no approvers are set. Add at least one primary approver.",
      "InvalidPolicyRule",
    );
  for (const id of [
    "Expiration_Admin_Eligibility",
    "Expiration_Admin_Assignment",
    "Expiration_EndUser_Assignment",
  ]) {
    const r = byId.get(id);
    if (r?.isExpirationRequired && parseDuration(r.maximumDuration) === null)
      throw badRequest(
        `${id}: maximumDuration is required when isExpirationRequired is true.`,
        "InvalidPolicyRule",
      );
  }
}

/** Apply seed overrides (same shapes as a PATCH body without @odata.type) onto default rules. */
export function applyOverrides(
  rules: Rule[],
  overrides: RuleOverrides | undefined,
  lookup: NameLookup,
): Rule[] {
  if (!overrides) return rules;
  return rules.map((r) => {
    const o = overrides[r.id];
    if (!o) return r;
    return applyRulePatch(r, { "@odata.type": r["@odata.type"], ...o }, lookup);
  });
}

export function getRule(policy: Policy, id: string): Rule | undefined {
  return policy.rules.find((r) => r.id === id);
}
