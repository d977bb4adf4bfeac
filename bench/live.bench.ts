/**
 * Benchmark: `pim import` and `pim drift` of an emulated tenant with every built-in Entra role and 5,000
 * assignments, counting Graph requests with the emulator's counters, next to what one request per object costs
 * (the pattern the anchors use: a GET per role policy and per assignment, anchors.md). Prints figures; asserts
 * nothing about time.
 *
 *   npx tsx bench/live.bench.ts [--assignments 5000] [--page 100]
 *
 * One request per object, for this tenant: one policy GET per role, one GET per assignment and one per distinct
 * principal (to name it). The live reader instead reads role settings as `$batch` (20 policies per request),
 * schedules page by page, and principals with `getByIds` (1,000 per request). Target: ≥ 20× fewer requests.
 * Counted are HTTP requests the emulator answers: a `$batch` counts once, as Graph's throttling counts it per
 * request inside (up to 20), so the figure for policies is also given as the inner count.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorSeed } from "../emulator/index";
import { entraCatalog } from "../model/catalog";
import { clientCredentialsTokenProvider, createGraphClient } from "../providers/graph";
import { runDrift } from "../scripts/commands/drift/run";
import { runImport } from "../scripts/commands/import/run";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("assignments", 5000);
const PAGE = arg("page", 100);
const NOW = new Date("2026-11-23T12:00:00Z");

async function main(): Promise<void> {
  const roles = entraCatalog();
  const people = Math.ceil(N / 5);
  const upns = Array.from({ length: people }, (_, i) => `user${String(i).padStart(5, "0")}@contoso.com`);
  const secret = "bench-secret-0123456789abcdef";
  const seed: EmulatorSeed = {
    tenant: {
      id: "00000000-0000-4000-8000-00000000b00c",
      displayName: "Benchmark tenant",
      domains: [{ name: "contoso.com", isDefault: true }],
    },
    users: upns.map((upn) => ({ upn, displayName: upn.split("@")[0]! })),
    applications: [
      {
        displayName: "pim-reader",
        clientSecret: secret,
        permissions: [
          "RoleManagement.Read.Directory",
          "Group.Read.All",
          "User.Read.All",
          "Policy.Read.All",
          "RoleManagementPolicy.Read.AzureADGroup",
          "PrivilegedEligibilitySchedule.Read.AzureADGroup",
          "PrivilegedAssignmentSchedule.Read.AzureADGroup",
          "Organization.Read.All",
          // directoryObjects/getByIds: its only application permission.
          "Directory.Read.All",
        ],
      },
    ],
  };
  const emu = await startEmulator({ port: 0, seed, now: NOW, pageSize: PAGE });
  // Five distinct roles per person, eligible for 180 days: N assignments over every built-in role.
  for (let i = 0; i < N; i++) {
    emu.state.addSchedule({
      kind: "eligibility",
      principalId: emu.state.findUser(upns[Math.floor(i / 5)]!)!.id,
      roleDefinitionId: roles[(i * 7) % roles.length]!.templateId,
      startDateTime: "2026-11-01T00:00:00.000Z",
      endDateTime: "2027-04-30T00:00:00.000Z",
    });
  }
  const c = emu.clientCredentials("pim-reader");
  const graph = createGraphClient({
    baseUrl: emu.baseUrl,
    tokenProvider: clientCredentialsTokenProvider({
      tokenUrl: `${emu.baseUrl}/${c.tenantId}/oauth2/v2.0/token`,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    }),
  });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-live-bench-"));
  fs.mkdirSync(path.join(root, "stacks"));
  const perObject = roles.length + N + people;
  try {
    const measure = async (name: string, run: () => Promise<unknown>) => {
      const before = emu.counters().requests;
      const t0 = performance.now();
      await run();
      const ms = performance.now() - t0;
      const requests = emu.counters().requests - before;
      console.log(
        `${name.padEnd(8)} ${String(requests).padStart(6)} Graph requests (one per object: ${perObject}; ${(perObject / requests).toFixed(1)}× fewer)  ${ms.toFixed(0)} ms`,
      );
    };
    console.log(
      `tenant: ${roles.length} built-in roles, ${N} eligible assignments, ${people} principals, page size ${PAGE}`,
    );
    await measure("import", () => runImport({ graph, root, stack: "bench", now: NOW }));
    let changes = -1;
    await measure("drift", async () => {
      changes = (await runDrift({ graph, root, stack: "bench", now: NOW })).diff.counts.total;
    });
    console.log(
      `drift after import: ${changes} changes; files written: ${fs.readdirSync(path.join(root, "stacks/bench/grants")).length} grant files`,
    );
  } finally {
    await emu.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
