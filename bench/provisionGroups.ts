/**
 * The provisioning benchmark's PIM-for-Groups section: `--groups N` groups with `--members M` members each, through
 * the GroupPolicy and GroupSchedule providers against the emulator (own emulator and tenant, after the directory-role
 * section has stopped its own).
 *
 * Per group: the member and the owner policy (GroupPolicy, activation maximum changed from Entra's default so the
 * first apply writes), and one eligible membership per member (GroupSchedule).
 *  (e) first apply: every policy, then every membership;
 *  (f) second apply, nothing changed: check + diff for every resource, update only where diff says so (0 writes);
 *  (g) refresh of every membership, as a new provider process (target ⌈N / page⌉ + a few, not one per schedule);
 *  (h) refresh of every policy, same process model.
 */
import { startEmulator, type EmulatorSeed } from "../emulator/index";
import { graphDefaults } from "../model/settings/defaults";
import { groupPolicyProvider } from "../providers/groupPolicy/index";
import { groupScheduleProvider } from "../providers/groupSchedule/index";
import { resetSharedState } from "../providers/pim/scheduleLookups";
import type {
  GroupPolicyInputs,
  GroupPolicyOutputs,
  GroupScheduleInputs,
  GroupScheduleOutputs,
} from "../providers/types";
import { BENCH_NOW } from "./generate";
import { measure, pool, type Row } from "./provisionCounters";

export interface GroupBenchOptions {
  groups: number;
  members: number;
  parallel: number;
  page: number;
}

export interface GroupBenchResult {
  rows: Row[];
  policies: number;
  schedules: number;
}

const GROUP_END = "2027-06-30T00:00:00Z";

export async function benchGroups(o: GroupBenchOptions): Promise<GroupBenchResult> {
  const groupNames = Array.from({ length: o.groups }, (_, g) => `PIM Group ${String(g).padStart(4, "0")}`);
  const memberUpn = (g: number, m: number) => `member-${g}-${m}@contoso.com`;
  const secret = "bench-secret-0123456789abcdef";
  const seed: EmulatorSeed = {
    tenant: {
      id: "00000000-0000-4000-8000-00000000b00d",
      displayName: "Benchmark tenant (groups)",
      domains: [{ name: "contoso.com", isDefault: true }],
    },
    users: groupNames.flatMap((_, g) =>
      Array.from({ length: o.members }, (_, m) => ({
        upn: memberUpn(g, m),
        displayName: `Member ${g}-${m}`,
      })),
    ),
    groups: groupNames.map((displayName) => ({ displayName, members: [] })),
    applications: [
      {
        displayName: "pim-as-code",
        clientSecret: secret,
        permissions: [
          "RoleManagementPolicy.ReadWrite.AzureADGroup",
          "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
          "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
        ],
      },
    ],
  };
  const emu = await startEmulator({ port: 0, seed, now: BENCH_NOW, pageSize: o.page });
  const cc = emu.clientCredentials("pim-as-code");
  Object.assign(process.env, {
    // The providers' clock is the emulator's frozen one, or a grant from BENCH_NOW would look already ended.
    PIM_NOW: BENCH_NOW.toISOString(),
    PIM_GRAPH_BASE_URL: emu.baseUrl,
    PIM_GRAPH_TENANT_ID: cc.tenantId,
    PIM_GRAPH_CLIENT_ID: cc.clientId,
    PIM_GRAPH_CLIENT_SECRET: cc.clientSecret,
  });
  resetSharedState();

  const groupId = new Map([...emu.state.groups.values()].map((g) => [g.displayName, g.id]));
  const defaults = graphDefaults("group");
  const settings = { ...defaults, activation: { ...defaults.activation, maximumDuration: "PT2H" } };
  const policyInputs: GroupPolicyInputs[] = groupNames.flatMap((name) =>
    (["member", "owner"] as const).map((access) => ({
      groupId: groupId.get(name)!,
      access,
      groupName: name,
      settings,
      approverIds: {},
    })),
  );
  const scheduleInputs: GroupScheduleInputs[] = groupNames.flatMap((name, g) =>
    Array.from({ length: o.members }, (_, m) => ({
      kind: "eligible" as const,
      access: "member" as const,
      groupId: groupId.get(name)!,
      principalId: emu.state.findUser(memberUpn(g, m))!.id,
      start: null,
      end: GROUP_END,
      justification: "Benchmark rota",
      ticket: null,
      label: `eligible member of ${name} for ${memberUpn(g, m)}`,
      groupName: name,
      principalName: memberUpn(g, m),
    })),
  );

  const Pp = groupPolicyProvider;
  const Sp = groupScheduleProvider;
  let policyState: { id: string; outs: GroupPolicyOutputs }[] = [];
  let scheduleState: { id: string; outs: GroupScheduleOutputs }[] = [];
  const rows: Row[] = [];
  const counters = () => emu.counters();

  rows.push(
    await measure(counters, "(e) groups: first apply", "-", async () => {
      // Member policies before owner policies: a group's first policy PATCH onboards it into PIM, which changes both
      // policies' ids (graph-pim.md §2), and a concurrent PATCH of the other policy under its old id answers 404
      // (the lifecycle does not yet find the policy again after a 404; see the report of this change).
      const create = async (i: GroupPolicyInputs) => {
        const c = await Pp.check(undefined as never, i);
        if (c.failures?.length) throw new Error(`${i.groupName}: ${JSON.stringify(c.failures)}`);
        return Pp.create(i);
      };
      const byAccess = (a: string) => policyInputs.filter((i) => i.access === a);
      const created = new Map<GroupPolicyInputs, { id: string; outs: GroupPolicyOutputs }>();
      for (const access of ["member", "owner"])
        for (const [k, r] of (await pool(byAccess(access), o.parallel, create)).entries())
          created.set(byAccess(access)[k]!, r);
      policyState = policyInputs.map((i) => created.get(i)!);
      scheduleState = await pool(scheduleInputs, o.parallel, async (i) => {
        const c = await Sp.check(undefined as never, i);
        if (c.failures?.length) throw new Error(`${i.label}: ${JSON.stringify(c.failures)}`);
        return Sp.create(i);
      });
      return `${policyInputs.length} policies + ${scheduleInputs.length} memberships created`;
    }),
  );

  rows.push(
    await measure(counters, "(f) groups: no-change apply", "0 writes", async () => {
      let updates = 0;
      await pool(
        policyInputs.map((i, k) => [i, policyState[k]!] as const),
        o.parallel,
        async ([i, s]) => {
          await Pp.check(s.outs, i);
          if ((await Pp.diff(s.id, s.outs, i)).changes) {
            updates++;
            s.outs = (await Pp.update(s.id, s.outs, i)).outs;
          }
        },
      );
      await pool(
        scheduleInputs.map((i, k) => [i, scheduleState[k]!] as const),
        o.parallel,
        async ([i, s]) => {
          await Sp.check(s.outs, i);
          if ((await Sp.diff(s.id, s.outs, i)).changes) {
            updates++;
            s.outs = (await Sp.update(s.id, s.outs, i)).outs;
          }
        },
      );
      return `${updates} updates`;
    }),
  );

  const listTarget = Math.ceil(scheduleInputs.length / o.page);
  // `pulumi refresh` runs in a new provider process: nothing cached from the apply.
  resetSharedState();
  rows.push(
    await measure(counters, "(g) groups: refresh memberships", `≈ ${listTarget} (+ a few)`, async () => {
      const reads = await pool(scheduleState, scheduleState.length, (s) => Sp.read(s.id, s.outs));
      const drifted = reads.filter(
        (r, k) =>
          r.id !== scheduleState[k]!.id || JSON.stringify(r.props) !== JSON.stringify(scheduleState[k]!.outs),
      ).length;
      return `${reads.length} reads, ${drifted} differ from state`;
    }),
  );

  resetSharedState();
  rows.push(
    await measure(counters, "(h) groups: refresh policies", "-", async () => {
      const reads = await pool(policyState, policyState.length, (s) => Pp.read(s.id, s.outs));
      const drifted = reads.filter(
        (r, k) =>
          r.id !== policyState[k]!.id || JSON.stringify(r.props) !== JSON.stringify(policyState[k]!.outs),
      ).length;
      return `${reads.length} reads, ${drifted} differ from state`;
    }),
  );

  await emu.stop();
  return { rows, policies: policyInputs.length, schedules: scheduleInputs.length };
}

/** Run alone: `npx tsx bench/provisionGroups.ts [--groups 200] [--members 5] [--parallel 64] [--page 100]`. */
if (require.main === module) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const o = {
    groups: arg("groups", 200),
    members: arg("members", 5),
    parallel: arg("parallel", 64),
    page: arg("page", 100),
  };
  benchGroups(o).then(
    (r) => {
      console.log(
        `PIM groups: ${o.groups} × ${o.members} members (${r.policies} policies, ${r.schedules} memberships), page ${o.page}, parallelism ${o.parallel}`,
      );
      for (const x of r.rows)
        console.log(
          `${x.scenario.padEnd(34)} requests ${x.c.requests}  reads ${x.c.reads}  writes ${x.c.writes}  ${x.ms.toFixed(0)} ms  target ${x.target}  ${x.note}`,
        );
      for (const x of r.rows)
        console.log(
          `  ${x.scenario}: ${
            Object.entries(x.c.byRoute)
              .map(([k, v]) => `${k} ×${v}`)
              .join(", ") || "none"
          }`,
        );
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
