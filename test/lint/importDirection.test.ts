/**
 * eslint.config.mjs writes the architecture's import direction down as `no-restricted-imports`: each layer is
 * checked here on imports it must refuse and on imports it must allow, through ESLint's own API.
 */
import * as path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: ROOT });

/** The imports of `lines` that ESLint refuses in a file at `file`. */
async function refused(file: string, imports: string[]): Promise<string[]> {
  const code = imports.map((i) => `import "${i}";`).join("\n");
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports")
    .map((m) => imports[m.line - 1]!);
}

describe("import direction", () => {
  it.each([
    [
      "model/load/x.ts",
      ["../../policies/rules", "../../components", "../../emulator/server"],
      ["../keys", "./diagnostics"],
    ],
    [
      "policies/rules/x.ts",
      ["../adapters", "../report/sarif", "../../providers/types", "../index"],
      ["../../model", "./rule"],
    ],
    [
      "policies/adapters/x.ts",
      ["../../providers/graph", "../../components", "../../scripts/pim"],
      ["../../providers/types", "../rules"],
    ],
    [
      "components/x.ts",
      ["../providers/graph/client", "../policies/rules", "../scripts/pim"],
      ["../providers/directoryRoleSettings/index", "../model"],
    ],
    [
      "providers/graph/x.ts",
      ["../directoryRoleSettings", "../projectModule", "../../components"],
      ["./client", "../../model/ids"],
    ],
    [
      "providers/directoryRoleSettings/x.ts",
      ["../../policies/rules", "../../components"],
      ["../graph", "../../model/settings/graphRules"],
    ],
    [
      "stacks/x.ts",
      ["../providers/types", "../policies/report/sarif", "../scripts/pim"],
      ["../policies/rules", "../components", "../model"],
    ],
    [
      "scripts/commands/x.ts",
      ["../../components", "../../stacks/index"],
      ["../../policies/rules", "../../providers/graph", "../../emulator/cli"],
    ],
    [
      "emulator/routes/x.ts",
      ["../../model", "../../providers/graph", "../../policies/rules"],
      ["./policies", "../state"],
    ],
  ])("%s refuses %j and allows %j", async (file, forbidden, allowed) => {
    expect(await refused(file, [...forbidden, ...allowed])).toEqual(forbidden);
  });
});
