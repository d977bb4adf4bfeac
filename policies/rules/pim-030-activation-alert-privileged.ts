/** PIM-030: activating the other highly privileged roles alerts the admins. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { notificationFindings } from "./notifications";
import { defineRule } from "./rule";
import { matchesRole, roleSelectors } from "./tiers";

export const pim030 = defineRule({
  id: "PIM-030",
  title: "Alert on activation of other privileged roles",
  source: "CISA SCuBA MS.AAD.7.9v1",
  severity: "medium",
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  docs:
    "Activation of the roles in scope, Global Administrator aside (PIM-029), emails an additional recipient. CISA " +
    "words this as SHOULD, hence medium. Every privileged role is in scope by default.",
  evaluate(input, p) {
    return notificationFindings(input, (r) => r.id !== GLOBAL_ADMINISTRATOR && matchesRole(r, p.roles), [
      "Notification_Admin_EndUser_Assignment",
    ]);
  },
});
