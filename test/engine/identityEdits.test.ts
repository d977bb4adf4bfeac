/**
 * The Done-when scenarios through Pulumi's own entry points: the program from `stacks/` under cmd/run and the
 * dynamic-provider host in `stacks/` (engineDouble), against the emulator. One first `up` of the demo; then, for each
 * edit of `test/scenarios/identityEdits.ts` (the same table the in-process engine-order runner uses), a second `up`
 * of the edited declarations over a copy of that state and of that tenant: the real program runs again (its Graph
 * reads against the emulator), the engine diffs against the first run's state and applies in its order.
 *
 * Asserted for every edit that keeps what each resource governs: no access lost and no setting reverted (the
 * emulator's schedules and policies are exactly as after the first run), exact operations (every step `same`: no
 * replace, no delete of a live schedule) and 0 Graph writes; for "nothing changed", the same for a preview too.
 * For the edit that gives a grant to another person: exactly one create and one delete, and the two writes they make.
 * A tenant mismatch and a break-glass account named by object id stop before any write.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { preview, up, type DeployOptions, type DeployResult } from "../../engineDouble/deploy";
import {
  demoFiles,
  IDENTITY_CHANGING_EDITS,
  IDENTITY_PRESERVING_EDITS,
  replaceOnce,
  type StackEdit,
  type StackFiles,
} from "../scenarios/identityEdits";
import { copyProject, demoDeploy, NOW, PROGRAM_TIMEOUT_MS, TYPES } from "./helpers";

const OTHER_TENANT = "0b6a1f7e-3c2d-4e5f-8a9b-1c2d3e4f5a6b";
const NOTHING_CHANGED: StackEdit = { name: "nothing changed", edit: (f) => f };

let project: string;
let first: DeployResult;
let firstTenant: string;
const emus: RunningEmulator[] = [];

interface SecondRun {
  result: DeployResult;
  emu: RunningEmulator;
  counters: ReturnType<RunningEmulator["counters"]>;
}
const second = new Map<string, SecondRun>();
let nothingChangedPreview: SecondRun;

/** The part of the tenant a run may change: schedules, pending requests and role management policies. */
function governed(emu: RunningEmulator): unknown {
  const s = emu.state as unknown as Record<string, Map<string, unknown> | unknown>;
  const pick = (k: string) => {
    const v = s[k];
    return v instanceof Map ? [...v.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))) : v;
  };
  return { schedules: pick("schedules"), policies: pick("policies") };
}

/** A copy of the tenant after the first `up` (the emulator's own state file), on a new port. */
async function tenantAfterFirstUp(stateFile: string): Promise<RunningEmulator> {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-emu-")), "emulator.json");
  fs.copyFileSync(stateFile, copy);
  const emu = await startEmulator({ port: 0, now: new Date(NOW), statePath: copy });
  emus.push(emu);
  return emu;
}

/** `stacks/<folder>/` in the project copy, holding `files`. */
function writeDeclarations(folder: string, files: StackFiles): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(project, "stacks", folder, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

async function secondRun(
  emuState: string,
  engineState: string,
  folder: string,
  edit: StackEdit,
  kind: "up" | "preview" = "up",
  tweak: (o: DeployOptions) => DeployOptions = (o) => o,
): Promise<SecondRun> {
  const emu = await tenantAfterFirstUp(emuState);
  const objectId = (upn: string) => emu.state.findUser(upn)!.id;
  writeDeclarations(folder, edit.edit(demoFiles(), { objectId }));
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-engine-")), "state.json");
  fs.copyFileSync(engineState, statePath);
  const base = demoDeploy(emu, project);
  const opts = tweak({ ...base, statePath, config: { ...base.config, "pim:declarations": folder } });
  const result = await (kind === "up" ? up(opts) : preview(opts));
  return { result, emu, counters: emu.counters() };
}

const ALL_EDITS = [NOTHING_CHANGED, ...IDENTITY_PRESERVING_EDITS, ...IDENTITY_CHANGING_EDITS];
const folderOf = (e: StackEdit, i: number) => e.folder ?? `edit-${i}`;

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "pim-project-"));
  copyProject(project);
  writeDeclarations("demo", demoFiles());
  const emuState = path.join(project, "emulator-after-first-up.json");
  const emu = await startEmulator({ port: 0, now: new Date(NOW), statePath: emuState });
  const opts = demoDeploy(emu, project);
  first = await up(opts);
  firstTenant = JSON.stringify(governed(emu));
  await emu.stop(); // writes its state file
  // Two program runs at a time: each type-checks the program (ts-node), and the machine is shared.
  const jobs: (() => Promise<void>)[] = ALL_EDITS.map((e, i) => async () => {
    second.set(e.name, await secondRun(emuState, opts.statePath, folderOf(e, i), e));
  });
  jobs.push(async () => {
    nothingChangedPreview = await secondRun(emuState, opts.statePath, "preview", NOTHING_CHANGED, "preview");
  });
  jobs.push(async () => {
    second.set(
      "tenant mismatch",
      await secondRun(
        emuState,
        opts.statePath,
        "other-tenant",
        {
          name: "tenant mismatch",
          edit: (f) => ({
            ...f,
            "tenant.yaml": f["tenant.yaml"]!.replace(/^ {2}id: .*$/m, `  id: ${OTHER_TENANT}`),
          }),
        },
        "up",
        (o) => ({
          ...o,
          config: { ...o.config, "azuread:tenantId": OTHER_TENANT, "azure-native:tenantId": OTHER_TENANT },
          // The deployer's credential still answers for the demo tenant: the token's `tid` is what must refuse it.
          env: { ...o.env, PIM_GRAPH_TENANT_ID: demoTenantId() },
        }),
      ),
    );
  });
  jobs.push(async () => {
    second.set(
      "break-glass by object id",
      await secondRun(emuState, opts.statePath, "break-glass-grant", {
        name: "break-glass by object id",
        edit: (f, ctx) => ({
          ...f,
          // Ada's grant, valid in every other respect, given to a break-glass account by its object id.
          "grants/bg-alpha-by-id.yaml": replaceOnce(
            f["grants/ada-lovelace-security-reader.yaml"]!,
            "principal: ada.lovelace@contoso.com",
            `principal: ${ctx.objectId("bg-alpha@contoso.onmicrosoft.com")}`,
          ),
        }),
      }),
    );
  });
  const running = new Set<Promise<void>>();
  for (const job of jobs) {
    const p = job().finally(() => running.delete(p));
    running.add(p);
    if (running.size >= 2) await Promise.race(running);
  }
  await Promise.all(running);
}, PROGRAM_TIMEOUT_MS * 6);

function demoTenantId(): string {
  return /^ {2}id: (.*)$/m.exec(demoFiles()["tenant.yaml"]!)![1]!.trim();
}

afterAll(async () => {
  await Promise.all(emus.map((e) => e.stop()));
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("the first up of the demo", () => {
  it("creates every dynamic resource without an error", () => {
    expect(first.errors).toEqual([]);
    expect(first.counts[TYPES.settings]).toEqual({ create: 8 });
    // Ten grants and the role the PIM group holds, through PIM; the group's policies and memberships.
    expect(first.counts[TYPES.schedule]).toEqual({ create: 11 });
    expect(first.counts[TYPES.groupPolicy]).toEqual({ create: 2 });
    expect(first.counts[TYPES.groupSchedule]).toEqual({ create: 2 });
  });
});

/**
 * The schedules whose state records the grant's file (`label`) or the principal's spelling (`principalName`) for
 * messages: an edit of those is an `update` that sends nothing to Graph (the provider compares with the live
 * schedule), so the state says where the grant is declared now. Anything else is `same`.
 */
const ADA_SECURITY_READER = "tenant-grant-eligible-5d6b6bb7-d9637051-d86ab619-schedule";
const KEN_GLOBAL_ADMIN = "tenant-grant-eligible-62e90394-3170d3fe-af4db1a1-schedule";
const RECORDED_UPDATES: Record<string, string[]> = {
  "rename a grant file": [ADA_SECURITY_READER],
  "move a grant to another file, rewritten (keys reordered, comments, the end as a date-time)": [
    ADA_SECURITY_READER,
  ],
  "change a principal's spelling (UPN → object id, another case)": [ADA_SECURITY_READER, KEN_GLOBAL_ADMIN],
};

describe.each([NOTHING_CHANGED, ...IDENTITY_PRESERVING_EDITS].map((e) => [e.name]))(
  "second up after: %s",
  (name) => {
    it("no create, no replace, no delete: every resource is the same, or updated in state only", () => {
      const r = second.get(name)!.result;
      const updates = RECORDED_UPDATES[name] ?? [];
      expect(r.errors).toEqual([]);
      expect(r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`)).toEqual(
        updates.map((u) => `update ${u}`),
      );
      expect(r.counts[TYPES.settings]).toEqual({ same: 8 });
      expect(r.counts[TYPES.schedule]).toEqual(
        updates.length ? { same: 11 - updates.length, update: updates.length } : { same: 11 },
      );
    });

    it("makes 0 Graph writes; the program's reads are GETs and $batch reads only", () => {
      const { counters } = second.get(name)!;
      expect(counters.writes).toBe(0);
      expect(
        Object.keys(counters.byRoute).filter((k) => !k.startsWith("GET ") && k !== "POST /$batch"),
      ).toEqual([]);
    });

    it("loses no access and reverts no setting: schedules and policies exactly as after the first up", () => {
      expect(JSON.stringify(governed(second.get(name)!.emu))).toBe(firstTenant);
    });
  },
);

describe("preview after nothing changed (the program run again)", () => {
  it("shows no update, no create, no delete, and writes nothing", () => {
    const { result, counters } = nothingChangedPreview;
    expect(result.errors).toEqual([]);
    expect(result.steps.filter((s) => s.op !== "same")).toEqual([]);
    expect(counters.writes).toBe(0);
  });

  it("reads the tenant a bounded number of times: the same reads as the second up", () => {
    const readsOf = (c: SecondRun["counters"]) => ({ requests: c.requests, reads: c.reads });
    expect(readsOf(nothingChangedPreview.counters)).toEqual(readsOf(second.get("nothing changed")!.counters));
    // Printed for the closing note: what the program's own reads cost on a no-change run.
    console.log(`no-change run: ${JSON.stringify(nothingChangedPreview.counters)}`);
  });
});

describe.each(IDENTITY_CHANGING_EDITS.map((e) => [e.name, e]))("second up after: %s", (_name, edit) => {
  it("creates the new assignment, then removes exactly the old one", () => {
    const { result, counters, emu } = second.get(edit.name)!;
    expect(result.errors).toEqual([]);
    expect(result.counts[TYPES.settings]).toEqual({ same: 8 });
    expect(result.counts[TYPES.schedule]).toEqual({ same: 10, create: 1, delete: 1 });
    const order = result.steps.filter((s) => s.op !== "same" && s.type === TYPES.schedule).map((s) => s.op);
    expect(order).toEqual(["create", "delete"]);
    expect(counters.byRoute["POST /roleManagement/directory/roleEligibilityScheduleRequests"]).toBe(2);
    expect(counters.writes).toBe(2);
    const grace = emu.state.findUser("grace.hopper@contoso.com")!.id;
    const ada = emu.state.findUser("ada.lovelace@contoso.com")!.id;
    const securityReader = "5d6b6bb7-de71-4623-b4af-96380a352509";
    const eligible = (who: string) =>
      [...emu.state.schedules.values()].filter(
        (s) => s._kind === "eligibility" && s._target === securityReader && s.principalId === who,
      ).length;
    expect([eligible(grace), eligible(ada)]).toEqual([1, 0]);
  });
});

describe("refused before any write", () => {
  it("a token for another tenant than tenant.id: the program names both tenants, nothing is registered or written", () => {
    const { result, counters } = second.get("tenant mismatch")!;
    expect(result.program!.exitCode).toBe(32);
    expect(result.errors.join("\n")).toContain(
      `the Graph access token is for tenant ${demoTenantId()}, but this stack declares tenant ${OTHER_TENANT}; nothing was sent with it.`,
    );
    expect(result.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    expect([counters.requests, counters.writes]).toEqual([0, 0]);
  });

  it("a grant to a break-glass account named by its object id: refused, nothing registered or written", () => {
    const { result, counters, emu } = second.get("break-glass by object id")!;
    const bg = emu.state.findUser("bg-alpha@contoso.onmicrosoft.com")!.id;
    expect(result.program!.exitCode).toBe(32);
    expect(result.errors.join("\n")).toContain(
      `grants/bg-alpha-by-id.yaml: break-glass account bg-alpha@contoso.onmicrosoft.com (named here as ${bg}) must not receive grants`,
    );
    expect(result.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    expect(counters.writes).toBe(0);
    expect(JSON.stringify(governed(emu))).toBe(firstTenant);
  });
});
