/**
 * `check` of a settings resource: the shape of its inputs and what Entra would refuse, with zod, no network. The
 * settings are checked the same way for every family; each family adds its own target fields
 * (`directoryRoleSettings/check.ts`, `groupPolicy/check.ts`). Loaded at call time by the providers, so schemas are
 * built once per process and never serialized.
 */
import { GUID_PATTERN as GUID } from "../../model/ids";
import { approverKey } from "../../model/keys";
import { resolvedSettings } from "../../model/schema/resolvedSettings";
import { z } from "zod";
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";
import type { PolicySettingsInputs } from "../types";

const settingsFields = {
  settings: resolvedSettings,
  approverIds: z.record(z.string(), z.string().regex(GUID, "must be an object id (GUID)")),
};

export function policySchema<T extends z.ZodRawShape>(own: T) {
  return z.object({ ...own, ...settingsFields });
}

export function checkPolicyWith<I extends PolicySettingsInputs>(schema: z.ZodType, news: I): CheckResult<I> {
  const parsed = schema.safeParse(news);
  if (!parsed.success) {
    return {
      failures: parsed.error.issues.map((i) => ({
        property: i.path.map(String).join(".") || "(root)",
        reason: i.message,
      })),
    };
  }
  const failures: CheckFailure[] = [];
  const s = news.settings;
  s.activation.approval.stages.forEach((st, i) => {
    for (const a of [...st.approvers, ...(st.escalation?.approvers ?? [])]) {
      if (!news.approverIds[approverKey(a)] && !GUID.test(a.ref)) {
        failures.push({
          property: "approverIds",
          reason: `no object id for ${a.type} approver "${a.ref}" of approval stage ${i + 1} (key ${approverKey(a)})`,
        });
      }
    }
  });
  if (
    s.activation.approval.required &&
    s.activation.approval.stages.every((st) => st.approvers.length === 0)
  ) {
    failures.push({
      property: "settings.activation.approval",
      reason: "approval is required but no approver is named",
    });
  }
  if (s.activation.requireMfa && s.activation.authenticationContext !== null) {
    failures.push({
      property: "settings.activation",
      reason: "Entra refuses MFA together with an authentication context on activation: keep one",
    });
  }
  return failures.length ? { failures } : { inputs: news };
}
