/**
 * `pim init --stack <name>`: writes a minimal stack that passes `pim check` (template.ts) for a team that starts
 * from nothing. Never overwrites: an existing stack folder or stack file is refused. The files are written into a
 * temporary folder beside stacks/ and moved into place only when all are written, so a failure leaves nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GUID_PATTERN } from "../../../model/ids";
import { COMMON, parse, required, UsageError } from "../../lib/args";
import { CliError } from "../../lib/errors";
import { EXIT, type Io } from "../../lib/io";
import { findRoot } from "../../lib/root";
import { stackConfigPath } from "../../lib/stackConfig";
import type { Command } from "../types";
import { initialStack, PLACEHOLDER_TENANT } from "./template";

export const INIT_HELP = `Usage: pim init --stack <name> [--tenant-id <guid>] [--domain <name>.onmicrosoft.com]

Write a new stack that passes \`pim check\` as it is: stacks/<name>/tenant.yaml with a baseline profile, Global
Administrator and Privileged Role Administrator under Tier-0 settings approved by an approver group, two
break-glass placeholders, and the safe-default profile; stacks/<name>/grants/ for grants; and the stack file
stacks/Pulumi.<name>.yaml. Every value to change before the first \`pulumi up\` is marked CHANGE.

Options:
  --stack <name>        the new stack's name: letters, digits, '-', '_' and '.'          (required)
  --tenant-id <guid>    the directory (tenant) id (default: a placeholder that matches no tenant)
  --domain <domain>     the tenant's initial domain, for break-glass, approver and alert placeholders
                        (default: <name>.onmicrosoft.com)
  --root <dir>          repository root holding stacks/ (default: found from the current folder)
  -h, --help            show this help

Exit codes: 0 written, 2 usage error or the stack exists already (nothing is overwritten).
`;

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function initCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    stack: { type: "string" },
    "tenant-id": { type: "string" },
    domain: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(INIT_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim init --stack contoso-prod");
  if (!STACK_NAME.test(stack))
    throw new UsageError(
      `--stack must be letters, digits, '-', '_' or '.', starting with a letter or digit, not "${stack}"`,
    );
  const tenantId = (values["tenant-id"] ?? PLACEHOLDER_TENANT).toLowerCase();
  if (!GUID_PATTERN.test(tenantId))
    throw new UsageError(`--tenant-id must be a GUID, not "${values["tenant-id"]}"`);
  const domain = (
    values.domain ?? `${stack.toLowerCase().replace(/[^a-z0-9]+/g, "")}.onmicrosoft.com`
  ).toLowerCase();
  if (!/^[a-z0-9-]+\.onmicrosoft\.com$/.test(domain))
    throw new UsageError(
      `--domain must be the tenant's initial domain, <name>.onmicrosoft.com (break-glass accounts live there, PIM-007), not "${domain}"`,
    );

  const root = findRoot(values.root);
  const stacks = path.join(root, "stacks");
  const targets = [path.join(stacks, stack), stackConfigPath(root, stack)];
  const existing = targets
    .filter((t) => fs.existsSync(t))
    .map((t) => path.relative(root, t).split(path.sep).join("/"));
  if (existing.length)
    throw new CliError(
      `stack ${stack} exists already (${existing.join(", ")}); nothing was written`,
      EXIT.usage,
      "choose another --stack name, or edit the existing stack",
    );

  const files = initialStack({ stack, tenantId, domain });
  fs.mkdirSync(stacks, { recursive: true });
  const staging = fs.mkdtempSync(path.join(stacks, `.pim-init-${stack}-`));
  try {
    for (const f of files) {
      const p = path.join(staging, f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.content, { flag: "wx" });
    }
    // Into place last, never replacing a file: a rename onto a folder that appeared meanwhile fails unless it is
    // empty, and link fails on an existing name. The folder goes first (a stack file must not name declarations
    // that are not there), and is taken back if the stack file cannot follow.
    fs.renameSync(path.join(staging, "stacks", stack), targets[0]!);
    try {
      fs.linkSync(path.join(staging, "stacks", `Pulumi.${stack}.yaml`), targets[1]!);
    } catch (e) {
      fs.rmSync(targets[0]!, { recursive: true, force: true });
      throw e;
    }
  } catch (e) {
    throw new CliError(
      `cannot write stack ${stack}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      EXIT.usage,
    );
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }

  const out = [`wrote stack ${stack}:`, ...files.map((f) => `  ${f.path}`), "", "Next:"];
  out.push(
    `  1. change every value marked CHANGE:  grep -n CHANGE stacks/${stack}/tenant.yaml stacks/Pulumi.${stack}.yaml`,
    `  2. check it:                          npm run pim -- check --stack ${stack}`,
    `  3. try it without a tenant:           npm run pim -- emulator --seed stacks/${stack}/tenant.yaml`,
    `  4. add your roles under roleSettings and one file per grant under stacks/${stack}/grants/`,
    `  5. deploy:                            npx pulumi up --stack ${stack}   (README, "Deploy to a tenant")`,
  );
  io.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

export const init: Command = {
  name: "init",
  summary: "write a new stack that passes pim check, with placeholders to fill in",
  help: INIT_HELP,
  run: initCommand,
};
