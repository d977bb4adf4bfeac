/** Model objects for component tests, built the way the loader builds them (catalog roles, Graph defaults). */
import {
  findAzureRole,
  findDirectoryRole,
  graphDefaults,
  type AzureRole,
  type DirectoryRole,
  type Grant,
  type ResolvedSettings,
} from "../../model";

export function directoryRole(name: string): DirectoryRole {
  const hit = findDirectoryRole(name);
  if (!hit.ok) throw new Error(`no role ${name}`);
  return hit.role;
}

export function azureRole(name: string): AzureRole {
  const hit = findAzureRole(name);
  if (!hit.ok) throw new Error(`no Azure role ${name}`);
  return hit.role;
}

export const SOURCE = { file: "stacks/unit/tenant.yaml", line: 1, column: 1 };

export function grant(over: Partial<Grant> & Pick<Grant, "id" | "role">): Grant {
  return {
    key: `eligible|${over.role.kind}:${over.role.id}|/|ada.lovelace@contoso.com`,
    file: `stacks/unit/grants/${over.id}.yaml`,
    principal: { ref: "ada.lovelace@contoso.com", type: "user" },
    scope: { type: "tenant" },
    kind: "eligible",
    start: null,
    end: "2027-04-30T23:59:59.999Z",
    justification: "Runbook owner",
    ticket: { system: "ServiceNow", number: "RITM0001" },
    requestedBy: null,
    status: "current",
    daysLeft: 158,
    source: { ...SOURCE, file: `stacks/unit/grants/${over.id}.yaml` },
    ...over,
  };
}

/** Directory defaults with approval by the given approvers in one stage. */
export function approvalSettings(
  approvers: ResolvedSettings["activation"]["approval"]["stages"][number]["approvers"],
): ResolvedSettings {
  const s = graphDefaults("directory");
  return {
    ...s,
    activation: {
      ...s.activation,
      maximumDuration: "PT1H",
      requireTicket: true,
      approval: {
        required: true,
        requiredForExtension: true,
        stages: [{ approvers, timeoutDays: 1, approverJustification: true, escalation: null }],
      },
    },
    eligibleAssignment: { ...s.eligibleAssignment, allowPermanent: false, maximumDuration: "P180D" },
    activeAssignment: {
      ...s.activeAssignment,
      allowPermanent: false,
      maximumDuration: "P15D",
      requireMfa: true,
    },
  };
}
