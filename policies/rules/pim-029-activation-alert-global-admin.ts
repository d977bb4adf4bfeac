/** PIM-029: activating Global Administrator alerts the admins. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { notificationFindings } from "./notifications";
import { defineRule } from "./rule";

export const pim029 = defineRule({
  id: "PIM-029",
  title: "Alert on Global Administrator activation",
  source: "CISA SCuBA MS.AAD.7.8v1",
  severity: "high",
  scope: "resource",
  params: z.strictObject({}),
  docs:
    "Every activation of Global Administrator (on the role's policy and on the member policy of groups holding " +
    "it) emails an additional recipient; notifications must not be turned off.",
  evaluate(input) {
    return notificationFindings(input, (r) => r.id === GLOBAL_ADMINISTRATOR, [
      "Notification_Admin_EndUser_Assignment",
    ]);
  },
});
