/**
 * `pim report --stack <name>`: the safe-default rules on the live tenant, with the facts only a tenant holds.
 * Thin: `runReport` (./run.ts) reads, judges and renders.
 */
import { COMMON, OUTPUT, formatOption, instantOption, parse, required } from "../../lib/args";
import { emit } from "../../lib/output";
import { findRoot } from "../../lib/root";
import { colors, EXIT, type Io } from "../../lib/io";
import { AZURE_ROLE_ARGS, liveAzureOptions } from "../../lib/liveAzure";
import { graphForStack } from "../../lib/stackGraph";
import type { Command } from "../types";
import { runReport } from "./run";

export const REPORT_HELP = `Usage: pim report --stack <name> [--subscription <id>]... [--skip-azure-roles] [options]

Run the safe-default rules (policies/README.md) on the live tenant instead of the declarations, including
those only a tenant can answer: the Global Administrator ratio, cloud-only privileged users (on-premises
synchronisation), assignments made outside PIM, authentication contexts backed by an enabled Conditional
Access policy. Break-glass accounts, contractor patterns, the safe-default profile and exemptions come from
the stack's tenant.yaml. Each finding names its rule id and the baseline it comes from. Azure resource role
settings are read from Azure Resource Manager at each scope the stack declares one at, and every one there that
differs from ARM's defaults is judged. Reads only: the identity needs the read permissions pim drift needs,
and the Azure role Reader on each subscription read.

Options:
  --stack <name>        the stack (folder under stacks/; its Pulumi.<name>.yaml says how to reach the tenant)
  --subscription <id>   also judge this subscription's Azure role settings (a GUID; repeat for several)
  --skip-azure-roles    do not read ARM: Azure role settings are not judged (the report says so)
  --format <fmt>        text (default), markdown, json or sarif (code-scanning annotations)
  --output <file>       write the report to a file instead of stdout
  --now <instant>       judge as of this UTC instant instead of the clock
  --root <dir>          repository root holding stacks/ (default: found from the current folder)
  -h, --help            show this help

Exit codes: 0 no mandatory finding, 1 a mandatory finding (or invalid declarations), 2 usage error or unknown
stack, 3 the tenant or a subscription cannot be read (a missing Graph permission or Azure role names it).
`;

export async function reportCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    ...OUTPUT,
    stack: { type: "string" },
    ...AZURE_ROLE_ARGS,
    now: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim report --stack demo");
  const format = formatOption(values.format, ["text", "markdown", "json", "sarif"] as const);
  const now = instantOption("now", values.now, new Date());
  const root = findRoot(values.root);
  const result = await runReport({
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

export const report: Command = {
  name: "report",
  summary:
    "the safe-default rules on the live tenant (GA ratio, outside-PIM assignments, CA-backed contexts)",
  help: REPORT_HELP,
  run: reportCommand,
};
