/**
 * YAML with positions: parse once, keep the document, and map a field path back to the line and column where the
 * user wrote it (the value for a wrong value, the key for an unknown key).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from "yaml";

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  value: unknown;
  /** YAML syntax errors, already positioned. */
  syntaxErrors: Array<{ line: number; column: number; message: string; code: string }>;
  locate(path: ReadonlyArray<PropertyKey>, at?: "key" | "value"): { line: number; column: number };
  lineCounter: LineCounter;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Core schema (YAML 1.2): `2026-12-31` stays a string, `yes` stays a string; no merge keys, no custom tags.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: "core" });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntaxErrors: YamlSource["syntaxErrors"] = [];
  const seen = new Set<string>();
  for (const e of doc.errors) {
    const message = e.message.split("\n")[0] ?? e.message;
    // A pathological file (thousands of nested brackets) repeats one error per character: report each kind once.
    if (seen.has(message)) continue;
    seen.add(message);
    syntaxErrors.push({ ...pos(e.pos[0]), message, code: e.code });
  }
  let value: unknown = undefined;
  if (!syntaxErrors.length) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // Unresolved aliases and alias bombs surface only here; point at the first alias.
      let at = 0;
      visit(doc, {
        Alias(_key, node) {
          at = node.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      const message = err instanceof Error ? err.message : String(err);
      syntaxErrors.push({ ...pos(at), message, code: "ALIAS" });
    }
  }

  function locate(path: ReadonlyArray<PropertyKey>, at: "key" | "value" = "value") {
    let node: unknown = doc.contents;
    let lastGood: { range?: [number, number, number] | null } | null = (doc.contents as Node | null) ?? null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        const last = i === path.length - 1;
        if (last && at === "key" && isScalar(pair.key)) {
          lastGood = pair.key;
          node = null;
          break;
        }
        node = pair.value;
        if (node && (node as Node).range) lastGood = node as Node;
        else if (isScalar(pair.key)) lastGood = pair.key;
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
        if (node && (node as Node).range) lastGood = node as Node;
        else break;
      } else break;
    }
    const offset = lastGood?.range?.[0] ?? 0;
    return pos(offset);
  }

  return { file, text, doc, value, syntaxErrors, locate, lineCounter };
}

/** What the meaning checks need of a file: its name and where a field is. */
export type Locator = Pick<YamlSource, "file" | "locate">;

/**
 * A locator for the top level of a file that no longer holds the parsed document. Grant files are thousands: keeping
 * every Document alive until the end of a load doubled the retained heap (bench/check.bench.ts). Answers exactly as
 * `locate` does for paths of length 0 and 1 (all a grant's meaning checks use); deeper paths get the top-level field.
 */
export function topLevelLocator(src: YamlSource): Locator {
  const contents = src.doc.contents as Node | null;
  const root = contents?.range?.[0] ?? 0;
  const fields = new Map<string, { key: number; value: number }>();
  if (isMap(contents)) {
    for (const pair of contents.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (fields.has(name)) continue;
      const key = pair.key.range?.[0] ?? root;
      const value = (pair.value as Node | null)?.range?.[0] ?? key;
      fields.set(name, { key, value });
    }
  }
  const { lineCounter } = src;
  return {
    file: src.file,
    locate(path, at = "value") {
      const hit = path.length ? fields.get(String(path[0])) : undefined;
      const offset = hit ? (at === "key" && path.length === 1 ? hit.key : hit.value) : root;
      const p = lineCounter.linePos(offset);
      return { line: p.line, column: p.col };
    },
  };
}
