/**
 * `pim import --stack <name> [--subscription <id>] [--force]`: writes stacks/<name>/ from the live tenant.
 * Thin: `runImport` (./run.ts) reads, writes through a temporary folder and checks the result.
 */
import { COMMON, parse, instantOption, required } from "../../lib/args";
import { findRoot } from "../../lib/root";
import { EXIT, type Io } from "../../lib/io";
import { armForStack, graphForStack } from "../../lib/stackGraph";
import type { Command } from "../types";
import { runImport } from "./run";

export const IMPORT_HELP = `Usage: pim import --stack <name> [--subscription <id>]... [--force] [options]

Read a tenant configured by hand and write stacks/<name>/ that reproduces it: role settings that differ from
Graph's defaults, every eligible and active directory-role assignment (one grant file each; one made outside
PIM is written commented out at the end of tenant.yaml, with how to bring it under PIM), PIM for Groups groups
with their settings and memberships, the approver groups the settings name, and break-glass candidates
(permanent active Global Administrators, commented out for a person to confirm). With --subscription, also
that subscription's Azure resource role settings that differ from ARM's defaults (roleSettings.azureRoles),
read from Azure Resource Manager, and their ARM policy names (pim:azureRolePolicies in a new stack config; the
identity needs the Azure role Reader on the subscription). Names instead of ids. The
files are written to a temporary folder, loaded back and compared with the tenant, then moved into place: a
failed read writes nothing. Then prints the next steps.

The tenant: stacks/Pulumi.<name>.yaml when it exists (azuread:tenantId, pim:graphBaseUrl, pim:armBaseUrl);
otherwise PIM_GRAPH_BASE_URL / PIM_GRAPH_TENANT_ID / PIM_ARM_BASE_URL and the Azure credential (a new
stacks/Pulumi.<name>.yaml is written, with azure-native:tenantId and pim:azureRolePolicies when Azure role
settings were imported).

Options:
  --stack <name>          the stack folder to write under stacks/                         (required)
  --subscription <id>     also import this subscription's Azure role settings (a GUID; repeat for several)
  --force                 replace an existing stacks/<name>/ (default: refuse, nothing written)
  --now <instant>         date the import as this UTC instant instead of the clock
  --root <dir>            repository root holding stacks/ (default: found from the current folder)
  -h, --help              show this help

Exit codes: 0 written, 2 usage error or the stack exists, 3 the tenant or a subscription cannot be read (a
missing Graph permission or Azure role names it).
`;

export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    stack: { type: "string" },
    subscription: { type: "string", multiple: true },
    force: { type: "boolean" },
    now: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(IMPORT_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim import --stack contoso");
  const now = instantOption("now", values.now, new Date());
  const root = findRoot(values.root);
  await runImport({
    graph: graphForStack(root, stack, { optional: true }),
    root,
    stack,
    now,
    force: values.force === true,
    subscriptions: values.subscription ?? [],
    arm: armForStack(root, stack, { optional: true }),
    ...(process.env["PIM_GRAPH_BASE_URL"] ? { graphBaseUrl: process.env["PIM_GRAPH_BASE_URL"] } : {}),
    ...(process.env["PIM_ARM_BASE_URL"] ? { armBaseUrl: process.env["PIM_ARM_BASE_URL"] } : {}),
    write: (t) => io.stdout.write(t),
  });
  return EXIT.ok;
}

export const importStack: Command = {
  name: "import",
  summary: "write stacks/<name>/ from a tenant configured by hand (checked to reproduce it)",
  help: IMPORT_HELP,
  run: importCommand,
};
