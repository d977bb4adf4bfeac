/** PIM-007: break-glass accounts are cloud-only accounts on the tenant's *.onmicrosoft.com domain. */
import { z } from "zod";
import { defineRule } from "./rule";

export const pim007 = defineRule({
  id: "PIM-007",
  title: "Break-glass accounts are cloud-only (*.onmicrosoft.com)",
  source: "Microsoft Learn: Manage emergency access accounts (cloud-only, *.onmicrosoft.com domain)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "An emergency account on a federated or synchronized domain fails together with the identity provider or the " +
    "sync it depends on. Checked on the UPN; accounts known only by object id (policy pack) are not checked.",
  evaluate(input) {
    return input.breakGlass.flatMap((b) => {
      const upn = input.principals[b.principalId]?.userPrincipalName;
      if (!upn || /\.onmicrosoft\.com$/i.test(upn)) return [];
      return [
        {
          object: upn,
          message: `break-glass account ${upn} is not on the tenant's *.onmicrosoft.com domain; a federated or synchronized account fails with the identity provider it depends on`,
          fix: "use a cloud-only account such as bg-1@<tenant>.onmicrosoft.com and declare that one under breakGlass",
          ...(b.source ? { source: b.source } : {}),
          subject: `principal:${b.principalId}`,
        },
      ];
    });
  },
});
