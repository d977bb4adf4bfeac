/**
 * Where a command's report goes: stdout, or `--output FILE`. Writing the file ourselves keeps machine formats clean
 * (`npm run pim -- check --format sarif > f` puts npm's banner into f; `--output f` does not).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./errors";
import { EXIT, type Io } from "./io";

export function emit(io: Io, text: string, output: string | undefined, cwd: string = process.cwd()): void {
  if (output === undefined || output === "-") {
    io.stdout.write(text);
    return;
  }
  const file = path.resolve(cwd, output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new CliError(
      `cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      EXIT.usage,
    );
  }
  io.stderr.write(`wrote ${output}\n`);
}
