/**
 * `pim schemas`: the JSON Schema files in schemas/ are generated from the zod schemas; `--check` fails when the
 * committed files are stale (CI runs the same check as a test).
 */
import { checkJsonSchemas, writeJsonSchemas } from "../../../model/jsonSchema";
import { COMMON, parse } from "../../lib/args";
import { EXIT, type Io } from "../../lib/io";
import { findRoot } from "../../lib/root";
import type { Command } from "../types";

export const SCHEMAS_HELP = `Usage: pim schemas [--write | --check] [--root <dir>]

The YAML declarations reference schemas/tenant.schema.json and schemas/grant.schema.json, so editors complete
and validate them. These files are generated from the model's zod schemas.

Options:
  --write        regenerate the files (default)
  --check        exit 1 if a committed file differs from what the schemas generate
  --root <dir>   repository root (default: found from the current folder)
  -h, --help     show this help
`;

export async function schemasCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    write: { type: "boolean" },
    check: { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(SCHEMAS_HELP);
    return EXIT.ok;
  }
  const root = findRoot(values.root);
  const js = { checkJsonSchemas, writeJsonSchemas };
  if (values.check) {
    const stale = js.checkJsonSchemas(root);
    if (stale.length) {
      io.stderr.write(`stale: ${stale.join(", ")}\nrun: npm run schemas\n`);
      return EXIT.invalid;
    }
    io.stdout.write("schemas are up to date\n");
    return EXIT.ok;
  }
  const written = js.writeJsonSchemas(root);
  io.stdout.write(`wrote ${written.join(", ")}\n`);
  return EXIT.ok;
}

export const schemas: Command = {
  name: "schemas",
  summary: "write or verify the JSON Schema files editors use for the YAML declarations",
  help: SCHEMAS_HELP,
  run: schemasCommand,
};
