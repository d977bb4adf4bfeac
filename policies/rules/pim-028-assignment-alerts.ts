/** PIM-028: eligible and active assignment to a highly privileged role alerts the admins. */
import { z } from "zod";
import { notificationFindings } from "./notifications";
import { defineRule, rolesFloor } from "./rule";
import { matchesRole, roleSelectors } from "./tiers";

export const pim028 = defineRule({
  id: "PIM-028",
  title: "Alert on eligible and active assignment to privileged roles",
  source: "CISA SCuBA MS.AAD.7.7v1",
  severity: "high",
  scope: "resource",
  params: z.strictObject({ roles: roleSelectors.default(["privileged", "cisa"]) }),
  floor: (p, ctx) => rolesFloor("roles", p.roles, ["privileged", "cisa"], ctx),
  docs:
    "A new eligible or active assignment to a role in scope must email someone besides the role's own admins: the " +
    "admin notification rule is on (level all or critical) with at least one additional recipient, such as the " +
    "security team's mailbox. Default recipients alone do not satisfy CISA. Every privileged role is in scope by " +
    "default (CISA names its highly privileged roles; an unnoticed Helpdesk or Groups Administrator grant is a " +
    "foothold too).",
  evaluate(input, p) {
    return notificationFindings(input, (r) => matchesRole(r, p.roles), [
      "Notification_Admin_Admin_Eligibility",
      "Notification_Admin_Admin_Assignment",
    ]);
  },
});
