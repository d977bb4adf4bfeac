/** PIM-007: break-glass accounts are cloud-only accounts on the tenant's *.onmicrosoft.com domain. */
import { z } from "zod";
import { defineRule, principalName } from "./rule";

export const pim007 = defineRule({
  id: "PIM-007",
  title: "Break-glass accounts are cloud-only (*.onmicrosoft.com)",
  source: "Microsoft Learn: Manage emergency access accounts (cloud-only, *.onmicrosoft.com domain)",
  severity: "high",
  scope: "stack",
  params: z.strictObject({}),
  docs:
    "An emergency account on a federated or synchronized domain fails together with the identity provider or the " +
    "sync it depends on. Checked on the UPN (accounts known only by object id, in the policy pack, are not), and " +
    "on the account being synchronised (`synchronizedAccounts`, or the live tenant's on-premises attributes).",
  evaluate(input) {
    return input.breakGlass.flatMap((b) => {
      const principal = input.principals[b.principalId];
      const upn = principal?.userPrincipalName;
      const at = {
        object: upn ?? principalName(input, b.principalId),
        fix: "use a cloud-only account such as bg-1@<tenant>.onmicrosoft.com and declare that one under breakGlass",
        ...(b.source ? { source: b.source } : {}),
        subject: `principal:${b.principalId}`,
      };
      if (upn && !/\.onmicrosoft\.com$/i.test(upn)) {
        return [
          {
            ...at,
            message: `break-glass account ${upn} is not on the tenant's *.onmicrosoft.com domain; a federated or synchronized account fails with the identity provider it depends on`,
          },
        ];
      }
      if (principal?.onPremisesSynced === true) {
        return [
          {
            ...at,
            message: `break-glass account ${at.object} is synchronised from on-premises; it fails together with the sync and the directory it depends on`,
          },
        ];
      }
      return [];
    });
  },
});
