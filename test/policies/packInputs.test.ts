/**
 * The pack never throws (issue 10 item 2): every input of every resource type it reads, found by recording what
 * each adapter reads from a complete resource, is tried missing and unknown (CrossGuard's own unknown-checking
 * proxy with its preview sentinels). No policy may throw, the rest of the stack is still judged, and a resource
 * that loses the role or principal it is about is reported by `pim-resource-readable`.
 */
import * as policyProxy from "@pulumi/policy/proxy";
import { describe, expect, it } from "vitest";
import { ADAPTERS, isPimResource } from "../../policies/adapters";
import type { PackContext } from "../../policies/adapters/context";
import { createPolicies } from "../../policies/policies";
import { emptyInput } from "../../policies/rules/input";
import { DEFAULT_TIERS } from "../../policies/rules/tiers";
import * as R from "./fixtures/resources";
import { resourceArgs, stackArgs, validateResource, validateStack, type FakeResource } from "./packHelpers";

const { resourcePolicies, stackPolicies } = createPolicies({ now: () => R.NOW });
const proxy = policyProxy as unknown as {
  unknownCheckingProxy<T>(v: T): T;
  unknownStringValue: string;
  unknownNumberValue: string;
  unknownBooleanValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
};

/** Every type the pack reads: the PIM types, and the context types the stack policies read. */
const FIXTURES: FakeResource[] = [
  ...R.compliantPimResources(),
  R.eligibilityScheduleRequest(),
  R.approverGroup(),
  R.approverMember(R.ADA, "ada"),
  R.caPolicy(),
];

/** Every property path an adapter reads from `props` (array elements as indexes). */
function readPaths(r: FakeResource): Array<Array<string | number>> {
  const seen = new Map<string, Array<string | number>>();
  const wrap = (value: unknown, path: Array<string | number>): unknown => {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) return v;
        const p = [...path, Array.isArray(target) ? Number(key) : key];
        seen.set(JSON.stringify(p), p);
        return wrap(v, p);
      },
    });
  };
  const ctx: PackContext = {
    tiers: DEFAULT_TIERS,
    breakGlass: [],
    contractors: [],
    synchronizedAccounts: [],
    serviceAccounts: [],
    authenticationContexts: {},
  };
  const input = emptyInput(R.NOW.toISOString());
  ADAPTERS[r.type]!(
    {
      type: r.type,
      name: r.name,
      urn: `urn:pulumi:t::p::${r.type}::${r.name}`,
      props: wrap(r.props, []) as never,
    },
    input,
    ctx,
    new Map(),
    () => {},
  );
  return [...seen.values()];
}

function at(obj: any, path: Array<string | number>): { parent: any; key: string | number } {
  let parent = obj;
  for (const k of path.slice(0, -1)) parent = parent[k];
  return { parent, key: path[path.length - 1]! };
}

function sentinel(v: unknown): string {
  if (Array.isArray(v)) return proxy.unknownArrayValue;
  if (typeof v === "object" && v !== null) return proxy.unknownObjectValue;
  if (typeof v === "number") return proxy.unknownNumberValue;
  if (typeof v === "boolean") return proxy.unknownBooleanValue;
  return proxy.unknownStringValue;
}

function variant(r: FakeResource, path: Array<string | number>, mode: "missing" | "unknown"): FakeResource {
  const props = structuredClone({ ...r.props, __provider: undefined });
  delete props.__provider;
  const { parent, key } = at(props, path);
  if (mode === "missing") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return { ...r, props };
  }
  parent[key] = sentinel(parent[key]);
  return { ...r, props: proxy.unknownCheckingProxy(props) };
}

/** Identity props per PIM type: without them the resource is about nobody the rules can name. */
const IDENTITY: Record<string, string[]> = {
  [R.directoryRoleSettings().type]: ["roleDefinitionId"],
  [R.directoryRoleSchedule().type]: ["roleDefinitionId", "principalId"],
  [R.groupRoleManagementPolicy().type]: ["groupId"],
  [R.groupEligibilitySchedule().type]: ["groupId", "principalId"],
  [R.groupAssignmentSchedule().type]: ["groupId", "principalId"],
  [R.pimGroupRoleAssignment().type]: ["roleId", "principalObjectId"],
  [R.eligibilityScheduleRequest().type]: ["roleDefinitionId", "principalId"],
  [R.roleManagementPolicy().type]: ["scope"],
  [R.pimRoleEligibilitySchedule().type]: ["scope", "roleDefinitionId", "principalId"],
};

/** A resource elsewhere in the stack with a finding of its own, which must still be reported. */
const witness = (): FakeResource => {
  const r = R.directoryRoleSchedule();
  return {
    ...r,
    name: "witness",
    props: { ...r.props, principalId: R.ADA, kind: "active", end: null, label: "witness" },
  };
};

const cases = FIXTURES.flatMap((r) =>
  readPaths(r).flatMap((path) =>
    (["missing", "unknown"] as const).map(
      (mode) => [`${r.type.split(":").pop()} .${path.join(".")} ${mode}`, r, path, mode] as const,
    ),
  ),
);

describe("every input the pack reads, missing and unknown", () => {
  it("reads a sizeable set of inputs from every resource type (the recording is not empty)", () => {
    for (const r of FIXTURES) expect(readPaths(r).length, r.type).toBeGreaterThan(0);
    expect(readPaths(R.directoryRoleSettings()).map((p) => p.join("."))).toEqual(
      expect.arrayContaining(["roleDefinitionId", "settings", "approverIds"]),
    );
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases)("%s: no policy throws, the rest of the stack is judged", async (_name, r, path, mode) => {
    const changed = variant(r, path, mode);
    const readable = await validateResource(
      resourcePolicies.find((p) => p.name === "pim-resource-readable")!,
      resourceArgs(changed),
    );
    for (const p of resourcePolicies) await validateResource(p, resourceArgs(changed));
    const stack = [changed, witness()];
    const results = [];
    for (const p of stackPolicies) results.push(await validateStack(p, stackArgs(stack)));
    // The witness's permanent active Global Administrator is reported by its resource policy, whatever the other holds.
    const p004 = resourcePolicies.find((p) => p.name === "pim-004-no-permanent-active-role-assignments")!;
    expect((await validateResource(p004, resourceArgs(witness()))).violations).toHaveLength(1);
    // ...and the stack policies still see the witness: PIM-040 (its role has no settings in this two-resource stack)
    // or PIM-001/PIM-006 findings exist, and nothing was skipped as "cannot run".
    expect(results.some((o) => o.violations.length > 0)).toBe(true);
    const top = path[0] as string;
    const lostIdentity = path.length === 1 && (IDENTITY[r.type] ?? []).includes(top);
    if (mode === "missing" && lostIdentity) {
      expect(readable.violations.map((v) => v.message)).toEqual([
        expect.stringContaining(`${top} is missing`),
      ]);
    } else if (isPimResource(r.type)) {
      expect(readable.violations).toEqual([]);
    }
  });
});
