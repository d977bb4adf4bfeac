/** `--subscription` of `pim import` and `pim drift`: an Azure subscription id. */
import { GUID_PATTERN } from "../../model/ids";
import { CliError } from "./errors";
import { EXIT } from "./io";

/** A subscription as `--subscription` gives it: its id, a GUID (lower-cased); anything else is a usage error. */
export function subscriptionId(id: string): string {
  const v = id.trim().replace(/^\/?subscriptions\//i, "");
  if (!GUID_PATTERN.test(v))
    throw new CliError(
      `--subscription must be an Azure subscription id (a GUID such as 5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f), not "${id}"`,
      EXIT.usage,
      'az account list --query "[].id" lists the subscriptions you can read',
    );
  return v.toLowerCase();
}

/** The ARM scopes of `--subscription` values: each validated as `subscriptionId`, each read once. */
export function subscriptionScopes(ids: readonly string[]): string[] {
  return [...new Set(ids.map(subscriptionId))].map((id) => `/subscriptions/${id}`);
}
