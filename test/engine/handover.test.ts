/**
 * A replacement through Pulumi's own entry points (engineDouble: the program from `stacks/` under cmd/run, the
 * dynamic-provider host as its own process), against the emulator: a grant whose state sits under a name the
 * program no longer registers and no alias names (a file name no release used), its label naming that file.
 * The engine creates the grant under its current name, which adopts the live schedule, then deletes the old
 * resource, whose delete finds that the schedule was taken over in this run and leaves it (`providers/pim/handover.ts`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { up, type DeployResult } from "../../engineDouble/deploy";
import type { StateFile } from "../../engineDouble/state";
import { demoFiles } from "../scenarios/identityEdits";
import { copyProject, demoDeploy, NOW, PROGRAM_TIMEOUT_MS, TYPES } from "./helpers";

const ADA_SECURITY_READER = "tenant-grant-eligible-5d6b6bb7-d9637051-d86ab619-schedule";
const OLD_NAME = "demo-grant-old-file-schedule";

let project: string;
let emu: RunningEmulator;
let second: DeployResult;
let adaBefore: unknown[];
let writesBefore: number;

const adaSchedules = () =>
  [...emu.state.schedules.values()]
    .filter(
      (s) =>
        s._scope === "directory" &&
        s._target === "5d6b6bb7-de71-4623-b4af-96380a352509" &&
        s.principalId === emu.state.findUser("ada.lovelace@contoso.com")!.id,
    )
    .map((s) => `${s.id}|${s._kind}|${s.endDateTime}`);

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "pim-project-"));
  copyProject(project);
  for (const [rel, text] of Object.entries(demoFiles())) {
    const p = path.join(project, "stacks", "demo", rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  emu = await startEmulator({ port: 0, now: new Date(NOW) });
  const opts = demoDeploy(emu, project);
  const first = await up(opts);
  expect(first.errors).toEqual([]);
  // The grant's state moved under a name the program does not register (and no alias names): what a rename
  // without aliases leaves. Its label names the file it came from.
  const state = JSON.parse(fs.readFileSync(opts.statePath, "utf8")) as StateFile;
  const ada = state.resources.find((r) => r.urn.endsWith(`::${ADA_SECURITY_READER}`))!;
  ada.urn = `${ada.urn.slice(0, ada.urn.lastIndexOf("::") + 2)}${OLD_NAME}`;
  for (const props of [ada.inputs, ada.outputs])
    props["label"] = String(props["label"]).replace(/\(.*\)$/, "(old-file)");
  fs.writeFileSync(opts.statePath, JSON.stringify(state));
  adaBefore = adaSchedules();
  writesBefore = emu.counters().writes;
  second = await up(opts);
}, PROGRAM_TIMEOUT_MS * 2);

afterAll(async () => {
  await emu?.stop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("a grant replaced create-before-delete in one up", () => {
  it("creates the grant under its name, then deletes the old resource", () => {
    expect(second.errors).toEqual([]);
    expect(
      second.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`),
    ).toEqual([`create ${ADA_SECURITY_READER}`, `delete ${OLD_NAME}`]);
    expect(second.counts[TYPES.schedule]).toEqual({ same: 10, create: 1, delete: 1 });
  });

  it("keeps the schedule the new resource adopted, and writes nothing to Graph", () => {
    expect(adaBefore).toHaveLength(1);
    expect(adaSchedules()).toEqual(adaBefore);
    expect(emu.counters().writes - writesBefore).toBe(0);
  });
});
