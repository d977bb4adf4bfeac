import type { TenantModel } from "./types";

/**
 * The PIM-for-Groups groups that hold directory role `roleId` (display names, in declaration order). Each holds it
 * through a permanent active PIM assignment, so that role's policy allows permanent active assignments (the loader
 * refuses it otherwise); the rules read this list to accept that allowance (PIM-018).
 */
export function pimGroupsHolding(model: Pick<TenantModel, "pimGroups">, roleId: string): string[] {
  const id = roleId.toLowerCase();
  return model.pimGroups.filter((g) => g.roles.some((r) => r.id.toLowerCase() === id)).map((g) => g.name);
}
