/**
 * `check` of GroupPolicy: a group's object id and access, and the settings every settings resource carries
 * (`providers/pim/policyCheck.ts`), with zod, no network.
 */
import { GUID_PATTERN as GUID } from "../../model/ids";
import { z } from "zod";
import type { CheckResult } from "@pulumi/pulumi/dynamic";
import { checkPolicyWith, policySchema } from "../pim/policyCheck";
import type { GroupPolicyInputs } from "../types";

export const groupPolicyInputs = policySchema({
  groupId: z.string().regex(GUID, "must be the group's object id (a GUID)"),
  access: z.enum(["member", "owner"]),
  groupName: z.string().min(1),
});

export function checkGroupPolicyInputs(news: GroupPolicyInputs): CheckResult<GroupPolicyInputs> {
  return checkPolicyWith(groupPolicyInputs, news);
}
