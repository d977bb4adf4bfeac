// `pim init`: the stack it writes passes `pim check` as it is, its placeholders' obvious misuse does not, it never
// overwrites, and the reason a first Security Reader stack fails is the one the template states.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { NOW, runPim } from "./helpers";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-init-"));
});

const tenantFile = () => path.join(root, "stacks", "first", "tenant.yaml");
const edit = (from: string | RegExp, to: string) => {
  const text = fs.readFileSync(tenantFile(), "utf8");
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  fs.writeFileSync(tenantFile(), next);
};
async function findings(): Promise<{ code: number; rules: string[]; errors: string[] }> {
  const r = await runPim(["check", "--stack", "first", "--root", root, "--format", "json", "--now", NOW]);
  const doc = JSON.parse(r.stdout) as {
    findings: { ruleId: string; mandatory: boolean }[];
    diagnostics: { severity: string; message: string }[];
  };
  return {
    code: r.code,
    rules: [...new Set(doc.findings.filter((f) => f.mandatory).map((f) => f.ruleId))].sort(),
    errors: doc.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
  };
}

describe("pim init", () => {
  it("writes the stack, the grants folder and the stack file, and says what to do next", async () => {
    const r = await runPim([
      "init",
      "--stack",
      "first",
      "--root",
      root,
      "--tenant-id",
      "2B4D6F81-3A5C-4E7D-9F1B-2C4E6A8B0D13",
    ]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.split("\n").slice(0, 5)).toEqual([
      "wrote stack first:",
      "  stacks/first/tenant.yaml",
      "  stacks/first/grants/README.md",
      "  stacks/Pulumi.first.yaml",
      "",
    ]);
    expect(r.stdout).toContain("grep -n CHANGE stacks/first/tenant.yaml stacks/Pulumi.first.yaml");
    expect(fs.readdirSync(path.join(root, "stacks")).sort()).toEqual(["Pulumi.first.yaml", "first"]);
    const yaml = fs.readFileSync(tenantFile(), "utf8");
    expect(yaml).toContain("  id: 2b4d6f81-3a5c-4e7d-9f1b-2c4e6a8b0d13 # the tenant this stack governs");
    expect(yaml).toContain("  - upn: break-glass-1@first.onmicrosoft.com # CHANGE");
    expect(yaml).toContain("That is why a stack that declares only Security Reader fails");
    expect(fs.readFileSync(path.join(root, "stacks", "Pulumi.first.yaml"), "utf8")).toContain(
      "  pim:declarations: first\n  azuread:tenantId: 2b4d6f81-3a5c-4e7d-9f1b-2c4e6a8b0d13\n",
    );
  });

  it("the result passes pim check as it is, and with a first role added from the template's example", async () => {
    expect((await runPim(["init", "--stack", "first", "--root", root])).code).toBe(0);
    const check = await runPim(["check", "--stack", "first", "--root", root]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("No findings: every safe-default rule passes.");
    expect(check.stdout).toContain(
      "Approver group PIM Approvers - Tier 0 (2 members) approves Global Administrator, Privileged Role Administrator",
    );
    edit(
      "    # - role: Security Reader\n    #   profile: baseline",
      "    - role: Security Reader\n      profile: baseline",
    );
    fs.writeFileSync(
      path.join(root, "stacks", "first", "grants", "ada-security-reader.yaml"),
      "principal: ada.lovelace@first.onmicrosoft.com\nrole: Security Reader\nkind: eligible\nend: 2027-03-31\njustification: runbooks\n",
    );
    expect(await findings()).toEqual({ code: 0, rules: [], errors: [] });
  });

  it.each([
    [
      "a break-glass account as approver",
      () => edit("- approver-1@first.onmicrosoft.com", "- break-glass-1@first.onmicrosoft.com"),
      ["PIM-036", "PIM-038"],
    ],
    [
      "one break-glass account only",
      () => edit(/  - upn: break-glass-2@.*\n.*\n/, ""),
      ["PIM-001", "PIM-006"],
    ],
    [
      "a break-glass account on a synchronised domain",
      () => edit("upn: break-glass-1@first.onmicrosoft.com", "upn: break-glass-1@first.com"),
      ["PIM-007"],
    ],
    [
      "a break-glass account made eligible",
      () =>
        fs.writeFileSync(
          path.join(root, "stacks", "first", "grants", "bg.yaml"),
          "principal: break-glass-1@first.onmicrosoft.com\nrole: Global Administrator\nkind: eligible\nend: 2027-03-31\njustification: x\n",
        ),
      ["PIM-036"],
    ],
    ["a single approver", () => edit(/      - approver-2@.*\n/, ""), ["PIM-021"]],
  ])("misuse of the placeholders: %s fails pim check", async (_name, misuse, rules) => {
    expect((await runPim(["init", "--stack", "first", "--root", root])).code).toBe(0);
    misuse();
    expect(await findings()).toEqual({ code: 1, rules, errors: [] });
  });

  it("the same break-glass placeholder twice is a declaration error", async () => {
    expect((await runPim(["init", "--stack", "first", "--root", root])).code).toBe(0);
    edit("upn: break-glass-2@first.onmicrosoft.com", "upn: break-glass-1@first.onmicrosoft.com");
    expect(await findings()).toEqual({
      code: 1,
      rules: [],
      errors: ["break-glass-1@first.onmicrosoft.com is declared twice"],
    });
  });

  it("never overwrites: an existing stack folder or stack file refuses, and nothing changes", async () => {
    expect((await runPim(["init", "--stack", "first", "--root", root])).code).toBe(0);
    const before = fs.readFileSync(tenantFile(), "utf8") + "# mine\n";
    fs.writeFileSync(tenantFile(), before);
    const again = await runPim(["init", "--stack", "first", "--root", root]);
    expect([again.code, again.stdout]).toEqual([2, ""]);
    expect(again.stderr).toBe(
      "pim init: stack first exists already (stacks/first, stacks/Pulumi.first.yaml); nothing was written\n  fix: choose another --stack name, or edit the existing stack\n",
    );
    expect(fs.readFileSync(tenantFile(), "utf8")).toBe(before);
    fs.writeFileSync(path.join(root, "stacks", "Pulumi.second.yaml"), "config: {}\n");
    const second = await runPim(["init", "--stack", "second", "--root", root]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^pim init: stack second exists already \(stacks\/Pulumi\.second\.yaml\)/);
    expect(fs.existsSync(path.join(root, "stacks", "second"))).toBe(false);
    // No staging folder is left behind.
    expect(fs.readdirSync(path.join(root, "stacks")).sort()).toEqual([
      "Pulumi.first.yaml",
      "Pulumi.second.yaml",
      "first",
    ]);
  });

  it.each([
    [["--stack", "a/b"], /--stack must be letters, digits/],
    [["--stack", "x", "--tenant-id", "nope"], /--tenant-id must be a GUID, not "nope"/],
    [
      ["--stack", "x", "--domain", "contoso.com"],
      /--domain must be the tenant's initial domain, <name>\.onmicrosoft\.com/,
    ],
    [[], /--stack is required/],
  ])("usage error %j → 2, nothing written", async (argv, message) => {
    const r = await runPim(["init", "--root", root, ...argv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(path.join(root, "stacks")) ? fs.readdirSync(path.join(root, "stacks")) : []).toEqual(
      [],
    );
  });

  it("the emulator serves the new stack's tenant (pim emulator --seed stacks/first/tenant.yaml)", async () => {
    expect((await runPim(["init", "--stack", "first", "--root", root])).code).toBe(0);
    const emu = await startEmulator({ port: 0, seed: tenantFile() });
    try {
      expect([...emu.state.users.values()].map((u) => u.userPrincipalName).sort()).toEqual([
        "approver-1@first.onmicrosoft.com",
        "approver-2@first.onmicrosoft.com",
        "break-glass-1@first.onmicrosoft.com",
        "break-glass-2@first.onmicrosoft.com",
      ]);
      expect([...emu.state.groups.values()].map((g) => g.displayName)).toEqual(["PIM Approvers - Tier 0"]);
    } finally {
      await emu.stop();
    }
  });
});

describe("why a first Security Reader stack fails (the template's header says so)", () => {
  it("two break-glass accounts, two Global Administrators and admin alerts are missing", async () => {
    fs.mkdirSync(path.join(root, "stacks", "first", "grants"), { recursive: true });
    fs.writeFileSync(
      tenantFile(),
      "tenant: { id: 2b4d6f81-3a5c-4e7d-9f1b-2c4e6a8b0d13, name: First }\nroleSettings:\n  directoryRoles:\n    - role: Security Reader\n      activation: { maximumDuration: PT8H, requireMfa: true, requireJustification: true }\n",
    );
    expect(await findings()).toEqual({ code: 1, rules: ["PIM-001", "PIM-006", "PIM-028"], errors: [] });
  });
});
