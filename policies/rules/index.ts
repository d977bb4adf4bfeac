/**
 * The safe-default rules as `pim check` runs them: every rule in the catalogue over the stack's declarations, with
 * the stack's profile (`cisa` by default, or `strict`), per-rule overrides and exemptions (tenant.yaml
 * `safeDefaults`). Pure: no clock (pass `now`), no files, no network.
 */
import type { Exemption, SourceRef, TenantModel } from "../../model/types";
import { CONFIG_RULE, EXEMPTION_RULE, WAIVER_RULE, allRules, findRule } from "./catalogue";
import { formatIssue, isMandatory, runRule, type Profile } from "./engine";
import { fromModel } from "./fromModel";
import type { Severity } from "./rule";
import { resolveTiers, tiersSchema } from "./tiers";

export type FindingSeverity = Severity;

export interface Finding {
  ruleId: string;
  title: string;
  severity: FindingSeverity;
  /** Mandatory findings fail `pim check` (exit 1) and are mandatory violations in the policy pack. */
  mandatory: boolean;
  /** The offending object in the user's words: a role name, UPN, group name or grant file. */
  object: string;
  message: string;
  fix: string;
  /** Where to change it, when the object came from a file. */
  source?: { file: string; line: number; column: number };
  /** Where the requirement comes from (CISA SCuBA id, Microsoft Learn page, or the project). */
  reference: string;
  /** Set when an exemption in tenant.yaml covers the finding: it is reported, but not mandatory. */
  exempted?: { justification: string; expires: string | null; approvedBy: string | null; source: SourceRef };
}

export interface EvaluateOptions {
  /** The instant to judge against (exemption expiry, eligibility length); default: the model's `evaluatedAt`. */
  now?: Date;
}

/** The key under `safeDefaults.rules` that configures role tiers rather than one rule. */
export const TIERS_KEY = "tiers";

export { allRules, metaRules, findRule, EXEMPTION_RULE, CONFIG_RULE } from "./catalogue";
export { fromModel } from "./fromModel";
export type { RuleInput } from "./input";

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function evaluateSafeDefaults(model: TenantModel, opts: EvaluateOptions = {}): Finding[] {
  const now = opts.now ?? new Date(model.evaluatedAt);
  const cfg = model.safeDefaults;
  const profile: Profile = cfg.profile;
  const tenantFile = tenantFileOf(model);
  const out: Finding[] = [];

  const configFinding = (object: string, message: string, fix: string): Finding => ({
    ruleId: CONFIG_RULE.id,
    title: CONFIG_RULE.title,
    severity: CONFIG_RULE.severity,
    mandatory: isMandatory(CONFIG_RULE.severity),
    object,
    message,
    fix,
    source: { file: tenantFile, line: 1, column: 1 },
    reference: CONFIG_RULE.source,
  });

  // Tiers first: every rule's role scope depends on them.
  const tiersParsed = tiersSchema.safeParse(cfg.rules[TIERS_KEY]?.params ?? {});
  if (!tiersParsed.success) {
    for (const i of tiersParsed.error.issues) {
      out.push(
        configFinding(
          `safeDefaults.rules.${TIERS_KEY}`,
          `${TIERS_KEY} ${formatIssue(i)}`,
          "fix the tier list (role display names or ids); the default tiers are used meanwhile",
        ),
      );
    }
  }
  const tiers = resolveTiers(tiersParsed.success ? tiersParsed.data : tiersSchema.parse({}));
  for (const key of Object.keys(cfg.rules)) {
    if (key !== TIERS_KEY && !findRule(key)) {
      out.push(
        configFinding(
          `safeDefaults.rules.${key}`,
          `"${key}" is not a rule id, so its override changes nothing`,
          `use an id from policies/README.md (${allRules[0]!.id} ... ${allRules[allRules.length - 1]!.id}) or "${TIERS_KEY}"`,
        ),
      );
    }
  }

  const input = fromModel(model, { tiers });
  input.now = now.toISOString();
  for (const rule of allRules) {
    const override = Object.entries(cfg.rules).find(([k]) => k.toLowerCase() === rule.id.toLowerCase())?.[1];
    const waived =
      isMandatory(rule.severity) &&
      (override?.enabled === false || (override?.severity !== undefined && !isMandatory(override.severity)));
    if (waived) {
      const how = override?.enabled === false ? "switches it off" : `lowers it to ${override?.severity}`;
      out.push({
        ruleId: WAIVER_RULE.id,
        title: WAIVER_RULE.title,
        severity: WAIVER_RULE.severity,
        mandatory: isMandatory(WAIVER_RULE.severity),
        object: `safeDefaults.rules.${rule.id}`,
        message: `${rule.id} (${rule.title}) is ${rule.severity}; this override ${how} for every object with no end date`,
        fix: `remove the override and exempt the specific objects under safeDefaults.exemptions, each with an end date`,
        source: { file: tenantFile, line: 1, column: 1 },
        reference: WAIVER_RULE.source,
      });
    }
    const run = runRule(rule, input, profile, override);
    if (!run) continue;
    for (const e of run.paramErrors) {
      out.push(
        configFinding(
          `safeDefaults.rules.${rule.id}`,
          `${rule.id} ${e}`,
          `fix the parameter (see ${rule.id} in policies/README.md); the ${profile} defaults are used meanwhile`,
        ),
      );
    }
    for (const f of run.findings) {
      out.push({
        ruleId: rule.id,
        title: rule.title,
        severity: f.severity,
        mandatory: isMandatory(f.severity),
        object: f.object,
        message: f.message,
        fix: f.fix,
        // Tenant-wide findings (counts, missing declarations) point at tenant.yaml, so SARIF can annotate them.
        source: f.source ?? { file: tenantFile, line: 1, column: 1 },
        reference: rule.source,
      });
    }
  }
  const withExemptions = applyExemptions(out, cfg.exemptions, now);
  return withExemptions.sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.object.localeCompare(b.object),
  );
}

/** Exempted findings stay in the list, marked and not mandatory; exemptions that are unsafe are findings too. */
function applyExemptions(findings: Finding[], exemptions: Exemption[], now: Date): Finding[] {
  const used = new Set<Exemption>();
  const matches = (e: Exemption, f: Finding) =>
    e.rule.toLowerCase() === f.ruleId.toLowerCase() &&
    e.object.trim().toLowerCase() === f.object.trim().toLowerCase();
  const live = (e: Exemption) => e.expires === null || Date.parse(e.expires) > now.getTime();
  const out = findings.map((f) => {
    const e = exemptions.find((x) => live(x) && matches(x, f));
    if (!e) return f;
    used.add(e);
    return {
      ...f,
      mandatory: false,
      exempted: {
        justification: e.justification,
        expires: e.expires,
        approvedBy: e.approvedBy,
        source: e.source,
      },
    };
  });
  for (const e of exemptions) {
    const base = {
      ruleId: EXEMPTION_RULE.id,
      title: EXEMPTION_RULE.title,
      object: `${e.rule} ${e.object}`,
      source: e.source,
      reference: EXEMPTION_RULE.source,
    };
    if (e.expires === null) {
      out.push({
        ...base,
        severity: "high",
        mandatory: true,
        message: `the exemption from ${e.rule} for ${e.object} has no end date, so it would switch the rule off for good`,
        fix: "add expires: YYYY-MM-DD (a date when the exemption is reviewed again)",
      });
    } else if (!live(e)) {
      out.push({
        ...base,
        severity: "high",
        mandatory: true,
        message: `the exemption from ${e.rule} for ${e.object} expired on ${e.expires.slice(0, 10)} and no longer applies`,
        fix: "fix what the rule reports and delete the exemption, or renew expires in a reviewed pull request",
      });
    } else if (!used.has(e)) {
      out.push({
        ...base,
        severity: "low",
        mandatory: false,
        message: `the exemption from ${e.rule} for ${e.object} matches no finding`,
        fix: "delete it, or correct rule and object (the object is the one a finding names)",
      });
    }
  }
  return out;
}

function tenantFileOf(model: TenantModel): string {
  const any = [
    ...model.roleSettings,
    ...model.breakGlass,
    ...model.pimGroups,
    ...model.approverGroups,
    ...model.safeDefaults.exemptions,
  ];
  return (
    any.find((x) => /tenant\.ya?ml$/.test(x.source.file))?.source.file ?? `stacks/${model.stack}/tenant.yaml`
  );
}
