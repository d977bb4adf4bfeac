// The demo's tenant: which seed a stack gets, a stack that does not exist refused before anything starts, and the
// Graph environment the demo sets for its in-process commands put back when it stops.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR } from "../../model/catalog";
import { demo } from "../../scripts/commands/demo";
import { runCommand } from "../../scripts/lib/runCommand";
import { DEMO_AT, READER_APP, seedPathFor, startDemoTenant } from "../../scripts/commands/demo/tenant";

const ROOT = path.resolve(__dirname, "..", "..");
const KEYS = ["PIM_GRAPH_BASE_URL", "PIM_GRAPH_TENANT_ID", "PIM_GRAPH_CLIENT_ID", "PIM_GRAPH_CLIENT_SECRET"];

function captured() {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    out: () => out,
    err: () => err,
  };
}

afterEach(() => {
  for (const k of KEYS) delete process.env[k];
});

describe("the demo's tenant", () => {
  it("is the hand-made seed for the demo stack, and a stack's own tenant.yaml for any other", () => {
    expect(seedPathFor(ROOT, "demo")).toBe(path.join(ROOT, "emulator/seeds/handmade.yaml"));
    expect(seedPathFor(ROOT, "contoso-prod")).toBe(path.join(ROOT, "stacks/contoso-prod/tenant.yaml"));
  });

  it("seeds a team's stack with the principals and groups it names, nothing it would create", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-demo-team-"));
    fs.cpSync(path.join(ROOT, "stacks/demo"), path.join(root, "stacks/team"), { recursive: true });
    const tenant = await startDemoTenant(root, "team", DEMO_AT);
    try {
      expect(tenant.seed).toBe("stacks/team/tenant.yaml");
      const s = tenant.emu.state;
      expect(s.findUser("c-jordan.lee@contoso.com")?.displayName).toBe("C Jordan Lee");
      expect([...s.groups.values()].map((g) => g.displayName).sort()).toEqual([
        "PIM Approvers - Tier 0",
        "Tier-1 Helpdesk Operators",
      ]);
      // Only the break-glass accounts hold Global Administrator: the stack's grants are the run's to make.
      const holders = s
        .activeRoleAssignments(GLOBAL_ADMINISTRATOR, DEMO_AT.getTime())
        .map((x) => s.displayName(x.principalId));
      expect(holders.sort()).toEqual(["Bg Alpha", "Bg Bravo"]);
    } finally {
      await tenant.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("is reached as pim-reader while it runs, and the environment is put back when it stops", async () => {
    process.env.PIM_GRAPH_BASE_URL = "https://graph.example.invalid";
    const tenant = await startDemoTenant(ROOT, "demo", DEMO_AT);
    const cc = tenant.emu.clientCredentials(READER_APP);
    expect([process.env.PIM_GRAPH_BASE_URL, process.env.PIM_GRAPH_CLIENT_ID]).toEqual([
      tenant.emu.baseUrl,
      cc.clientId,
    ]);
    expect(tenant.emu.clock.now().toISOString()).toBe("2027-01-04T09:00:00.000Z");
    await tenant.stop();
    expect(process.env.PIM_GRAPH_BASE_URL).toBe("https://graph.example.invalid");
    expect("PIM_GRAPH_CLIENT_ID" in process.env).toBe(false);
  });
});

describe("pim demo's refusals", () => {
  it("names a stack that does not exist, with how to make one (exit 2)", async () => {
    const c = captured();
    expect(await runCommand(demo, ["--stack", "nope", "--root", ROOT], c.io)).toBe(2);
    expect(c.err()).toBe(
      "pim demo: stacks/nope/tenant.yaml does not exist\n" +
        "  fix: pass the name of a folder under stacks/ that holds tenant.yaml (pim init --stack nope writes one)\n",
    );
  });

  it("refuses an instant without a zone (exit 2), before starting anything", async () => {
    const c = captured();
    expect(await runCommand(demo, ["--at", "2027-01-04T09:00"], c.io)).toBe(2);
    expect(c.err()).toBe(
      'pim demo: --at must be an instant with a zone, e.g. 2026-11-23T12:00:00Z, not "2027-01-04T09:00"\n' +
        "Run `pim demo --help` for usage.\n",
    );
    expect(c.out()).toBe("");
  });
});
