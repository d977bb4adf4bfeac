/**
 * Seeded bugs in the settings mapping: each is a one-line change a reviewer could miss (a swapped field, a dropped
 * field, a flag always on, an override ignored, a wrong spelling, a summary reading the wrong field). For each, the
 * suite runs on a scratch copy of the repository with the bug applied, and the table says which tests caught it.
 * Every bug must be caught; one that survives means a test is missing.
 *
 *   npx tsx bench/mutate-mapping.ts [--all | --tests test/a.test.ts,test/b.test.ts] [--only 3,7]
 *
 * `--all` runs the whole vitest suite for each bug (slow); `--tests` runs the files named; by default the tests that
 * exercise the mapping run.
 * The working tree is never modified: the copy lives in the system temp directory and is removed afterwards.
 * Exit code 1 when a bug survives, or when a bug no longer applies (its line changed: update it here).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface Mutation {
  bug: string;
  file: string;
  /** Exact text, found exactly once in `file`. */
  find: string;
  replace: string;
}

const MUTATIONS: Mutation[] = [
  {
    bug: "Graph: escalation approvers dropped",
    file: "model/settings/graphRules.ts",
    find: "      ? subjectSets(st.escalation.approvers, idOf, opts, `approval stage ${i + 1} escalation`)",
    replace: "      ? []",
  },
  {
    bug: "Graph: escalation time always 0",
    file: "model/settings/graphRules.ts",
    find: "escalationTimeInMinutes: st.escalation ? st.escalation.afterMinutes : 0,",
    replace: "escalationTimeInMinutes: 0,",
  },
  {
    bug: "Graph: eligible-assignment MFA taken from active assignment (swap)",
    file: "model/settings/graphRules.ts",
    find: "      s.eligibleAssignment.requireMfa,",
    replace: "      s.activeAssignment.requireMfa,",
  },
  {
    bug: "Graph: active-assignment expiry taken from eligible assignment (swap)",
    file: "model/settings/graphRules.ts",
    find: "      !s.activeAssignment.allowPermanent,",
    replace: "      !s.eligibleAssignment.allowPermanent,",
  },
  {
    bug: "Graph: default recipients always on",
    file: "model/settings/graphRules.ts",
    find: "    isDefaultRecipientsEnabled: n.defaultRecipients,",
    replace: "    isDefaultRecipientsEnabled: true,",
  },
  {
    bug: "Graph: approval for extension follows approval required",
    file: "model/settings/graphRules.ts",
    find: "isApprovalRequiredForExtension: s.activation.approval.requiredForExtension,",
    replace: "isApprovalRequiredForExtension: s.activation.approval.required,",
  },
  {
    bug: "Graph: assignee notice of active assignments gets the admin's settings",
    file: "model/settings/graphRules.ts",
    find: '      "Notification_Requestor_Admin_Assignment",\n      n.activeAssignment.requestor,',
    replace: '      "Notification_Requestor_Admin_Assignment",\n      n.activeAssignment.admin,',
  },
  {
    bug: "Graph → settings: ticket read as justification",
    file: "model/settings/graphRules.ts",
    find: 'requireTicket: activationEnablement.includes("Ticketing"),',
    replace: 'requireTicket: activationEnablement.includes("Justification"),',
  },
  {
    bug: "Graph → settings: default recipients always read as on",
    file: "model/settings/graphRules.ts",
    find: "defaultRecipients: r.isDefaultRecipientsEnabled !== false,",
    replace: "defaultRecipients: true,",
  },
  {
    bug: "ARM: group approvers spelled as users",
    file: "model/settings/armRules.ts",
    find: '    userType: group ? "Group" : "User",',
    replace: '    userType: "User",',
  },
  {
    bug: "ARM: escalation switched off",
    file: "model/settings/armRules.ts",
    find: "    isEscalationEnabled: st.isEscalationEnabled,",
    replace: "    isEscalationEnabled: false,",
  },
  {
    bug: "ARM → Graph: authentication context claim dropped",
    file: "model/settings/armRules.ts",
    find: "          claimValue: (r.claimValue ?? null) as string | null,",
    replace: "          claimValue: null,",
  },
  {
    bug: "rule input: escalation approvers dropped (self-approval check blind to them)",
    file: "policies/rules/policyRules.ts",
    find: "        ? { escalationApprovers: list(st.escalationApprovers).map(approverRef) }",
    replace: "        ? {}",
  },
  {
    bug: "rule input: default recipients always on",
    file: "policies/rules/policyRules.ts",
    find: "  isDefaultRecipientsEnabled: r.isDefaultRecipientsEnabled === true,",
    replace: "  isDefaultRecipientsEnabled: true,",
  },
  {
    bug: "rule input: active-assignment expiry always required",
    file: "policies/rules/policyRules.ts",
    find: '  Expiration_Admin_Assignment: (r) => expiration(r, "P365D"),',
    replace:
      '  Expiration_Admin_Assignment: (r) => ({ ...expiration(r, "P365D"), isExpirationRequired: true }),',
  },
  {
    bug: "merge: ticket override ignored",
    file: "model/settings/merge.ts",
    find: "requireTicket: a?.requireTicket ?? base.activation.requireTicket,",
    replace: "requireTicket: base.activation.requireTicket,",
  },
  {
    bug: "merge: escalation override ignored when the profile has one",
    file: "model/settings/merge.ts",
    find: "          escalation: st.escalation",
    replace: "          escalation: st.escalation && !prev.escalation",
  },
  {
    bug: "merge: additional recipients override ignored",
    file: "model/settings/merge.ts",
    find: "additionalRecipients: over.additionalRecipients ?? base.additionalRecipients,",
    replace: "additionalRecipients: base.additionalRecipients,",
  },
  {
    bug: "merge: active-assignment justification taken from the eligible override",
    file: "model/settings/merge.ts",
    find: "requireJustification: act?.requireJustification ?? base.activeAssignment.requireJustification,",
    replace: "requireJustification: e?.requireJustification ?? base.activeAssignment.requireJustification,",
  },
  {
    bug: "stack summary: MFA column reads justification",
    file: "components/summary.ts",
    find: '    requireMfa: fieldValue(s, "activation.requireMfa"),',
    replace: '    requireMfa: fieldValue(s, "activation.requireJustification"),',
  },
  {
    bug: "stack summary: escalation approvers dropped",
    file: "components/summary.ts",
    find: "    escalationApprovers: stages.flatMap((st) => (st.escalation?.approvers ?? []).map(approverText)),",
    replace: "    escalationApprovers: [],",
  },
  {
    bug: "pim check summary: active expiry shown from eligible",
    file: "scripts/commands/check/summary.ts",
    find: '  parts.push(expiry("eligibleAssignment", "eligible"), expiry("activeAssignment", "active"));',
    replace:
      '  parts.push(expiry("eligibleAssignment", "eligible"), expiry("eligibleAssignment", "active"));',
  },
  {
    bug: "azuread: assignee notices written as approver notices",
    file: "model/settings/azureadGroupPolicy.ts",
    find: '  Requestor: "assigneeNotifications",',
    replace: '  Requestor: "approverNotifications",',
  },
  {
    bug: "azuread: permanent and expiring assignments swapped",
    file: "model/settings/azureadGroupPolicy.ts",
    find: "    if (r.isExpirationRequired === false) return { expirationRequired: false };",
    replace: "    if (r.isExpirationRequired === true) return { expirationRequired: false };",
  },
  {
    bug: "azuread → Graph (pack): ticket read as justification",
    file: "model/settings/azureadGroupPolicy.ts",
    find: '        [act.requireTicketInfo, "Ticketing"],',
    replace: '        [act.requireJustification, "Ticketing"],',
  },
  {
    bug: "pack, DirectoryRoleSettings: approver object ids ignored",
    file: "policies/adapters/dynamic.ts",
    find: "    lower(known(() => p.approverIds?.[approverKey(a)], undefined)) || lower(a.ref);",
    replace: "    lower(a.ref) || lower(known(() => p.approverIds?.[approverKey(a)], undefined));",
  },
  {
    bug: "field table: ticket carried by the approval rule",
    file: "model/settings/fields.ts",
    find: '    label: "Activation: require ticket information",\n    rules: ["Enablement_EndUser_Assignment"],',
    replace:
      '    label: "Activation: require ticket information",\n    rules: ["Approval_EndUser_Assignment"],',
  },
];

/** The tests that exercise the mapping and its consumers. */
const MAPPING_TESTS = [
  "test/model/settingsFields.test.ts",
  "test/model/settingsMapping.test.ts",
  "test/model/merge.test.ts",
  "test/policies/policyRules.test.ts",
  "test/components/summary.test.ts",
  "test/cli/settingsLine.test.ts",
  "test/providers/graphRules.test.ts",
  "test/components/azureRoleSettings.test.ts",
  "test/components/pimGroup.test.ts",
  "test/policies/fromModel.test.ts",
  "test/policies/pack.test.ts",
];

const ROOT = path.resolve(__dirname, "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A copy of the working tree (tracked and new files, not ignored ones) with node_modules linked in. */
function scratchCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pim-mutate-"));
  const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .stdout.split("\0")
    .filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

interface Outcome {
  failed: string[];
  passed: number;
}

function runTests(dir: string, tests: string[]): Outcome {
  const out = path.join(dir, "vitest-result.json");
  fs.rmSync(out, { force: true });
  spawnSync(
    process.execPath,
    [
      path.join(dir, "node_modules/vitest/vitest.mjs"),
      "run",
      ...tests,
      "--reporter=json",
      `--outputFile=${out}`,
    ],
    { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "1" } },
  );
  if (!fs.existsSync(out))
    return { failed: ["(vitest did not report: the suite could not start)"], passed: 0 };
  const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
    numPassedTests: number;
    testResults: Array<{
      name: string;
      status: string;
      message?: string;
      assertionResults: Array<{ fullName: string; status: string }>;
    }>;
  };
  const failed: string[] = [];
  for (const file of report.testResults) {
    const rel = path.relative(dir, file.name);
    const bad = file.assertionResults.filter((a) => a.status === "failed");
    for (const a of bad) failed.push(`${rel} › ${a.fullName}`);
    if (file.status === "failed" && bad.length === 0) failed.push(`${rel} (file failed to load)`);
  }
  return { failed, passed: report.numPassedTests };
}

function main(): number {
  const only = arg("--only")
    ?.split(",")
    .map((n) => Number(n));
  const tests = process.argv.includes("--all") ? [] : (arg("--tests")?.split(",") ?? MAPPING_TESTS);
  const dir = scratchCopy();
  try {
    const started = Date.now();
    const baseline = runTests(dir, tests);
    if (baseline.failed.length) {
      console.error(`The suite fails without any seeded bug:\n  ${baseline.failed.join("\n  ")}`);
      return 1;
    }
    console.log(
      `Seeded bugs in the settings mapping: ${MUTATIONS.length}; each run: ${tests.length ? `${tests.length} test files` : "the whole suite"} (${baseline.passed} tests pass unmutated)\n`,
    );
    let survived = 0;
    let stale = 0;
    MUTATIONS.forEach((m, i) => {
      const n = i + 1;
      if (only && !only.includes(n)) return;
      const file = path.join(dir, m.file);
      const original = fs.readFileSync(file, "utf8");
      const hits = original.split(m.find).length - 1;
      if (hits !== 1) {
        stale++;
        console.log(
          `${String(n).padStart(2)}. STALE     ${m.bug} — "${m.find.split("\n")[0]}" found ${hits} times in ${m.file}`,
        );
        return;
      }
      fs.writeFileSync(file, original.replace(m.find, m.replace));
      try {
        const r = runTests(dir, tests);
        if (r.failed.length === 0) survived++;
        const verdict = r.failed.length ? "caught  " : "SURVIVED";
        console.log(`${String(n).padStart(2)}. ${verdict}  ${m.bug}  [${m.file}]`);
        if (r.failed.length) {
          const perFile = new Map<string, number>();
          for (const f of r.failed)
            perFile.set(f.split(" › ")[0]!, (perFile.get(f.split(" › ")[0]!) ?? 0) + 1);
          const files = [...perFile].map(([f, k]) => `${path.basename(f)} (${k})`).join(", ");
          console.log(`      ${r.failed.length} failing tests: ${files}`);
          console.log(`      first: ${r.failed[0]}`);
        }
      } finally {
        fs.writeFileSync(file, original);
      }
    });
    const ran = (only ? only.length : MUTATIONS.length) - stale;
    console.log(
      `\n${ran - survived} of ${ran} seeded bugs caught, ${survived} survived${stale ? `, ${stale} stale` : ""} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    return survived || stale ? 1 : 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
