/** The comparable form of a tenant (see ./types.ts) and the clock-relative functions over it. */
export * from "./types";
export { toSnapshot, emptySnapshot, type SnapshotOptions } from "./fromModel";
export { profilesFromTenantYaml } from "./profiles";
export { statusAt, daysLeftAt, remainingMs, type TimeWindow } from "./time";
export { describeScope, describeGrant, describeMembership } from "./labels";
export {
  expiring,
  noticeFor,
  proposeRenewal,
  NOTICES,
  type ExpiryItem,
  type Notice,
  type Renewal,
} from "./expiry";
