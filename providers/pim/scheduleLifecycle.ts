/**
 * The one lifecycle of a schedule (one eligible or active assignment), for both API families
 * (`scheduleFamily.ts`): directory roles (`DirectoryRoleSchedule`) and PIM for Groups (`GroupSchedule`).
 *
 * - Keyed on the schedule (id = schedule id, found by the grant's identity), never on the request: Graph purges
 *   requests after about 45 days, schedules live as long as the grant.
 * - `create` adopts: it looks for the grant's schedule first and takes it over, aligning its dates in place; the same
 *   happens when Graph answers `RoleAssignmentExists`, or when the answer to our own request was lost (the request
 *   may have committed): the schedule is looked up again before anything is sent twice.
 * - Writes as Graph documents them (issue 8 item 6): `adminAssign` for a new grant, `adminUpdate` for any change
 *   (`adminExtend` is documented for assignments about to expire, not for changes); every request that carries a
 *   schedule sends a `startDateTime` (`scheduleWindow.startToSend`); a change of a future start is an update.
 * - `delete` undoes only what is there: a grant that has not started is a pending request, cancelled; a started one
 *   is removed with `adminRemove`, waiting (bounded, with a progress line) while Entra refuses to remove an active
 *   assignment within five minutes of its start (`ActiveDurationTooShort`); "already gone" is success.
 * - A delete leaves alone a schedule that another resource took over in the same run (`handover.ts`): the engine
 *   creates a replacement, which adopts the schedule, before it deletes the resource replaced.
 * - Only the principal's own grants count (`memberType` Direct): what it holds through a group is that group's.
 *
 * Loaded at call time by the shim a resource stores in state (`providers/shim`), never serialized.
 */
import type * as pulumi from "@pulumi/pulumi";
import { graphFromEnvironment, isGraphError, setConfigSource, type GraphApi } from "../graph";
import type { LiveSchedule } from "../graph/reads";
import type { ScheduleRequestBody } from "../directoryRoleSchedule/lastGlobalAdmin";
import type { ScheduleOutputs, ScheduleWindowInputs } from "../types";
import { explainFailure } from "./explain";
import { claim, claimant, leftToNewOwner, type Claimant } from "./handover";
import type { ScheduleFamily } from "./scheduleFamily";
import * as L from "./scheduleLookups";
import {
  believedWindow,
  notStarted,
  sameWindow,
  startMatches,
  startToSend,
  windowOf,
  type LiveWindow,
} from "./scheduleWindow";
import { graphInstant, providerNow, sameInstant } from "./time";
import { seconds, waitFor } from "./wait";

type Outputs<I> = I & ScheduleOutputs;

interface Applied {
  scheduleId: string;
  status: string;
}

/** How long a removal waits out `ActiveDurationTooShort`: Entra's five minutes, and a margin. */
export const TOO_SHORT_WAIT = { limitMs: 6 * 60_000, firstDelayMs: 30_000, maxDelayMs: 60_000 };

/** A failure after which the request may or may not have been applied (no answer, or a gateway gave up). */
function outcomeUnknown(e: unknown): boolean {
  return isGraphError(e) && (e.status === 0 || e.status >= 500);
}

const hasCode = (e: unknown, code: string) => isGraphError(e) && e.code === code;

export class ScheduleLifecycle<I extends ScheduleWindowInputs> implements pulumi.dynamic.ResourceProvider<
  I,
  Outputs<I>
> {
  constructor(
    private readonly family: ScheduleFamily<I>,
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
    // Principal, kind and what is granted identify the schedule: changing one is a different grant. `__provider` is
    // deliberately not compared: a new version of this code is not a change of the tenant.
    const identity: (keyof I & string)[] = ["kind", "principalId", ...this.family.identity];
    const replaces = identity.filter(
      (k) => String(olds[k] ?? "").toLowerCase() !== String(news[k] ?? "").toLowerCase(),
    );
    const changed =
      !sameInstant(olds.start, news.start) ||
      !sameInstant(olds.end, news.end) ||
      olds.justification !== news.justification ||
      JSON.stringify(olds.ticket ?? null) !== JSON.stringify(news.ticket ?? null) ||
      this.family.descriptive.some((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || changed, replaces };
  }

  async create(inputs: I): Promise<{ id: string; outs: Outputs<I> }> {
    const g = graphFromEnvironment();
    const now = providerNow();
    const found = await L.lookupSchedule(g, this.family, inputs);
    let current = found.schedule;
    if (current && found.fromListing && sameWindow(windowOf(current), inputs, now)) {
      // About to adopt on the word of an older listing: confirm the schedule still exists before taking it over.
      current = await L.getSchedule(g, this.family, inputs.kind, current.id);
    }
    const applied = await this.align(g, inputs, current && { live: current, window: windowOf(current) }, now);
    claim("schedule", applied.scheduleId, this.claimantOf(inputs));
    return { id: applied.scheduleId, outs: { ...inputs, ...applied } };
  }

  async read(id: string, props?: Outputs<I>): Promise<pulumi.dynamic.ReadResult<Outputs<I>>> {
    if (!props) throw new Error(`${this.family.typeName} ${id}: refresh needs the saved state`);
    const g = graphFromEnvironment();
    const s = await L.readSchedule(g, this.family, props.scheduleId ?? id, props);
    if (!s) return {};
    const w = windowOf(s);
    const outs: Outputs<I> = {
      ...props,
      // Keep the declared text when the tenant agrees, so a refresh of an unchanged grant shows no difference.
      start: startMatches(w.startMs, props.start, providerNow())
        ? props.start
        : (s.scheduleInfo?.startDateTime ?? null),
      end: sameInstant(w.end, props.end) ? props.end : w.end,
      scheduleId: s.id,
      status: s.status ?? props.status,
    };
    const { scheduleId: _s, status: _st, ...inputs } = outs;
    return { id: s.id, props: outs, inputs: inputs as unknown as Outputs<I> };
  }

  async update(_id: string, olds: Outputs<I>, news: I): Promise<{ outs: Outputs<I> }> {
    claim("schedule", olds.scheduleId, this.claimantOf(news));
    if (sameInstant(olds.start, news.start) && sameInstant(olds.end, news.end)) {
      // Justification, ticket and labels belong to requests, not to the schedule: nothing to send.
      return { outs: { ...news, scheduleId: olds.scheduleId, status: olds.status } };
    }
    const g = graphFromEnvironment();
    const now = providerNow();
    // What the state knows of the live schedule (the last apply or refresh): no GET before the write.
    const believed: LiveSchedule = {
      id: olds.scheduleId,
      principalId: olds.principalId,
      ...this.family.target(olds),
      status: olds.status,
    };
    const applied = await this.align(g, news, { live: believed, window: believedWindow(olds, now) }, now);
    claim("schedule", applied.scheduleId, this.claimantOf(news));
    return { outs: { ...news, ...applied } };
  }

  async delete(_id: string, props: Outputs<I>): Promise<void> {
    // Replaced create-before-delete (a renamed grant file): the new resource adopted this schedule in this run.
    if (leftToNewOwner("schedule", props.scheduleId, this.claimantOf(props))) return;
    const g = graphFromEnvironment();
    const now = providerNow();
    const gone = () => L.recordWrite(g, this.family, props, null);
    if (props.start && Date.parse(props.start) > now) {
      // Declared for later: most likely still a pending request, which is cancelled rather than removed.
      const live =
        (await L.getSchedule(g, this.family, props.kind, props.scheduleId)) ??
        (await L.findSchedules(g, this.family, props))[0] ??
        null;
      if (!live) return gone();
      if (notStarted(windowOf(live), now) && (await this.cancel(g, props, live))) return gone();
    }
    try {
      await this.removeWhenAllowed(g, props);
      gone();
    } catch (e) {
      if (hasCode(e, "RoleAssignmentDoesNotExist") || outcomeUnknown(e)) {
        // Gone (expired, removed in the portal, or our removal's answer was lost), or not started: a pending grant
        // is no assignment yet, and only cancelling its request takes it away.
        const left = await L.findSchedules(g, this.family, props);
        if (left.length === 0) return gone();
        const pending = left.find((s) => notStarted(windowOf(s), now));
        if (pending && (await this.cancel(g, props, pending))) return gone();
      }
      throw await explainFailure(g, this.family, e, props, now);
    }
  }

  /** Who holds a schedule: the declaration's label and what it grants (`handover.ts`). */
  private claimantOf(i: I): Claimant {
    return claimant(i.label, [i.kind, i.principalId, ...Object.values(this.family.target(i))]);
  }

  /**
   * Brings the grant's schedule to the declared window: adminAssign when there is none, adminUpdate otherwise (Graph
   * updates in place: the schedule keeps its id). When Graph answers that the schedule exists (or does not), or the
   * answer was lost and the request may have committed, it looks again with a fresh GET and adopts or aligns what
   * it finds, once.
   */
  private async align(
    g: GraphApi,
    i: I,
    current: { live: LiveSchedule; window: LiveWindow } | null,
    now: number,
  ): Promise<Applied> {
    if (current && sameWindow(current.window, i, now))
      return { scheduleId: current.live.id, status: current.live.status ?? "Provisioned" };
    try {
      return await this.send(g, i, current === null ? "adminAssign" : "adminUpdate", current, now);
    } catch (e) {
      if (
        hasCode(e, "RoleAssignmentExists") ||
        hasCode(e, "RoleAssignmentDoesNotExist") ||
        outcomeUnknown(e)
      ) {
        const found = (await L.findSchedules(g, this.family, i))[0] ?? null;
        const fw = found && windowOf(found);
        if (found && fw && sameWindow(fw, i, now)) {
          L.recordWrite(g, this.family, i, found);
          return { scheduleId: found.id, status: found.status ?? "Provisioned" };
        }
        if ((found === null) !== (current === null) || (found && current && found.id !== current.live.id)) {
          try {
            const again = found && fw ? { live: found, window: fw } : null;
            return await this.send(g, i, found === null ? "adminAssign" : "adminUpdate", again, now);
          } catch (second) {
            throw await explainFailure(g, this.family, second, i, now);
          }
        }
      }
      throw await explainFailure(g, this.family, e, i, now);
    }
  }

  private body(action: string, i: I, start: string): ScheduleRequestBody {
    return {
      action,
      principalId: i.principalId,
      ...this.family.target(i),
      justification: i.justification,
      scheduleInfo: {
        startDateTime: start,
        expiration: i.end
          ? { type: "afterDateTime", endDateTime: graphInstant(i.end) }
          : { type: "noExpiration" },
      },
      ...(i.ticket ? { ticketInfo: { ticketSystem: i.ticket.system, ticketNumber: i.ticket.number } } : {}),
    };
  }

  /** Every request goes through here, so the family's guard (the last Global Administrator) runs for all of them. */
  private async submit<T>(g: GraphApi, kind: I["kind"], body: ScheduleRequestBody): Promise<T> {
    await this.family.guard(g, kind, body);
    return g.post<T>(this.family.requestsPath(kind), body);
  }

  private async send(
    g: GraphApi,
    i: I,
    action: "adminAssign" | "adminUpdate",
    current: { live: LiveSchedule; window: LiveWindow } | null,
    now: number,
  ): Promise<Applied> {
    const body = this.body(action, i, startToSend(i.start, current?.window ?? null, now));
    const res = await this.submit<{ targetScheduleId?: string | null; id: string; status: string }>(
      g,
      i.kind,
      body,
    );
    const applied = { scheduleId: res.targetScheduleId ?? current?.live.id ?? res.id, status: res.status };
    L.recordWrite(g, this.family, i, {
      id: applied.scheduleId,
      principalId: i.principalId,
      ...this.family.target(i),
      status: applied.status,
      memberType: "Direct",
      createdUsing: action === "adminAssign" ? res.id : (current?.live.createdUsing ?? null),
      scheduleInfo: body.scheduleInfo as LiveSchedule["scheduleInfo"],
    });
    return applied;
  }

  /**
   * Cancels the request that made a grant which has not started. True when it is cancelled; false when Graph
   * says it can no longer be cancelled (it has started meanwhile: remove it instead).
   */
  private async cancel(g: GraphApi, i: Outputs<I>, pending: LiveSchedule): Promise<boolean> {
    const requestId = pending.createdUsing;
    const when = pending.scheduleInfo?.startDateTime ?? "later";
    if (!requestId) {
      throw new Error(
        `${i.label}: the grant starts ${when} and Graph names no request that made it, so it cannot be cancelled. Remove the pending assignment in the Entra admin center (PIM, Assignments), then run again.`,
      );
    }
    try {
      await g.post(`${this.family.requestsPath(i.kind)}/${encodeURIComponent(requestId)}/cancel`);
      return true;
    } catch (e) {
      if (isGraphError(e) && e.status === 404) {
        throw new Error(
          `${i.label}: the grant starts ${when}, and Graph has purged the request that made it (requests are kept about 45 days), so it can no longer be cancelled. Remove the pending assignment in the Entra admin center (PIM, Assignments), then run again.`,
        );
      }
      if (isGraphError(e) && e.status === 400) return false;
      throw e;
    }
  }

  /** adminRemove, waiting out Entra's five minutes after the start of an active assignment (bounded). */
  private async removeWhenAllowed(g: GraphApi, i: Outputs<I>): Promise<void> {
    const body: ScheduleRequestBody = {
      action: "adminRemove",
      principalId: i.principalId,
      ...this.family.target(i),
      justification: `Removed by pim-as-code: ${i.label}`,
    };
    const removed = await waitFor(
      {
        ...TOO_SHORT_WAIT,
        describe: (waited, next) =>
          `pim: ${i.label}: Entra refuses to remove an active assignment within five minutes of its start (ActiveDurationTooShort); retrying in ${seconds(next)} (waited ${seconds(waited)} of at most ${seconds(TOO_SHORT_WAIT.limitMs)})`,
      },
      async () => {
        try {
          await this.submit(g, i.kind, body);
          return true;
        } catch (e) {
          if (hasCode(e, "ActiveDurationTooShort")) return undefined;
          throw e;
        }
      },
    );
    if (!removed) {
      throw new Error(
        `${i.label}: Entra still refuses to remove the active assignment after ${seconds(TOO_SHORT_WAIT.limitMs)} (ActiveDurationTooShort: it started less than five minutes ago). Nothing was removed; run again in a few minutes.`,
      );
    }
  }
}
