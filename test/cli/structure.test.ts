/**
 * What every command shares: --help, the exit codes of the error type, --output for machine formats, and the
 * repository root found from any folder below it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GraphError } from "../../providers/graph/errors";
import { CliError, toCliError, UsageError } from "../../scripts/lib/errors";
import { EXIT } from "../../scripts/lib/io";
import { findRoot } from "../../scripts/lib/root";
import { md } from "../../scripts/lib/text";
import { escapeControlChars } from "../../model/untrustedText";
import { COMMANDS, main } from "../../scripts/pim";
import { NOW, runPim } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");

describe("the pim command line", () => {
  it("lists every command in --help, and each has its own --help", async () => {
    const top = await runPim(["--help"]);
    expect(COMMANDS.map((c) => c.name)).toEqual([
      "check",
      "plan",
      "review",
      "expiry",
      "request",
      "audit",
      "drift",
      "report",
      "import",
      "init",
      "schemas",
      "emulator",
      "demo",
    ]);
    for (const c of COMMANDS) {
      expect(top.stdout).toContain(`  ${c.name.padEnd(10)} ${c.summary}\n`);
      if (c.name === "emulator") continue; // its usage is its own (emulator/cli.ts)
      const r = await runPim([c.name, "--help"]);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout, c.name).toMatch(new RegExp(`^Usage: pim ${c.name}`));
    }
    expect(top.stdout).toContain("Exit codes: 0 success; 1 invalid input");
  });

  it("maps domain errors to their exit codes, and leaves bugs alone", () => {
    expect(toCliError(new UsageError("x"))!.exitCode).toBe(EXIT.usage);
    const graph = toCliError(
      new GraphError({
        status: 403,
        code: "Authorization_RequestDenied",
        message: "Insufficient privileges",
        method: "GET",
        path: "/users",
      }),
    )!;
    expect(graph).toBeInstanceOf(CliError);
    expect(graph.exitCode).toBe(EXIT.unavailable);
    expect(graph.hint).toBe(
      'the identity lacks a permission this command needs: see README, "The app registration and its permissions"',
    );
    // The token endpoint refusing the credential is not a missing permission: the hint names the credential.
    const token = (status: number) =>
      toCliError(
        new GraphError({
          status,
          code: status ? "invalid_client" : "NetworkError",
          message: "AADSTS7000215: Invalid client secret provided.",
          method: "POST",
          path: "http://127.0.0.1:8799/7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47/oauth2/v2.0/token",
        }),
      )!;
    expect([token(401).exitCode, token(401).hint, token(0).hint]).toEqual([
      EXIT.unavailable,
      "the credential was refused when asking for a token: check the tenant id, the client id and its secret (PIM_GRAPH_TENANT_ID, PIM_GRAPH_CLIENT_ID, PIM_GRAPH_CLIENT_SECRET for the emulator)",
      "no answer from the token endpoint: check the network, or PIM_GRAPH_BASE_URL for the emulator",
    ]);
    expect(toCliError(new TypeError("bug"))).toBeNull();
  });

  it("prints a CliError as a message with its fix and exits with its code; a bug propagates", async () => {
    let err = "";
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } };
    const code = await main(["review", path.join(os.tmpdir(), "does-not-exist.json")], io);
    expect(code).toBe(2);
    expect(err).toMatch(/^pim review: cannot read .*does-not-exist\.json: ENOENT\n$/);
  });

  it("--output writes the SARIF file without anything else in it (no npm banner), through npm run too", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pim-out-"));
    const out = path.join(dir, "pim-check.sarif");
    const r = spawnSync(
      "npm",
      ["run", "pim", "--", "check", "--stack", "demo", "--now", NOW, "--format", "sarif", "--output", out],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(0);
    const sarif = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(r.stdout).toContain("> node bin/pim.js check"); // the banner went to stdout, not into the file
    expect(r.stderr).toBe(`wrote ${out}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds the repository root from any folder below it", () => {
    expect(findRoot(undefined, path.join(ROOT, "stacks/demo/grants"))).toBe(ROOT);
    expect(findRoot(undefined, ROOT)).toBe(ROOT);
    expect(findRoot("stacks/..", ROOT)).toBe(ROOT);
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, "bin/pim.js"), "check", "--stack", "demo", "--now", NOW],
      {
        cwd: path.join(ROOT, "stacks/demo/grants"),
        encoding: "utf8",
      },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(
      "pim check · stack demo · tenant Contoso (demo) (7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47) · as of 2026-11-23 12:00 UTC",
    );
  });

  it("escapes control characters from declarations in terminal output", () => {
    expect(escapeControlChars("a\u001b[31mred\r\nb")).toBe("a\\x1b[31mred\\x0d\\x0ab");
    expect(md("</details>@org/admins [x](y) `z` *b* | c")).toBe(
      "\\</details\\>@\u200borg/admins \\[x\\](y) \\`z\\` \\*b\\* \\| c",
    );
  });
});

describe("package.json scripts", () => {
  it("npm run bench runs benchmarks that exist (it once called a command that did not)", () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const files = [...scripts["bench"]!.matchAll(/tsx (bench\/[\w.]+\.ts)/g)].map((m) => m[1]!);
    expect(files).toEqual([
      "bench/check.bench.ts",
      "bench/plan.bench.ts",
      "bench/untrusted.bench.ts",
      "bench/provision.bench.ts",
      "bench/emulator.bench.ts",
      "bench/live.bench.ts",
    ]);
    for (const f of files) expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true);
    expect(scripts["bench"]).not.toContain("pim.js bench");
  });
});
