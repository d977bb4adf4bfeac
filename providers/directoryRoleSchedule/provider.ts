/**
 * The implementation of `DirectoryRoleSchedule` (`pulumi-nodejs:dynamic/pim:DirectoryRoleSchedule`): one eligible
 * or active, time-bound assignment of an Entra directory role, at tenant, administrative-unit or application scope.
 *
 * Keyed on the schedule (id = schedule id, found by principal + role + directory scope), never on the request: Graph
 * purges requests after about 45 days, schedules live as long as the grant.
 *
 * Idempotence: `create` first looks for a schedule of the same principal, role and scope and adopts it (or aligns
 * its dates); the same happens when Graph answers `RoleAssignmentExists`, or when the answer to our own request was
 * lost (the request may have committed): the schedule is looked up again before anything is sent twice.
 *
 * Loaded at call time by the shim the resource stores in state (`providers/shim`), never serialized.
 */
import type * as pulumi from "@pulumi/pulumi";
import { graphFromEnvironment, isGraphError, setConfigSource, type GraphApi } from "../graph";
import type { DirectoryRoleScheduleInputs, DirectoryRoleScheduleOutputs } from "../types";
import { checkScheduleInputs } from "./check";
import { explainFailure } from "./explain";
import { refuseEndingLastGlobalAdmin, type ScheduleRequestBody } from "./lastGlobalAdmin";
import * as S from "./graphSchedules";
import type { GraphSchedule } from "./graphSchedules";

type Inputs = DirectoryRoleScheduleInputs;
type Outputs = DirectoryRoleScheduleOutputs;

/** Instants closer than this are the same instant (Graph drops milliseconds). */
const SAME_INSTANT_MS = 1000;

function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return Math.abs(Date.parse(a) - Date.parse(b)) < SAME_INSTANT_MS;
}

const liveStart = (s: GraphSchedule) => s.scheduleInfo?.startDateTime ?? null;
const liveEnd = (s: GraphSchedule) => {
  const e = s.scheduleInfo?.expiration;
  return e && e.type !== "noExpiration" && e.endDateTime ? e.endDateTime : null;
};

/**
 * A live schedule gives what was declared when it ends at the declared end and does not start before the declared
 * start (a grant provisioned after its declared start is as declared: access cannot begin in the past).
 */
function startOk(s: GraphSchedule, declared: string | null): boolean {
  const live = liveStart(s);
  if (!declared || !live) return true;
  return Date.parse(live) >= Date.parse(declared) - SAME_INSTANT_MS;
}

function sameWindow(s: GraphSchedule, i: Pick<Inputs, "start" | "end">): boolean {
  return sameInstant(liveEnd(s), i.end) && startOk(s, i.start);
}

function requestBody(action: string, i: Inputs, withStart: boolean): ScheduleRequestBody {
  return {
    action,
    principalId: i.principalId,
    roleDefinitionId: i.roleDefinitionId,
    directoryScopeId: i.directoryScopeId,
    justification: i.justification,
    scheduleInfo: {
      // No start means "when provisioned": Graph takes its own now (the host clock may differ from Graph's).
      ...(withStart && i.start ? { startDateTime: i.start } : {}),
      expiration: i.end ? { type: "afterDateTime", endDateTime: i.end } : { type: "noExpiration" },
    },
    ...(i.ticket ? { ticketInfo: { ticketSystem: i.ticket.system, ticketNumber: i.ticket.number } } : {}),
  };
}

/** A failure after which the request may or may not have been applied (no answer, or a gateway gave up). */
function outcomeUnknown(e: unknown): boolean {
  return isGraphError(e) && (e.status === 0 || e.status >= 500);
}

interface Applied {
  scheduleId: string;
  status: string;
}

/** What the triple holds after a write of ours, in Graph's shape, to keep the shared listing current. */
function written(i: Inputs, a: Applied): GraphSchedule {
  return {
    id: a.scheduleId,
    principalId: i.principalId,
    roleDefinitionId: i.roleDefinitionId,
    directoryScopeId: i.directoryScopeId,
    status: a.status,
    scheduleInfo: {
      startDateTime: i.start,
      expiration: i.end ? { type: "afterDateTime", endDateTime: i.end } : { type: "noExpiration" },
    },
  };
}

/**
 * Every schedule request this provider sends goes through here, so the one safety check on the write path runs
 * for all of them: no request may end or remove the tenant's last permanent Global Administrator.
 */
async function submit<T>(g: GraphApi, kind: Inputs["kind"], body: ScheduleRequestBody): Promise<T> {
  await refuseEndingLastGlobalAdmin(g, kind, body);
  return g.post<T>(S.requestsPath(kind), body);
}

async function send(
  g: GraphApi,
  i: Inputs,
  action: string,
  withStart: boolean,
  current: GraphSchedule | null,
): Promise<Applied> {
  const res = await submit<{ targetScheduleId?: string | null; id: string; status: string }>(
    g,
    i.kind,
    requestBody(action, i, withStart),
  );
  const applied = { scheduleId: res.targetScheduleId ?? current?.id ?? res.id, status: res.status };
  S.recordWrite(
    g,
    i.kind,
    S.tripleKey(i.principalId, i.roleDefinitionId, i.directoryScopeId),
    written(i, applied),
  );
  return applied;
}

/**
 * Brings the triple's schedule to the declared window: adminAssign when there is none, adminExtend when only the end
 * moves later, adminUpdate otherwise (Graph updates in place: the schedule keeps its id). When Graph answers that the
 * schedule exists (or does not), or the answer was lost and the request may have committed, it looks again with a
 * fresh GET and adopts or aligns what it finds, once.
 */
async function align(g: GraphApi, i: Inputs, current: GraphSchedule | null): Promise<Applied> {
  if (current && sameWindow(current, i))
    return { scheduleId: current.id, status: current.status ?? "Provisioned" };
  const onlyLater =
    current !== null &&
    startOk(current, i.start) &&
    i.end !== null &&
    liveEnd(current) !== null &&
    Date.parse(i.end) > Date.parse(liveEnd(current)!);
  const action = current === null ? "adminAssign" : onlyLater ? "adminExtend" : "adminUpdate";
  // The start is only sent when it matters: a new assignment, or a future start the live schedule does not keep.
  const sendStart = current === null || (!!i.start && !startOk(current, i.start));
  try {
    return await send(g, i, action, sendStart, current);
  } catch (e) {
    if (
      isGraphError(e) &&
      (e.code === "RoleAssignmentExists" || e.code === "RoleAssignmentDoesNotExist" || outcomeUnknown(e))
    ) {
      const found =
        (await S.findSchedules(g, i.kind, i.principalId, i.roleDefinitionId, i.directoryScopeId))[0] ?? null;
      if (found && sameWindow(found, i)) {
        const adopted = { scheduleId: found.id, status: found.status ?? "Provisioned" };
        S.recordWrite(g, i.kind, S.tripleKey(i.principalId, i.roleDefinitionId, i.directoryScopeId), found);
        return adopted;
      }
      if ((found === null) !== (current === null) || (found && current && found.id !== current.id)) {
        try {
          return await send(
            g,
            i,
            found === null ? "adminAssign" : "adminUpdate",
            found === null || !!i.start,
            found,
          );
        } catch (again) {
          throw await explainFailure(g, again, i);
        }
      }
    }
    throw await explainFailure(g, e, i);
  }
}

class DirectoryRoleScheduleProvider implements pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    setConfigSource(req.config);
  }

  async check(_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>> {
    return checkScheduleInputs(news);
  }

  async diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
    // Principal, role, scope and kind identify the schedule: changing one is a different grant. `__provider` is
    // deliberately not compared: a new version of this code is not a change of the tenant.
    const replaces = (["kind", "principalId", "roleDefinitionId", "directoryScopeId"] as const).filter(
      (k) => String(olds[k] ?? "").toLowerCase() !== String(news[k] ?? "").toLowerCase(),
    );
    const changed =
      !sameInstant(olds.start, news.start) ||
      !sameInstant(olds.end, news.end) ||
      olds.justification !== news.justification ||
      JSON.stringify(olds.ticket ?? null) !== JSON.stringify(news.ticket ?? null) ||
      olds.label !== news.label ||
      olds.roleName !== news.roleName ||
      olds.principalName !== news.principalName;
    return { changes: replaces.length > 0 || changed, replaces };
  }

  async create(inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
    const g = graphFromEnvironment();
    const found = await S.lookupSchedule(
      g,
      inputs.kind,
      inputs.principalId,
      inputs.roleDefinitionId,
      inputs.directoryScopeId,
    );
    let current = found.schedule;
    if (current && found.fromListing && sameWindow(current, inputs)) {
      // About to adopt on the word of a shared listing: confirm the schedule still exists before taking it over.
      current = await S.getSchedule(g, inputs.kind, current.id);
    }
    const applied = await align(g, inputs, current);
    return {
      id: applied.scheduleId,
      outs: { ...inputs, scheduleId: applied.scheduleId, status: applied.status },
    };
  }

  async read(id: string, props?: Outputs): Promise<pulumi.dynamic.ReadResult<Outputs>> {
    if (!props) throw new Error(`DirectoryRoleSchedule ${id}: refresh needs the saved state`);
    const g = graphFromEnvironment();
    const s = await S.readSchedule(
      g,
      props.kind,
      props.scheduleId ?? id,
      props.principalId,
      props.roleDefinitionId,
      props.directoryScopeId,
    );
    if (!s) return {};
    const end = liveEnd(s);
    const start = liveStart(s);
    const outs: Outputs = {
      ...props,
      // Keep the declared text when the tenant agrees, so a refresh of an unchanged grant shows no difference.
      start: startOk(s, props.start) ? props.start : start,
      end: sameInstant(end, props.end) ? props.end : end,
      scheduleId: s.id,
      status: s.status ?? props.status,
    };
    const { scheduleId: _s, status: _st, ...inputs } = outs;
    return { id: s.id, props: outs, inputs: inputs as Outputs };
  }

  async update(_id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }> {
    if (sameInstant(olds.start, news.start) && sameInstant(olds.end, news.end)) {
      // Justification, ticket and label belong to requests, not to the schedule: nothing to send.
      return { outs: { ...news, scheduleId: olds.scheduleId, status: olds.status } };
    }
    const g = graphFromEnvironment();
    // What the state knows of the live schedule (the last apply or refresh): no GET before the write.
    const believed: GraphSchedule = {
      id: olds.scheduleId,
      principalId: olds.principalId,
      roleDefinitionId: olds.roleDefinitionId,
      directoryScopeId: olds.directoryScopeId,
      status: olds.status,
      scheduleInfo: {
        startDateTime: olds.start,
        expiration: olds.end ? { type: "afterDateTime", endDateTime: olds.end } : { type: "noExpiration" },
      },
    };
    const applied = await align(g, news, believed);
    return { outs: { ...news, scheduleId: applied.scheduleId, status: applied.status } };
  }

  /** adminRemove; a schedule that already expired or was removed is success (`RoleAssignmentDoesNotExist`). */
  async delete(_id: string, props: Outputs): Promise<void> {
    const g = graphFromEnvironment();
    const gone = () =>
      S.recordWrite(
        g,
        props.kind,
        S.tripleKey(props.principalId, props.roleDefinitionId, props.directoryScopeId),
        null,
      );
    try {
      await submit(g, props.kind, {
        action: "adminRemove",
        principalId: props.principalId,
        roleDefinitionId: props.roleDefinitionId,
        directoryScopeId: props.directoryScopeId,
        justification: `Removed by pim-as-code: ${props.label}`,
      });
      gone();
    } catch (e) {
      if (isGraphError(e) && e.code === "RoleAssignmentDoesNotExist") return gone();
      if (outcomeUnknown(e)) {
        // Our removal may have gone through before the answer was lost: gone now is success.
        const left = await S.findSchedules(
          g,
          props.kind,
          props.principalId,
          props.roleDefinitionId,
          props.directoryScopeId,
        );
        if (left.length === 0) return gone();
      }
      throw await explainFailure(g, e, props);
    }
  }
}

export const provider = new DirectoryRoleScheduleProvider();
