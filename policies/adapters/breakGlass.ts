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
import { fields, list } from "../../model/untypedJson";
import { addDirectoryRole, ensurePrincipal, lower, recordBreakGlass, str, type Adapter } from "./context";

export const breakGlassComponent: Adapter = (r, input, ctx, urns) => {
  for (const entry of list(r.props.accounts)) {
    const a = fields(entry);
    const principalId = lower(a.objectId);
    if (!principalId) continue;
    recordBreakGlass(input, ctx, principalId);
    ensurePrincipal(input, principalId, ctx, "user");
    const label = `${r.name}: ${str(a.upn) ?? principalId}`;
    input.assignments.push({
      kind: "active",
      roleId: addDirectoryRole(input, GLOBAL_ADMINISTRATOR, ctx),
      principalId,
      scope: "/",
      // No start: a plain assignment outside PIM, as the rule input marks one.
      startDateTime: null,
      endDateTime: null,
      label,
    });
    urns.set(`assignment:${label}`, r.urn);
  }
};
