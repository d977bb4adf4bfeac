/**
 * `runImport`: reads the tenant, writes `stacks/<stack>/` that reproduces it, and checks that it does before it
 * is in place. The library entry point behind `pim import` (and `pim demo`).
 *
 * Nothing partial is ever left: the whole tenant is read first (a failed read throws, naming it), the files are
 * written to a temporary folder beside the target, loaded back and diffed against what was read, and only then
 * renamed into place (one rename on one file system). An existing stack is refused unless `force`: the import is a
 * starting point, and silently replacing reviewed declarations would lose their justifications and tickets. With
 * `force`, the old folder is moved aside, the new one renamed in, and the old one deleted.
 *
 * Assignments made outside PIM are written commented out (./files.ts says why), so the check expects each one as
 * extra in the tenant, and only those: anything else that differs is reported as a difference.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStackFiles, type Diagnostic } from "../../../model";
import { toSnapshot } from "../../../model/snapshot";
import { diffOf, type Change, type TenantDiff } from "../../../model/diff";
import type { ArmApi } from "../../../providers/arm";
import type { GraphApi } from "../../../providers/graph";
import { readLive, type LiveTenant } from "../../../providers/graph/reads/live";
import { CliError } from "../../lib/errors";
import { EXIT } from "../../lib/io";
import { count } from "../../lib/text";
import { subscriptionScopes } from "../../lib/subscriptions";
import { driftOf } from "../drift/run";
import { importFiles, type StackFile } from "./files";

export interface ImportRunOptions {
  graph: GraphApi;
  root: string;
  stack: string;
  now: Date;
  force?: boolean;
  /** Azure subscriptions (ids) whose resource role settings to import as well, read from ARM through `arm`. */
  subscriptions?: readonly string[];
  /** Makes the ARM client; called only when a subscription is given. */
  arm?: () => ArmApi;
  /** The Graph base URL to record in a new stacks/Pulumi.<stack>.yaml (the emulator's), if any. */
  graphBaseUrl?: string;
  /** The ARM base URL to record there when it was overridden (PIM_ARM_BASE_URL), if any. */
  armBaseUrl?: string;
  /** Progress and next steps go here. */
  write?: (text: string) => void;
}

export interface ImportResult {
  folder: string;
  files: StackFile[];
  live: LiveTenant;
  /**
   * Declared (as written) against live, without the expected extras: empty when the files reproduce the tenant
   * but for the assignments made outside PIM.
   */
  check: TenantDiff;
  /** The assignments made outside PIM, written commented out: live and not declared, as expected. */
  outsidePim: Change[];
  /** What the import does not bring over, in words. */
  notImported: string[];
  text: string;
}

export async function runImport(opts: ImportRunOptions): Promise<ImportResult> {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(opts.stack))
    throw new CliError(
      `--stack must be a folder name (letters, digits, . _ -), not "${opts.stack}"`,
      EXIT.usage,
    );
  const stacks = path.join(opts.root, "stacks");
  const folder = path.join(stacks, opts.stack);
  if (fs.existsSync(folder) && !opts.force)
    throw new CliError(
      `stacks/${opts.stack} already exists; nothing was written`,
      EXIT.usage,
      `import under another --stack name and compare, or pass --force to replace stacks/${opts.stack}`,
    );

  const azureScopes = subscriptionScopes(opts.subscriptions ?? []);
  if (azureScopes.length && !opts.arm)
    throw new CliError("runImport was given subscriptions but no ARM client", EXIT.internal);
  const live = await readLive(
    opts.graph,
    opts.stack,
    azureScopes.length ? { arm: opts.arm!(), azureScopes } : {},
  );
  const files = importFiles(live, { now: opts.now, outsidePim: "commented" });

  // Load back what would be written: it must load, and reproduce what was read.
  const rel = (p: string) => `stacks/${opts.stack}/${p}`;
  const loaded = loadStackFiles(
    opts.stack,
    files.map((f) => ({ path: rel(f.path), text: f.text })),
    opts.now,
  );
  if (!loaded.model) {
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    throw new CliError(
      `the imported declarations do not load (${count(errors.length, "error")}), so nothing was written; first: ${first(errors)}`,
      EXIT.internal,
      "please report this with the tenant's shape (no names needed)",
    );
  }
  const snapshot = toSnapshot(loaded.model, {
    tenantYaml: { file: rel("tenant.yaml"), text: files[0]!.text },
  });
  const { check, outsidePim } = expectedExtras(driftOf(snapshot, live, opts.now), live);

  const tmp = fs.mkdtempSync(path.join(stacks, `.${opts.stack}.import-`));
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(tmp, f.path)), { recursive: true });
      fs.writeFileSync(path.join(tmp, f.path), f.text);
    }
    if (fs.existsSync(folder)) {
      const old = `${tmp}.old`;
      fs.renameSync(folder, old);
      fs.renameSync(tmp, folder);
      fs.rmSync(old, { recursive: true, force: true });
    } else fs.renameSync(tmp, folder);
  } finally {
    if (fs.existsSync(tmp)) fs.rmSync(tmp, { recursive: true, force: true });
  }
  const config = path.join(stacks, `Pulumi.${opts.stack}.yaml`);
  const wroteConfig = !fs.existsSync(config);
  const s = live.snapshot.state;
  // The RoleManagementPolicy of each imported Azure entry needs its ARM policy name (components/azureRoleSettings.ts).
  const azurePolicies = s.roleSettings
    .filter((e) => e.target.kind === "azure")
    .map((e) => [e.key, live.facts.azureRolePolicies[e.key]!] as const);
  if (wroteConfig)
    fs.writeFileSync(
      config,
      stackConfig(opts.stack, s.tenant.id, {
        graphBaseUrl: opts.graphBaseUrl,
        armBaseUrl: azureScopes.length ? opts.armBaseUrl : undefined,
        azurePolicies,
      }),
    );

  const notImported = [
    "justifications, tickets and requesters of grants (Graph keeps them on requests, purged after about 45 days): placeholders written",
    "profiles: each role's settings are written out; factor shared settings into profiles by hand",
    azureScopes.length
      ? "Azure resource role settings of other scopes (management groups, resource groups, other subscriptions): pass each subscription with --subscription"
      : "Azure resource role settings: pass --subscription <id> to import a subscription's (read from Azure Resource Manager)",
  ];
  const lines = [
    `pim import: wrote stacks/${opts.stack}/ (${count(files.length, "file")}: tenant.yaml and ${count(files.length - 1, "grant file")})${wroteConfig ? ` and stacks/Pulumi.${opts.stack}.yaml` : ""}`,
    `  ${count(s.roleSettings.length - azurePolicies.length, "role setting")} differing from Graph's defaults, ${azureScopes.length ? `${count(azurePolicies.length, "Azure role setting")} differing from ARM's defaults (${azureScopes.join(", ")}), ` : ""}${count(s.grants.length, "grant")}, ${count(s.pimGroups.length, "PIM group")}, ${count(s.memberships.length, "group membership")}, ${count(s.approverGroups.length, "approver group")}`,
    check.counts.total
      ? `  warning: the files differ from the tenant in ${count(check.counts.total, "place")}: run pim drift --stack ${opts.stack}`
      : outsidePim.length
        ? `  checked: the files load and reproduce the tenant, but for ${count(outsidePim.length, "assignment")} made outside PIM, commented out (pim drift lists them as extra)`
        : "  checked: the files load and reproduce the tenant (pim drift would show no difference)",
    ...(live.facts.permanentGlobalAdmins.length
      ? [
          `  ${count(live.facts.permanentGlobalAdmins.length, "break-glass candidate")} (permanent active Global Administrator), commented out in tenant.yaml: ${live.facts.permanentGlobalAdmins.join(", ")}`,
        ]
      : []),
    ...(azurePolicies.length && !wroteConfig
      ? [
          `  stacks/Pulumi.${opts.stack}.yaml exists and was left as it is: add under config: (the ARM policy names the Azure role settings are applied to)`,
          "    azure-native:tenantId: " + s.tenant.id,
          "    pim:azureRolePolicies:",
          ...azurePolicies.map(([k, v]) => `      "${k}": ${v}`),
        ]
      : []),
    "Not imported:",
    ...notImported.map((n) => `  - ${n}`),
    "Next steps:",
    `  1. confirm the break-glass accounts in stacks/${opts.stack}/tenant.yaml and replace the placeholder justifications`,
    `  2. pim check --stack ${opts.stack}     (the safe-default rules: an imported tenant usually has findings)`,
    ...(outsidePim.length
      ? [
          `  3. pim drift --stack ${opts.stack}     (declared vs live: right after an import, only the assignments made outside PIM)`,
          `  4. bring the assignments made outside PIM (PIM-005, CISA MS.AAD.7.5) under PIM: remove each in the portal, then uncomment its grant at the end of stacks/${opts.stack}/tenant.yaml into the file named there:`,
          ...outsidePim.map((c) => `       - ${c.subject}`),
        ]
      : [`  3. pim drift --stack ${opts.stack}     (declared vs live: no difference right after an import)`]),
    `  ${outsidePim.length ? 5 : 4}. git add stacks/${opts.stack} stacks/Pulumi.${opts.stack}.yaml, open a pull request, then pulumi preview --stack ${opts.stack}`,
    "",
  ];
  const text = lines.join("\n");
  opts.write?.(text);
  return { folder, files, live, check, outsidePim, notImported, text };
}

/** Splits the diff: the assignments made outside PIM, extra in the tenant as written, and everything else. */
function expectedExtras(diff: TenantDiff, live: LiveTenant): { check: TenantDiff; outsidePim: Change[] } {
  const outside = new Set(live.facts.outsidePim);
  const expected = (c: Change) => c.section === "grants" && c.action === "added" && outside.has(c.key);
  return {
    check: diffOf(diff.changes.filter((c) => !expected(c))),
    outsidePim: diff.changes.filter(expected),
  };
}

function first(ds: Diagnostic[]): string {
  const d = ds[0];
  return d ? `${d.file}:${d.line}:${d.column}: ${d.field}: ${d.message}` : "(none)";
}

function stackConfig(
  stack: string,
  tenantId: string,
  o: {
    graphBaseUrl: string | undefined;
    armBaseUrl: string | undefined;
    azurePolicies: readonly (readonly [string, string])[];
  },
): string {
  return [
    `# Stack configuration written by pim import. Declarations live in stacks/${stack}/.`,
    "config:",
    `  pim:declarations: ${stack}`,
    `  azuread:tenantId: ${tenantId}`,
    ...(o.graphBaseUrl ? [`  pim:graphBaseUrl: ${o.graphBaseUrl}`] : []),
    ...(o.armBaseUrl ? [`  pim:armBaseUrl: ${o.armBaseUrl}`] : []),
    ...(o.azurePolicies.length
      ? [
          // azure-native's RoleManagementPolicy acts on this tenant; ARM names each policy with a GUID.
          `  azure-native:tenantId: ${tenantId}`,
          "  pim:azureRolePolicies:",
          ...o.azurePolicies.map(([key, name]) => `    "${key}": ${name}`),
        ]
      : []),
    "",
  ].join("\n");
}
