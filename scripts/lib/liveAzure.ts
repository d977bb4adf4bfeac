/**
 * The Azure part of a live read, shared by `pim drift` and `pim report`: which ARM scopes to read (those the stack
 * declares an Azure role setting at, plus each `--subscription`), the live read with them, and an ARM refusal
 * turned into exit 3 naming what to do. `--skip-azure-roles` reads no ARM and is said in one note.
 */
import type { SettingsEntry, Snapshot } from "../../model/snapshot";
import type { ArmApi } from "../../providers/arm";
import type { GraphApi } from "../../providers/graph";
import { LiveReadError, readLive, type LiveTenant } from "../../providers/graph/reads/live";
import { CliError } from "./errors";
import { EXIT } from "./io";
import { armForStack } from "./stackGraph";
import { subscriptionScopes } from "./subscriptions";
import { count } from "./text";

/** The command-line options of the live commands that read ARM (`parse` spec). */
export const AZURE_ROLE_ARGS = {
  subscription: { type: "string", multiple: true },
  "skip-azure-roles": { type: "boolean" },
} as const;

export interface LiveAzureOptions {
  /** Makes the ARM client; called only when there is a scope to read (a declared Azure role, `subscriptions`). */
  arm?: () => ArmApi;
  /** Subscriptions (ids, any case; each must be a GUID, else exit 2) read whole. */
  subscriptions?: readonly string[];
  /** Leave Azure role settings out (ARM not read); the report's notes say so. */
  skipAzureRoles?: boolean;
}

/** What the command does with what it reads, in its messages: drift compares, report judges. */
export type AzureVerb = "compare" | "judge";

export interface AzureScopes {
  /** The stack's declared Azure role settings. */
  declared: SettingsEntry[];
  /** `/subscriptions/<id>` of each `--subscription`. */
  whole: string[];
  /** Every scope to read: the declared ones, then the whole ones (none with `skipAzureRoles`). */
  read: string[];
}

/** `AZURE_ROLE_ARGS` as parsed, for the stack (the ARM client made only when a scope is read). */
export function liveAzureOptions(
  values: { subscription?: string[]; "skip-azure-roles"?: boolean },
  root: string,
  stack: string,
): LiveAzureOptions {
  return {
    arm: armForStack(root, stack),
    subscriptions: values.subscription ?? [],
    skipAzureRoles: values["skip-azure-roles"] === true,
  };
}

/**
 * The ARM scopes a live command reads for `declared`, before anything is read: a subscription that is not a GUID,
 * or `--subscription` with `--skip-azure-roles`, is a usage error. A subscription given twice is read once.
 */
export function azureScopesOf(declared: Snapshot, opts: LiveAzureOptions): AzureScopes {
  const declaredAzure = declared.state.roleSettings.filter((e) => e.target.kind === "azure");
  const whole = subscriptionScopes(opts.subscriptions ?? []);
  if (opts.skipAzureRoles && whole.length)
    throw new CliError("--subscription and --skip-azure-roles cannot be combined", EXIT.usage);
  const read = opts.skipAzureRoles
    ? []
    : [...declaredAzure.map((e) => (e.target as { scope: string }).scope), ...whole];
  return { declared: declaredAzure, whole, read };
}

/**
 * The tenant, with the Azure role settings of `scopes` read from ARM when there are any (none: no ARM request).
 * ARM's refusal is exit 3, with the way to go on without it.
 */
export async function readLiveWithAzure(
  graph: GraphApi,
  stack: string,
  opts: LiveAzureOptions,
  scopes: readonly string[],
  verb: AzureVerb,
): Promise<LiveTenant> {
  if (!scopes.length) return readLive(graph, stack);
  if (!opts.arm) throw new CliError("Azure scopes to read but no ARM client was given", EXIT.internal);
  try {
    return await readLive(graph, stack, { arm: opts.arm(), azureScopes: scopes });
  } catch (e) {
    if (e instanceof LiveReadError && e.service === "arm")
      throw new CliError(
        e.message,
        EXIT.unavailable,
        `${e.hint ? `${e.hint}; ` : ""}or pass --skip-azure-roles to ${verb} everything else`,
      );
    throw e;
  }
}

/** The note a report carries when `--skip-azure-roles` left declared Azure role settings out (none otherwise). */
export function skippedAzureNote(scopes: AzureScopes, opts: LiveAzureOptions, verb: AzureVerb): string[] {
  return opts.skipAzureRoles && scopes.declared.length
    ? [
        `Azure role settings were not ${verb}d (--skip-azure-roles): ${count(scopes.declared.length, "declared Azure role setting")} left out`,
      ]
    : [];
}
