/**
 * The BreakGlass component's record of the break-glass accounts the program verified before it registered anything
 * (each exists, is cloud-only and holds Global Administrator permanently and actively on its own). The stack no
 * longer holds a resource for their assignments (they are never written), so this record is what tells the pack
 * who they are and that they hold Global Administrator: the headcount (PIM-001) counts them, and PIM-004/005/006
 * treat them as break-glass.
 *
 * As with assignments under the component before, the record stands in for the break-glass list only when
 * policy-pack config does not name the accounts; once it does, config decides, and an account it does not name is
 * a plain permanent Global Administrator like any other.
 */
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { addDirectoryRole, ensurePrincipal, lower, type Adapter } from "./context";

export const breakGlassComponent: Adapter = (r, input, ctx, urns) => {
  const accounts: unknown[] = Array.isArray(r.props.accounts) ? r.props.accounts : [];
  for (const a of accounts) {
    const principalId = lower((a as { objectId?: unknown } | null)?.objectId);
    if (!principalId) continue;
    if (ctx.breakGlass.length === 0 && !input.breakGlass.some((b) => b.principalId === principalId))
      input.breakGlass.push({ principalId });
    ensurePrincipal(input, principalId, ctx, "user");
    const label = `${r.name}: ${String((a as { upn?: unknown }).upn ?? principalId)}`;
    input.assignments.push({
      kind: "active",
      roleId: addDirectoryRole(input, GLOBAL_ADMINISTRATOR, ctx),
      principalId,
      scope: "/",
      startDateTime: null,
      endDateTime: null,
      mechanism: "direct",
      label,
    });
    urns.set(`assignment:${label}`, r.urn);
  }
};
