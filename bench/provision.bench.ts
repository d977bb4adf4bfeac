/**
 * Benchmark: provisioning a large tenant through the two dynamic providers, against the emulator, counting Graph
 * requests with the emulator's counters. Prints figures; asserts nothing about time.
 *
 *   npx tsx bench/provision.bench.ts [--grants 5000] [--groups 200] [--members 5] [--parallel 64] [--page 100]
 *
 * The tenant is bench/generate.ts's (every built-in Entra role with settings, thousands of grants), loaded through
 * the model. Only what these providers manage is provisioned: directory-role settings and directory-role grants
 * (expired grants are skipped, as the program does; Azure-role grants go through another provider). PIM for Groups
 * follows, in its own tenant: bench/provisionGroups.ts (scenarios e–h).
 *
 * The engine is simulated the way `pulumi up`/`refresh` drive a dynamic provider: check → (create | diff → update),
 * settings of a role before its grants, up to `--parallel` operations at once (Pulumi's default is unbounded).
 *
 * Scenarios:
 *  (a) first apply: create every role's settings, then every grant;
 *  (b) second apply, nothing changed: check + diff for every resource, update only where diff says so (target 0 writes);
 *  (c) refresh of every grant, as a new provider process: read() for all of them at once (target ≈ ⌈N / page
 *      size⌉ + a few, not N);
 *  (d) three settings of one role changed: one update (target one PATCH + one read-back).
 *
 * State: the bytes the engine stores per resource (inputs and outputs, each with `__provider`), before the shim
 * (the whole provider, as captured in test/providers/fixtures/legacy/) and after (the shim, serialized here).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type EmulatorSeed } from "../emulator/index";
import { loadStack } from "../model";
import type { Grant, ResolvedSettings, RoleSettingsDecl } from "../model/types";
import {
  directoryRoleScheduleProvider,
  directoryRoleScheduleShim,
} from "../providers/directoryRoleSchedule/index";
import { resetSharedState } from "../providers/pim/scheduleLookups";
import {
  directoryRoleSettingsProvider,
  directoryRoleSettingsShim,
} from "../providers/directoryRoleSettings/index";
import type {
  DirectoryRoleScheduleInputs,
  DirectoryRoleScheduleOutputs,
  DirectoryRoleSettingsInputs,
  DirectoryRoleSettingsOutputs,
} from "../providers/types";
import { BENCH_NOW, generateLargeTenant } from "./generate";
import { measure as measureRow, pool, type Row } from "./provisionCounters";
import { benchGroups } from "./provisionGroups";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const GRANTS = arg("grants", 5000);
const PARALLEL = arg("parallel", 64);
const PAGE = arg("page", 100);
const GROUPS = arg("groups", 200);
const MEMBERS = arg("members", 5);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pim-provision-bench-"));
  const gen = generateLargeTenant(dir, { grants: GRANTS });
  const loaded = loadStack({ root: dir, stack: gen.stack, now: BENCH_NOW });
  if (!loaded.model)
    throw new Error(`generated tenant does not load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  const model = loaded.model;

  const grants = model.grants.filter(
    (g): g is Grant & { role: { kind: "directory" } } =>
      g.role.kind === "directory" && g.status !== "expired",
  );
  const settingsDecls = model.roleSettings.filter(
    (r): r is RoleSettingsDecl & { target: { kind: "directory" } } => r.target.kind === "directory",
  );

  // The generated profiles require MFA to create an active assignment. App tokens never carry an MFA claim, so Entra
  // (and the emulator) refuse every app-only active assignment under them (graph-pim.md §1.9). An unattended
  // deployment cannot use that setting; the benchmark turns it off rather than measure refusals.
  const appOnly = (s: ResolvedSettings): ResolvedSettings => ({
    ...s,
    eligibleAssignment: { ...s.eligibleAssignment, requireMfa: false },
    activeAssignment: { ...s.activeAssignment, requireMfa: false },
  });

  // Seed: every principal and approver the declarations name, one deployment app, a break-glass Global Administrator.
  const upns = new Set<string>();
  const approverGroups = new Set<string>();
  for (const g of grants) upns.add(g.principal.ref.toLowerCase());
  for (const d of settingsDecls)
    for (const st of d.settings.activation.approval.stages)
      for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])])
        (a.type === "user" ? upns : approverGroups).add(a.ref);
  for (const ag of model.approverGroups) for (const m of ag.members) upns.add(m.toLowerCase());
  const secret = "bench-secret-0123456789abcdef";
  const seed: EmulatorSeed = {
    tenant: {
      id: "00000000-0000-4000-8000-00000000b00c",
      displayName: "Benchmark tenant",
      domains: [{ name: "contoso.com", isDefault: true }],
    },
    users: [...upns, "bg-alpha@contoso.com"].map((upn) => ({ upn, displayName: upn.split("@")[0]! })),
    groups: [...approverGroups].map((name) => ({
      displayName: name,
      members: (model.approverGroups.find((a) => a.name === name)?.members ?? []).map((m) => m.toLowerCase()),
    })),
    applications: [
      {
        displayName: "pim-as-code",
        clientSecret: secret,
        permissions: [
          "RoleManagementPolicy.ReadWrite.Directory",
          "RoleEligibilitySchedule.ReadWrite.Directory",
          "RoleAssignmentSchedule.ReadWrite.Directory",
        ],
      },
    ],
    assignments: [{ principal: "bg-alpha@contoso.com", role: "Global Administrator" }],
  };
  const emu = await startEmulator({ port: 0, seed, now: BENCH_NOW, pageSize: PAGE });
  const cc = emu.clientCredentials("pim-as-code");
  Object.assign(process.env, {
    // The providers' clock is the emulator's frozen one, or a grant from BENCH_NOW would look already ended.
    PIM_NOW: BENCH_NOW.toISOString(),
    PIM_GRAPH_BASE_URL: emu.baseUrl,
    PIM_GRAPH_TENANT_ID: cc.tenantId,
    PIM_GRAPH_CLIENT_ID: cc.clientId,
    PIM_GRAPH_CLIENT_SECRET: cc.clientSecret,
  });

  const userId = (upn: string) => emu.state.findUser(upn)!.id;
  const groupId = (name: string) => [...emu.state.groups.values()].find((g) => g.displayName === name)!.id;
  const settingsInputs: DirectoryRoleSettingsInputs[] = settingsDecls.map((d) => {
    const approverIds: Record<string, string> = {};
    for (const st of d.settings.activation.approval.stages)
      for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])])
        approverIds[`${a.type}:${a.ref.toLowerCase()}`] = a.type === "user" ? userId(a.ref) : groupId(a.ref);
    return {
      roleDefinitionId: d.target.role.id,
      roleName: d.target.role.name,
      settings: appOnly(d.settings),
      approverIds,
    };
  });
  const grantInputs: DirectoryRoleScheduleInputs[] = grants.map((g) => ({
    kind: g.kind,
    principalId: userId(g.principal.ref),
    roleDefinitionId: g.role.id,
    directoryScopeId: "/",
    start: g.start,
    end: g.end,
    justification: g.justification,
    ticket: g.ticket,
    label: `${g.kind} ${g.role.name} for ${g.principal.ref} (${g.id})`,
    roleName: g.role.name,
    principalName: g.principal.ref,
  }));

  const rows: Row[] = [];
  async function measure(scenario: string, target: string, fn: () => Promise<string>): Promise<void> {
    rows.push(await measureRow(() => emu.counters(), scenario, target, fn));
  }

  const Sp = directoryRoleSettingsProvider;
  const Gp = directoryRoleScheduleProvider;
  let settingsState: { id: string; outs: DirectoryRoleSettingsOutputs }[] = [];
  let grantState: { id: string; outs: DirectoryRoleScheduleOutputs }[] = [];

  await measure("(a) first apply", "-", async () => {
    settingsState = await pool(settingsInputs, PARALLEL, async (i) => {
      const c = await Sp.check(undefined as never, i);
      if (c.failures?.length) throw new Error(`${i.roleName}: ${JSON.stringify(c.failures)}`);
      const r = await Sp.create(i);
      return { id: r.id, outs: r.outs };
    });
    grantState = await pool(grantInputs, PARALLEL, async (i) => {
      const c = await Gp.check(undefined as never, i);
      if (c.failures?.length) throw new Error(`${i.label}: ${JSON.stringify(c.failures)}`);
      const r = await Gp.create(i);
      return { id: r.id, outs: r.outs };
    });
    return `${settingsInputs.length} role settings + ${grantInputs.length} grants created`;
  });

  await measure("(b) second apply, no change", "0 writes", async () => {
    let updates = 0;
    await pool(
      settingsInputs.map((i, k) => [i, settingsState[k]!] as const),
      PARALLEL,
      async ([i, s]) => {
        await Sp.check(s.outs, i);
        const d = await Sp.diff(s.id, s.outs, i);
        if (d.changes) {
          updates++;
          s.outs = (await Sp.update(s.id, s.outs, i)).outs!;
        }
      },
    );
    await pool(
      grantInputs.map((i, k) => [i, grantState[k]!] as const),
      PARALLEL,
      async ([i, s]) => {
        await Gp.check(s.outs, i);
        const d = await Gp.diff(s.id, s.outs, i);
        if (d.changes) {
          updates++;
          s.outs = (await Gp.update(s.id, s.outs, i)).outs!;
        }
      },
    );
    return `${updates} updates`;
  });

  const eligible = grantInputs.filter((g) => g.kind === "eligible").length;
  const active = grantInputs.length - eligible;
  const listTarget = Math.ceil(eligible / PAGE) + Math.ceil(active / PAGE);
  // `pulumi refresh` runs in a new provider process: nothing cached from the apply.
  resetSharedState();
  await measure("(c) refresh of all grants", `≈ ${listTarget} (+ a few)`, async () => {
    const reads = await pool(grantState, grantState.length, (s) => Gp.read(s.id, s.outs));
    const drifted = reads.filter(
      (r, k) => r.id !== grantState[k]!.id || JSON.stringify(r.props) !== JSON.stringify(grantState[k]!.outs),
    ).length;
    return `${reads.length} reads, ${drifted} differ from state`;
  });

  await measure("(d) three settings of one role", "1 PATCH + 1 GET", async () => {
    const k = settingsInputs.findIndex((s) => s.roleName === "User Administrator");
    const before = settingsState[k]!;
    const next = structuredClone(settingsInputs[k]!);
    next.settings.activation.maximumDuration = "PT2H";
    next.settings.activation.requireTicket = !next.settings.activation.requireTicket;
    next.settings.notifications.activeAssignment.requestor.level = "critical";
    const d = await Sp.diff(before.id, before.outs, next);
    if (!d.changes) throw new Error("diff saw no change");
    const r = await Sp.update(before.id, before.outs, next);
    settingsState[k] = { id: before.id, outs: r.outs! };
    return "User Administrator: activation maximum, ticket, requestor notification";
  });

  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });

  const groups = await benchGroups({ groups: GROUPS, members: MEMBERS, parallel: PARALLEL, page: PAGE });
  rows.push(...groups.rows);

  // State per resource, as the engine stores it: inputs and outputs, each carrying `__provider`.
  const legacyCode = (type: string) =>
    fs.readFileSync(
      path.join(__dirname, "..", "test", "providers", "fixtures", "legacy", `${type}.provider.txt`),
      "utf8",
    );
  const shimCode = async (shim: object) =>
    (await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true })).text;
  const codes = {
    schedule: {
      before: legacyCode("DirectoryRoleSchedule"),
      after: await shimCode(directoryRoleScheduleShim),
    },
    settings: {
      before: legacyCode("DirectoryRoleSettings"),
      after: await shimCode(directoryRoleSettingsShim),
    },
  };
  const stateBytes = (inputs: object, outs: object, code: string) =>
    Buffer.byteLength(JSON.stringify({ ...inputs, __provider: code })) +
    Buffer.byteLength(JSON.stringify({ ...outs, __provider: code }));
  const meanState = (states: { outs: object }[], ins: object[], code: string) =>
    states.reduce((sum, st, k) => sum + stateBytes(ins[k]!, st.outs, code), 0) / Math.max(states.length, 1);
  const stateRows = [
    ["grant (DirectoryRoleSchedule)", grantState, grantInputs, codes.schedule],
    ["role setting (DirectoryRoleSettings)", settingsState, settingsInputs, codes.settings],
  ] as const;

  const pad = (s: string, n: number) => s.padEnd(n);
  const lpad = (s: string, n: number) => s.padStart(n);
  console.log(
    `\nProvisioning benchmark: ${settingsInputs.length} directory-role settings, ${grantInputs.length} directory-role grants ` +
      `(${eligible} eligible, ${active} active); ${GROUPS} PIM groups × ${MEMBERS} members (${groups.policies} ` +
      `group policies, ${groups.schedules} memberships); page size ${PAGE}, parallelism ${PARALLEL}, emulator on ` +
      `${os.cpus().length} CPUs\n`,
  );
  console.log(
    `${pad("scenario", 32)}${lpad("requests", 9)}${lpad("reads", 8)}${lpad("writes", 8)}${lpad("wall ms", 10)}  ${pad("target", 20)}note`,
  );
  console.log("-".repeat(120));
  for (const r of rows) {
    console.log(
      `${pad(r.scenario, 32)}${lpad(String(r.c.requests), 9)}${lpad(String(r.c.reads), 8)}${lpad(String(r.c.writes), 8)}${lpad(r.ms.toFixed(0), 10)}  ${pad(r.target, 20)}${r.note}`,
    );
  }
  const kb = (n: number) =>
    n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
  console.log("\nState per resource (inputs + outputs as the engine stores them, each with __provider):");
  let totalBefore = 0;
  let totalAfter = 0;
  for (const [label, states, ins, code] of stateRows) {
    const before = meanState(states, ins, code.before);
    const after = meanState(states, ins, code.after);
    totalBefore += before * states.length;
    totalAfter += after * states.length;
    console.log(
      `  ${pad(label, 38)}${lpad(kb(before), 9)} → ${lpad(kb(after), 8)}   provider code 2 × ${code.before.length} → 2 × ${code.after.length} chars`,
    );
  }
  console.log(
    `  ${pad(`whole tenant (${grantState.length} grants, ${settingsState.length} settings)`, 38)}${lpad(kb(totalBefore), 9)} → ${lpad(kb(totalAfter), 8)}`,
  );
  console.log("\nRequests by route:");
  for (const r of rows) {
    console.log(
      `  ${r.scenario}: ${
        Object.entries(r.c.byRoute)
          .map(([k, v]) => `${k} ×${v}`)
          .join(", ") || "none"
      }`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  // The emulator would keep the process alive: a failed benchmark must end `npm run bench`.
  process.exit(1);
});
