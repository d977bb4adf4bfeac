/**
 * Test harness for components and the program under `pulumi.runtime.setMocks`.
 *
 * What it records, and why this way:
 * - Every resource registration, from the `RegisterResourceRequest` itself: type, name, parent URN, the
 *   dependency URNs, `protect` and `retainOnDelete`. The mock's `newResource` hook sees none of those (it gets
 *   type, name and inputs only), but the request is exactly what the SDK sends the real engine, after it has
 *   expanded `dependsOn` through components and added the implicit dependencies of Output inputs. So asserting
 *   on `dependencies` proves the ordering the engine will see, not merely that some option was passed.
 * - The aliases each registration carries (their `name` specs, or URNs), to assert that renames are in place.
 * - Every invoke: components make none (principals are resolved by the program before it registers anything), so
 *   any invoke throws, and tests assert there were none.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeState from "@pulumi/pulumi/runtime/state";

// `getStore` is @internal (absent from the .d.ts) but is the SDK's own record of outstanding RPCs.
const { getStore } = runtimeState as unknown as { getStore(): { settings: { rpcDone: Promise<unknown> } } };

export interface Registered {
  type: string;
  name: string;
  urn: string;
  /** Parent URN ("" for none). */
  parent: string;
  custom: boolean;
  inputs: Record<string, any>;
  /** URNs of the resources this one depends on, as sent to the engine. */
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  /**
   * Previous names (`{ name }` alias specs) and alias URNs, as sent to the engine. Specs without a name (the type
   * aliases providers such as azure-native declare for their own old type tokens) are left out.
   */
  aliases: string[];
}

export interface Harness {
  resources: Registered[];
  invokes: pulumi.runtime.MockCallArgs[];
  byName(name: string): Registered;
  ofType(type: string): Registered[];
  /** `[type, name]` of the direct children of the named resource, sorted by name (registration order is async). */
  children(name: string): Array<[string, string]>;
}

export const TYPES = {
  group: "azuread:index/group:Group",
  groupMember: "azuread:index/groupMember:GroupMember",
  directoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  groupPolicy: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
  groupEligibility:
    "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  groupAssignment:
    "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
  armPolicy: "azure-native:authorization:RoleManagementPolicy",
  armEligibility: "azure-native:authorization:PimRoleEligibilitySchedule",
  settings: "pulumi-nodejs:dynamic/pim:DirectoryRoleSettings",
  schedule: "pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule",
  groupPolicyDynamic: "pulumi-nodejs:dynamic/pim:GroupPolicy",
  groupSchedule: "pulumi-nodejs:dynamic/pim:GroupSchedule",
} as const;

export function installMocks(
  opts: {
    project?: string;
    stack?: string;
    /** The object id a created azuread group gets; default `oid-<resource name>`. */
    groupObjectId?: (inputs: Record<string, any>, name: string) => string | undefined;
  } = {},
): Harness {
  const resources: Registered[] = [];
  const invokes: pulumi.runtime.MockCallArgs[] = [];
  let current: Registered | undefined;

  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (current) current.inputs = args.inputs;
        const state: Record<string, unknown> = { ...args.inputs };
        // Computed outputs the components read: a group's object id.
        if (args.type === TYPES.group)
          state["objectId"] = opts.groupObjectId?.(args.inputs, args.name) ?? `oid-${args.name}`;
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        invokes.push(args);
        throw new Error(`Mock not implemented: ${args.token}`);
      },
    },
    opts.project ?? "pim",
    opts.stack ?? "unit",
    false,
  );

  type Req = {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getDependenciesList(): string[];
    hasProtect(): boolean;
    getProtect(): boolean;
    hasRetainondelete(): boolean;
    getRetainondelete(): boolean;
    getAliasesList(): Array<{
      hasSpec(): boolean;
      getSpec(): { getName(): string } | undefined;
      getUrn(): string;
    }>;
  };
  type Callback = (err: unknown, resp?: { getUrn(): string }) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: Req, cb: Callback): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const rec: Registered = {
      type: req.getType(),
      name: req.getName(),
      urn: "",
      parent: req.getParent(),
      custom: req.getCustom(),
      inputs: {},
      dependencies: [...req.getDependenciesList()].sort(),
      protect: req.hasProtect() ? req.getProtect() : false,
      retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : false,
      aliases: req
        .getAliasesList()
        .map((a) => (a.hasSpec() ? a.getSpec()!.getName() : a.getUrn()))
        .filter((a) => a !== ""),
    };
    // The mock monitor calls `newResource` synchronously at the start of registerResource: it fills `inputs`.
    current = rec;
    try {
      return original(req, (err, resp) => {
        if (!err && resp) {
          rec.urn = resp.getUrn();
          resources.push(rec);
        }
        cb(err, resp);
      });
    } finally {
      current = undefined;
    }
  };

  return {
    resources,
    invokes,
    byName(name) {
      const hits = resources.filter((r) => r.name === name);
      if (hits.length !== 1) throw new Error(`expected one resource named ${name}, found ${hits.length}`);
      return hits[0]!;
    },
    ofType(type) {
      return resources.filter((r) => r.type === type);
    },
    children(name) {
      const urn = this.byName(name).urn;
      return resources
        .filter((r) => r.parent === urn)
        .map((r): [string, string] => [r.type, r.name])
        .sort((a, b) => a[1].localeCompare(b[1]));
    },
  };
}

/**
 * Waits until every registration, invoke and output registration the program started has finished. The SDK
 * chains each RPC onto `rpcDone`; a finished RPC may start new ones (children, applies), so wait until the chain
 * stops growing.
 */
export async function settle(): Promise<void> {
  for (;;) {
    const pending = getStore().settings.rpcDone;
    await pending;
    await new Promise((r) => setImmediate(r));
    if (getStore().settings.rpcDone === pending) return;
  }
}

export const promiseOf = <T>(o: pulumi.Output<T>): Promise<T> =>
  new Promise((r) => o.apply((v) => (r(v), v)));

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` → the type chain, e.g. `pim:entra:PimGroup$azuread:...`. */
export const typeChain = (urn: string): string => urn.split("::")[2] ?? "";
