/**
 * Safe-default findings introduced or resolved by a change. The rules run on each side by the caller (the model
 * does not depend on the rules); a finding is the same finding on both sides when its rule and object are
 * (`findingKey`), whatever figures its message carries.
 */
import { findingKey } from "../keys";
import { added, removed } from "./change";
import type { Change, FindingLike } from "./types";

export function diffFindings(before: readonly FindingLike[], after: readonly FindingLike[]): Change[] {
  const keyed = (fs: readonly FindingLike[]) => new Map(fs.map((f) => [findingKey(f.ruleId, f.object), f]));
  const b = keyed(before);
  const a = keyed(after);
  const out: Change[] = [];
  for (const [key, f] of a) {
    if (b.has(key)) continue;
    // An exempted finding is reported but waived; the exemption itself shows in the safe-defaults section.
    const note = `${f.mandatory ? "mandatory" : "advisory"} ${f.severity} finding introduced: ${f.message}`;
    const c = added(
      "findings",
      key,
      `${f.ruleId} ${f.object}`,
      f.exempted ? "neutral" : "weaker",
      note,
      f,
      null,
    );
    out.push(f.source ? { ...c, source: f.source } : c);
  }
  for (const [key, f] of b) {
    if (a.has(key)) continue;
    out.push(
      removed(
        "findings",
        key,
        `${f.ruleId} ${f.object}`,
        "stronger",
        `${f.severity} finding resolved: ${f.title}`,
        f,
        null,
      ),
    );
  }
  return out;
}
