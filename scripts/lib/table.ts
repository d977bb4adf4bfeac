/**
 * Aligned plain-text tables: every column as wide as its widest cell (counted in characters as displayed), so
 * long role names or profile names never push a row out of line.
 */
export interface Column {
  header: string;
  align?: "left" | "right";
}

const width = (s: string) => [...s].length;

export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  indent = "  ",
): string[] {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, i) => {
        const pad = " ".repeat(widths[i]! - width(cell));
        // The last column is not padded: no trailing spaces.
        if (i === cells.length - 1 && columns[i]?.align !== "right") return cell;
        return columns[i]?.align === "right" ? pad + cell : cell + pad;
      })
      .join("  ");
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}
