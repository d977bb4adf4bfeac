// ISO-8601 durations as Graph uses them (Edm.Duration: `P365D`, `PT8H`, `PT1H45M`; graph-pim.md §1.7).
// Years and months are refused: their length depends on the calendar and Graph serializes days.

const DURATION_RE = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO-8601 duration, or null if it is not one we accept. */
export function parseDuration(s: unknown): number | null {
  if (typeof s !== "string" || s === "P" || s.endsWith("T")) return null;
  const m = DURATION_RE.exec(s);
  if (!m) return null;
  const [, w, d, h, min, sec] = m;
  return (
    (Number(w ?? 0) * 7 + Number(d ?? 0)) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    Math.round(Number(sec ?? 0) * 1000)
  );
}
