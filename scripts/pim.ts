/**
 * `pim`: the project's command line. Each command lives in scripts/commands/.
 */
import { UsageError } from "./lib/args";
import { EXIT, type Io } from "./lib/io";
import { version } from "../package.json";
import { checkCommand } from "./commands/check";
import { schemasCommand } from "./commands/schemas";

interface Command {
  summary: string;
  run(argv: string[], io: Io): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  check: {
    summary: "validate a stack's declarations offline and apply the safe-default rules",
    run: checkCommand,
  },
  emulator: {
    summary: "run the local Microsoft Graph PIM emulator (the offline tenant)",
    // Loaded on demand (through the tsx require hook of bin/pim.js): only this command needs the emulator.
    run: (argv) => require("../emulator/cli").runEmulatorCli(argv),
  },
  schemas: {
    summary: "write or verify the JSON Schema files editors use for the YAML declarations",
    run: schemasCommand,
  },
};

export const HELP = `Usage: pim <command> [options]

Microsoft Entra Privileged Identity Management as code, on Pulumi.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run \`pim <command> --help\` for a command's options. Deploying is \`npx pulumi up --stack <tenant>\`.
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
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`pim: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`pim ${name}: ${e.message}\nRun \`pim ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
