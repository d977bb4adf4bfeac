/**
 * Safe-default findings introduced or resolved by a change. The rules run on each side by the caller (the model
 * does not depend on the rules); a finding is the same finding on both sides when its rule and object are
 * (`findingKey`), whatever figures its message carries.
 */
import { findingKey } from "../keys";
import type { Change, FindingLike } from "./types";

export function diffFindings(before: readonly FindingLike[], after: readonly FindingLike[]): Change[] {
  const keyed = (fs: readonly FindingLike[]) => new Map(fs.map((f) => [findingKey(f.ruleId, f.object), f]));
  const b = keyed(before);
  const a = keyed(after);
  const out: Change[] = [];
  for (const [key, f] of a) {
    if (b.has(key)) continue;
    out.push({
      section: "findings",
      key,
      action: "added",
      subject: `${f.ruleId} ${f.object}`,
      // An exempted finding is reported but waived; the exemption itself shows in the safe-defaults section.
      risk: f.exempted ? "neutral" : "weaker",
      note: `${f.mandatory ? "mandatory" : "advisory"} ${f.severity} finding introduced: ${f.message}`,
      fields: [],
      after: f,
      ...(f.source ? { source: f.source } : {}),
    });
  }
  for (const [key, f] of b) {
    if (a.has(key)) continue;
    out.push({
      section: "findings",
      key,
      action: "removed",
      subject: `${f.ruleId} ${f.object}`,
      risk: "stronger",
      note: `${f.severity} finding resolved: ${f.title}`,
      fields: [],
      before: f,
    });
  }
  return out;
}
