/**
 * The pull requests a daily expiry job prepares: for each item, a branch, the file change and the text. An item
 * that has ended is removed (its file, or its entry in tenant.yaml); one that ends soon is renewed with a proposed
 * end date that the sponsor confirms (or closes the pull request, and the access ends on its own).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { slug } from "../../../model/slug";
import { parseDuration } from "../../../model/duration";
import { settingsKey, settingsKeyForGrant, normalizeRef } from "../../../model/keys";
import { graphDefaults } from "../../../model/settings/defaults";
import { proposeRenewal, type ExpiryItem, type Renewal, type Snapshot } from "../../../model/snapshot";
import type { AssignmentExpiry } from "../../../model/types";
import { CliError } from "../../lib/errors";
import type { FileChange, PullRequestDraft } from "../../lib/github";
import { EXIT } from "../../lib/io";
import { lastDay } from "../../../model/duration";
import { deleteItem, deleteKey, setScalar } from "../../lib/yamlEdit";

export interface ExpiryDraft extends PullRequestDraft {
  action: "renew" | "remove";
  key: string;
  renewal: Renewal | null;
}

/** The assignment rule that bounds a renewal: the declared settings of the role or group, else Graph's defaults. */
function ruleFor(snap: Snapshot, item: ExpiryItem): AssignmentExpiry {
  const kind = item.entry.kind;
  const pick = (s: { eligibleAssignment: AssignmentExpiry; activeAssignment: AssignmentExpiry }) =>
    kind === "eligible" ? s.eligibleAssignment : s.activeAssignment;
  if (item.type === "grant") {
    const key = settingsKeyForGrant(item.entry.role, item.entry.scope);
    const decl = snap.state.roleSettings.find((d) => d.key === key);
    return pick(decl?.settings ?? graphDefaults(item.entry.role.kind === "azure" ? "azure" : "directory"));
  }
  const key = settingsKey({ kind: "group", group: item.entry.group, access: item.entry.access });
  return pick(snap.state.roleSettings.find((d) => d.key === key)?.settings ?? graphDefaults("group"));
}

function renewalOf(snap: Snapshot, item: ExpiryItem, at: Date): Renewal {
  const rule = ruleFor(snap, item);
  const max = parseDuration(rule.maximumDuration);
  return proposeRenewal({ start: item.entry.start, end: item.end }, at, {
    allowPermanent: rule.allowPermanent,
    maximumMs: max.ok ? max.ms : null,
  });
}

/** The YAML path of a membership in tenant.yaml (`pimGroups[i].members.eligible[j]`), found by identity. */
function membershipPath(
  doc: ReturnType<typeof parseDocument>,
  item: Extract<ExpiryItem, { type: "membership" }>,
) {
  const groups = (doc.toJS() as { pimGroups?: Array<Record<string, unknown>> }).pimGroups ?? [];
  const gi = groups.findIndex((g) => normalizeRef(String(g["name"])) === normalizeRef(item.entry.group));
  const list = item.entry.access === "member" ? "members" : "owners";
  const entries = ((groups[gi]?.[list] as Record<string, unknown[]> | undefined)?.[item.entry.kind] ??
    []) as Array<{ principal?: string }>;
  const ei = entries.findIndex(
    (e) => normalizeRef(String(e.principal)) === normalizeRef(item.entry.principal),
  );
  if (gi < 0 || ei < 0) throw new CliError(`cannot find ${item.subject} in tenant.yaml`, EXIT.invalid);
  return ["pimGroups", gi, list, item.entry.kind, ei];
}

export interface DraftContext {
  stack: string;
  root: string;
  /** Repository top (git), for the paths a commit names. */
  top: string;
  snapshot: Snapshot;
  at: Date;
}

export function draftFor(ctx: DraftContext, item: ExpiryItem): ExpiryDraft {
  const source = ctx.snapshot.provenance[item.key];
  if (!source) throw new CliError(`no file is known for ${item.subject}`, EXIT.invalid);
  const abs = path.join(ctx.root, source.file);
  const repoPath = path.relative(ctx.top, abs).split(path.sep).join("/");
  const text = fs.readFileSync(abs, "utf8");
  const action: ExpiryDraft["action"] = item.notice === "expired" ? "remove" : "renew";
  const renewal = action === "renew" ? renewalOf(ctx.snapshot, item, ctx.at) : null;
  const startChanged = renewal !== null && renewal.startText !== null && renewal.start !== item.entry.start;
  let change: FileChange;
  if (item.type === "grant") {
    if (action === "remove") change = { path: repoPath, content: null };
    else {
      // A grant written with duration: the renewal writes an end instead (an end date is easier to review).
      let next = deleteKey(text, ["duration"]);
      next = setScalar(next, ["end"], renewal!.endText, "kind");
      if (startChanged) next = setScalar(next, ["start"], renewal!.startText!, "kind");
      change = { path: repoPath, content: next };
    }
  } else {
    const at = membershipPath(parseDocument(text), item);
    if (action === "remove") change = { path: repoPath, content: deleteItem(text, at) };
    else {
      let next = setScalar(text, [...at, "end"], renewal!.endText, "principal");
      if (startChanged) next = setScalar(next, [...at, "start"], renewal!.startText!, "principal");
      change = { path: repoPath, content: next };
    }
  }
  const name =
    item.type === "grant"
      ? path.basename(source.file).replace(/\.ya?ml$/i, "")
      : slug(`${item.entry.group}-${item.entry.access}-${item.entry.kind}-${item.entry.principal}`);
  const branch = `pim/${action}/${slug(ctx.stack)}/${name}`;
  return {
    action,
    key: item.key,
    renewal,
    branch,
    title: titleOf(ctx.stack, item, action, renewal),
    body: bodyOf(ctx, item, action, renewal, repoPath),
    changes: [change],
  };
}

function titleOf(stack: string, item: ExpiryItem, action: ExpiryDraft["action"], r: Renewal | null): string {
  return action === "remove"
    ? `PIM ${stack}: remove ended ${item.subject}`
    : `PIM ${stack}: renew ${item.subject} until ${r!.endText} (to confirm)`;
}

function bodyOf(
  ctx: DraftContext,
  item: ExpiryItem,
  action: ExpiryDraft["action"],
  r: Renewal | null,
  file: string,
): string {
  const sponsor = item.type === "grant" ? item.entry.requestedBy : null;
  const lines: string[] = [];
  if (action === "remove") {
    lines.push(
      `The access below ended on ${lastDay(item.end)} and Entra no longer grants it, but it is still declared in \`${file}\`.`,
      "Merging this pull request removes the declaration, so the repository says what the tenant holds.",
    );
  } else {
    lines.push(
      `The access below ends on ${lastDay(item.end)} (PIM's ${item.notice ?? "advance"} notice).`,
      `This pull request proposes to renew it until **${r!.endText}**${r!.capped ? " (the most the role's settings allow)" : ""}.`,
      "",
      `**The new end date is a proposal.** ${sponsor ? `The sponsor (${sponsor})` : "The sponsor"} must confirm it in a review, or change it in \`${file}\` before merging. If the access is no longer needed, close this pull request: the access ends on its own, and a removal pull request follows once it has ended.`,
    );
  }
  lines.push("", "| | |", "| --- | --- |", `| what | ${item.subject} |`, `| ends | ${lastDay(item.end)} |`);
  if (item.type === "grant") {
    lines.push(
      `| ticket | ${item.entry.ticket ? `${item.entry.ticket.system} ${item.entry.ticket.number}` : "(none)"} |`,
      `| requested by | ${sponsor ?? "(not stated)"} |`,
    );
  }
  lines.push(
    `| file | \`${file}\` |`,
    "",
    `Prepared by \`pim expiry --stack ${ctx.stack} --open-prs\`. The pull-request checks run \`pim check\` and \`pim plan\` on it as on any change.`,
    "",
    `<!-- pim-expiry:${ctx.stack}:${item.key} -->`,
  );
  return lines.join("\n");
}
