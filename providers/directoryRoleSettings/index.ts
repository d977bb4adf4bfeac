/**
 * `DirectoryRoleSettings` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSettings`): the 17 rules of one Entra directory
 * role's PIM policy, declared in model form and applied as one PATCH of the rules that change.
 *
 * Serialization: Pulumi stores this provider's code in state (`__provider`). So every package and every module of
 * this project is `require`d inside the method bodies (`projectModule` below), credentials are read at call time by
 * the Graph layer, and the only module-level values the methods reach are the functions of this file.
 */
import * as pulumi from "@pulumi/pulumi";
import { projectModule as loadProjectModule } from "../projectModule";
import type * as GraphLayer from "../graph";
import type * as Rules from "../../model/settings/graphRules";
import type * as Check from "./check";
import type { GraphRule } from "../../model/settings/graphRules";
import type { Approver, ResolvedSettings } from "../../model/types";
import {
  DYNAMIC_MODULE,
  type DirectoryRoleSettingsInputs,
  type DirectoryRoleSettingsOutputs,
} from "../types";

type Inputs = DirectoryRoleSettingsInputs;
type Outputs = DirectoryRoleSettingsOutputs;

// A module-level alias, not a bare import: the serialized text then calls `projectModule(...)` by name, which the
// serialization guard checks, and the serializer inlines the function by value (it captures nothing).
const projectModule = loadProjectModule;

function graphLayer(): typeof GraphLayer {
  return projectModule<typeof GraphLayer>("providers/graph");
}

function rulesModule(): typeof Rules {
  return projectModule<typeof Rules>("model/settings/graphRules");
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `approverIds` plus `<type>:<id>` for approvers that are already object ids (as `read` reports unknown ones). */
function idsFor(settings: ResolvedSettings, approverIds: Record<string, string>): Record<string, string> {
  const out = { ...approverIds };
  for (const st of settings.activation.approval.stages) {
    for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])]) {
      const key = `${a.type}:${a.ref.toLowerCase()}`;
      if (!out[key] && GUID.test(a.ref)) out[key] = a.ref;
    }
  }
  return out;
}

/** Object id → the name the declaration uses, so `read` reports approvers the way they were declared. */
function namesFor(settings: ResolvedSettings, approverIds: Record<string, string>): Record<string, string> {
  const names: Record<string, string> = {};
  const all: Approver[] = settings.activation.approval.stages.flatMap((st) => [
    ...st.approvers,
    ...(st.escalation?.approvers ?? []),
  ]);
  for (const a of all) {
    const id = approverIds[`${a.type}:${a.ref.toLowerCase()}`];
    if (id) names[id.toLowerCase()] = a.ref;
  }
  for (const [key, id] of Object.entries(approverIds)) {
    if (!names[id.toLowerCase()]) names[id.toLowerCase()] = key.slice(key.indexOf(":") + 1);
  }
  return names;
}

async function findPolicyId(
  g: GraphLayer.GraphApi,
  roleDefinitionId: string,
  roleName: string,
): Promise<string> {
  const { odataFilter } = graphLayer();
  // The scopeId + scopeType filter is required by Graph (graph-pim.md §1.2); never construct the policy id.
  const filter = odataFilter({ scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId });
  const page = await g.get<{ value: { policyId: string }[] }>(
    `/policies/roleManagementPolicyAssignments?${filter}`,
  );
  const hit = page.value?.[0];
  if (!hit?.policyId) throw new Error(`${roleName}: Entra has no PIM policy for role ${roleDefinitionId}`);
  return hit.policyId;
}

async function getRules(g: GraphLayer.GraphApi, policyId: string): Promise<GraphRule[]> {
  const p = await g.get<{ rules?: GraphRule[] }>(
    `/policies/roleManagementPolicies/${encodeURIComponent(policyId)}?$expand=rules`,
  );
  return p.rules ?? [];
}

/**
 * Sends the rules of `desired` that differ from `believed` as ONE whole-policy PATCH, then reads the policy back and
 * fails, naming the rule and the values, if the tenant does not hold what was sent. Rules that differ on read-back
 * although they were not sent (portal drift since the last refresh) are sent in one more PATCH and checked the same
 * way. Returns the live rules.
 *
 * Why the whole-policy PATCH (`PATCH /policies/roleManagementPolicies/{id}` with a `rules` subset) even when one rule
 * changes: (1) it is one request however many rules change, and one code path; (2) per-rule PATCHes are refused with
 * `ActivationCustomApproversNotEmpty` once an Approver notification rule holds recipients, while the whole-policy
 * PATCH still works (graph-pim.md §1.5, §1.9); (3) rules that depend on each other (MFA on activation versus an
 * authentication context) change together, so the tenant never sees the forbidden half-way state.
 */
async function applyRules(
  g: GraphLayer.GraphApi,
  label: string,
  policyId: string,
  desired: GraphRule[],
  believed: GraphRule[] | null,
): Promise<GraphRule[]> {
  const R = rulesModule();
  let live = believed ?? (await getRules(g, policyId));
  let toSend = R.changedRules(desired, live);
  for (let round = 0; toSend.length > 0; round++) {
    if (round === 2) break;
    await g.patch(`/policies/roleManagementPolicies/${encodeURIComponent(policyId)}`, { rules: toSend });
    live = await getRules(g, policyId);
    const liveById = new Map(live.map((r) => [r.id, r]));
    const refused = toSend.filter((r) => {
      const l = liveById.get(r.id);
      return !l || !R.sameRule(r, l);
    });
    if (refused.length) {
      const detail = refused
        .map((r) => `${r.id} (${R.describeRuleDifference(r, liveById.get(r.id))})`)
        .join("; ");
      throw new Error(`${label}: the tenant did not take the settings it was sent: ${detail}`);
    }
    toSend = R.changedRules(desired, live);
  }
  if (toSend.length) {
    throw new Error(`${label}: the rules keep changing under us: ${toSend.map((r) => r.id).join(", ")}`);
  }
  return live;
}

/** Rules as read (minus OData annotations Graph adds to read shapes), for `originalRules`. */
function stripAnnotations(rules: GraphRule[]): GraphRule[] {
  return rules.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (k === "@odata.type" || !k.startsWith("@")) out[k] = v;
    return out as unknown as GraphRule;
  });
}

/** The canonical rules an input set stands for, or null when they cannot be built (missing approver id). */
function canonicalOf(i: Pick<Inputs, "settings" | "approverIds">): string | null {
  try {
    const R = rulesModule();
    return JSON.stringify(
      R.toGraphRules(i.settings, idsFor(i.settings, i.approverIds ?? {})).map(R.canonicalRule),
    );
  } catch {
    return null;
  }
}

export class DirectoryRoleSettingsProvider implements pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
  /** Stack config (`pim:graphBaseUrl`, `azuread:tenantId`) for the Graph layer, handed over by the provider host. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    graphLayer().setConfigSource(req.config);
  }

  async check(_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>> {
    return projectModule<typeof Check>("providers/directoryRoleSettings/check").checkSettingsInputs(news);
  }

  async diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
    // `__provider` is deliberately not compared: a new version of this code is not a change of the tenant.
    const replaces =
      olds.roleDefinitionId.toLowerCase() !== news.roleDefinitionId.toLowerCase() ? ["roleDefinitionId"] : [];
    const before = canonicalOf(olds);
    const after = canonicalOf(news);
    const settingsChanged =
      before === null || after === null
        ? JSON.stringify([olds.settings, olds.approverIds]) !==
          JSON.stringify([news.settings, news.approverIds])
        : before !== after;
    const changes = replaces.length > 0 || settingsChanged || olds.roleName !== news.roleName;
    return { changes, replaces };
  }

  async create(inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
    const g = graphLayer().graphFromEnvironment();
    const R = rulesModule();
    const desired = R.toGraphRules(inputs.settings, inputs.approverIds);
    const policyId = await findPolicyId(g, inputs.roleDefinitionId, inputs.roleName);
    const original = await getRules(g, policyId);
    await applyRules(g, inputs.roleName, policyId, desired, original);
    return { id: policyId, outs: { ...inputs, policyId, originalRules: stripAnnotations(original) } };
  }

  async read(id: string, props?: Outputs): Promise<pulumi.dynamic.ReadResult<Outputs>> {
    if (!props) throw new Error(`DirectoryRoleSettings ${id}: refresh needs the saved state`);
    const g = graphLayer().graphFromEnvironment();
    const { isGraphError } = graphLayer();
    let rules: GraphRule[];
    try {
      rules = await getRules(g, props.policyId ?? id);
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return {};
      throw e;
    }
    const live = rulesModule().fromGraphRules(rules, namesFor(props.settings, props.approverIds ?? {}));
    const outs: Outputs = { ...props, settings: live };
    const { originalRules: _o, policyId: _p, ...inputs } = outs;
    return { id, props: outs, inputs: inputs as Outputs };
  }

  async update(_id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }> {
    const g = graphLayer().graphFromEnvironment();
    const R = rulesModule();
    const desired = R.toGraphRules(news.settings, news.approverIds);
    // What the tenant holds as far as the state knows (the last apply or refresh): no GET before the PATCH.
    let believed: GraphRule[] | null;
    try {
      believed = R.toGraphRules(olds.settings, idsFor(olds.settings, olds.approverIds ?? {}));
    } catch {
      believed = null;
    }
    // State written before policyId was recorded: look it up once.
    const policyId = olds.policyId ?? (await findPolicyId(g, news.roleDefinitionId, news.roleName));
    await applyRules(g, news.roleName, policyId, desired, believed);
    return { outs: { ...news, policyId, originalRules: olds.originalRules } };
  }

  /** Restores the rules found before the first apply. */
  async delete(id: string, props: Outputs): Promise<void> {
    const g = graphLayer().graphFromEnvironment();
    const { isGraphError } = graphLayer();
    const original = (props.originalRules ?? []) as GraphRule[];
    if (original.length === 0) return;
    try {
      await applyRules(
        g,
        `${props.roleName} (restoring the settings found before the first apply)`,
        props.policyId ?? id,
        original,
        null,
      );
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return;
      throw e;
    }
  }
}

/** The one instance: serialization is cached per provider object (pulumi-notes §0.4). */
export const directoryRoleSettingsProvider = new DirectoryRoleSettingsProvider();

export interface DirectoryRoleSettingsArgs {
  roleDefinitionId: pulumi.Input<string>;
  roleName: pulumi.Input<string>;
  settings: pulumi.Input<ResolvedSettings>;
  approverIds: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class DirectoryRoleSettings extends pulumi.dynamic.Resource {
  declare readonly roleDefinitionId: pulumi.Output<string>;
  declare readonly roleName: pulumi.Output<string>;
  declare readonly settings: pulumi.Output<ResolvedSettings>;
  declare readonly approverIds: pulumi.Output<Record<string, string>>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly originalRules: pulumi.Output<unknown[]>;

  constructor(name: string, args: DirectoryRoleSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      directoryRoleSettingsProvider,
      name,
      { policyId: undefined, originalRules: undefined, ...args },
      opts,
      DYNAMIC_MODULE,
      "DirectoryRoleSettings",
    );
  }
}
