// Request-body type checking with OData's messages: an unknown property or a wrong JSON type is a
// 400 before any business rule runs (Graph deserialises against the CSDL first).
import { badRequest } from "./errors";
import { parseDuration } from "./duration";

export type Field =
  | "string"
  | "boolean"
  | "int"
  | "datetime"
  | "duration"
  | "any"
  | { obj: Schema; type: string }
  | { arr: Field };
export type Schema = Record<string, Field>;

const EDM: Record<string, string> = {
  string: "Edm.String",
  boolean: "Edm.Boolean",
  int: "Edm.Int32",
  datetime: "Edm.DateTimeOffset",
  duration: "Edm.Duration",
};

function lit(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function validateBody(body: Record<string, unknown>, schema: Schema, typeName: string): void {
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith("@odata.")) {
      if (k === "@odata.type" && v !== undefined && typeof v === "string") {
        const t = v.replace(/^#/, "");
        if (t.toLowerCase() !== typeName.toLowerCase())
          throw badRequest(
            `A type named '${t}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`,
          );
      }
      continue;
    }
    // Own properties only: "constructor" or "__proto__" in a body must not reach Object.prototype.
    const f = Object.hasOwn(schema, k) ? schema[k] : undefined;
    if (!f)
      throw badRequest(
        `The property '${k}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    checkField(v, f);
  }
}

function checkField(v: unknown, f: Field): void {
  if (v === null || f === "any") return;
  if (typeof f === "string") {
    const ok =
      (f === "string" && typeof v === "string") ||
      (f === "boolean" && typeof v === "boolean") ||
      (f === "int" && typeof v === "number" && Number.isInteger(v)) ||
      (f === "datetime" &&
        typeof v === "string" &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
        !Number.isNaN(Date.parse(v))) ||
      (f === "duration" && parseDuration(v) !== null);
    if (!ok) throw badRequest(`Cannot convert the literal '${lit(v)}' to the expected type '${EDM[f]}'.`);
    return;
  }
  if ("arr" in f) {
    if (!Array.isArray(v)) throw badRequest(`Cannot convert the literal '${lit(v)}' to a collection.`);
    for (const x of v) checkField(x, f.arr);
    return;
  }
  if (typeof v !== "object" || Array.isArray(v))
    throw badRequest(`Cannot convert the literal '${lit(v)}' to the expected type '${f.type}'.`);
  validateBody(v as Record<string, unknown>, f.obj, f.type);
}

const expiration: Schema = { type: "string", endDateTime: "datetime", duration: "duration" };
const recurrence: Schema = { pattern: "any", range: "any" };
export const requestSchedule: Field = {
  type: "microsoft.graph.requestSchedule",
  obj: {
    startDateTime: "datetime",
    expiration: { type: "microsoft.graph.expirationPattern", obj: expiration },
    recurrence: { type: "microsoft.graph.patternedRecurrence", obj: recurrence },
  },
};
const ticketInfo: Field = {
  type: "microsoft.graph.ticketInfo",
  obj: { ticketNumber: "string", ticketSystem: "string" },
};

/** Writable members of unifiedRoleEligibilityScheduleRequest / unifiedRoleAssignmentScheduleRequest (§3.2). */
export const DIRECTORY_REQUEST_SCHEMA: Schema = {
  action: "string",
  principalId: "string",
  roleDefinitionId: "string",
  directoryScopeId: "string",
  appScopeId: "string",
  justification: "string",
  scheduleInfo: requestSchedule,
  ticketInfo,
  isValidationOnly: "boolean",
  customData: "string",
  targetScheduleId: "string",
};

/** privilegedAccessGroupEligibilityScheduleRequest / …AssignmentScheduleRequest (§4). */
export const GROUP_REQUEST_SCHEMA: Schema = {
  accessId: "string",
  groupId: "string",
  principalId: "string",
  action: "string",
  justification: "string",
  scheduleInfo: requestSchedule,
  ticketInfo,
  isValidationOnly: "boolean",
  customData: "string",
  targetScheduleId: "string",
};
