/**
 * Graph's documented defaults for an untouched policy (reference: graph-pim.md §1.8 for directory roles, §2 for
 * groups). A declaration layers on these, so a field nobody declared still has a definite value: the tool manages
 * every rule of a role it manages, and never leaves a setting to whatever the tenant happened to hold.
 */
import type { NotificationTriple, ResolvedSettings } from "../types";

const notify = (): NotificationTriple => ({
  admin: { level: "all", defaultRecipients: true, additionalRecipients: [] },
  requestor: { level: "all", defaultRecipients: true, additionalRecipients: [] },
  approver: { level: "all", defaultRecipients: true, additionalRecipients: [] },
});

export function graphDefaults(kind: "directory" | "group" | "azure"): ResolvedSettings {
  const group = kind === "group";
  return {
    activation: {
      maximumDuration: "PT8H",
      requireMfa: !group,
      authenticationContext: null,
      requireJustification: true,
      requireTicket: false,
      approval: {
        required: false,
        requiredForExtension: false,
        stages: [{ approvers: [], timeoutDays: 1, approverJustification: true, escalation: null }],
      },
    },
    eligibleAssignment: {
      allowPermanent: !group,
      maximumDuration: "P365D",
      requireMfa: false,
      requireJustification: false,
    },
    activeAssignment: {
      allowPermanent: !group && kind !== "azure",
      maximumDuration: "P180D",
      requireMfa: false,
      requireJustification: true,
    },
    notifications: { eligibleAssignment: notify(), activeAssignment: notify(), activation: notify() },
  };
}
