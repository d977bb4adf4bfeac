/**
 * `check` of a schedule resource, with zod, no network: the window and request fields every family shares, and a
 * family's own target fields (`directoryRoleSchedule/check.ts`, `groupSchedule/check.ts`). Loaded at call time by
 * the providers, so schemas are built once per process and never serialized.
 */
import { GUID_PATTERN as GUID } from "../../model/ids";
import { z } from "zod";
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";
import type { ScheduleWindowInputs } from "../types";

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/,
    "must be an ISO 8601 instant with a zone, e.g. 2026-12-31T00:00:00Z",
  );
export const objectId = z.string().regex(GUID, "must be an object id (GUID)");

export const windowFields = {
  kind: z.enum(["eligible", "active"]),
  principalId: objectId,
  start: instant.nullable(),
  end: instant.nullable(),
  justification: z.string(),
  ticket: z.strictObject({ system: z.string().min(1), number: z.string().min(1) }).nullable(),
  label: z.string().min(1),
  principalName: z.string().min(1).optional(),
};

const endAfterStart = (i: { start?: unknown; end?: unknown }) =>
  typeof i.start !== "string" || typeof i.end !== "string" || Date.parse(i.end) > Date.parse(i.start);

/** A family's full schema: the shared fields, its own, and the end after the start. */
export function scheduleSchema<T extends z.ZodRawShape>(own: T) {
  return z
    .object({ ...windowFields, ...own })
    .refine(endAfterStart, { path: ["end"], message: "end must be after start" });
}

export function checkWith<I extends ScheduleWindowInputs>(schema: z.ZodType, news: I): CheckResult<I> {
  const parsed = schema.safeParse(news);
  if (parsed.success) return { inputs: news };
  const failures: CheckFailure[] = parsed.error.issues.map((i) => ({
    property: i.path.map(String).join(".") || "(root)",
    reason: `${news.label ?? "schedule"}: ${i.message}`,
  }));
  return { failures };
}
