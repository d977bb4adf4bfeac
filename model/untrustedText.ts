/**
 * Untrusted text, in one place: which control characters a declaration may not hold, how every output shows them,
 * and how much of a value a message quotes.
 *
 * A pull request is untrusted input and `pim check` prints it to a CI log, a terminal and SARIF annotations. An
 * escape sequence (ESC, CSI) can rewrite a terminal's screen, a carriage return can overwrite a line ("✔ valid"),
 * and bidirectional or zero-width characters make a name read differently from what it is (Trojan Source).
 */

/**
 * C0 controls (tab and line feed included), DEL, C1 controls, zero-width characters, the line and paragraph
 * separators, bidirectional embeddings, overrides and isolates, and the byte-order mark.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Tab and line feed are fine inside free text (a justification written as a YAML block); nowhere else. */
const CONTROL_BUT_TAB_AND_NEWLINE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** `\x1b` for a character below U+0100, `\u202e` above: readable, and never interpreted by a terminal. */
function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * The one escaping helper every formatter calls (text, JSON, SARIF, markdown) on every string it prints: each
 * control character becomes its `\xNN` / `\uNNNN` spelling, everything else is left as it is.
 */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** The same set less tab and line feed, for JSON: its own syntax already spells those `\t` and `\n`. */
const CONTROL_IN_JSON = new RegExp(CONTROL_BUT_TAB_AND_NEWLINE.source, "g");

/**
 * A `JSON.stringify` replacer that escapes every string as `escapeControlChars` does, except tab and line feed:
 * JSON writes those as `\t` and `\n` (nothing reaches a terminal raw), and a JSON report carries multi-line
 * values a consumer uses as they are (a justification, a grant file's text in a renewal pull request).
 */
export function escapeControlCharsInJson(_key: string, value: unknown): unknown {
  return typeof value === "string" ? value.replace(CONTROL_IN_JSON, escapeOne) : value;
}

/**
 * The first control character in `text` and its position, or null. `freeText` allows tab and line feed (a
 * justification may span lines); names, UPNs and roles allow none.
 */
export function findControlChar(
  text: string,
  opts: { freeText?: boolean } = {},
): { escaped: string; index: number } | null {
  const re = opts.freeText ? CONTROL_BUT_TAB_AND_NEWLINE : new RegExp(CONTROL.source);
  const m = re.exec(text);
  return m ? { escaped: escapeOne(m[0]), index: m.index } : null;
}

/** Values quoted in messages are cut here: a 1 MB "date" must not become a 1 MB diagnostic. */
const QUOTE_MAX = 60;

/** `"value"` for a message, cut to a readable length. Formatters escape what it contains. */
export function quote(text: string): string {
  return `"${text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text}"`;
}
