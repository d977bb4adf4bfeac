/**
 * The grant file a sponsor would type: the same fields, order and comment header as the files in grants/, named
 * by the convention `<principal's local part>-<role>.yaml` (stacks/demo/grants/c-jordan-lee-global-administrator.yaml).
 */
import { Document } from "yaml";
import { slug } from "../../../model/slug";
import { findAzureRole, findDirectoryRole } from "../../../model";

export interface GrantRequest {
  principal: string;
  role: string;
  kind: "eligible" | "active";
  scope?: string;
  start?: string;
  end: string;
  justification: string;
  ticket?: { system: string; number: string };
  requestedBy?: string;
}

/** The catalog's spelling of a role when it is known (`global administrator` → `Global Administrator`). */
export function canonicalRole(role: string, azure: boolean): string {
  const hit = azure ? findAzureRole(role) : findDirectoryRole(role);
  return hit.ok && (azure || hit.role.kind === "directory") ? hit.role.name : role.trim();
}

export function grantFileName(principal: string, role: string): string {
  const who = principal.includes("@") ? principal.slice(0, principal.indexOf("@")) : principal;
  return `${slug(who)}-${slug(role)}.yaml`;
}

export function grantFileText(r: GrantRequest): string {
  const body: Record<string, unknown> = { principal: r.principal, role: r.role };
  if (r.scope !== undefined && r.scope !== "tenant") body["scope"] = r.scope;
  body["kind"] = r.kind;
  if (r.start !== undefined) body["start"] = r.start;
  body["end"] = r.end;
  body["justification"] = r.justification;
  if (r.ticket) body["ticket"] = r.ticket;
  if (r.requestedBy) body["requestedBy"] = r.requestedBy;
  const doc = new Document(body);
  const ticket = doc.get("ticket", true) as { flow?: boolean } | undefined;
  if (ticket) ticket.flow = true;
  return `# yaml-language-server: $schema=../../../schemas/grant.schema.json\n${doc.toString({ lineWidth: 0 })}`;
}
