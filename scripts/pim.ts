/**
 * `pim`: the project's command line. One folder per command under scripts/commands/, each thin over library code.
 *
 * Errors: a command throws a CliError (or a domain error `toCliError` maps) for anything the user can act on; it
 * is printed as `pim <command>: <message>` with its hint, and the process exits with its code. Anything else is a
 * bug and propagates to bin/pim.js ("internal error", exit 70).
 */
import { EXIT, type Io } from "./lib/io";
import { runCommand } from "./lib/runCommand";
import { escapeControlChars } from "../model/untrustedText";
import { version } from "../package.json";
import type { Command } from "./commands/types";
import { audit } from "./commands/audit";
import { check } from "./commands/check";
import { demo } from "./commands/demo";
import { drift } from "./commands/drift";
import { emulator } from "./commands/emulator";
import { expiry } from "./commands/expiry";
import { importStack } from "./commands/import";
import { init } from "./commands/init";
import { plan } from "./commands/plan";
import { report } from "./commands/report";
import { request } from "./commands/request";
import { review } from "./commands/review";
import { schemas } from "./commands/schemas";

export const COMMANDS: readonly Command[] = [
  check,
  plan,
  review,
  expiry,
  request,
  audit,
  drift,
  report,
  importStack,
  init,
  schemas,
  emulator,
  demo,
];

const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;

export const HELP = `Usage: pim <command> [options]

Microsoft Entra Privileged Identity Management as code, on Pulumi.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`).join("\n")}

Run \`pim <command> --help\` for a command's options. Deploying is \`npx pulumi up --stack <tenant>\`.

Exit codes: 0 success; 1 invalid input, or a condition the command was asked to report (a mandatory finding,
a change --fail-on names); 2 usage error or something named that does not exist (a stack, a git ref, a file);
3 something needed is unavailable or refused (git, gh, a Graph permission); 70 a bug in pim (please report it).
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`pim: unknown command "${escapeControlChars(name)}"\n\n${HELP}`);
    return EXIT.usage;
  }
  return runCommand(command, rest, io);
}
