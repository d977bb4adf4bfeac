/**
 * Edits of a YAML file that keep everything else as the person wrote it (comments, flow maps, spacing): the
 * value's own characters are replaced in the text, found through the parser's source ranges. Re-serializing the
 * document would reflow lines and respace `[a]` as `[ a ]` in files that people review line by line.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

interface Found {
  /** The value node at the path, or null. */
  node: Node | null;
  /** For a map entry: its key node. */
  key: Node | null;
}

function find(text: string, path: ReadonlyArray<string | number>): Found {
  const doc = parseDocument(text);
  let node: Node | null = doc.contents as Node | null;
  let key: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      key = (pair?.key as Node | undefined) ?? null;
      node = (pair?.value as Node | undefined) ?? null;
    } else if (isSeq(node) && typeof seg === "number") {
      key = null;
      node = (node.items[seg] as Node | undefined) ?? null;
    } else node = null;
    if (!node) break;
  }
  return { node, key };
}

const lineStart = (text: string, at: number) => text.lastIndexOf("\n", at - 1) + 1;
const lineEnd = (text: string, at: number) => {
  const nl = text.indexOf("\n", at);
  return nl < 0 ? text.length : nl + 1;
};

/**
 * Sets a scalar at `path`. When it does not exist, adds `key: value` on the line after the sibling `after` (a key
 * of the same map), at that key's indentation.
 */
export function setScalar(
  text: string,
  path: ReadonlyArray<string | number>,
  value: string,
  after?: string,
): string {
  const { node } = find(text, path);
  if (node && isScalar(node) && node.range)
    return text.slice(0, node.range[0]) + value + text.slice(node.range[1]);
  if (node) throw new Error(`${path.join(".")} is not a plain value`);
  const sibling = after !== undefined ? find(text, [...path.slice(0, -1), after]) : null;
  if (!sibling?.key?.range || !sibling.node?.range) throw new Error(`cannot place ${path.join(".")}`);
  const lines = new LineCounter();
  parseDocument(text, { lineCounter: lines });
  const column = lines.linePos(sibling.key.range[0]).col - 1;
  const at = lineEnd(text, Math.max(sibling.node.range[0], sibling.node.range[1] - 1));
  return `${text.slice(0, at)}${" ".repeat(column)}${String(path[path.length - 1])}: ${value}\n${text.slice(at)}`;
}

/** Removes a sequence item with its lines. */
export function deleteItem(text: string, path: ReadonlyArray<string | number>): string {
  const { node } = find(text, path);
  if (!node?.range) throw new Error(`${path.join(".")} does not exist`);
  const from = lineStart(text, node.range[0]);
  const to = lineEnd(text, Math.max(node.range[0], node.range[2] - 1));
  return text.slice(0, from) + text.slice(to);
}

/** Removes a map entry (key and value) with its lines. */
export function deleteKey(text: string, path: ReadonlyArray<string | number>): string {
  const { node, key } = find(text, path);
  if (!node?.range || !key?.range) return text;
  const from = lineStart(text, key.range[0]);
  const to = lineEnd(text, Math.max(node.range[0], node.range[2] - 1));
  return text.slice(0, from) + text.slice(to);
}
