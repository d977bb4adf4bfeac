/**
 * Identity that survives renames, through the real program under mocks, reading the offline tenant: every edit
 * of IDENTITY_PRESERVING_EDITS registers exactly the URNs the unedited demo registers (so the engine has nothing
 * to create or delete); an edit that gives a grant to someone else changes exactly that grant's URN. Declarations
 * that resolve to one object, and break-glass accounts named by object id, are refused before any registration.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Registered } from "../components/harness";
import {
  demoFiles,
  IDENTITY_CHANGING_EDITS,
  IDENTITY_PRESERVING_EDITS,
  replaceOnce,
  writeStack,
  type StackEdit,
  type StackFiles,
} from "../scenarios/identityEdits";
import { DEMO_CONFIG, startProgram, type ProgramHarness } from "./runDemo";

let p: ProgramHarness;
let baseline: Registered[];

beforeAll(async () => {
  p = await startProgram();
  baseline = await registrations(demoFiles());
});
afterAll(async () => p?.t.stop());

/** One program run on `files` (in `folder`), returning what it registered. */
async function registrations(files: StackFiles, folder = "demo"): Promise<Registered[]> {
  p.h.resources.length = 0;
  const { error } = await p.run({
    root: writeStack(files, folder),
    config: { ...DEMO_CONFIG, "pim:declarations": folder },
  });
  if (error) throw error;
  return [...p.h.resources];
}

/** The RunError a run on `files` stops with, after checking that it registered nothing. */
async function refusal(files: StackFiles): Promise<string> {
  p.h.resources.length = 0;
  const { error } = await p.run({ root: writeStack(files), config: DEMO_CONFIG });
  expect(pulumi.RunError.isInstance(error), String(error)).toBe(true);
  expect(p.h.resources).toEqual([]);
  return (error as Error).message;
}

const ctx = () => ({ objectId: (upn: string) => p.t.user(upn) });
const urns = (rs: Registered[]) => rs.map((r) => r.urn).sort();
const edited = (e: StackEdit) => e.edit(demoFiles(), ctx());

describe("edits that change nothing a resource governs register the same URNs", () => {
  it("the baseline registers every resource once", () => {
    expect(baseline).toHaveLength(52);
    expect(new Set(urns(baseline)).size).toBe(52);
  });

  it.each(IDENTITY_PRESERVING_EDITS.map((e) => [e.name, e] as const))("%s", async (_name, e) => {
    const after = await registrations(edited(e), e.folder);
    expect(urns(after)).toEqual(urns(baseline));
  });
});

describe("an edit that changes what a grant governs", () => {
  it.each(IDENTITY_CHANGING_EDITS.map((e) => [e.name, e] as const))(
    "%s: only that grant's URN changes",
    async (_name, e) => {
      const after = await registrations(edited(e));
      const before = new Set(urns(baseline));
      const now = new Set(urns(after));
      const added = after.filter((r) => !before.has(r.urn));
      const removed = baseline.filter((r) => !now.has(r.urn));
      const labelled = (rs: Registered[]) =>
        rs.filter((r) => r.inputs["label"]).map((r) => /\(([^)]+)\)$/.exec(String(r.inputs["label"]))![1]);
      expect(labelled(added)).toEqual(e.creates);
      expect(labelled(removed)).toEqual(e.deletes);
      // The grant component and its schedule, nothing else.
      expect(added.map((r) => r.type).sort()).toEqual([
        "pim:index:Grant",
        "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
      ]);
      expect(removed).toHaveLength(2);
    },
  );
});

describe("refused before any registration", () => {
  it("a grant declared twice, by UPN and by object id, naming both files", async () => {
    const files = demoFiles();
    const ada = p.t.user("ada.lovelace@contoso.com");
    files["grants/ada-by-object-id.yaml"] = replaceOnce(
      files["grants/ada-lovelace-security-reader.yaml"]!,
      "principal: ada.lovelace@contoso.com",
      `principal: ${ada.toUpperCase()}`,
    );
    expect(await refusal(files)).toBe(
      "stacks/demo: 1 problem(s) with what the declarations name; nothing was changed.\n" +
        "  - stacks/demo/grants/ada-by-object-id.yaml and stacks/demo/grants/ada-lovelace-security-reader.yaml declare one assignment: " +
        `eligible Security Reader tenant-wide for ${ada.toUpperCase()}, ada.lovelace@contoso.com, which is one principal (${ada}). ` +
        "Two resources would govern one schedule, and deleting either file would remove the access the other declares. Fix: keep one of the files.",
    );
  });

  // By UPN, the offline rules catch these already (PIM-036 and friends, before this); by object id only the
  // program can, once it has read the ids. (Approver group members are UPNs by schema.)
  it("a break-glass account named by object id in a grant, an approver stage and a PIM group", async () => {
    const bg = p.t.user("bg-alpha@contoso.onmicrosoft.com");
    const files = demoFiles();
    files["grants/bg-alpha-security-reader.yaml"] = replaceOnce(
      files["grants/ada-lovelace-security-reader.yaml"]!,
      "principal: ada.lovelace@contoso.com",
      `principal: ${bg}`,
    );
    let tenant = replaceOnce(
      files["tenant.yaml"]!,
      "    - role: Security Administrator\n      profile: tightened\n",
      `    - role: Security Administrator\n      profile: tightened\n      activation:\n        approval:\n          required: true\n          stages:\n            - approvers: [ { user: ${bg} }, { user: katherine.johnson@contoso.com } ]\n`,
    );
    tenant = replaceOnce(
      tenant,
      "        - principal: ken.thompson@contoso.com\n",
      `        - principal: ${bg}\n`,
    );
    files["tenant.yaml"] = tenant;
    const message = await refusal(files);
    expect(message.split("\n").slice(1)).toEqual([
      `  - stacks/demo/grants/bg-alpha-security-reader.yaml: break-glass account bg-alpha@contoso.onmicrosoft.com (named here as ${bg}) must not receive grants; its Global Administrator comes from breakGlass only`,
      `  - settings of Security Administrator: break-glass account bg-alpha@contoso.onmicrosoft.com (named here as ${bg}) must never approve`,
      `  - PIM group "Tier-1 Helpdesk Operators": break-glass account bg-alpha@contoso.onmicrosoft.com (named here as ${bg}) must not be a PIM member or owner`,
    ]);
  });
});
