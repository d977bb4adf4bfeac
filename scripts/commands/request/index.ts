/**
 * `pim request`: writes the grant file a sponsor would otherwise type, validated exactly as `pim check` validates
 * it (the loader and the safe-default rules over the stack with the new file), and prints the branch and the
 * pull-request text to open; `--open-pr` opens it with the GitHub CLI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatDiagnostic, loadStack, loadStackFiles, type SourceFile } from "../../../model";
import { findingKey } from "../../../model/keys";
import { evaluateSafeDefaults } from "../../../policies/rules";
import { formatFindingsText } from "../../../policies/report/text";
import { COMMON, instantOption, parse, required, UsageError } from "../../lib/args";
import { CliError } from "../../lib/errors";
import { defaultBranch, gitTopLevel } from "../../lib/git";
import { branchName, ghAvailable, openPullRequest } from "../../lib/github";
import { EXIT, type Io } from "../../lib/io";
import { findRoot } from "../../lib/root";
import { count } from "../../lib/text";
import { escapeControlChars } from "../../../model/untrustedText";
import type { Command } from "../types";
import { canonicalRole, grantFileName, grantFileText, type GrantRequest } from "./grantFile";

export const REQUEST_HELP = `Usage: pim request --stack <name> --principal <upn> --role <name> (--end <date> | --days <n>)
                   --justification <text> --ticket <system>:<number> [options]

Write the grant file for an access request (stacks/<name>/grants/<who>-<role>.yaml), validated as pim check
validates it, with name suggestions for a mistyped role; then print the branch and pull-request text.

Options:
  --stack <name>            the stack (folder under stacks/)                                    (required)
  --principal <upn>         who gets access: UPN, group or service principal name, or object id (required)
  --role <name>             role display name (Entra or Azure) or role definition id             (required)
  --end <date>              last day of access (YYYY-MM-DD, through that day UTC) or an instant with a zone
  --days <n>                or: n days of access counting today (--days 42 from 2026-11-20 ends 2026-12-31)
  --justification <text>    why the access is needed (recorded in Entra)                          (required)
  --ticket <system>:<num>   the change or request ticket, e.g. ServiceNow:CHG0031337
  --kind <kind>             eligible (default: activated on demand) or active
  --scope <scope>           an Azure scope such as /subscriptions/<id> for Azure roles (default: tenant)
  --start <date>            first day of access (default: when provisioned)
  --requested-by <upn>      the sponsor who asks for the access
  --now <instant>           validate as of this UTC instant instead of the clock
  --dry-run                 validate and print, write nothing
  --open-pr                 commit the file on its own branch, push it and open the pull request with gh
  --root <dir>              repository root holding stacks/ (default: found from the current folder)
  -h, --help                show this help

Exit codes: 0 written, 1 the grant would be invalid or add a mandatory finding (nothing written),
2 usage error or the grant file exists, 3 git or gh unavailable or refused (with --open-pr).
`;

const DAY = 86_400_000;

export async function requestCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    stack: { type: "string" },
    principal: { type: "string" },
    role: { type: "string" },
    end: { type: "string" },
    days: { type: "string" },
    justification: { type: "string" },
    ticket: { type: "string" },
    kind: { type: "string" },
    scope: { type: "string" },
    start: { type: "string" },
    "requested-by": { type: "string" },
    now: { type: "string" },
    "dry-run": { type: "boolean" },
    "open-pr": { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(REQUEST_HELP);
    return EXIT.ok;
  }
  const stack = required("stack", values.stack, "pim request --stack demo ...");
  const principal = required("principal", values.principal, "--principal c-jordan.lee@contoso.com");
  const role = required("role", values.role, '--role "Global Administrator"');
  const justification = required(
    "justification",
    values.justification,
    '--justification "Tenant migration, SOW 2026-114"',
  );
  const now = instantOption("now", values.now, new Date());
  const kind = values.kind ?? "eligible";
  if (kind !== "eligible" && kind !== "active")
    throw new UsageError(`--kind must be eligible or active, not "${kind}"`);
  const end = endOption(values.end, values.days, now);
  const ticket = ticketOption(values.ticket);
  const azure = values.scope !== undefined && values.scope.startsWith("/");
  const request: GrantRequest = {
    principal: principal.trim(),
    role: canonicalRole(role, azure),
    kind,
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values.start !== undefined ? { start: values.start } : {}),
    end,
    justification,
    ...(ticket ? { ticket } : {}),
    ...(values["requested-by"] ? { requestedBy: values["requested-by"] } : {}),
  };
  const root = findRoot(values.root);

  const current = loadStack({ root, stack, now });
  const name = grantFileName(request.principal, request.role);
  const rel = `stacks/${stack}/grants/${name}`;
  const abs = path.join(root, rel);
  if (fs.existsSync(abs)) {
    throw new CliError(
      `${rel} already exists`,
      EXIT.usage,
      "to extend that access, change end: in that file in a pull request",
    );
  }
  if (!current.model) {
    throw new CliError(
      `stack ${stack} does not load as it is (${count(current.diagnostics.filter((d) => d.severity === "error").length, "error")})`,
      EXIT.invalid,
      `run pim check --stack ${stack} and fix it first`,
    );
  }
  const text = grantFileText(request);
  const files: SourceFile[] = current.files.map((p) => ({
    path: p,
    text: fs.readFileSync(path.join(root, p), "utf8"),
  }));
  const next = loadStackFiles(stack, [...files, { path: rel, text }], now);
  const problems = next.diagnostics.filter((d) => d.file === rel);
  const errors = problems.filter((d) => d.severity === "error");
  if (errors.length || !next.model) {
    io.stderr.write(
      `pim request: the grant would be invalid (${count(errors.length, "error")}); nothing written:\n`,
    );
    for (const d of errors) io.stderr.write(`${formatDiagnostic(d)}\n`);
    io.stderr.write(
      `\n${text
        .split("\n")
        .map((l) => `  ${escapeControlChars(l)}`)
        .join("\n")}\n`,
    );
    return EXIT.invalid;
  }
  const before = new Set(
    evaluateSafeDefaults(current.model, { now }).map((f) => findingKey(f.ruleId, f.object)),
  );
  const introduced = evaluateSafeDefaults(next.model, { now }).filter(
    (f) => !before.has(findingKey(f.ruleId, f.object)),
  );
  const mandatory = introduced.filter((f) => f.mandatory);
  if (mandatory.length) {
    io.stderr.write(
      `pim request: the grant would add ${count(mandatory.length, "mandatory finding")}; nothing written:\n`,
    );
    io.stderr.write(formatFindingsText(mandatory));
    return EXIT.invalid;
  }

  const title = `PIM ${stack}: ${request.kind} ${request.role} for ${request.principal} until ${request.end}`;
  const branch = `pim/request/${stack}/${name.replace(/\.yaml$/, "")}`;
  const body = prBody(
    stack,
    rel,
    request,
    problems.map(formatDiagnostic),
    introduced.map((f) => `${f.ruleId} (${f.severity}): ${f.message}`),
  );
  const out: string[] = [];
  if (!values["dry-run"]) {
    fs.writeFileSync(abs, text);
    out.push(`wrote ${rel}`);
  } else out.push(`would write ${rel} (dry run)`);
  out.push(
    "",
    ...text
      .trimEnd()
      .split("\n")
      .map((l) => `  ${escapeControlChars(l)}`),
    "",
  );
  for (const d of problems) out.push(`warning: ${formatDiagnostic(d)}`);
  for (const f of introduced) out.push(`advisory: ${f.ruleId} ${escapeControlChars(f.message)}`);
  out.push(
    `branch: ${branch}`,
    `pull request title: ${escapeControlChars(title)}`,
    "pull request text:",
    "",
    ...body.split("\n").map((l) => `  ${escapeControlChars(l)}`),
  );
  if (values["open-pr"] && !values["dry-run"]) {
    const top = gitTopLevel(root);
    if (!ghAvailable(top))
      throw new CliError(
        "--open-pr needs the GitHub CLI (gh)",
        EXIT.unavailable,
        "install gh and run gh auth login, or open the pull request by hand with the text above",
      );
    const repoPath = path.relative(top, abs).split(path.sep).join("/");
    const o = openPullRequest(top, branchName(defaultBranch(top)), {
      branch,
      title,
      body,
      changes: [{ path: repoPath, content: text }],
    });
    out.push("", `${o.status === "opened" ? "opened" : "already open"}: ${o.url}`);
  } else {
    out.push(
      "",
      `next: git switch -c ${branch} && git add ${rel} && git commit -m "${title.replace(/"/g, "'")}" && git push -u origin ${branch}`,
    );
  }
  io.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}

function endOption(end: string | undefined, days: string | undefined, now: Date): string {
  if ((end === undefined) === (days === undefined))
    throw new UsageError("give either --end <date> or --days <n>");
  if (end !== undefined) return end;
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--days must be a whole number of days from 1, not "${days}"`);
  // Counting today: --days 1 is access through today.
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return new Date(today + (n - 1) * DAY).toISOString().slice(0, 10);
}

function ticketOption(text: string | undefined): { system: string; number: string } | undefined {
  if (text === undefined) return undefined;
  const m = /^([^:]+):(.+)$/.exec(text.trim());
  if (!m)
    throw new UsageError(`--ticket must be <system>:<number>, e.g. ServiceNow:CHG0031337, not "${text}"`);
  return { system: m[1]!.trim(), number: m[2]!.trim() };
}

function prBody(
  stack: string,
  file: string,
  r: GrantRequest,
  warnings: string[],
  advisories: string[],
): string {
  const lines = [
    `Access request for stack \`${stack}\`: one grant file, \`${file}\`.`,
    "",
    "| | |",
    "| --- | --- |",
    `| who | ${r.principal} |`,
    `| role | ${r.role}${r.scope && r.scope !== "tenant" ? ` @ ${r.scope}` : ""} |`,
    `| kind | ${r.kind} |`,
    `| last day | ${r.end} |`,
    `| ticket | ${r.ticket ? `${r.ticket.system} ${r.ticket.number}` : "(none)"} |`,
    `| requested by | ${r.requestedBy ?? "(not stated)"} |`,
    `| justification | ${r.justification} |`,
    "",
    "The pull-request checks run `pim check` (annotations) and `pim plan` (a comment listing this grant); a",
    "change judged weaker needs a security approver. After merge, `pulumi up` creates the assignment with its end",
    "date; `pim expiry` reports it 14 days and 1 day before it ends.",
  ];
  if (warnings.length || advisories.length)
    lines.push("", "Notes from pim check:", ...[...warnings, ...advisories].map((w) => `- ${w}`));
  return lines.join("\n");
}

export const request: Command = {
  name: "request",
  summary: "write the grant file for an access request, validated, with its branch and pull-request text",
  help: REQUEST_HELP,
  run: requestCommand,
};
