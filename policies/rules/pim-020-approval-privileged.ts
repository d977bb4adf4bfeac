/** PIM-020: activating Privileged Role Administrator (and a configurable list) requires approval. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { approvalFindings } from "./approval";
import { defineRule, rolesFloor } from "./rule";
import { matchesRole, roleSelectors } from "./tiers";

export const pim020 = defineRule({
  id: "PIM-020",
  title: "Approval required to activate Privileged Role Administrator and listed roles",
  source: "CIS M365 5.3.5; Microsoft Learn: Plan a PIM deployment",
  severity: "high",
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["Privileged Role Administrator"]) }),
  profiles: { strict: { roles: ["tier0"] } },
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["Privileged Role Administrator"], ctx),
  docs:
    "Privileged Role Administrator can grant any role, Global Administrator included, so its activation needs " +
    "approval too. `roles` extends the list; the strict profile asks it for every Tier-0 role. Global " +
    "Administrator itself is PIM-019's.",
  evaluate(input, p) {
    return approvalFindings(input, (r) => r.id !== GLOBAL_ADMINISTRATOR && matchesRole(r, p.roles));
  },
});
