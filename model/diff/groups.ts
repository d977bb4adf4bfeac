/**
 * Approver groups (who may approve activation of the roles they approve) and PIM-for-Groups groups (which roles
 * a group holds). More approvers, or a group holding more roles, is weaker.
 */
import { normalizeRef } from "../keys";
import type { RoleRef, Snapshot } from "../snapshot/types";
import { added, changed, removed, reworded } from "./change";
import { join, same } from "./join";
import type { Change, FieldChange, Risk } from "./types";

function setChange(
  name: string,
  label: string,
  before: readonly string[],
  after: readonly string[],
  risks: { added: Risk; removed: Risk },
  norm: (s: string) => string = normalizeRef,
): FieldChange[] {
  const b = new Map(before.map((x) => [norm(x), x]));
  const a = new Map(after.map((x) => [norm(x), x]));
  const plus = [...a.keys()].filter((k) => !b.has(k)).map((k) => a.get(k)!);
  const minus = [...b.keys()].filter((k) => !a.has(k)).map((k) => b.get(k)!);
  const out: FieldChange[] = [];
  if (plus.length)
    out.push({ field: name, label, after: plus, risk: risks.added, note: `added: ${plus.join(", ")}` });
  if (minus.length)
    out.push({
      field: name,
      label,
      before: minus,
      risk: risks.removed,
      note: `removed: ${minus.join(", ")}`,
    });
  return out;
}

const roleNames = (rs: readonly RoleRef[]) => rs.map((r) => r.name);
const roleNorm = (name: string) => name.toLowerCase();

export function diffApproverGroups(base: Snapshot, head: Snapshot): Change[] {
  return join(base.state.approverGroups, head.state.approverGroups).flatMap(
    ({ key, before: b, after: a }) => {
      if (same(b, a)) return [];
      if (!b && a) {
        const approves = roleNames(a.approves).join(", ");
        return [
          a.approves.length
            ? added(
                "approverGroups",
                key,
                a.name,
                "weaker",
                `${a.members.length} new approvers of ${approves}`,
                a,
                head,
              )
            : added("approverGroups", key, a.name, "neutral", "approves no role", a, head),
        ];
      }
      if (b && !a) {
        const note = "group removed: its roles' settings show the approvers that remain";
        return [removed("approverGroups", key, b.name, "neutral", note, b, base)];
      }
      const fields = [
        ...setChange("members", "members", b!.members, a!.members, { added: "weaker", removed: "neutral" }),
        ...setChange(
          "approves",
          "approves",
          roleNames(b!.approves),
          roleNames(a!.approves),
          { added: "weaker", removed: "neutral" },
          roleNorm,
        ),
        ...reworded(b!, a!),
      ];
      return changed("approverGroups", key, a!.name, fields, { before: b, after: a, head });
    },
  );
}

export function diffPimGroups(base: Snapshot, head: Snapshot): Change[] {
  return join(base.state.pimGroups, head.state.pimGroups).flatMap(({ key, before: b, after: a }) => {
    if (same(b, a)) return [];
    if (!b && a) {
      return [
        a.roles.length
          ? added("pimGroups", key, a.name, "weaker", `holds ${roleNames(a.roles).join(", ")}`, a, head)
          : added("pimGroups", key, a.name, "neutral", "holds no role", a, head),
      ];
    }
    if (b && !a) {
      return [
        b.roles.length
          ? removed(
              "pimGroups",
              key,
              b.name,
              "stronger",
              `no longer holds ${roleNames(b.roles).join(", ")}`,
              b,
              base,
            )
          : removed("pimGroups", key, b.name, "neutral", "group removed", b, base),
      ];
    }
    const fields = setChange(
      "roles",
      "roles held",
      roleNames(b!.roles),
      roleNames(a!.roles),
      { added: "weaker", removed: "stronger" },
      roleNorm,
    );
    if (b!.roleAssignable !== a!.roleAssignable) {
      const note = "Entra sets this only when the group is created";
      fields.push({
        field: "roleAssignable",
        label: "role-assignable",
        before: b!.roleAssignable,
        after: a!.roleAssignable,
        risk: "neutral",
        note,
      });
    }
    fields.push(...reworded(b!, a!));
    return changed("pimGroups", key, a!.name, fields, { before: b, after: a, head });
  });
}
