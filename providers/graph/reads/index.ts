/**
 * The Graph read layer: typed reads beside the client, used by the program before it registers anything (and,
 * later, by the providers and the live reader). Reads only: nothing here writes to a tenant.
 */
export {
  resolveReferences,
  DirectoryReadError,
  type DirectoryObject,
  type DirectoryObjectType,
  type DirectoryReference,
  type ReferenceKind,
  type Resolutions,
} from "./principals";
export {
  isPermanentActive,
  readGlobalAdminHoldings,
  readPermanentGlobalAdmins,
  type AssignmentInstance,
  type EligibilitySchedule,
  type GlobalAdminHolding,
} from "./globalAdmins";
export {
  breakGlassProblems,
  verifyBreakGlass,
  type BreakGlassVerification,
  type DeclaredBreakGlass,
  type VerifiedBreakGlass,
} from "./breakGlass";
export {
  assignedPolicyFrom,
  assignedPolicyUrl,
  readAssignedPolicy,
  readPolicyRules,
  stripAnnotations,
  type LivePolicy,
  type PolicyScope,
} from "./policies";
export {
  isOwnGrant,
  listOwnGrants,
  liveEnd,
  liveStart,
  readScheduleById,
  type LiveSchedule,
} from "./schedules";
