/** PIM-019: activating Global Administrator requires approval. */
import { z } from "zod";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { approvalFindings } from "./approval";
import { defineRule } from "./rule";

export const pim019 = defineRule({
  id: "PIM-019",
  title: "Approval required to activate Global Administrator",
  source: "CISA SCuBA MS.AAD.7.6v1; CIS M365 5.3.4",
  severity: "critical",
  scope: "resource",
  params: z.strictObject({}),
  docs:
    "Activation of Global Administrator needs a second person's approval, on the role's own policy and on the " +
    "member policy of every PIM group that holds Global Administrator. A policy without an approval rule fails.",
  evaluate(input) {
    return approvalFindings(input, (r) => r.id === GLOBAL_ADMINISTRATOR);
  },
});
