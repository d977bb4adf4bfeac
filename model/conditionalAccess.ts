/**
 * A Conditional Access policy as the safe-default rules read it: one home for the shape, because two producers fill
 * it (the live reader in `providers/graph/reads/live`, and the pack's azuread adapter) and the rules consume it, and
 * `providers/graph` may not import `policies`.
 */
/** The fields of a Graph `conditionalAccessPolicy` the rules read. */
export interface ConditionalAccessPolicyFact {
  id: string;
  displayName: string;
  state: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  /** `conditions.applications.includeAuthenticationContextClassReferences` (empty when not known). */
  authenticationContexts: string[];
  includeUsers: string[];
  excludeUsers: string[];
  excludeGroups: string[];
  includeRoles: string[];
  /** Grant controls require MFA (`builtInControls` holds `mfa`) or an authentication strength. */
  requiresMfa: boolean;
  /** The required authentication strength policy id, or null. */
  authenticationStrength: string | null;
}
