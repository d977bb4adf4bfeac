/** Building blocks shared by the declaration schemas. Structural only: meaning is checked in `model/validate`. */
import { z } from "zod";
import { parseDuration, parseInstant } from "../duration";

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// A UPN is local@domain with a dotted domain. Guests carry #EXT# in the local part, which is allowed.
export const UPN = /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
export const EMAIL = UPN;

export const guid = z
  .string()
  .regex(GUID, { message: "must be a GUID such as 62e90394-69f5-4237-9190-012177145e10" });

export const upn = z
  .string()
  .regex(UPN, { message: "must be a user principal name such as ada.lovelace@contoso.com" });

export const email = z.string().regex(EMAIL, { message: "must be an email address such as soc@contoso.com" });

export const nonEmpty = z.string().trim().min(1, { message: "must not be empty" });

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
