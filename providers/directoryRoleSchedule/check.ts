/**
 * `check` of DirectoryRoleSchedule: the inputs' shape, with zod, no network. Loaded at call time by the provider, so
 * the schema is built once per process (not once per resource) and never serialized.
 */
import { GUID_PATTERN as GUID } from "../../model/ids";
import { z } from "zod";
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";
import type { DirectoryRoleScheduleInputs } from "../types";

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/,
    "must be an ISO 8601 instant with a zone, e.g. 2026-12-31T00:00:00Z",
  );
const guid = z.string().regex(GUID, "must be an object id (GUID)");

export const scheduleInputs = z
  .object({
    kind: z.enum(["eligible", "active"]),
    principalId: guid,
    roleDefinitionId: guid,
    directoryScopeId: z
      .string()
      .regex(
        /^\/$|^\/administrativeUnits\/[0-9a-f-]{36}$|^\/[0-9a-f-]{36}$/i,
        'must be "/" (tenant), "/administrativeUnits/<id>" or "/<application object id>"',
      ),
    start: instant.nullable(),
    end: instant.nullable(),
    justification: z.string(),
    ticket: z.strictObject({ system: z.string().min(1), number: z.string().min(1) }).nullable(),
    label: z.string().min(1),
    roleName: z.string().min(1).optional(),
    principalName: z.string().min(1).optional(),
  })
  .refine((i) => !i.start || !i.end || Date.parse(i.end) > Date.parse(i.start), {
    path: ["end"],
    message: "end must be after start",
  });

export function checkScheduleInputs(
  news: DirectoryRoleScheduleInputs,
): CheckResult<DirectoryRoleScheduleInputs> {
  const parsed = scheduleInputs.safeParse(news);
  if (parsed.success) return { inputs: news };
  const failures: CheckFailure[] = parsed.error.issues.map((i) => ({
    property: i.path.map(String).join(".") || "(root)",
    reason: `${news.label ?? "schedule"}: ${i.message}`,
  }));
  return { failures };
}
