/**
 * The semantic diff over two snapshots of the demo: each kind of change, its fields old → new, its judgement, and
 * where it is declared. Each test edits one thing so a dropped or misjudged field shows on its own.
 */
import { describe, expect, it } from "vitest";
import { diffSnapshots, type Change } from "../../model/diff";
import { emptySnapshot } from "../../model/snapshot";
import { evaluateSafeDefaults } from "../../policies/rules";
import { NOW, model, replace, snapshot, type Edits } from "../snapshot/demoFiles";

const base = snapshot();
const diffOf = (edits: Edits) => diffSnapshots(base, snapshot(edits));
const strip = (c: Change) => ({
  section: c.section,
  action: c.action,
  subject: c.subject,
  risk: c.risk,
  note: c.note,
  fields: c.fields,
});

const JORDAN = "grants/c-jordan-lee-global-administrator.yaml";

describe("diffSnapshots", () => {
  it("finds nothing between a snapshot and itself", () => {
    const d = diffSnapshots(base, snapshot());
    expect(d).toEqual({
      changes: [],
      counts: { critical: 0, weaker: 0, neutral: 0, stronger: 0, total: 0 },
      highest: null,
    });
  });

  it("a profile change is listed under every role it reaches, with the effective values and the profile named", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "        required: true\n        requiredForExtension: true",
        "        required: false\n        requiredForExtension: true",
      ),
    });
    const ga = d.changes.find((c) => c.subject === "Global Administrator")!;
    expect(strip(ga)).toEqual({
      section: "roleSettings",
      action: "changed",
      subject: "Global Administrator",
      risk: "weaker",
      note: "",
      fields: [
        {
          field: "activation.approval.required",
          label: "Activation: require approval",
          before: true,
          after: false,
          risk: "weaker",
          note: "no longer required",
          viaProfile: "tier0",
        },
      ],
    });
    expect(ga.source).toEqual({ file: "stacks/demo/tenant.yaml", line: 65, column: 7 });
    const profile = d.changes.find((c) => c.section === "profiles")!;
    expect(profile.subject).toBe("profile tier0");
    expect(profile.affects).toEqual(["Global Administrator", "Privileged Role Administrator"]);
    expect(profile.risk).toBe("weaker");
    expect(profile.fields.map((f) => [f.field, f.before, f.after, f.risk])).toEqual([
      ["activation.approval.required", true, false, "weaker"],
    ]);
    expect(d.changes.map((c) => c.subject)).toEqual([
      "Global Administrator",
      "Privileged Role Administrator",
      "profile tier0",
    ]);
    expect(d.counts).toEqual({ critical: 0, weaker: 3, neutral: 0, stronger: 0, total: 3 });
    expect(d.highest).toBe("weaker");
  });

  it("a change inherited through extends names the profile whose text changed", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "      maximumDuration: PT8H\n      requireMfa: true",
        "      maximumDuration: PT10H\n      requireMfa: true",
      ),
    });
    // Only Security Reader uses baseline's window directly; tightened and tier0 set their own.
    const roles = d.changes.filter((c) => c.section === "roleSettings");
    expect(roles.map((c) => [c.subject, c.fields.map((f) => [f.before, f.after, f.viaProfile])])).toEqual([
      ["Security Reader", [["PT8H", "PT10H", "baseline"]]],
    ]);
    expect(d.changes.find((c) => c.section === "profiles")!.affects).toEqual(["Security Reader"]);
  });

  it("a role's own override is not attributed to a profile", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "    - role: Security Reader\n      profile: baseline",
        "    - role: Security Reader\n      profile: baseline\n      activation:\n        requireTicket: true",
      ),
    });
    expect(d.changes.map(strip)).toEqual([
      {
        section: "roleSettings",
        action: "changed",
        subject: "Security Reader",
        risk: "stronger",
        note: "",
        fields: [
          {
            field: "activation.requireTicket",
            label: "Activation: require ticket information",
            before: false,
            after: true,
            risk: "stronger",
            note: "now required",
          },
        ],
      },
    ]);
  });

  it("a role switched to another profile shows the switch and every effective change", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "    - role: Helpdesk Administrator\n      profile: tightened",
        "    - role: Helpdesk Administrator\n      profile: baseline",
      ),
    });
    const hd = d.changes[0]!;
    expect(hd.subject).toBe("Helpdesk Administrator");
    expect(hd.fields.map((f) => [f.field, f.before, f.after, f.risk, f.viaProfile])).toEqual([
      ["profile", "tightened", "baseline", "neutral", undefined],
      ["activation.maximumDuration", "PT4H", "PT8H", "weaker", undefined],
      ["activation.requireTicket", true, false, "weaker", undefined],
      ["eligibleAssignment.maximumDuration", "P180D", "P365D", "weaker", undefined],
      ["activeAssignment.maximumDuration", "P15D", "P30D", "weaker", undefined],
    ]);
    expect(hd.risk).toBe("weaker");
  });

  it("grants: extended, shortened, added and removed, with principal, role, end, ticket and requester", () => {
    const ext = diffOf({ [JORDAN]: replace("end: 2026-12-31", "end: 2027-01-31") }).changes;
    expect(ext.map(strip)).toEqual([
      {
        section: "grants",
        action: "changed",
        subject: "eligible Global Administrator for c-jordan.lee@contoso.com",
        risk: "weaker",
        note: "",
        fields: [
          {
            field: "end",
            label: "end",
            before: "2027-01-01T00:00:00.000Z",
            after: "2027-02-01T00:00:00.000Z",
            risk: "weaker",
            note: "extended by 31 days",
          },
        ],
      },
    ]);
    expect(ext[0]!.source).toEqual({
      file: "stacks/demo/grants/c-jordan-lee-global-administrator.yaml",
      line: 3,
      column: 1,
    });
    const short = diffOf({ [JORDAN]: replace("end: 2026-12-31", "end: 2026-12-01") }).changes;
    expect(short[0]!.fields[0]).toMatchObject({ risk: "stronger", note: "shortened by 30 days" });

    const added = diffOf({
      "grants/margaret-hamilton-security-reader.yaml":
        "principal: margaret.hamilton@contoso.com\nrole: Security Reader\nkind: eligible\nend: 2027-03-31\njustification: SOC rota\nticket: { system: Jira, number: SEC-12 }\nrequestedBy: ken.thompson@contoso.com\n",
    }).changes;
    expect(added.map((c) => [c.action, c.subject, c.risk, c.note])).toEqual([
      ["added", "eligible Security Reader for margaret.hamilton@contoso.com", "weaker", "new access"],
    ]);
    expect(added[0]!.after).toMatchObject({
      end: "2027-04-01T00:00:00.000Z",
      ticket: { system: "Jira", number: "SEC-12" },
      requestedBy: "ken.thompson@contoso.com",
    });

    const removed = diffOf({ [JORDAN]: null }).changes;
    expect(removed.map((c) => [c.action, c.subject, c.risk, c.note])).toEqual([
      ["removed", "eligible Global Administrator for c-jordan.lee@contoso.com", "stronger", "access removed"],
    ]);
    expect(removed[0]!.source!.file).toBe("stacks/demo/grants/c-jordan-lee-global-administrator.yaml");
  });

  it("grants: a change of kind is one change, not a removal and an addition", () => {
    const d = diffOf({
      "grants/ada-lovelace-security-reader.yaml": (t) =>
        replace(
          "end: 2027-10-31",
          "end: 2026-12-20",
        )(replace("kind: eligible", "kind: active\nstart: 2026-11-24")(t)),
    });
    expect(
      d.changes.map((c) => [c.action, c.subject, c.fields.map((f) => [f.field, f.before, f.after, f.risk])]),
    ).toEqual([
      [
        "changed",
        "active Security Reader for ada.lovelace@contoso.com",
        [
          ["kind", "eligible", "active", "weaker"],
          ["end", "2027-11-01T00:00:00.000Z", "2026-12-21T00:00:00.000Z", "stronger"],
          ["start", null, "2026-11-24T00:00:00.000Z", "neutral"],
        ],
      ],
    ]);
    expect(d.changes[0]!.risk).toBe("weaker");
  });

  it("memberships and ownerships of PIM groups: added, extended, removed", () => {
    const ext = diffOf({
      "tenant.yaml": replace(
        "        - principal: grace.hopper@contoso.com\n          end: 2027-04-30",
        "        - principal: grace.hopper@contoso.com\n          end: 2027-05-15",
      ),
    });
    expect(ext.changes.map((c) => [c.section, c.subject, c.risk, c.fields.map((f) => f.note)])).toEqual([
      [
        "memberships",
        "eligible member of Tier-1 Helpdesk Operators for grace.hopper@contoso.com",
        "weaker",
        ["extended by 15 days"],
      ],
    ]);
    const gone = diffOf({
      "tenant.yaml": replace(
        "    owners:\n      eligible:\n        - principal: ken.thompson@contoso.com\n          end: 2027-04-30\n          justification: Service owner of the helpdesk rota\n",
        "",
      ),
    });
    expect(gone.changes.map((c) => [c.section, c.action, c.subject, c.risk])).toEqual([
      [
        "memberships",
        "removed",
        "eligible owner of Tier-1 Helpdesk Operators for ken.thompson@contoso.com",
        "stronger",
      ],
    ]);
  });

  it("approver groups: a new member is weaker, a removed one neutral", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "      - dorothy.vaughan@contoso.com\n",
        "      - dorothy.vaughan@contoso.com\n      - mary.jackson@contoso.com\n",
      ),
    });
    expect(
      d.changes.map((c) => [c.section, c.subject, c.fields.map((f) => [f.field, f.note, f.risk])]),
    ).toEqual([
      [
        "approverGroups",
        "PIM Approvers - Tier 0",
        [["members", "added: mary.jackson@contoso.com", "weaker"]],
      ],
    ]);
    const less = diffOf({ "tenant.yaml": replace("      - dorothy.vaughan@contoso.com\n", "") });
    const group = less.changes.find((c) => c.section === "approverGroups")!;
    expect(group.fields.map((f) => [f.note, f.risk])).toEqual([
      ["removed: dorothy.vaughan@contoso.com", "neutral"],
    ]);
  });

  it("PIM groups: a role more held is weaker", () => {
    // A role a PIM group holds must allow permanent active assignment (the group holds it through PIM).
    const d = diffOf({
      "tenant.yaml": (t) =>
        replace(
          "    roles:\n      - Helpdesk Administrator\n",
          "    roles:\n      - Helpdesk Administrator\n      - User Administrator\n",
        )(t).replace(
          "    - role: User Administrator\n      profile: tightened\n",
          "    - role: User Administrator\n      profile: tightened\n      activeAssignment: { allowPermanent: true }\n",
        ),
    });
    expect(d.changes.map((c) => [c.section, c.subject, c.risk, c.fields.map((f) => f.note)])).toEqual([
      ["roleSettings", "User Administrator", "weaker", ["now allowed"]],
      ["pimGroups", "Tier-1 Helpdesk Operators", "weaker", ["added: User Administrator"]],
    ]);
  });

  it("break-glass changes are always critical, and come first", () => {
    const d = diffOf({
      "tenant.yaml": (t) =>
        replace(
          "    description: Emergency access 2 (FIDO2 key in the safe, site B)",
          "    description: Emergency access 2 (FIDO2 key moved to site C)",
        )(t).replace("      maximumDuration: PT1H\n", "      maximumDuration: PT2H\n"),
    });
    expect(d.changes.map((c) => [c.section, c.subject, c.risk])).toEqual([
      ["breakGlass", "bg-bravo@contoso.onmicrosoft.com", "critical"],
      ["roleSettings", "Global Administrator", "weaker"],
      ["roleSettings", "Privileged Role Administrator", "weaker"],
      ["profiles", "profile tier0", "weaker"],
    ]);
    expect(d.highest).toBe("critical");
  });

  it("safe-default configuration: an exemption is weaker, the stricter profile stronger", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "safeDefaults:\n  profile: cisa",
        "safeDefaults:\n  profile: strict\n  exemptions:\n    - rule: PIM-017\n      object: Security Reader\n      justification: SOC rota tooling\n      expires: 2027-01-31",
      ),
    });
    expect(d.changes.map((c) => [c.section, c.action, c.subject, c.risk])).toEqual([
      ["safeDefaults", "added", "exemption from PIM-017 for Security Reader", "weaker"],
      ["safeDefaults", "changed", "safe-default profile", "stronger"],
    ]);
  });

  it("findings introduced and resolved, when the caller ran the rules on both sides", () => {
    const edits: Edits = {
      "tenant.yaml": replace(
        "        required: true\n        requiredForExtension: true",
        "        required: false\n        requiredForExtension: true",
      ),
    };
    const d = diffSnapshots(base, snapshot(edits), {
      findings: {
        before: evaluateSafeDefaults(model(), { now: NOW }),
        after: evaluateSafeDefaults(model(edits), { now: NOW }),
      },
    });
    const findings = d.changes.filter((c) => c.section === "findings");
    expect(findings.map((c) => [c.action, c.subject, c.risk])).toEqual([
      ["added", "PIM-019 Global Administrator", "weaker"],
      ["added", "PIM-020 Privileged Role Administrator", "weaker"],
    ]);
    expect(findings[0]!.note).toBe(
      "mandatory critical finding introduced: activating Global Administrator does not require approval",
    );
    const back = diffSnapshots(snapshot(edits), base, {
      findings: {
        before: evaluateSafeDefaults(model(edits), { now: NOW }),
        after: evaluateSafeDefaults(model(), { now: NOW }),
      },
    });
    expect(back.changes.filter((c) => c.section === "findings").map((c) => [c.action, c.risk])).toEqual([
      ["removed", "stronger"],
      ["removed", "stronger"],
    ]);
  });

  it("against an empty base, everything is added, and the tenant is not 'changed'", () => {
    const d = diffSnapshots(emptySnapshot("demo"), base);
    expect(d.changes.some((c) => c.key === "tenant")).toBe(false);
    expect(d.changes.filter((c) => c.section === "grants").every((c) => c.action === "added")).toBe(true);
    expect(d.changes.filter((c) => c.section === "breakGlass").map((c) => [c.action, c.risk])).toEqual([
      ["added", "critical"],
      ["added", "critical"],
    ]);
  });

  it("the tenant id changing is critical", () => {
    const d = diffOf({
      "tenant.yaml": replace(
        "id: 7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47",
        "id: 00000000-1d4f-4b8e-9a6c-2f5d8e1b0c47",
      ),
    });
    expect(d.changes.map((c) => [c.section, c.risk, c.note])).toEqual([
      ["tenant", "critical", "the stack now points at another tenant"],
    ]);
  });

  it("contractor patterns: removing one is weaker", () => {
    const d = diffOf({
      "tenant.yaml": replace('contractors:\n  - "c-*@contoso.com"', 'contractors:\n  - "x-*@contoso.com"'),
    });
    expect(d.changes.map((c) => [c.subject, c.fields.map((f) => [f.note, f.risk])])).toEqual([
      [
        "contractor patterns",
        [
          ["no longer held to contractor limits: c-*@contoso.com", "weaker"],
          ["now held to contractor limits: x-*@contoso.com", "stronger"],
        ],
      ],
    ]);
  });
});
