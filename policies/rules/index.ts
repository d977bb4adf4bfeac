/**
 * The safe-default rules as `pim check` runs them: every rule in the catalogue over the stack's declarations, with
 * the stack's profile (`cisa` by default, `strict` or `cis`), per-rule overrides and exemptions (tenant.yaml
 * `safeDefaults`). Pure: no clock (pass `now`), no files, no network.
 */
import type { Exemption, SourceRef, TenantModel } from "../../model/types";
import {
  CONFIG_RULE,
  EXEMPTION_RULE,
  WAIVER_RULE,
  allRules,
  findRule,
  metaRules,
  type MetaRule,
} from "./catalogue";
import { formatIssue, isMandatory, runRule, type Profile } from "./engine";
import { fromModel } from "./fromModel";
import type { RuleInput } from "./input";
import { lastDay } from "../../model/duration";
import { ms, plural, type Severity } from "./rule";
import { resolveTiers, tiersSchema } from "./tiers";
import { floorContext, overrideWeakens, tiersWeaken } from "./waivers";

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
  /** Which input object it is about (`policy:<key>`, `assignment:<label>`, ...): stable across runs (SARIF). */
  subject?: string;
  /** Where the requirement comes from (CISA SCuBA id, Microsoft Learn page, or the project). */
  reference: string;
  /** Set when an exemption in tenant.yaml covers the finding: it is reported, but not mandatory. */
  exempted?: { justification: string; expires: string | null; approvedBy: string | null; source: SourceRef };
}

export interface EvaluateOptions {
  /** The instant to judge against (exemption expiry, eligibility length); default: the model's `evaluatedAt`. */
  now?: Date;
  /**
   * Amends the input built from the model with what only a live tenant knows (the live report: Conditional Access
   * as complete, assignments made outside PIM). Offline callers leave it unset.
   */
  amendInput?: (input: RuleInput) => RuleInput;
}

/** The key under `safeDefaults.rules` that configures role tiers rather than one rule. */
export const TIERS_KEY = "tiers";

export { allRules, metaRules, findRule, EXEMPTION_RULE, CONFIG_RULE, WAIVER_RULE } from "./catalogue";
export { fromModel } from "./fromModel";
export type { RuleInput } from "./input";

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

const findMeta = (key: string): MetaRule | undefined =>
  metaRules.find((m) => m.id.toLowerCase() === key.trim().toLowerCase());

export function evaluateSafeDefaults(model: TenantModel, opts: EvaluateOptions = {}): Finding[] {
  const now = opts.now ?? new Date(model.evaluatedAt);
  const cfg = model.safeDefaults;
  const profile: Profile = cfg.profile;
  const tenantFile = tenantFileOf(model);
  const fileStart = { file: tenantFile, line: 1, column: 1 };
  const overrideAt = (key: string): SourceRef => cfg.ruleSources?.[key] ?? cfg.source ?? fileStart;
  const out: Finding[] = [];

  const meta = (rule: MetaRule, key: string, message: string, fix: string): Finding => ({
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    mandatory: isMandatory(rule.severity),
    object: `safeDefaults.rules.${key}`,
    message,
    fix,
    source: overrideAt(key),
    subject: `override:${key.toLowerCase()}`,
    reference: rule.source,
  });
  const configFinding = (key: string, message: string, fix: string) => meta(CONFIG_RULE, key, message, fix);
  const waiver = (key: string, what: string, reasons: string[]) =>
    meta(
      WAIVER_RULE,
      key,
      `${what}, but ${reasons.join("; ")}, for every object and with no end date`,
      "remove the override and exempt the specific objects under safeDefaults.exemptions, each with an end date, or exempt this finding while the override is reviewed",
    );

  // Tiers first: every rule's role scope depends on them.
  const tiersKey = Object.keys(cfg.rules).find((k) => k.toLowerCase() === TIERS_KEY);
  const tiersParsed = tiersSchema.safeParse((tiersKey && cfg.rules[tiersKey]?.params) ?? {});
  if (!tiersParsed.success) {
    for (const i of tiersParsed.error.issues) {
      out.push(
        configFinding(
          tiersKey ?? TIERS_KEY,
          `${TIERS_KEY} ${formatIssue(i)}`,
          "fix the tier list (role display names or ids); the default tiers are used meanwhile",
        ),
      );
    }
  }
  const tiersCfg = tiersParsed.success ? tiersParsed.data : tiersSchema.parse({});
  const tiersWeakened = tiersKey ? tiersWeaken(tiersCfg) : [];
  if (tiersKey && tiersWeakened.length)
    out.push(waiver(tiersKey, "the role tiers decide which roles the strictest rules cover", tiersWeakened));
  const tiers = resolveTiers(tiersCfg);
  const floors = floorContext(tiers);

  let maxLifetime = EXEMPTION_RULE.params!.parse({}) as { maxLifetime: string };
  for (const [key, override] of Object.entries(cfg.rules)) {
    if (key.toLowerCase() === TIERS_KEY || findRule(key)) continue;
    const m = findMeta(key);
    if (!m) {
      out.push(
        configFinding(
          key,
          `"${key}" is not a rule id, so its override changes nothing`,
          `use an id from policies/README.md (${allRules[0]!.id} ... ${allRules[allRules.length - 1]!.id}) or "${TIERS_KEY}"`,
        ),
      );
      continue;
    }
    if (override.enabled !== undefined || override.severity !== undefined) {
      out.push(
        configFinding(
          key,
          `${m.id} (${m.title}) always runs with its own severity; enabled and severity here are ignored`,
          "remove enabled and severity from this override",
        ),
      );
    }
    if (override.params === undefined) continue;
    const r = m.params?.safeParse(override.params);
    if (!m.params || !r) {
      out.push(configFinding(key, `${m.id} takes no parameters`, "remove params from this override"));
    } else if (!r.success) {
      for (const i of r.error.issues)
        out.push(
          configFinding(key, `${m.id} ${formatIssue(i)}`, `fix the parameter; the default is used meanwhile`),
        );
    } else {
      maxLifetime = r.data as typeof maxLifetime;
      if ((ms(maxLifetime.maxLifetime) ?? Infinity) > ms("P90D")!) {
        out.push(
          waiver(key, `${m.id} (${m.title}) keeps exemptions short-lived`, [
            `maxLifetime ${maxLifetime.maxLifetime} is beyond the baseline's 90 days`,
          ]),
        );
      }
    }
  }

  const built = fromModel(model, { tiers, now });
  const input = opts.amendInput ? opts.amendInput(built) : built;
  for (const rule of allRules) {
    const key = Object.keys(cfg.rules).find((k) => k.toLowerCase() === rule.id.toLowerCase());
    const override = key ? cfg.rules[key] : undefined;
    const run = runRule(rule, input, profile, override);
    const weakens = overrideWeakens(rule, override, run?.params ?? {}, floors);
    if (key && weakens.length)
      out.push(waiver(key, `${rule.id} (${rule.title}) has mandatory findings`, weakens));
    if (!run) continue;
    for (const e of run.paramErrors) {
      out.push(
        configFinding(
          key ?? rule.id,
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
        source: f.source ?? fileStart,
        ...(f.subject ? { subject: f.subject } : {}),
        reference: rule.source,
      });
    }
  }
  const withExemptions = applyExemptions(out, cfg.exemptions, now, maxLifetime.maxLifetime);
  return withExemptions.sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.object.localeCompare(b.object),
  );
}

/**
 * Exempted findings stay in the list, marked and not mandatory; exemptions that are unsafe are findings too. A
 * PIM-041 finding is never exempted: it is about an exemption, and the fix is to edit that exemption.
 */
function applyExemptions(
  findings: Finding[],
  exemptions: Exemption[],
  now: Date,
  maxLifetime: string,
): Finding[] {
  const used = new Set<Exemption>();
  const isSelf = (e: Exemption) => e.rule.trim().toLowerCase() === EXEMPTION_RULE.id.toLowerCase();
  const matches = (e: Exemption, f: Finding) =>
    !isSelf(e) &&
    e.rule.trim().toLowerCase() === f.ruleId.toLowerCase() &&
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
  const lifetime = ms(maxLifetime)!;
  for (const e of exemptions) {
    const base = {
      ruleId: EXEMPTION_RULE.id,
      title: EXEMPTION_RULE.title,
      object: `${e.rule} ${e.object}`,
      source: e.source,
      subject: `exemption:${e.rule.toLowerCase()}:${e.object.trim().toLowerCase()}`,
      reference: EXEMPTION_RULE.source,
    };
    const high = (message: string, fix: string): Finding => ({
      ...base,
      severity: "high",
      mandatory: true,
      message,
      fix,
    });
    const days = plural(Math.round(lifetime / 86_400_000), "day");
    if (isSelf(e)) {
      out.push(
        high(
          `an exemption from ${EXEMPTION_RULE.id} would hide a problem with another exemption, and suppresses nothing`,
          "delete it and fix the exemption that PIM-041 reports",
        ),
      );
    } else if (e.expires === null) {
      out.push(
        high(
          `the exemption from ${e.rule} for ${e.object} has no end date, so it would switch the rule off for good`,
          `add expires: YYYY-MM-DD, at most ${days} ahead (a date when the exemption is reviewed again)`,
        ),
      );
    } else if (!live(e)) {
      out.push(
        high(
          `the exemption from ${e.rule} for ${e.object} ended on ${lastDay(e.expires)} and no longer applies`,
          "fix what the rule reports and delete the exemption, or renew expires in a reviewed pull request",
        ),
      );
    } else if (Date.parse(e.expires) - now.getTime() > lifetime) {
      out.push(
        high(
          `the exemption from ${e.rule} for ${e.object} runs until ${lastDay(e.expires)}, more than ${days} ahead, so it is never reviewed again`,
          `set expires to a date at most ${days} ahead, and renew it in a reviewed pull request when still needed`,
        ),
      );
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
    model.safeDefaults.source?.file ??
    any.find((x) => /tenant\.ya?ml$/.test(x.source.file))?.source.file ??
    `stacks/${model.stack}/tenant.yaml`
  );
}
