/**
 * The publishable policy pack (`npm run bundle -w policies`): a folder that reaches nothing outside itself at run
 * time, served by `cmd/run-policy-pack` from that folder the way the engine serves a published pack (its
 * dependencies installed next to it), with the same policies and verdicts as the source pack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startPolicyPack,
  type AnalyzedResource,
  type RunningPolicyPack,
} from "../../engineDouble/policyPack";
import { bundlePolicyPack, type BundleResult } from "../../policies/bundle";
import { allPolicies } from "../../policies/policies";
import { ROOT, TYPES } from "./helpers";

let out: string;
let bundle: BundleResult;
let pack: RunningPolicyPack;

beforeAll(async () => {
  out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-pack-")), "policy-pack");
  bundle = await bundlePolicyPack(out);
  // What `npm install` gives a published pack: its dependencies beside it.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"), "dir");
  pack = await startPolicyPack({ packDir: out, project: "pim", stack: "demo", dryRun: true });
});

afterAll(async () => {
  await pack?.stop();
  if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

describe("the bundled policy pack", () => {
  it("holds its code, its manifest and its package.json, and requires only its declared dependencies", () => {
    expect(fs.readdirSync(out).sort()).toEqual([
      "PulumiPolicy.yaml",
      "index.js",
      "node_modules",
      "package.json",
    ]);
    const source = JSON.parse(fs.readFileSync(path.join(ROOT, "policies/package.json"), "utf8"));
    expect(JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"))).toEqual({
      name: "pim-policies",
      version: source.version,
      description: source.description,
      private: true,
      main: "index.js",
      dependencies: source.dependencies,
    });
    expect(bundle.requires).toEqual(["@pulumi/policy", "zod"]);
    // The code the source pack reaches outside policies/ is inside the bundle.
    expect(bundle.inputs).toEqual(
      expect.arrayContaining(["model/catalog/entra-roles.json", "providers/types.ts"]),
    );
    expect(bundle.inputs.filter((f) => !/^(policies|model|providers)\//.test(f))).toEqual([]);
  });

  it("serves the same policies as the source pack", async () => {
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    const info = await pack.info();
    expect([info.name, info.version]).toEqual(["pim-safe-defaults", "0.1.0"]);
    expect([...info.policies].sort(byName)).toEqual(
      allPolicies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel })).sort(byName),
    );
  });

  it("reports a permanent active Global Administrator assignment, and passes an expiring eligible one", async () => {
    const principalId = "3170d3fe-9305-5ffd-9b13-567134efff03";
    const resource = (name: string, props: Record<string, unknown>): AnalyzedResource => ({
      urn: `urn:pulumi:demo::pim::${TYPES.schedule}::${name}`,
      type: TYPES.schedule,
      name,
      properties: {
        kind: "eligible",
        principalId,
        roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
        roleName: "Global Administrator",
        directoryScopeId: "/",
        start: null,
        end: "2027-05-01T00:00:00.000Z",
        justification: "platform lead",
        ticket: null,
        label: name,
        ...props,
      } as AnalyzedResource["properties"],
      parent: "",
      dependencies: [],
      propertyDependencies: {},
      options: { protect: false, ignoreChanges: [], aliases: [] },
    });
    expect(await pack.analyze(resource("expiring", {}))).toEqual([]);
    const [violation, ...rest] = await pack.analyze(resource("forever", { kind: "active", end: null }));
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({
      policyName: "pim-004-no-permanent-active-role-assignments",
      enforcementLevel: "mandatory",
    });
    expect(violation!.message).toContain(
      `[PIM-004 critical] forever: ${principalId} holds Global Administrator permanently (active, no end date)`,
    );
  });
});
