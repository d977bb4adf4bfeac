/**
 * A user's mistake in stack config stops the program with a RunError (no stack trace) before any resource: an
 * unknown declarations folder, a stack configuration that names another tenant than tenant.yaml (or none), and a
 * credential whose token is for another tenant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANT } from "./emulatorTenant";
import { DEMO_CONFIG, startProgram, type ProgramHarness } from "./runDemo";

const OTHER = "0b9c7c1e-5f3a-4d2b-8e6f-1a2b3c4d5e6f";
let p: ProgramHarness;

beforeAll(async () => {
  p = await startProgram({ stack: "prod" });
});
afterAll(async () => p?.t.stop());

/** Runs the program and returns the RunError it stopped with, after checking it registered nothing. */
async function refusal(opts: Parameters<ProgramHarness["run"]>[0]): Promise<string> {
  const before = p.h.resources.length;
  const { error } = await p.run(opts);
  expect(pulumi.RunError.isInstance(error), String(error)).toBe(true);
  expect(p.h.resources.length).toBe(before);
  return (error as Error).message;
}

describe("program: stack configuration", () => {
  it("names the known stacks when the declarations folder does not exist", async () => {
    // The CLI passes Pulumi.yaml's empty default: the stack name is the folder, and stacks/prod does not exist.
    expect(await refusal({ config: { ...DEMO_CONFIG, "pim:declarations": "" } })).toBe(
      'no stack named "prod": stacks/prod/tenant.yaml does not exist (stacks here: demo). Set the stack config pim:declarations to the folder under stacks/ that holds tenant.yaml.',
    );
  });

  it("refuses an azuread:tenantId other than tenant.id, naming both values, and an unset azure-native:tenantId", async () => {
    const config: Record<string, string> = { ...DEMO_CONFIG, "azuread:tenantId": OTHER.toUpperCase() };
    delete config["azure-native:tenantId"];
    const reads = p.t.emu.counters().requests;
    expect(await refusal({ config })).toBe(
      "stacks/demo: the stack configuration does not name the declared tenant; nothing was changed.\n" +
        `  - stack config azuread:tenantId is ${OTHER.toUpperCase()}, but stacks/demo/tenant.yaml declares tenant.id ${DEMO_TENANT}; one of them names the wrong tenant. Fix the one that is wrong in stacks/Pulumi.prod.yaml or stacks/demo/tenant.yaml\n` +
        `  - stack config azure-native:tenantId is not set; set it to ${DEMO_TENANT} (tenant.id in stacks/demo/tenant.yaml) in stacks/Pulumi.prod.yaml, so that every provider acts on that tenant and no other`,
    );
    // Refused before the program reads anything.
    expect(p.t.emu.counters().requests).toBe(reads);
  });

  it("accepts azuread:tenantId in another case", async () => {
    const { error } = await p.run({
      config: { ...DEMO_CONFIG, "azuread:tenantId": DEMO_TENANT.toUpperCase() },
    });
    expect(error).toBeUndefined();
  });

  it("refuses a token for another tenant before any read, naming both tenants", async () => {
    // The declarations say tenant OTHER (and the stack config agrees); the credential is the emulator tenant's.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-tid-"));
    fs.cpSync(path.join(__dirname, "../../stacks/demo"), path.join(root, "stacks", "demo"), {
      recursive: true,
    });
    const tenantYaml = path.join(root, "stacks", "demo", "tenant.yaml");
    fs.writeFileSync(tenantYaml, fs.readFileSync(tenantYaml, "utf8").replace(DEMO_TENANT, OTHER));
    const config = { ...DEMO_CONFIG, "azuread:tenantId": OTHER, "azure-native:tenantId": OTHER };
    p.t.emu.log.clear();
    const message = await refusal({ config, root });
    expect(message).toBe(
      `stacks/demo: could not read tenant ${OTHER} before making changes; nothing was changed. ` +
        `the Graph access token is for tenant ${DEMO_TENANT}, but this stack declares tenant ${OTHER}; nothing was sent with it. ` +
        `Sign in to tenant ${OTHER} (az login --tenant ${OTHER}; in CI, ARM_TENANT_ID or AZURE_TENANT_ID of the deployment identity), ` +
        "or correct tenant.id in tenant.yaml and azuread:tenantId in the stack file.",
    );
    expect(p.t.emu.log.entries().filter((e) => e.path.startsWith("/v1.0"))).toEqual([]);
  });
});
