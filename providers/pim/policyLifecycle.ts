/**
 * The one lifecycle of a role management policy (17 rules), for both API families (`policyFamily.ts`): a directory
 * role's settings (`DirectoryRoleSettings`) and a PIM-for-Groups group's member or owner policy (`GroupPolicy`).
 *
 * - The settings are declared in model form; the one settings mapping (`model/settings/graphRules.ts`) turns them
 *   into Graph's rules, and an apply is ONE whole-policy PATCH of the rules that differ, then a read-back.
 * - `create` adopts the policy that exists (policies cannot be created) and records its rules as found; `delete`
 *   restores them, unless another resource took the policy over in the same run (`handover.ts`: the engine creates
 *   a replacement before it deletes the resource replaced). `update` changes in place. A policy that is gone (its group deleted) is success on delete.
 * - `read` refreshes the settings from the live rules, naming approvers as they were declared.
 *
 * Loaded at call time by the shim a resource stores in state (`providers/shim`), never serialized. Credentials are
 * read at call time by the Graph layer.
 */
import type * as pulumi from "@pulumi/pulumi";
import { graphFromEnvironment, isGraphError, setConfigSource, type GraphApi } from "../graph";
import { readBack } from "../graph/readBack";
import { readAssignedPolicy, readPolicyRules, type LivePolicy } from "../graph/reads";
import * as R from "../../model/settings/graphRules";
import type { GraphRule } from "../../model/settings/graphRules";
import { isObjectId } from "../../model/ids";
import { approverKey } from "../../model/keys";
import type { Approver, ResolvedSettings } from "../../model/types";
import type { PolicyOutputs, PolicySettingsInputs } from "../types";
import { batchedGet } from "./batchedGet";
import { claim, claimant, leftToNewOwner, type Claimant } from "./handover";
import { POLICY_WAIT, type PolicyFamily } from "./policyFamily";
import { seconds, waitClock, waitFor } from "./wait";

type Outputs<I> = I & PolicyOutputs;

const approversOf = (settings: ResolvedSettings): Approver[] =>
  settings.activation.approval.stages.flatMap((st) => [...st.approvers, ...(st.escalation?.approvers ?? [])]);

/** `approverIds` plus `<type>:<id>` for approvers that are already object ids (as `read` reports unknown ones). */
function idsFor(settings: ResolvedSettings, approverIds: Record<string, string>): Record<string, string> {
  const out = { ...approverIds };
  for (const a of approversOf(settings)) {
    const key = approverKey(a);
    if (!out[key] && isObjectId(a.ref)) out[key] = a.ref;
  }
  return out;
}

/** Object id → the name the declaration uses, so `read` reports approvers the way they were declared. */
function namesFor(settings: ResolvedSettings, approverIds: Record<string, string>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const a of approversOf(settings)) {
    const id = approverIds[approverKey(a)];
    if (id) names[id.toLowerCase()] = a.ref;
  }
  for (const [key, id] of Object.entries(approverIds)) {
    if (!names[id.toLowerCase()]) names[id.toLowerCase()] = key.slice(key.indexOf(":") + 1);
  }
  return names;
}

/** The canonical rules an input set stands for, or null when they cannot be built (missing approver id). */
function canonicalOf(i: Pick<PolicySettingsInputs, "settings" | "approverIds">): string | null {
  try {
    return JSON.stringify(
      R.toGraphRules(i.settings, idsFor(i.settings, i.approverIds ?? {})).map(R.canonicalRule),
    );
  } catch {
    return null;
  }
}

export class PolicyLifecycle<I extends PolicySettingsInputs> implements pulumi.dynamic.ResourceProvider<
  I,
  Outputs<I>
> {
  constructor(
    private readonly family: PolicyFamily<I>,
    private readonly checkInputs: (news: I) => pulumi.dynamic.CheckResult<I>,
  ) {}

  /** Stack config (`pim:graphBaseUrl`, `azuread:tenantId`) for the Graph layer, handed over by the provider host. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    setConfigSource(req.config);
  }

  async check(_olds: I, news: I): Promise<pulumi.dynamic.CheckResult<I>> {
    return this.checkInputs(news);
  }

  async diff(_id: string, olds: Outputs<I>, news: I): Promise<pulumi.dynamic.DiffResult> {
    // `__provider` is deliberately not compared: a new version of this code is not a change of the tenant.
    const replaces = this.family.identity.filter(
      (k) => String(olds[k] ?? "").toLowerCase() !== String(news[k] ?? "").toLowerCase(),
    );
    const before = canonicalOf(olds);
    const after = canonicalOf(news);
    const settingsChanged =
      before === null || after === null
        ? JSON.stringify([olds.settings, olds.approverIds]) !==
          JSON.stringify([news.settings, news.approverIds])
        : before !== after;
    const described = this.family.descriptive.some(
      (k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null),
    );
    return { changes: replaces.length > 0 || settingsChanged || described, replaces };
  }

  async create(inputs: I): Promise<{ id: string; outs: Outputs<I> }> {
    const g = graphFromEnvironment();
    const found = await this.find(g, inputs, true);
    const desired = R.toGraphRules(inputs.settings, inputs.approverIds);
    const live = await this.apply(g, this.family.label(inputs), inputs, desired, found);
    claim("policy", live.policyId, this.claimantOf(inputs));
    return { id: live.policyId, outs: { ...inputs, policyId: live.policyId, originalRules: found.rules } };
  }

  async read(id: string, props?: Outputs<I>): Promise<pulumi.dynamic.ReadResult<Outputs<I>>> {
    if (!props) throw new Error(`${this.family.typeName} ${id}: refresh needs the saved state`);
    const g = graphFromEnvironment();
    const live = await this.current(g, props, props.policyId ?? id);
    if (!live) return {};
    const settings = R.fromGraphRules(live.rules, namesFor(props.settings, props.approverIds ?? {}));
    const outs: Outputs<I> = { ...props, settings, policyId: live.policyId };
    const { originalRules: _o, policyId: _p, ...inputs } = outs;
    return { id: live.policyId, props: outs, inputs: inputs as unknown as Outputs<I> };
  }

  async update(_id: string, olds: Outputs<I>, news: I): Promise<{ outs: Outputs<I> }> {
    const g = graphFromEnvironment();
    const desired = R.toGraphRules(news.settings, news.approverIds);
    // What the tenant holds as far as the state knows (the last apply or refresh): no GET before the PATCH.
    let believed: LivePolicy | null = null;
    try {
      const rules = R.toGraphRules(olds.settings, idsFor(olds.settings, olds.approverIds ?? {}));
      // State written before policyId was recorded: look the policy up once.
      const policyId = olds.policyId ?? (await this.find(g, news, false)).policyId;
      believed = { policyId, rules };
    } catch {
      believed = null;
    }
    const live = await this.apply(g, this.family.label(news), news, desired, believed);
    claim("policy", live.policyId, this.claimantOf(news));
    return { outs: { ...news, policyId: live.policyId, originalRules: olds.originalRules } };
  }

  /** Restores the rules found before the first apply. */
  async delete(id: string, props: Outputs<I>): Promise<void> {
    // Replaced create-before-delete (a renamed role entry): the new resource adopted this policy in this run, and
    // restoring the rules found before management would undo what it declares.
    if (leftToNewOwner("policy", props.policyId ?? id, this.claimantOf(props))) return;
    const original = (props.originalRules ?? []) as GraphRule[];
    if (original.length === 0) return;
    const g = graphFromEnvironment();
    try {
      const live = await this.current(g, props, props.policyId ?? id);
      if (!live) return; // the policy is gone with what it governed (a deleted group): nothing to restore
      await this.apply(
        g,
        `${this.family.label(props)} (restoring the settings found before the first apply)`,
        props,
        original,
        live,
      );
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return;
      throw e;
    }
  }

  /** Who holds a policy: the declaration's label and what it governs (`handover.ts`). */
  private claimantOf(i: I): Claimant {
    return claimant(
      this.family.label(i),
      this.family.identity.map((k) => i[k]),
    );
  }

  /**
   * The policy that governs `i`, found by scope (one GET: the assignment with its policy and rules). `create` waits
   * for a policy that appears late (a new group's), bounded, with a progress line; then fails clearly.
   */
  private async find(g: GraphApi, i: I, waitForIt: boolean): Promise<LivePolicy> {
    const look = () => readAssignedPolicy(g, this.family.scope(i), (url) => batchedGet(g, url));
    const started = waitClock();
    const found =
      waitForIt && this.family.appearsLate
        ? await waitFor(
            {
              ...POLICY_WAIT,
              describe: (waited, next) =>
                `pim: waiting for Entra to create the PIM policy of ${this.family.label(i)} (a new group's policies appear shortly after the group): ${seconds(waited)} so far, looking again in ${seconds(next)}, at most ${seconds(POLICY_WAIT.limitMs)}`,
            },
            async () => (await look()) ?? undefined,
          )
        : await look();
    if (!found) throw new Error(this.family.missing(i, waitClock() - started));
    return found;
  }

  /** The live policy and rules now: found again by scope where ids move, else by id. Null when it is gone. */
  private async current(g: GraphApi, i: I, policyId: string): Promise<LivePolicy | null> {
    if (this.family.idMoves) return readAssignedPolicy(g, this.family.scope(i), (url) => batchedGet(g, url));
    const rules = await readPolicyRules(g, policyId);
    return rules ? { policyId, rules } : null;
  }

  /**
   * Sends the rules of `desired` that differ from `believed` as ONE whole-policy PATCH, then reads the policy back
   * and fails, naming the rule and the values, if the tenant does not hold what was sent. Rules that differ on
   * read-back although they were not sent (portal drift since the last refresh) are sent in one more PATCH and
   * checked the same way. Returns the live policy (its id may have changed: group onboarding).
   *
   * Why the whole-policy PATCH (`PATCH /policies/roleManagementPolicies/{id}` with a `rules` subset) even when one
   * rule changes: (1) it is one request however many rules change, and one code path; (2) per-rule PATCHes are
   * refused with `ActivationCustomApproversNotEmpty` once an Approver notification rule holds recipients, while the
   * whole-policy PATCH still works (graph-pim.md §1.5, §1.9); (3) rules that depend on each other (MFA on activation
   * versus an authentication context) change together, so the tenant never sees the forbidden half-way state.
   */
  private async apply(
    g: GraphApi,
    label: string,
    i: I,
    desired: GraphRule[],
    believed: LivePolicy | null,
  ): Promise<LivePolicy> {
    let live = believed ?? (await this.current(g, i, (await this.find(g, i, false)).policyId));
    if (!live) throw new Error(`${label}: the policy is gone`);
    let toSend = R.changedRules(desired, live.rules);
    for (let round = 0; toSend.length > 0; round++) {
      if (round === 2) break;
      await g.patch(`/policies/roleManagementPolicies/${encodeURIComponent(live.policyId)}`, {
        rules: toSend,
      });
      const sent = toSend;
      const policyId: string = live.policyId;
      const notTaken = (rules: GraphRule[]) => {
        const byId = new Map(rules.map((r) => [r.id, r]));
        return sent.filter((r) => !byId.has(r.id) || !R.sameRule(r, byId.get(r.id)!));
      };
      // Read back with back-off before calling anything refused: Graph may still answer the old rules.
      const after: LivePolicy | null = (
        await readBack<LivePolicy | null>(
          g,
          label,
          () => this.current(g, i, policyId),
          (p: LivePolicy | null) => p !== null && notTaken(p.rules).length === 0,
        )
      ).value;
      if (!after) throw new Error(`${label}: the policy ${policyId} is gone after the update`);
      live = after;
      const liveById = new Map(live.rules.map((r) => [r.id, r]));
      const refused = notTaken(live.rules);
      if (refused.length) {
        const detail = refused
          .map((r) => `${r.id} (${R.describeRuleDifference(r, liveById.get(r.id))})`)
          .join("; ");
        throw new Error(`${label}: the tenant did not take the settings it was sent: ${detail}`);
      }
      toSend = R.changedRules(desired, live.rules);
    }
    if (toSend.length) {
      throw new Error(`${label}: the rules keep changing under us: ${toSend.map((r) => r.id).join(", ")}`);
    }
    return live;
  }
}
