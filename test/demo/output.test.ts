// How the demo prints a command's output: indented, long blocks and long outputs cut with how to see them whole.
import { describe, expect, it } from "vitest";
import {
  indentOutput,
  MAX_BLOCK_LINES,
  MAX_STEP_LINES,
  timingTable,
} from "../../scripts/commands/demo/output";

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe("indentOutput", () => {
  it("indents every line by four spaces and keeps blank lines empty", () => {
    expect(indentOutput("title\nsummary\n\nrow\n", "pim x")).toBe("    title\n    summary\n\n    row\n");
  });

  it("keeps a block of MAX_BLOCK_LINES whole and cuts a longer one to its first 12 lines", () => {
    const whole = lines("a", MAX_BLOCK_LINES).join("\n");
    expect(indentOutput(whole, "pim x").split("\n")).toHaveLength(MAX_BLOCK_LINES + 1);
    const cut = indentOutput(
      `head\n\n${lines("r", MAX_BLOCK_LINES + 1).join("\n")}\n\ntail`,
      "pim audit --days 30",
    );
    expect(cut.split("\n")).toEqual([
      "    head",
      "",
      ...lines("    r", 12),
      "    … 13 more lines (pim audit --days 30 shows them all)",
      "",
      "    tail",
      "",
    ]);
  });

  it("cuts the whole output after MAX_STEP_LINES lines", () => {
    const blocks = Array.from({ length: 30 }, (_, i) => `finding ${i + 1}\n  fix ${i + 1}`).join("\n\n");
    const out = indentOutput(blocks, "pim report").split("\n");
    expect(out).toHaveLength(MAX_STEP_LINES + 2);
    expect(out[MAX_STEP_LINES - 1]).toBe("      fix 27");
    expect(out[MAX_STEP_LINES]).toBe("    … 9 more lines (pim report shows them all)");
  });
});

describe("timingTable", () => {
  it("lists each step's wall time in seconds, then the total", () => {
    expect(
      timingTable(
        [
          { step: "pim report", ms: 740 },
          { step: "apply", ms: 30_851 },
        ],
        33_120,
      ),
    ).toBe(
      [
        "    STEP        WALL TIME",
        "    pim report      0.7 s",
        "    apply          30.9 s",
        "    total          33.1 s",
      ].join("\n"),
    );
  });
});
