/**
 * Approver groups (who may approve activation of the roles they approve) and PIM-for-Groups groups (which roles
 * a group holds). More approvers, or a group holding more roles, is weaker.
 */
import { normalizeRef } from "../keys";
import type { RoleRef, Snapshot } from "../snapshot/types";
import { join, same } from "./join";
import { highestOf } from "./risk";
import { src } from "./settings";
import type { Change, FieldChange, Risk } from "./types";

function setChange(
  name: string,
  label: string,
  before: readonly string[],
  after: readonly string[],
  addedRisk: Risk,
  removedRisk: Risk,
  norm: (s: string) => string = normalizeRef,
): FieldChange[] {
  const b = new Map(before.map((x) => [norm(x), x]));
  const a = new Map(after.map((x) => [norm(x), x]));
  const added = [...a.keys()].filter((k) => !b.has(k)).map((k) => a.get(k)!);
  const removed = [...b.keys()].filter((k) => !a.has(k)).map((k) => b.get(k)!);
  const out: FieldChange[] = [];
  if (added.length)
    out.push({ field: name, label, after: added, risk: addedRisk, note: `added: ${added.join(", ")}` });
  if (removed.length)
    out.push({
      field: name,
      label,
      before: removed,
      risk: removedRisk,
      note: `removed: ${removed.join(", ")}`,
    });
  return out;
}

const roleNames = (rs: readonly RoleRef[]) => rs.map((r) => r.name);
const roleNorm = (name: string) => name.toLowerCase();

export function diffApproverGroups(base: Snapshot, head: Snapshot): Change[] {
  const out: Change[] = [];
  for (const { key, before: b, after: a } of join(base.state.approverGroups, head.state.approverGroups)) {
    if (same(b, a)) continue;
    if (!b && a) {
      out.push({
        section: "approverGroups",
        key,
        action: "added",
        subject: a.name,
        risk: a.approves.length ? "weaker" : "neutral",
        note: a.approves.length
          ? `${a.members.length} new approvers of ${roleNames(a.approves).join(", ")}`
          : "approves no role",
        fields: [],
        after: a,
        ...src(head, key),
      });
      continue;
    }
    if (b && !a) {
      out.push({
        section: "approverGroups",
        key,
        action: "removed",
        subject: b.name,
        risk: "neutral",
        note: "group removed: its roles' settings show the approvers that remain",
        fields: [],
        before: b,
        ...src(base, key),
      });
      continue;
    }
    const fields = [
      ...setChange("members", "members", b!.members, a!.members, "weaker", "neutral"),
      ...setChange(
        "approves",
        "approves",
        roleNames(b!.approves),
        roleNames(a!.approves),
        "weaker",
        "neutral",
        roleNorm,
      ),
    ];
    if (b!.description !== a!.description)
      fields.push({
        field: "description",
        label: "description",
        before: b!.description,
        after: a!.description,
        risk: "neutral",
        note: "reworded",
      });
    out.push({
      section: "approverGroups",
      key,
      action: "changed",
      subject: a!.name,
      risk: highestOf(fields.map((f) => f.risk)),
      note: "",
      fields,
      before: b,
      after: a,
      ...src(head, key),
    });
  }
  return out;
}

export function diffPimGroups(base: Snapshot, head: Snapshot): Change[] {
  const out: Change[] = [];
  for (const { key, before: b, after: a } of join(base.state.pimGroups, head.state.pimGroups)) {
    if (same(b, a)) continue;
    if (!b && a) {
      out.push({
        section: "pimGroups",
        key,
        action: "added",
        subject: a.name,
        risk: a.roles.length ? "weaker" : "neutral",
        note: a.roles.length ? `holds ${roleNames(a.roles).join(", ")}` : "holds no role",
        fields: [],
        after: a,
        ...src(head, key),
      });
      continue;
    }
    if (b && !a) {
      out.push({
        section: "pimGroups",
        key,
        action: "removed",
        subject: b.name,
        risk: b.roles.length ? "stronger" : "neutral",
        note: b.roles.length ? `no longer holds ${roleNames(b.roles).join(", ")}` : "group removed",
        fields: [],
        before: b,
        ...src(base, key),
      });
      continue;
    }
    const fields = setChange(
      "roles",
      "roles held",
      roleNames(b!.roles),
      roleNames(a!.roles),
      "weaker",
      "stronger",
      roleNorm,
    );
    if (b!.roleAssignable !== a!.roleAssignable)
      fields.push({
        field: "roleAssignable",
        label: "role-assignable",
        before: b!.roleAssignable,
        after: a!.roleAssignable,
        risk: "neutral",
        note: "Entra sets this only when the group is created",
      });
    if (b!.description !== a!.description)
      fields.push({
        field: "description",
        label: "description",
        before: b!.description,
        after: a!.description,
        risk: "neutral",
        note: "reworded",
      });
    out.push({
      section: "pimGroups",
      key,
      action: "changed",
      subject: a!.name,
      risk: highestOf(fields.map((f) => f.risk)),
      note: "",
      fields,
      before: b,
      after: a,
      ...src(head, key),
    });
  }
  return out;
}
