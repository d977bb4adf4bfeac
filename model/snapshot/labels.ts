/** How a person reads a scope, a grant or a membership: one wording for every report. */
import type { Scope } from "../types";
import type { GrantEntry, MembershipEntry } from "./types";

/** `tenant`, `administrative unit Paris`, `application Payroll`, or the Azure scope itself. */
export function describeScope(scope: Scope): string {
  switch (scope.type) {
    case "tenant":
      return "tenant";
    case "administrativeUnit":
      return `administrative unit ${scope.ref}`;
    case "application":
      return `application ${scope.ref}`;
    case "azure":
      return scope.id;
  }
}

/** `eligible Global Administrator for c-jordan.lee@contoso.com` (plus ` @ <scope>` when not the tenant). */
export function describeGrant(g: Pick<GrantEntry, "kind" | "role" | "principal" | "scope">): string {
  const where = g.scope.type === "tenant" ? "" : ` @ ${describeScope(g.scope)}`;
  return `${g.kind} ${g.role.name}${where} for ${g.principal}`;
}

/** `eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com`. */
export function describeMembership(
  m: Pick<MembershipEntry, "kind" | "access" | "group" | "principal">,
): string {
  return `${m.kind} ${m.access} of ${m.group} for ${m.principal}`;
}
