/**
 * YAML with positions: parse once, keep the document, and map a field path back to the line and column where the
 * user wrote it (the value for a wrong value, the key for an unknown key).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  value: unknown;
  /** YAML syntax errors, already positioned. */
  syntaxErrors: Array<{ line: number; column: number; message: string }>;
  locate(path: ReadonlyArray<PropertyKey>, at?: "key" | "value"): { line: number; column: number };
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Core schema (YAML 1.2): `2026-12-31` stays a string, `yes` stays a string; no merge keys, no custom tags.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: "core" });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntaxErrors = doc.errors.map((e) => ({
    ...pos(e.pos[0]),
    message: e.message.split("\n")[0] ?? e.message,
  }));
  const value = syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 100 });

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

  return { file, text, doc, value, syntaxErrors, locate };
}
