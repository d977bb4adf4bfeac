/**
 * `check` of DirectoryRoleSettings: a role's id and name, and the settings every settings resource carries
 * (`providers/pim/policyCheck.ts`), with zod, no network.
 */
import { GUID_PATTERN as GUID } from "../../model/ids";
import { z } from "zod";
import type { CheckResult } from "@pulumi/pulumi/dynamic";
import { checkPolicyWith, policySchema } from "../pim/policyCheck";
import type { DirectoryRoleSettingsInputs } from "../types";

export const settingsInputs = policySchema({
  roleDefinitionId: z.string().regex(GUID, "must be a role template id or role definition id (a GUID)"),
  roleName: z.string().min(1),
  heldByPimGroups: z.array(z.string().min(1)).optional(),
});

export function checkSettingsInputs(
  news: DirectoryRoleSettingsInputs,
): CheckResult<DirectoryRoleSettingsInputs> {
  return checkPolicyWith(settingsInputs, news);
}
