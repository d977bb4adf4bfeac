/**
 * `stacks/<stack>/tenant.yaml`: one tenant's PIM configuration apart from grants.
 */
import { z } from "zod";
import { guid, nonEmpty, upn } from "./common";
import { scope } from "./grant";
import { profile, settingsEntryBody } from "./settings";
import { safeDefaults } from "./safeDefaults";
import { dateText, duration } from "./common";

export const directoryRoleSettings = z.strictObject({
  role: nonEmpty.describe("Entra role display name from the catalog, or a custom role definition id"),
  ...settingsEntryBody,
});

export const groupRoleSettings = z.strictObject({
  group: nonEmpty.describe("Display name of a group under `pimGroups`, or a group object id"),
  access: z
    .enum(["member", "owner"])
    .describe("PIM for Groups has one policy for members and one for owners"),
  ...settingsEntryBody,
});

export const azureRoleSettings = z.strictObject({
  scope: z
    .string()
    .regex(/^\/(subscriptions|providers\/Microsoft\.Management\/managementGroups)\/[^\s]+$/i, {
      message:
        "must be an Azure scope starting with /subscriptions/<id> or /providers/Microsoft.Management/managementGroups/<name>",
    })
    .describe("ARM scope, e.g. /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>"),
  role: nonEmpty.describe("Azure role display name (e.g. Owner) or role definition id"),
  ...settingsEntryBody,
});

export const approverGroup = z.strictObject({
  name: nonEmpty.describe("Group display name; created and managed by the stack"),
  previousNames: z
    .array(nonEmpty)
    .optional()
    .describe(
      "Display names this group had before; renaming the group then renames it in place instead of replacing it",
    ),
  description: z.string().optional(),
  members: z.array(upn).min(1).describe("UPNs of the approvers"),
  approves: z
    .array(nonEmpty)
    .min(1)
    .describe("Entra roles this group approves; it becomes a primary approver in their settings"),
});

/** A member or owner of a PIM-for-Groups group, eligible or active, with an end like a grant. */
export const groupMembership = z.strictObject({
  principal: nonEmpty.describe("UPN or object id"),
  start: dateText("start").optional(),
  end: dateText("end").optional(),
  duration: duration.optional(),
  justification: z.string().optional(),
});

const membershipKinds = z.strictObject({
  eligible: z.array(groupMembership).optional(),
  active: z.array(groupMembership).optional(),
});

export const pimGroup = z.strictObject({
  name: nonEmpty.describe("Group display name; created and managed by the stack"),
  previousNames: z
    .array(nonEmpty)
    .optional()
    .describe(
      "Display names this group had before; renaming the group then renames it in place instead of replacing it",
    ),
  description: z.string().optional(),
  roleAssignable: z
    .boolean()
    .optional()
    .describe("isAssignableToRole; required to hold Entra roles (default true)"),
  roles: z.array(nonEmpty).optional().describe("Entra roles the group holds (active, tenant-wide)"),
  members: membershipKinds.optional(),
  owners: membershipKinds.optional(),
});

export const breakGlassAccount = z.strictObject({
  upn: upn.describe("Existing cloud-only account; the product never manages its password"),
  description: z.string().optional(),
});

export const tenantFile = z.strictObject({
  $schema: z.string().optional(),
  tenant: z.strictObject({
    id: guid.describe("Directory (tenant) id"),
    name: nonEmpty.describe("Human name of the tenant"),
  }),
  contractors: z
    .array(nonEmpty)
    .optional()
    .describe(
      "UPN patterns (* wildcard) of contractor accounts, e.g. c-*@contoso.com; rules hold them to shorter expiry",
    ),
  profiles: z.record(z.string(), profile).optional().describe("Named settings profiles"),
  roleSettings: z
    .strictObject({
      directoryRoles: z.array(directoryRoleSettings).optional(),
      groups: z.array(groupRoleSettings).optional(),
      azureRoles: z.array(azureRoleSettings).optional(),
    })
    .optional(),
  approverGroups: z.array(approverGroup).optional(),
  pimGroups: z.array(pimGroup).optional(),
  breakGlass: z.array(breakGlassAccount).optional(),
  safeDefaults: safeDefaults.optional(),
});
export type TenantFile = z.infer<typeof tenantFile>;

export { scope };
