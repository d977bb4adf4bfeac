/**
 * `stacks/<stack>/tenant.yaml`: one tenant's PIM configuration apart from grants.
 */
import { z } from "zod";
import {
  UPN,
  azureScope,
  dateText,
  duration,
  freeText,
  guid,
  nonEmpty,
  prose,
  recordKey,
  upn,
} from "./common";
import { scope } from "./grant";
import { profile, settingsEntryBody } from "./settings";
import { safeDefaults } from "./safeDefaults";

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
  scope: azureScope.describe(
    "ARM scope, e.g. /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>",
  ),
  role: nonEmpty.describe("Azure role display name (e.g. Owner) or role definition id"),
  ...settingsEntryBody,
});

/**
 * A UPN pattern (contractors, synchronised accounts): a UPN in which `*` stands for any run of characters
 * (`c-*@contoso.com`, `*@fabrikam.com`). Matched in linear time (policies/rules/fromModel.ts), and at most 256
 * characters like every name.
 */
export const upnPattern = nonEmpty.superRefine((v, ctx) => {
  if (!UPN.test(v.replace(/\*+/g, "x"))) {
    ctx.addIssue({
      code: "custom",
      message:
        "must be a UPN pattern such as c-*@contoso.com or *@fabrikam.com (* stands for any characters)",
    });
  }
});

/** A created group's earlier display names: `up` renames it in place instead of replacing it (components/names.ts). */
const previousNames = z
  .array(nonEmpty)
  .optional()
  .describe(
    "Display names this group had before; renaming the group then renames it in place instead of replacing it",
  );

export const approverGroup = z.strictObject({
  name: nonEmpty.describe("Group display name; created and managed by the stack"),
  previousNames,
  description: freeText.optional(),
  members: z.array(upn).min(1).describe("UPNs of the approvers"),
  approves: z
    .array(nonEmpty)
    .min(1)
    .describe("Entra roles this group approves; it becomes a primary approver in their settings"),
});

/** A member or owner of a PIM-for-Groups group, eligible or active, with an end like a grant. */
export const groupMembership = z.strictObject({
  // Checked by the loader (model/load/pimGroups.ts), so one bad entry does not hide the others' problems.
  principal: nonEmpty.describe("UPN or object id"),
  start: dateText("start").optional(),
  end: dateText("end").optional(),
  duration: duration.optional(),
  justification: prose.optional(),
});

const membershipKinds = z.strictObject({
  eligible: z.array(groupMembership).optional(),
  active: z.array(groupMembership).optional(),
});

export const pimGroup = z.strictObject({
  name: nonEmpty.describe("Group display name; created and managed by the stack"),
  previousNames,
  description: freeText.optional(),
  roleAssignable: z
    .boolean()
    .optional()
    .describe("isAssignableToRole; required to hold Entra roles (default true)"),
  roles: z.array(nonEmpty).optional().describe("Entra roles the group holds (active, tenant-wide)"),
  members: membershipKinds.optional(),
  owners: membershipKinds.optional(),
});

/**
 * A Conditional Access authentication context that role settings require on activation, and the Conditional
 * Access policy that enforces it. Without an enforcing policy the context asks for nothing (PIM-023).
 */
export const authenticationContext = z.strictObject({
  id: nonEmpty.describe("Authentication context id as role settings name it, e.g. c1"),
  conditionalAccessPolicy: nonEmpty.describe(
    "Display name or object id of the enabled Conditional Access policy that targets this context and requires MFA or an authentication strength",
  ),
  description: freeText.optional(),
});

export const breakGlassAccount = z.strictObject({
  upn: upn.describe("Existing cloud-only account; the product never manages its password"),
  description: freeText.optional(),
});

export const tenantFile = z.strictObject({
  $schema: z.string().optional(),
  tenant: z.strictObject({
    id: guid.describe("Directory (tenant) id"),
    name: nonEmpty.describe("Human name of the tenant"),
  }),
  contractors: z
    .array(upnPattern)
    .optional()
    .describe(
      "UPN patterns (* wildcard) of contractor accounts, e.g. c-*@contoso.com; rules hold them to shorter expiry",
    ),
  synchronizedAccounts: z
    .array(upnPattern)
    .optional()
    .describe(
      "UPN patterns (* wildcard) of accounts synchronised from an on-premises directory, e.g. *@corp.contoso.com; they may not hold highly privileged roles (PIM-003)",
    ),
  authenticationContexts: z
    .array(authenticationContext)
    .optional()
    .describe(
      "Authentication contexts used on activation, each with the Conditional Access policy enforcing it",
    ),
  profiles: z.record(recordKey, profile).optional().describe("Named settings profiles"),
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
