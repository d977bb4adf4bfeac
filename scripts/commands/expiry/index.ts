/**
 * `pim expiry --stack <name> [--within 14d] [--at <instant>] [--open-prs [--push]]`: grants and PIM-group
 * memberships and ownerships that end soon or have ended, marked at PIM's own notices (14 days, 1 day, ended);
 * with --open-prs, the renewal or removal pull request for each, opened with the GitHub CLI when --push is given.
 */
import { DAY, parseDuration } from "../../../model/duration";
import { loadStack } from "../../../model";
import { expiring, toSnapshot, type ExpiryItem, type Snapshot } from "../../../model/snapshot";
import { COMMON, OUTPUT, formatOption, instantOption, parse, required, UsageError } from "../../lib/args";
import { CliError } from "../../lib/errors";
import { defaultBranch, gitTopLevel } from "../../lib/git";
import { branchName, ghAvailable, openPullRequest, type PullRequestOutcome } from "../../lib/github";
import { colors, EXIT, type Io } from "../../lib/io";
import { emit } from "../../lib/output";
import { findRoot } from "../../lib/root";
import { formatTable } from "../../lib/table";
import { lastDay } from "../../../model/duration";
import { count, jsonText, md } from "../../lib/text";
import { escapeControlChars } from "../../../model/untrustedText";
import type { Command } from "../types";
import { draftFor, type ExpiryDraft } from "./drafts";

export const EXPIRY_HELP = `Usage: pim expiry --stack <name> [--within 14d] [--at <instant>] [options]

List the grants and PIM group memberships and ownerships of a stack that end within a window, marked where
PIM itself notifies (14 days before, 1 day before, and ended), and those that have ended but are still declared.

Options:
  --stack <name>      the stack (folder under stacks/)                                      (required)
  --within <days>     the window: 14d (default), 30d, or an ISO duration such as P30D
  --at <instant>      as of this UTC instant instead of the clock, e.g. 2026-12-18T00:00:00Z
  --format <fmt>      text (default), markdown or json
  --output <file>     write the report to a file instead of stdout
  --open-prs          prepare, for each item, a branch, the file change and the pull-request text: renew
                      (a proposed end date for the sponsor to confirm) or, once ended, remove
  --push              with --open-prs: commit each change on its branch, push it and open the pull request
                      with the GitHub CLI (gh); skips branches that already have an open pull request
  --root <dir>        repository root holding stacks/ (default: found from the current folder)
  -h, --help          show this help

Exit codes: 0 done, 1 invalid declarations, 2 usage error, 3 git or gh unavailable or refused (with --push).
`;

function withinOption(text: string | undefined): number {
  if (text === undefined) return 14 * DAY;
  const days = /^(\d+)d$/.exec(text);
  if (days) return Number(days[1]) * DAY;
  const d = parseDuration(text);
  if (d.ok) return d.ms;
  throw new UsageError(
    `--within must be a number of days such as 14d, or an ISO duration such as P30D, not "${text}"`,
  );
}

export async function expiryCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    ...OUTPUT,
    stack: { type: "string" },
    within: { type: "string" },
    at: { type: "string" },
    "open-prs": { type: "boolean" },
    push: { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(EXPIRY_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim expiry --stack demo");
  const format = formatOption(values.format, ["text", "markdown", "json"] as const);
  const within = withinOption(values.within);
  const at = instantOption("at", values.at, new Date());
  if (values.push && !values["open-prs"]) throw new UsageError("--push needs --open-prs");
  const root = findRoot(values.root);

  const loaded = loadStack({ root, stack, now: at });
  if (!loaded.model) {
    const errors = loaded.diagnostics.filter((d) => d.severity === "error").length;
    throw new CliError(
      `stack ${stack} does not load (${count(errors, "error")})`,
      EXIT.invalid,
      `run pim check --stack ${stack}`,
    );
  }
  const snapshot = toSnapshot(loaded.model);
  const items = expiring(snapshot.state, at, within);

  let drafts: ExpiryDraft[] = [];
  let outcomes: PullRequestOutcome[] = [];
  if (values["open-prs"]) {
    const top = gitTopLevel(root);
    drafts = items.map((item) => draftFor({ stack, root, top, snapshot, at }, item));
    if (values.push) {
      if (!ghAvailable(top)) {
        throw new CliError(
          "--push needs the GitHub CLI (gh)",
          EXIT.unavailable,
          "install gh and set GH_TOKEN, or run without --push to print the pull requests",
        );
      }
      const base = branchName(defaultBranch(top));
      outcomes = drafts.map((d) => openPullRequest(top, base, d));
    }
  }
  const report = { stack, at, within, items, drafts, outcomes, snapshot };
  const text =
    format === "json"
      ? renderJson(report)
      : format === "markdown"
        ? renderMarkdown(report)
        : renderText(report, io);
  emit(io, text, values.output);
  return EXIT.ok;
}

interface Report {
  stack: string;
  at: Date;
  within: number;
  items: ExpiryItem[];
  drafts: ExpiryDraft[];
  outcomes: PullRequestOutcome[];
  snapshot: Snapshot;
}

const NOTICE_ORDER = ["expired", "1 day", "14 days"] as const;

function summary(r: Report): string {
  if (!r.items.length) return `nothing ends within ${count(Math.round(r.within / DAY), "day")}`;
  const n = (x: ExpiryItem["notice"]) => r.items.filter((i) => i.notice === x).length;
  const parts = NOTICE_ORDER.filter((x) => n(x)).map((x) =>
    x === "expired" ? `${n(x)} ended` : `${n(x)} within ${x}`,
  );
  const later = n(null);
  if (later) parts.push(`${later} later in the window`);
  return `${count(r.items.length, "item")}: ${parts.join(", ")}`;
}

function endsIn(i: ExpiryItem): string {
  if (i.remainingMs <= 0) return `ended ${count(Math.floor(-i.remainingMs / DAY), "day")} ago`;
  const days = Math.ceil(i.remainingMs / DAY);
  return `in ${count(days, "day")}`;
}

function file(r: Report, i: ExpiryItem): string {
  return r.snapshot.provenance[i.key]?.file ?? "";
}

function renderText(r: Report, io: Io): string {
  const c = colors(io.stdout);
  const out = [
    c.bold(
      `pim expiry · stack ${r.stack} · as of ${r.at.toISOString().slice(0, 16).replace("T", " ")} UTC · window ${count(Math.round(r.within / DAY), "day")}`,
    ),
    summary(r),
  ];
  if (r.items.length) {
    const rows = r.items.map((i) => [
      i.notice ?? "-",
      lastDay(i.end),
      endsIn(i),
      escapeControlChars(i.subject),
      escapeControlChars(file(r, i)),
    ]);
    const table = formatTable(
      [
        { header: "NOTICE" },
        { header: "LAST DAY" },
        { header: "ENDS" },
        { header: "WHAT" },
        { header: "FILE" },
      ],
      rows,
    );
    out.push("", c.dim(table[0]!));
    r.items.forEach((i, k) => {
      const row = table[k + 1]!;
      out.push(
        i.notice === "expired"
          ? c.red(row)
          : i.notice === "1 day"
            ? c.yellow(c.bold(row))
            : i.notice
              ? c.yellow(row)
              : row,
      );
    });
  }
  for (const [k, d] of r.drafts.entries()) {
    const o = r.outcomes[k];
    out.push(
      "",
      c.bold(`Pull request ${k + 1}: ${d.action} · ${escapeControlChars(d.branch)}`),
      `  title: ${escapeControlChars(d.title)}`,
    );
    for (const ch of d.changes) out.push(`  ${ch.content === null ? "delete" : "edit"} ${ch.path}`);
    if (o) out.push(`  ${o.status === "opened" ? "opened" : "already open"}: ${o.url}`);
  }
  if (r.drafts.length && !r.outcomes.length)
    out.push("", c.dim("Prepared only: add --push to open them with the GitHub CLI."));
  return `${out.join("\n")}\n`;
}

function renderMarkdown(r: Report): string {
  const out = [
    `### pim expiry · stack ${md(r.stack)}: ${md(summary(r))}`,
    "",
    `As of ${r.at.toISOString().slice(0, 16).replace("T", " ")} UTC, window ${count(Math.round(r.within / DAY), "day")}.`,
  ];
  if (r.items.length) {
    out.push("", "| notice | last day | ends | what | file |", "| --- | --- | --- | --- | --- |");
    for (const i of r.items)
      out.push(
        `| ${i.notice ?? "-"} | ${lastDay(i.end)} | ${endsIn(i)} | ${md(i.subject)} | ${md(file(r, i))} |`,
      );
  }
  out.push("", `<!-- pim-expiry:${r.stack} -->`);
  return `${out.join("\n")}\n`;
}

function renderJson(r: Report): string {
  const doc = {
    tool: "pim",
    title: "pim expiry",
    stack: r.stack,
    at: r.at.toISOString(),
    withinDays: r.within / DAY,
    summary: summary(r),
    items: r.items.map((i) => ({
      type: i.type,
      key: i.key,
      subject: i.subject,
      end: i.end,
      lastDay: lastDay(i.end),
      remainingMs: i.remainingMs,
      notice: i.notice,
      file: file(r, i),
      entry: i.entry,
    })),
    pullRequests: r.drafts.map((d, k) => ({ ...d, outcome: r.outcomes[k] ?? null })),
  };
  return jsonText(doc);
}

export const expiry: Command = {
  name: "expiry",
  summary: "what ends within 14 days or has ended, with renewal or removal pull requests (--open-prs)",
  help: EXPIRY_HELP,
  run: expiryCommand,
};
