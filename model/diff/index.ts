/**
 * The one semantic diff: two snapshots in, every change judged for security out. Pure: no clock, no files, no
 * network. `pim plan`, `pim review` and the live drift report all render its result.
 */
import type { Snapshot } from "../snapshot/types";
import { diffGrants, diffMemberships } from "./access";
import { diffFindings } from "./findings";
import { diffApproverGroups, diffPimGroups } from "./groups";
import { diffSettingsAndProfiles } from "./settings";
import { diffBreakGlass, diffSafeDefaults, diffTenant } from "./tenant";
import { RISKS, SECTIONS, type Change, type FindingLike, type TenantDiff } from "./types";

export * from "./types";
export { maxRisk, highestOf, judgeSettingsField, judgeEnd, judgeStart, judgeKind } from "./risk";
export { same } from "./join";

export interface DiffOptions {
  /** Safe-default findings of each side (`evaluateSafeDefaults`), when the caller ran the rules. */
  findings?: { before: readonly FindingLike[]; after: readonly FindingLike[] };
}

export function diffSnapshots(base: Snapshot, head: Snapshot, opts: DiffOptions = {}): TenantDiff {
  const changes: Change[] = [
    ...diffTenant(base, head),
    ...diffBreakGlass(base, head),
    ...diffSafeDefaults(base, head),
    ...diffSettingsAndProfiles(base, head),
    ...diffGrants(base, head),
    ...diffMemberships(base, head),
    ...diffApproverGroups(base, head),
    ...diffPimGroups(base, head),
    ...(opts.findings ? diffFindings(opts.findings.before, opts.findings.after) : []),
  ];
  return diffOf(changes.sort(compareChanges));
}

/** A diff of changes already in `compareChanges` order (all of a diff, or part of one), with its counts. */
export function diffOf(changes: Change[]): TenantDiff {
  const counts = { critical: 0, weaker: 0, neutral: 0, stronger: 0, total: changes.length };
  for (const c of changes) counts[c.risk]++;
  return { changes, counts, highest: changes[0]?.risk ?? null };
}

/** Highest risk first, then by section, then by subject and key: stable on every run and machine. */
export function compareChanges(a: Change, b: Change): number {
  return (
    RISKS.indexOf(a.risk) - RISKS.indexOf(b.risk) ||
    SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) ||
    (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}
