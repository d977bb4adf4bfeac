/**
 * The demo stack with PIM-for-Groups settings azuread could not express and Graph accepts: activation in quarter
 * hours, eligibility and active expiry off azuread's fixed steps, the `none` notification level. Each field holds a
 * value of its own, so a field swapped or dropped on the way to the tenant fails the tests that load it
 * (test/model/load.test.ts) and write it (test/providers/groupLifecycle.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStackFiles, type LoadResult } from "../../model";
import { NOW, REPO } from "./badCases";

const DEMO_TENANT = fs.readFileSync(path.join(REPO, "stacks/demo/tenant.yaml"), "utf8");
const MEMBER_ENTRY =
  "    - group: Tier-1 Helpdesk Operators\n      access: member\n      profile: tightened\n";

/** The demo tenant.yaml with `extra` (lines indented six spaces) added to the group's member settings entry. */
export function demoTenantWithMemberSettings(extra: string): string {
  const tenant = DEMO_TENANT.replace(MEMBER_ENTRY, MEMBER_ENTRY + extra);
  if (tenant === DEMO_TENANT)
    throw new Error("the demo tenant no longer has the group's member settings entry");
  return tenant;
}

export const GRAPH_ACCEPTS = [
  "      activation: { maximumDuration: PT10H45M }",
  "      eligibleAssignment: { maximumDuration: P200D }",
  "      activeAssignment: { maximumDuration: P45D }",
  "      notifications:",
  "        activation:",
  "          approver: { level: none, defaultRecipients: false }",
  "        eligibleAssignment:",
  "          requestor: { level: none, defaultRecipients: true }",
  "",
].join("\n");

export function loadGroupPolicyStack(extra = GRAPH_ACCEPTS, now: Date = NOW): LoadResult {
  return loadStackFiles(
    "demo",
    [{ path: "stacks/demo/tenant.yaml", text: demoTenantWithMemberSettings(extra) }],
    now,
  );
}
