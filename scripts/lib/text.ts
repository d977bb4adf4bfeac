/**
 * Small text helpers every report uses: counts that read well, values from declarations made safe to print.
 * Declarations come from pull requests, so anything they hold is untrusted on a terminal and in a comment.
 */
import { escapeControlChars, escapeControlCharsInJson } from "../../model/untrustedText";

/** A JSON report (json, sarif): indented, every string escaped like all other output, one trailing newline. */
export function jsonText(doc: unknown): string {
  return `${JSON.stringify(doc, escapeControlCharsInJson, 2)}\n`;
}

/** `1 error`, `2 errors`, `0 errors`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * Text for a markdown comment: control characters escaped (model/untrustedText.ts, the one helper every output
 * uses), and unable to open HTML, links, images, mentions, tables or code spans
 * (a justification written as `</details>@org/admins` must stay text).
 */
export function md(s: string): string {
  return escapeControlChars(s)
    .replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`)
    .replace(/@/g, "@\u200b")
    .replace(/&/g, "&amp;");
}

/** `in 39 days`, `tomorrow`, `today`, `1 day ago`: days as people say them. */
export function relativeDays(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "in 1 day";
  if (days > 1) return `in ${days} days`;
  return `${count(-days, "day")} ago`;
}
