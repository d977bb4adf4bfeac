/**
 * The implementation of `DirectoryRoleSettings` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSettings`): the 17 rules of
 * one Entra directory role's PIM policy, declared in model form and applied as one PATCH of the rules that change.
 *
 * Loaded at call time by the shim the resource stores in state (`providers/shim`), never serialized: ordinary
 * imports, current code for every operation. Credentials are read at call time by the Graph layer.
 */
import type * as pulumi from "@pulumi/pulumi";
import { graphFromEnvironment, isGraphError, odataFilter, setConfigSource, type GraphApi } from "../graph";
import { readBack } from "../graph/readBack";
import * as R from "../../model/settings/graphRules";
import type { GraphRule } from "../../model/settings/graphRules";
import { isObjectId } from "../../model/ids";
import { approverKey } from "../../model/keys";
import type { Approver, ResolvedSettings } from "../../model/types";
import type { DirectoryRoleSettingsInputs, DirectoryRoleSettingsOutputs } from "../types";
import { checkSettingsInputs } from "./check";

type Inputs = DirectoryRoleSettingsInputs;
type Outputs = DirectoryRoleSettingsOutputs;

/** `approverIds` plus `<type>:<id>` for approvers that are already object ids (as `read` reports unknown ones). */
function idsFor(settings: ResolvedSettings, approverIds: Record<string, string>): Record<string, string> {
  const out = { ...approverIds };
  for (const st of settings.activation.approval.stages) {
    for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])]) {
      const key = approverKey(a);
      if (!out[key] && isObjectId(a.ref)) out[key] = a.ref;
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
    const id = approverIds[approverKey(a)];
    if (id) names[id.toLowerCase()] = a.ref;
  }
  for (const [key, id] of Object.entries(approverIds)) {
    if (!names[id.toLowerCase()]) names[id.toLowerCase()] = key.slice(key.indexOf(":") + 1);
  }
  return names;
}

async function findPolicyId(g: GraphApi, roleDefinitionId: string, roleName: string): Promise<string> {
  // The scopeId + scopeType filter is required by Graph (graph-pim.md §1.2); never construct the policy id.
  const filter = odataFilter({ scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId });
  const page = await g.get<{ value: { policyId: string }[] }>(
    `/policies/roleManagementPolicyAssignments?${filter}`,
  );
  const hit = page.value?.[0];
  if (!hit?.policyId) throw new Error(`${roleName}: Entra has no PIM policy for role ${roleDefinitionId}`);
  return hit.policyId;
}

async function getRules(g: GraphApi, policyId: string): Promise<GraphRule[]> {
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
  g: GraphApi,
  label: string,
  policyId: string,
  desired: GraphRule[],
  believed: GraphRule[] | null,
): Promise<GraphRule[]> {
  let live = believed ?? (await getRules(g, policyId));
  let toSend = R.changedRules(desired, live);
  for (let round = 0; toSend.length > 0; round++) {
    if (round === 2) break;
    await g.patch(`/policies/roleManagementPolicies/${encodeURIComponent(policyId)}`, { rules: toSend });
    const sent = toSend;
    const notTaken = (rules: GraphRule[]) => {
      const liveById = new Map(rules.map((r) => [r.id, r]));
      return sent.filter((r) => !liveById.has(r.id) || !R.sameRule(r, liveById.get(r.id)!));
    };
    // Read back with back-off before calling anything refused: Graph may still answer the old rules.
    live = (
      await readBack(
        g,
        label,
        () => getRules(g, policyId),
        (rules) => notTaken(rules).length === 0,
      )
    ).value;
    const liveById = new Map(live.map((r) => [r.id, r]));
    const refused = notTaken(live);
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
    return JSON.stringify(
      R.toGraphRules(i.settings, idsFor(i.settings, i.approverIds ?? {})).map(R.canonicalRule),
    );
  } catch {
    return null;
  }
}

class DirectoryRoleSettingsProvider implements pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
  /** Stack config (`pim:graphBaseUrl`, `azuread:tenantId`) for the Graph layer, handed over by the provider host. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    setConfigSource(req.config);
  }

  async check(_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>> {
    return checkSettingsInputs(news);
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
    const g = graphFromEnvironment();
    const desired = R.toGraphRules(inputs.settings, inputs.approverIds);
    const policyId = await findPolicyId(g, inputs.roleDefinitionId, inputs.roleName);
    const original = await getRules(g, policyId);
    await applyRules(g, inputs.roleName, policyId, desired, original);
    return { id: policyId, outs: { ...inputs, policyId, originalRules: stripAnnotations(original) } };
  }

  async read(id: string, props?: Outputs): Promise<pulumi.dynamic.ReadResult<Outputs>> {
    if (!props) throw new Error(`DirectoryRoleSettings ${id}: refresh needs the saved state`);
    const g = graphFromEnvironment();
    let rules: GraphRule[];
    try {
      rules = await getRules(g, props.policyId ?? id);
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return {};
      throw e;
    }
    const live = R.fromGraphRules(rules, namesFor(props.settings, props.approverIds ?? {}));
    const outs: Outputs = { ...props, settings: live };
    const { originalRules: _o, policyId: _p, ...inputs } = outs;
    return { id, props: outs, inputs: inputs as Outputs };
  }

  async update(_id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }> {
    const g = graphFromEnvironment();
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
    const g = graphFromEnvironment();
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

export const provider = new DirectoryRoleSettingsProvider();
