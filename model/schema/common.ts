/** Building blocks shared by the declaration schemas. Structural only: meaning is checked by the loader. */
import { z } from "zod";
import { parseDuration, parseInstant } from "../duration";
import { GUID_PATTERN, isObjectId } from "../ids";
import { findControlChar } from "../untrustedText";
import { AZURE_SCOPE_OUTLINE, azureScopeProblem } from "./azureScope";

/**
 * A user principal name: Entra's user-name characters (letters, digits and ' . - _ ! # ^ ~; guests carry #EXT#),
 * no dot first, last or twice in a row, then `@` and a DNS domain of at least two labels. Written so that no two
 * parts can match the same character: the match is linear, whatever the input.
 */
const UPN_LOCAL = "[A-Za-z0-9'_!#^~-]+(?:\\.[A-Za-z0-9'_!#^~-]+)*";
const DNS_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
export const UPN = new RegExp(`^${UPN_LOCAL}@${DNS_LABEL}(?:\\.${DNS_LABEL})+$`);
/** A mail address for notifications: a UPN's shape, plus the + and = that mailbox aliases use. */
export const EMAIL = new RegExp(
  `^[A-Za-z0-9'_!#^~+=-]+(?:\\.[A-Za-z0-9'_!#^~+=-]+)*@${DNS_LABEL}(?:\\.${DNS_LABEL})+$`,
);
/** Longer names are not names: the bound keeps every later step (matching, suggestions, messages) small. */
const MAX_NAME = 256;

const UPN_MESSAGE = "must be a user principal name such as ada.lovelace@contoso.com";

/** Refuses control characters (see model/untrustedText.ts); `freeText` allows tab and line feed. */
function noControlChars(freeText: boolean) {
  return (v: string, ctx: z.RefinementCtx) => {
    const hit = findControlChar(v, { freeText });
    if (hit) {
      ctx.addIssue({
        code: "custom",
        message: `holds the control character ${hit.escaped} (at character ${hit.index + 1}): remove it`,
      });
    }
  };
}

/** A single-line name or value: trimmed, not empty, at most 256 characters, no control characters. */
export const nonEmpty = z
  .string()
  .trim()
  .min(1, { message: "must not be empty" })
  .max(MAX_NAME)
  .superRefine(noControlChars(false));

/** A map key that names something (a profile, a rule id): a name's limits, untrimmed (YAML keys are exact). */
export const recordKey = z.string().min(1).max(MAX_NAME).superRefine(noControlChars(false));

/** Prose bound: far beyond any justification a person writes, far below what would slow a load down. */
const MAX_PROSE = 4000;

/** Optional prose (a description): may span lines, no other control characters. */
export const freeText = z.string().max(MAX_PROSE).superRefine(noControlChars(true));

/** Required prose (a justification): trimmed and not empty, may span lines, no other control characters. */
export const prose = z
  .string()
  .trim()
  .min(1, { message: "must not be empty" })
  .max(MAX_PROSE)
  .superRefine(noControlChars(true));

export const guid = z
  .string()
  .regex(GUID_PATTERN, { message: "must be a GUID such as 62e90394-69f5-4237-9190-012177145e10" });

export const upn = z.string().max(MAX_NAME).regex(UPN, { message: UPN_MESSAGE });

export const email = z
  .string()
  .max(MAX_NAME)
  .regex(EMAIL, { message: "must be an email address such as soc@contoso.com" });

export const UPN_OR_OBJECT_ID_MESSAGE = `${UPN_MESSAGE}, or an object id`;
export const isUpnOrObjectId = (v: string): boolean => isObjectId(v) || UPN.test(v);

/** A user by UPN or object id (approvers; PIM-for-Groups members are checked by the loader, entry by entry). */
export const upnOrObjectId = nonEmpty.superRefine((v, ctx) => {
  if (!isUpnOrObjectId(v)) ctx.addIssue({ code: "custom", message: UPN_OR_OBJECT_ID_MESSAGE });
});

/** A grant's principal: a UPN (anything with an @ is read as one), an object id, or a group or app display name. */
export const principalRef = nonEmpty.superRefine((v, ctx) => {
  if (v.includes("@") && !UPN.test(v)) {
    ctx.addIssue({ code: "custom", message: `${UPN_MESSAGE} (a name with @ is read as a UPN)` });
  }
});

/**
 * An ARM scope: a subscription, resource group, resource or management group (see ./azureScope.ts). Editors get
 * the outline as a JSON Schema pattern; the loader checks each part and says which one is wrong.
 */
export const azureScope = z
  .string()
  .max(2048)
  .superRefine((v, ctx) => {
    const problem = azureScopeProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ pattern: AZURE_SCOPE_OUTLINE });

/** ISO 8601 duration in days, hours, minutes or seconds (see `model/duration.ts`). */
export const duration = z.string().superRefine((v, ctx) => {
  const r = parseDuration(v);
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
});

export const startInstant = z.string().superRefine((v, ctx) => {
  const r = parseInstant(v, "start");
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
});

export const endInstant = z.string().superRefine((v, ctx) => {
  const r = parseInstant(v, "end");
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
});

/** YAML turns an unquoted `2026-12-31` into a string under the core schema; a number or date object is a mistake. */
export const dateText = (as: "start" | "end") =>
  z.preprocess((v) => (v instanceof Date ? v.toISOString() : v), as === "start" ? startInstant : endInstant);

/** `{ system: ServiceNow, number: CHG0031337 }`: the ticket Graph records with the request. */
export const ticket = z.strictObject({
  system: nonEmpty.describe("Ticketing system, e.g. ServiceNow or Jira"),
  number: nonEmpty.describe("Ticket number, e.g. CHG0031337"),
});

export type Ticket = z.infer<typeof ticket>;
