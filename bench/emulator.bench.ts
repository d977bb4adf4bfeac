// Emulator benchmark: prints figures, asserts nothing (ARCHITECTURE: benchmarks print, never time-assert).
// Run: npx tsx bench/emulator.bench.ts
// - req/s for GET policy with $expand=rules and POST roleEligibilityScheduleRequests at 10 concurrent clients
// - RSS with a generated 5,000-grant seed
// Loopback only, bounded by request counts. The emulator runs in its own process (started with its
// CLI) so the figures are the emulator's, not the load generator's.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorSeed } from "../emulator";
import { readSeedFile } from "../emulator/seed";

const CONCURRENCY = 10;
const GET_REQUESTS = 10_000; // per round
const POST_REQUESTS = 3_000; // per round, each for a fresh principal (201, not RoleAssignmentExists)
/** The machine is shared; each figure is measured in several rounds and the median and best are printed. */
const ROUNDS = 3;
const GRANTS = 5_000;

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function generatedSeed(): EmulatorSeed {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seed file is YAML read as data; the bench reads its fields as the emulator does
  const seed = readSeedFile(join(__dirname, "..", "emulator", "seeds", "demo.yaml")) as any;
  const roles = [
    "Exchange Administrator",
    "SharePoint Administrator",
    "Teams Administrator",
    "User Administrator",
    "Helpdesk Administrator",
    "Security Reader",
    "Global Reader",
    "Application Administrator",
  ];
  const users = Math.ceil(GRANTS / 2);
  for (let i = 0; i < users + POST_REQUESTS * ROUNDS; i++)
    seed.users.push({ upn: `bench.user${i}@contoso.com`, displayName: `Bench User ${i}` });
  for (let g = 0; g < GRANTS; g++) {
    seed.eligibilities.push({
      principal: `bench.user${Math.floor(g / 2)}@contoso.com`,
      role: roles[g % roles.length],
      start: "-P10D",
      end: "P180D",
    });
  }
  return seed;
}

async function token(base: string, tenant: string, clientId: string, secret: string): Promise<string> {
  const r = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
      scope: "https://graph.microsoft.com/.default",
    }),
  });
  return ((await r.json()) as { access_token: string }).access_token;
}

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  auth: string,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: {
          Authorization: auth,
          ...(body ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

async function run(
  label: string,
  total: number,
  make: (i: number) => Promise<number>,
  expected: number,
): Promise<number> {
  let next = 0;
  let bad = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        if ((await make(i)) !== expected) bad++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label}: ${total} requests in ${s.toFixed(2)} s → ${Math.round(total / s)} req/s (${CONCURRENCY} concurrent clients${bad ? `, ${bad} unexpected statuses` : ""})`,
  );
  return total / s;
}

function summary(label: string, rates: number[]): void {
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${label}: median ${Math.round(median)} req/s, best ${Math.round(sorted[sorted.length - 1]!)} req/s over ${rates.length} rounds`,
  );
}

/** RSS of another process from /proc (Linux); null elsewhere. */
function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Start the emulator through its CLI in its own process, so the load generator does not share its thread. */
async function startChild(seedPath: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      'require("./emulator/cli").runEmulatorCli(process.argv.slice(1)).then(c=>process.exit(c))',
      "--",
      "--port",
      "0",
      "--seed",
      seedPath,
    ],
    { cwd: join(__dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    setTimeout(() => reject(new Error("emulator did not start within 60 s")), 60_000).unref();
  });
  return { child, base };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pim-emulator-bench-"));
  const seedPath = join(dir, "seed.json");
  writeFileSync(seedPath, JSON.stringify(generatedSeed()));
  const t0 = performance.now();
  const { child, base } = await startChild(seedPath);
  try {
    const info = (await (await fetch(`${base}/_emulator`)).json()) as { tenantId: string };
    const rssSeeded = rssOf(child.pid!);
    console.log(
      `emulator process started with the generated seed (${GRANTS} grants + demo) in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
    console.log(
      `RSS of the emulator process with the ${GRANTS}-grant seed: ${rssSeeded === null ? "n/a (no /proc)" : mb(rssSeeded)}`,
    );

    const c = (await (await fetch(`${base}/_emulator/credentials?app=pim-as-code-deployer`)).json()) as {
      clientId: string;
      clientSecret: string;
    };
    const auth = `Bearer ${await token(base, info.tenantId, c.clientId, c.clientSecret)}`;
    const port = Number(new URL(base).port);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    // Find User Administrator's policy the way the product does.
    const filter = encodeURIComponent(
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'fe930be7-5e62-47db-91af-98c3a49a38b1'",
    );
    const pa = (await (
      await fetch(`${base}/v1.0/policies/roleManagementPolicyAssignments?$filter=${filter}`, {
        headers: { Authorization: auth },
      })
    ).json()) as { value: { policyId: string }[] };
    const policyId = pa.value[0]!.policyId;
    // Ids of the generated principals that have no grant yet (one listing, paged like a client would).
    const ids = new Map<string, string>();
    let next: string | undefined =
      `${base}/v1.0/users?$filter=${encodeURIComponent("startswith(userPrincipalName,'bench.user')")}&$select=id,userPrincipalName&$top=999`;
    while (next) {
      const page = (await (await fetch(next, { headers: { Authorization: auth } })).json()) as {
        value: { id: string; userPrincipalName: string }[];
        "@odata.nextLink"?: string;
      };
      for (const u of page.value) ids.set(u.userPrincipalName, u.id);
      next = page["@odata.nextLink"];
    }
    const users: string[] = [];
    for (let i = Math.ceil(GRANTS / 2); users.length < POST_REQUESTS * ROUNDS; i++)
      users.push(ids.get(`bench.user${i}@contoso.com`)!);

    await run(
      "warm-up",
      2000,
      () => call(agent, port, "GET", `/v1.0/policies/roleManagementPolicies/${policyId}?$expand=rules`, auth),
      200,
    );
    await fetch(`${base}/_emulator/log`, {
      method: "DELETE",
      headers: { "Content-Type": "application/json" },
    });
    const getRates: number[] = [];
    const postRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      getRates.push(
        await run(
          `round ${round + 1} GET policy $expand=rules`,
          GET_REQUESTS,
          () =>
            call(agent, port, "GET", `/v1.0/policies/roleManagementPolicies/${policyId}?$expand=rules`, auth),
          200,
        ),
      );
      postRates.push(
        await run(
          `round ${round + 1} POST roleEligibilityScheduleRequests (adminAssign)`,
          POST_REQUESTS,
          (i) =>
            call(
              agent,
              port,
              "POST",
              "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests",
              auth,
              JSON.stringify({
                action: "adminAssign",
                principalId: users[round * POST_REQUESTS + i]!,
                roleDefinitionId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
                directoryScopeId: "/",
                justification: "bench",
                scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } },
              }),
            ),
          201,
        ),
      );
    }
    summary("GET policy with rules", getRates);
    summary("POST schedule request", postRates);
    const counters = (await (await fetch(`${base}/_emulator/counters`)).json()) as {
      requests: number;
      reads: number;
      writes: number;
    };
    console.log(
      `emulator counters since the warm-up: ${counters.requests} Graph requests (${counters.reads} reads, ${counters.writes} writes)`,
    );
    const rssAfter = rssOf(child.pid!);
    console.log(`RSS of the emulator process after the runs: ${rssAfter === null ? "n/a" : mb(rssAfter)}`);
    agent.destroy();
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
