/**
 * `pim drift --stack <name>`: declared versus live, tenant-wide, in `pim plan`'s semantic diff and risk order.
 * Thin: `runDrift` (./run.ts) computes and renders.
 */
import { COMMON, OUTPUT, formatOption, instantOption, parse, required } from "../../lib/args";
import { emit } from "../../lib/output";
import { findRoot } from "../../lib/root";
import { colors, EXIT, type Io } from "../../lib/io";
import { AZURE_ROLE_ARGS, liveAzureOptions } from "../../lib/liveAzure";
import { graphForStack } from "../../lib/stackGraph";
import type { Command } from "../types";
import { runDrift } from "./run";

export const DRIFT_HELP = `Usage: pim drift --stack <name> [--subscription <id>]... [--skip-azure-roles] [options]

Compare a stack's declarations with the live tenant, tenant-wide, and list every difference judged for
security (critical, weaker, neutral, stronger), in the order pim plan uses:
  - added: in the tenant but not declared (a permanent active assignment made in the portal, an eligibility
    nobody declared, settings changed by hand);
  - removed: declared but missing in the tenant (a grant not provisioned, a break-glass account that lost
    Global Administrator);
  - changed: role settings field by field, end dates, kinds.
What a tenant does not keep (justifications, tickets, profiles) is never reported. Azure resource role
settings (roleSettings.azureRoles) are read from Azure Resource Manager for each scope the stack declares.
Reads only: the identity needs RoleManagement.Read.Directory, the PIM for Groups read permissions,
Directory.Read.All (the principals are read by id), Policy.Read.All, and the Azure role Reader on each
declared subscription (README, "The app registration and its permissions").

Options:
  --stack <name>        the stack (folder under stacks/; its Pulumi.<name>.yaml says how to reach the tenant)
  --subscription <id>   also compare this subscription whole: Azure role settings nobody declared that differ
                        from ARM's defaults show as added (a GUID; repeat for several)
  --skip-azure-roles    do not read ARM: Azure role settings are not compared (the report says so)
  --format <fmt>        text (default), markdown (an issue or pull-request comment) or json
  --output <file>       write the report to a file instead of stdout
  --now <instant>       judge expiry as of this UTC instant instead of the clock
  --root <dir>          repository root holding stacks/ (default: found from the current folder)
  -h, --help            show this help

Exit codes (for a scheduled workflow): 0 no drift, 1 drift (or invalid declarations), 2 usage error or unknown
stack, 3 the tenant or a subscription cannot be read (a missing Graph permission or Azure role names it).
`;

export async function driftCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    ...OUTPUT,
    stack: { type: "string" },
    ...AZURE_ROLE_ARGS,
    now: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(DRIFT_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim drift --stack demo");
  const format = formatOption(values.format, ["text", "markdown", "json"] as const);
  const now = instantOption("now", values.now, new Date());
  const root = findRoot(values.root);
  const result = await runDrift({
    graph: graphForStack(root, stack),
    ...liveAzureOptions(values, root, stack),
    root,
    stack,
    now,
    format,
    colors: colors(io.stdout),
  });
  emit(io, result.text, values.output);
  return result.exitCode;
}

export const drift: Command = {
  name: "drift",
  summary: "declared versus live tenant: missing, unmanaged and different, judged for security",
  help: DRIFT_HELP,
  run: driftCommand,
};
