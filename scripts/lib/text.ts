/**
 * Small text helpers every report uses: counts that read well, values from declarations made safe to print.
 * Declarations come from pull requests, so anything they hold is untrusted on a terminal and in a comment.
 */

/** `1 error`, `2 errors`, `0 errors`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Control characters (terminal escapes, carriage returns) shown as `\u001b` instead of acting on the terminal. */
export function printable(s: string): string {
  return s.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Text for a markdown comment: printable, and unable to open HTML, links, images, mentions, tables or code spans
 * (a justification written as `</details>@org/admins` must stay text).
 */
export function md(s: string): string {
  return printable(s)
    .replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`)
    .replace(/@/g, "@\u200b")
    .replace(/&/g, "&amp;");
}

/** `2026-12-31` for an end at midnight (the last day of access), else the instant to the minute. */
export function lastDay(endIso: string): string {
  if (endIso.endsWith("T00:00:00.000Z"))
    return new Date(Date.parse(endIso) - 86_400_000).toISOString().slice(0, 10);
  return `${endIso.slice(0, 16).replace("T", " ")}Z`;
}

/** `in 39 days`, `tomorrow`, `today`, `1 day ago`: days as people say them. */
export function relativeDays(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "in 1 day";
  if (days > 1) return `in ${days} days`;
  return `${count(-days, "day")} ago`;
}
