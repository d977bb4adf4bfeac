import { describe, expect, it } from "vitest";
import {
  DAY,
  daysLeft,
  durationMs,
  formatDuration,
  humanDuration,
  parseDuration,
  parseInstant,
} from "../../model";

const FORMAT = "write e.g. PT8H, PT30M, P42D or P1DT12H";
const CALENDAR = "uses years or months, which have no fixed length: write days instead (e.g. P365D, P30D)";

describe("parseDuration", () => {
  it.each([
    ["PT8H", 8 * 3_600_000],
    ["PT30M", 30 * 60_000],
    ["PT6M", 6 * 60_000],
    ["P42D", 42 * DAY],
    ["P1DT12H", 36 * 3_600_000],
    ["PT1H30M", 90 * 60_000],
    ["P2W", 14 * DAY],
    ["P1W2D", 9 * DAY],
    ["PT1.5S", 1500],
    ["P36500D", 36_500 * DAY],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
    expect(durationMs(text)).toBe(ms);
  });

  it.each([
    ["P6M", `"P6M" ${CALENDAR}`],
    ["P1Y", `"P1Y" ${CALENDAR}`],
    ["P1Y2M", `"P1Y2M" ${CALENDAR}`],
    ["P1M2D", `"P1M2D" ${CALENDAR}`],
    ["P", `"P" is not an ISO 8601 duration: ${FORMAT}`],
    ["PT", `"PT" is not an ISO 8601 duration: ${FORMAT}`],
    ["P1DT", `"P1DT" is not an ISO 8601 duration: ${FORMAT}`],
    ["8h", `"8h" is not an ISO 8601 duration: ${FORMAT}`],
    ["p1d", `"p1d" is not an ISO 8601 duration: ${FORMAT}`],
    ["P1.5D", `"P1.5D" is not an ISO 8601 duration: ${FORMAT}`],
    ["-P1D", `"-P1D" is not an ISO 8601 duration: ${FORMAT}`],
    ["6 weeks", `"6 weeks" is not an ISO 8601 duration: ${FORMAT}`],
    ["PT0S", `"PT0S" is zero: a duration must be longer than nothing`],
    ["P0D", `"P0D" is zero: a duration must be longer than nothing`],
    ["P36501D", `"P36501D" is longer than 100 years: write at most P36500D`],
    [
      "P99999999999999999999999999999999999999D",
      `"P99999999999999999999999999999999999999D" is longer than 100 years: write at most P36500D`,
    ],
  ])("%s is refused", (text, reason) => {
    expect(parseDuration(text)).toEqual({ ok: false, reason });
    expect(() => durationMs(text)).toThrow(reason);
  });
});

describe("formatDuration and humanDuration", () => {
  it.each([
    [0, "PT0S"],
    [1000, "PT1S"],
    [90 * 60_000, "PT1H30M"],
    [DAY, "P1D"],
    [1.5 * DAY, "P1DT12H"],
    [25 * 3_600_000 + 1500, "P1DT1H1.5S"],
  ])("formatDuration(%d) is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("formatDuration round-trips through parseDuration", () => {
    for (const text of ["PT8H", "PT30M", "P42D", "P1DT12H", "PT1H45M", "P365D"]) {
      expect(formatDuration(durationMs(text))).toBe(text);
    }
    expect(formatDuration(durationMs("P2W"))).toBe("P14D");
  });

  it.each([
    ["PT1H", "1h"],
    ["PT8H", "8h"],
    ["P42D", "42d"],
    ["P2W", "14d"],
    ["PT1H30M", "1h30m"],
    ["PT45S", "45s"],
    ["PT1H30M15S", "1h30m15s"],
    ["P1DT1H", "25h"],
    ["junk", "junk"],
  ])("humanDuration(%s) is %s", (text, human) => {
    expect(humanDuration(text)).toBe(human);
  });
});

describe("parseInstant", () => {
  it("a date-only end is through that whole UTC day; a date-only start is its first instant", () => {
    expect(parseInstant("2026-12-31", "end")).toEqual({
      ok: true,
      iso: "2027-01-01T00:00:00.000Z",
      ms: Date.parse("2027-01-01T00:00:00Z"),
    });
    expect(parseInstant("2026-12-31", "start")).toEqual({
      ok: true,
      iso: "2026-12-31T00:00:00.000Z",
      ms: Date.parse("2026-12-31T00:00:00Z"),
    });
    expect(parseInstant("2028-02-29", "end")).toMatchObject({ ok: true, iso: "2028-03-01T00:00:00.000Z" });
  });

  it("years from 1000 on are read as written; the widest offsets are accepted", () => {
    expect(parseInstant("1000-01-01", "start")).toMatchObject({ ok: true, iso: "1000-01-01T00:00:00.000Z" });
    expect(parseInstant("2026-12-31T18:00:00-12:00", "end")).toMatchObject({
      ok: true,
      iso: "2027-01-01T06:00:00.000Z",
    });
    expect(parseInstant("2026-12-31T18:00:00+14:00", "end")).toMatchObject({
      ok: true,
      iso: "2026-12-31T04:00:00.000Z",
    });
    expect(parseInstant("2026-12-31T18:00:00.5Z", "end")).toMatchObject({
      ok: true,
      iso: "2026-12-31T18:00:00.500Z",
    });
  });

  it("date-times keep their instant whatever the offset; as start or end alike", () => {
    expect(parseInstant("2026-12-31T18:00:00Z", "end")).toMatchObject({
      ok: true,
      iso: "2026-12-31T18:00:00.000Z",
    });
    expect(parseInstant("2026-12-31T18:00Z", "start")).toMatchObject({
      ok: true,
      iso: "2026-12-31T18:00:00.000Z",
    });
    expect(parseInstant("2026-12-31T18:00:00.123+05:30", "end")).toMatchObject({
      ok: true,
      iso: "2026-12-31T12:30:00.123Z",
    });
    expect(parseInstant("2027-01-01T01:00:00+02:00", "end")).toMatchObject({
      ok: true,
      iso: "2026-12-31T23:00:00.000Z",
    });
  });

  it.each([
    ["2026-02-29", `"2026-02-29" is not a calendar date: 2026-02 has 28 days`],
    ["2026-02-30", `"2026-02-30" is not a calendar date: 2026-02 has 28 days`],
    ["2026-04-31", `"2026-04-31" is not a calendar date: 2026-04 has 30 days`],
    ["2026-13-01", `"2026-13-01" is not a calendar date: the month must be 01 to 12`],
    ["2026-00-10", `"2026-00-10" is not a calendar date: the month must be 01 to 12`],
    [
      "2026-12-31T18:00:00",
      `"2026-12-31T18:00:00" has no time zone: add Z for UTC or an offset, e.g. 2026-12-31T18:00:00Z`,
    ],
    [
      "2026-12-31T18:00",
      `"2026-12-31T18:00" has no time zone: add Z for UTC or an offset, e.g. 2026-12-31T18:00Z`,
    ],
    [
      "2026-12-31T18:00:00+0200",
      `"2026-12-31T18:00:00+0200" writes its offset without a colon: write 2026-12-31T18:00:00+02:00`,
    ],
    [
      "2026-12-31T25:00:00Z",
      `"2026-12-31T25:00:00Z" is not a time of day: hours run 00 to 23, minutes and seconds 00 to 59`,
    ],
    [
      "2026-12-31T24:00:00Z",
      `"2026-12-31T24:00:00Z" is not a time of day: hours run 00 to 23, minutes and seconds 00 to 59`,
    ],
    [
      "2026-12-31T23:60:00Z",
      `"2026-12-31T23:60:00Z" is not a time of day: hours run 00 to 23, minutes and seconds 00 to 59`,
    ],
    [
      "2026-12-31T23:59:60Z",
      `"2026-12-31T23:59:60Z" is not a time of day: hours run 00 to 23, minutes and seconds 00 to 59`,
    ],
    // Date.parse rolls these over into the next month; the calendar check refuses them in date-times too.
    ["2027-02-30T00:00:00Z", `"2027-02-30T00:00:00Z" is not a calendar date: 2027-02 has 28 days`],
    ["2027-04-31T09:00:00+02:00", `"2027-04-31T09:00:00+02:00" is not a calendar date: 2027-04 has 30 days`],
    ["2027-13-01T00:00:00Z", `"2027-13-01T00:00:00Z" is not a calendar date: the month must be 01 to 12`],
    // A Date reads the years 0000-0099 as 1900-1999.
    ["0099-01-01", `"0099-01-01" has the year 0099: write the full year (years before 1000 are refused)`],
    ["0000-01-01", `"0000-01-01" has the year 0000: write the full year (years before 1000 are refused)`],
    [
      "0026-12-31T00:00:00Z",
      `"0026-12-31T00:00:00Z" has the year 0026: write the full year (years before 1000 are refused)`,
    ],
    [
      "2026-12-31T18:00:00+15:00",
      `"2026-12-31T18:00:00+15:00" has the offset +15:00: offsets run from -12:00 to +14:00`,
    ],
    [
      "2026-12-31T18:00:00+02:60",
      `"2026-12-31T18:00:00+02:60" has the offset +02:60: offsets run from -12:00 to +14:00`,
    ],
    ["x".repeat(5000), `"${"x".repeat(60)}…" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`],
    ["2026-12-31 18:00", `"2026-12-31 18:00" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`],
    ["31/12/2026", `"31/12/2026" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`],
    ["next monday", `"next monday" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`],
    ["", `"" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`],
  ])("%s is refused", (text, reason) => {
    expect(parseInstant(text, "end")).toEqual({ ok: false, reason });
  });
});

describe("daysLeft", () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  it("rounds up partial days; zero at the end instant and for less than a day past it", () => {
    expect(daysLeft(Date.parse("2027-01-01T00:00:00Z"), now)).toBe(39);
    expect(daysLeft(now + 1, now)).toBe(1);
    expect(daysLeft(now + DAY, now)).toBe(1);
    expect(daysLeft(now + DAY + 1, now)).toBe(2);
    expect(daysLeft(now, now)).toBe(0);
    expect(Object.is(daysLeft(now - 1, now), 0)).toBe(true);
    expect(daysLeft(now - DAY, now)).toBe(-1);
    expect(daysLeft(now - 2.5 * DAY, now)).toBe(-2);
  });
});
