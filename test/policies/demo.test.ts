/**
 * The demo passes the default profile; copies of it with each of the classic mistakes fail with the right rule. A
 * permanent active Global Administrator is a safe-default finding (PIM-004) wherever it comes from, and is refused
 * by the loader only where the role's own policy refuses it (Graph would).
 */
import { describe, expect, it } from "vitest";
import { loadStack, loadStackFiles } from "../../model";
import { evaluateSafeDefaults } from "../../policies/rules";
import { demoFiles, loadEdited, NOW, replaceOnce, ROOT, withSafeDefaults } from "./fixtures/demo";

const mandatory = (model: Parameters<typeof evaluateSafeDefaults>[0]) =>
  evaluateSafeDefaults(model, { now: NOW })
    .filter((f) => f.mandatory)
    .map((f) => ({ ruleId: f.ruleId, object: f.object, message: f.message }));

describe("the demo stack", () => {
  it("loads without errors and has no mandatory finding under the default (cisa) profile", () => {
    const r = loadStack({ root: ROOT, stack: "demo", now: NOW });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.model!.safeDefaults.profile).toBe("cisa");
    expect(mandatory(r.model!)).toEqual([]);
  });
});

describe("classic mistakes in a copy of the demo", () => {
  it("no break-glass accounts → PIM-006", () => {
    const model = loadEdited((t) => replaceOnce(t, /\nbreakGlass:\n(?: {2}.*\n)+/, "\n"));
    expect(mandatory(model)).toEqual([
      {
        ruleId: "PIM-006",
        object: "breakGlass",
        message:
          "0 break-glass accounts are declared; at least 2 are required so that one lost key or locked account cannot lock the tenant out",
      },
    ]);
  });

  it("approver pool overlapping the eligible pool → PIM-038", () => {
    const model = loadEdited((t) =>
      replaceOnce(
        t,
        "      - dorothy.vaughan@contoso.com\n",
        "      - dorothy.vaughan@contoso.com\n      - ken.thompson@contoso.com\n",
      ),
    );
    expect(mandatory(model)).toEqual([
      {
        ruleId: "PIM-038",
        object: "Global Administrator",
        message:
          "ken.thompson@contoso.com can approve activation of Global Administrator and can activate it themselves, so approval is no second person's check",
      },
    ]);
  });

  it("admin notifications turned off → PIM-028 and PIM-029 (and advisory PIM-030)", () => {
    const on =
      "admin: { level: all, defaultRecipients: true, additionalRecipients: [pim-alerts@contoso.com] }";
    // PIM-for-Groups policies cannot hold level none (azuread refuses it, and so does the loader): the group
    // entries keep their alerts, so the mistake reaches the rules through the directory roles.
    const groupAlerts = `      notifications: { eligibleAssignment: { ${on} }, activeAssignment: { ${on} }, activation: { ${on} } }\n`;
    const model = loadEdited((t) =>
      t
        .replaceAll(on, "admin: { level: none }")
        .replaceAll(
          /( {4}- group: Tier-1 Helpdesk Operators\n {6}access: (?:member|owner)\n {6}profile: tightened\n)/g,
          `$1${groupAlerts}`,
        ),
    );
    const findings = evaluateSafeDefaults(model, { now: NOW });
    const ga = findings
      .filter((f) => f.object === "Global Administrator")
      .map((f) => [f.ruleId, f.severity, f.message]);
    expect(ga).toEqual([
      [
        "PIM-028",
        "high",
        "admins are not alerted when someone is made eligible for Global Administrator: notifications are turned off (level none)",
      ],
      [
        "PIM-028",
        "high",
        "admins are not alerted when someone is assigned (active) Global Administrator: notifications are turned off (level none)",
      ],
      [
        "PIM-029",
        "high",
        "admins are not alerted when someone activates Global Administrator: notifications are turned off (level none)",
      ],
    ]);
    expect([...new Set(findings.filter((f) => f.mandatory).map((f) => f.ruleId))]).toEqual([
      "PIM-028",
      "PIM-029",
    ]);
    // Every privileged role is in scope by default (Helpdesk, Security Reader, the Azure Owner role too).
    expect(findings.filter((f) => f.ruleId === "PIM-030").map((f) => [f.object, f.mandatory])).toEqual([
      ["Conditional Access Administrator", false],
      ["Exchange Administrator", false],
      ["Helpdesk Administrator", false],
      ["Owner on /subscriptions/5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", false],
      ["Privileged Role Administrator", false],
      ["Security Administrator", false],
      ["Security Reader", false],
      ["User Administrator", false],
    ]);
  });

  describe("a permanent active Global Administrator", () => {
    it("is a PIM-004 finding (critical) for an ordinary account, not a loader error, where the role's policy allows it", () => {
      const [tenant, ...grants] = demoFiles();
      const grant =
        "principal: ken.thompson@contoso.com\nrole: Global Administrator\nkind: active\njustification: standing access\n";
      const load = (tenantText: string) =>
        loadStackFiles(
          "demo",
          [
            { ...tenant!, text: tenantText },
            ...grants,
            { path: "stacks/demo/grants/ken-standing.yaml", text: grant },
          ],
          NOW,
        );
      const codes = (r: ReturnType<typeof load>) =>
        r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.file, d.code]);
      // The demo's Global Administrator policy refuses permanent active assignments outright: Graph would refuse
      // the request, so the loader does.
      expect(codes(load(tenant!.text))).toEqual([
        ["stacks/demo/grants/ken-standing.yaml", "permanent-not-allowed"],
      ]);
      // With a policy that allows them, it loads, and the safe-default rule refuses it with a rule id and severity.
      const allowing = replaceOnce(
        tenant!.text,
        "    - role: Global Administrator\n      profile: tier0\n",
        "    - role: Global Administrator\n      profile: tier0\n      activeAssignment: { allowPermanent: true }\n",
      );
      const r = load(allowing);
      expect(codes(r)).toEqual([]);
      expect(
        evaluateSafeDefaults(r.model!, { now: NOW })
          .filter((f) => f.mandatory)
          .map((f) => [f.ruleId, f.severity, f.object, f.source]),
      ).toEqual([
        [
          "PIM-004",
          "critical",
          "ken-standing",
          { file: "stacks/demo/grants/ken-standing.yaml", line: 1, column: 1 },
        ],
      ]);
    });

    it("is accepted for a declared service account, for the roles its exclusion lists (PIM-011 keeps it honest)", () => {
      const grant =
        "principal: svc-mailflow@contoso.com\nrole: Exchange Administrator\nkind: active\njustification: connector service\n";
      const model = loadEdited(
        (t) =>
          withSafeDefaults(
            "safeDefaults:\n  serviceAccounts:\n    - principal: svc-mailflow@contoso.com\n      roles: [Exchange Administrator]\n      justification: Mail-flow connector signs in unattended and cannot activate (CHG0040002)\n",
          )(
            replaceOnce(
              t,
              "    - role: Exchange Administrator\n      profile: tightened\n",
              "    - role: Exchange Administrator\n      profile: tightened\n      activeAssignment: { allowPermanent: true }\n",
            ),
          ),
        { "svc-mailflow-exchange": grant },
      );
      expect(mandatory(model)).toEqual([]);
      // The role's policy now allows permanent active assignments: advisory, the price of the exclusion.
      expect(evaluateSafeDefaults(model, { now: NOW }).map((f) => [f.ruleId, f.mandatory, f.object])).toEqual(
        [["PIM-018", false, "Exchange Administrator"]],
      );
    });

    it("through a PIM group whose member policy allows permanent active members → PIM-015", () => {
      const group = [
        "  - name: Tenant Admins",
        "    roleAssignable: true",
        "    roles: [Global Administrator]",
        "    members:",
        "      active:",
        "        - principal: alan.turing@contoso.com",
        "",
      ].join("\n");
      const policy = [
        "    - group: Tenant Admins",
        "      access: member",
        "      profile: tier0",
        "      activeAssignment: { allowPermanent: true }",
        '      activation: { approval: { stages: [{ approvers: [{ group: "PIM Approvers - Tier 0" }] }] } }',
        "",
      ].join("\n");
      // The group holds Global Administrator permanently through PIM, which the role's policy must allow.
      const gaPermanent = [
        "    - role: Global Administrator",
        "      profile: tier0",
        "      activeAssignment: { allowPermanent: true }",
        "",
      ].join("\n");
      const model = loadEdited((t) =>
        replaceOnce(
          replaceOnce(
            replaceOnce(t, "\nbreakGlass:\n", `${group}\nbreakGlass:\n`),
            "  azureRoles:\n",
            `${policy}  azureRoles:\n`,
          ),
          "    - role: Global Administrator\n      profile: tier0\n",
          gaPermanent,
        ),
      );
      expect(mandatory(model)).toEqual([
        {
          ruleId: "PIM-002",
          object: "Global Administrator",
          message:
            "5 people hold Global Administrator (alan.turing@contoso.com, bg-alpha@contoso.onmicrosoft.com, bg-bravo@contoso.onmicrosoft.com, c-jordan.lee@contoso.com and ken.thompson@contoso.com) and only 3 other people hold a highly privileged role (ada.lovelace@contoso.com, edsger.dijkstra@contoso.com and grace.hopper@contoso.com); Global Administrators must not outnumber them",
        },
        {
          ruleId: "PIM-015",
          object: "Tenant Admins",
          message:
            "alan.turing@contoso.com is a permanent active member of Tenant Admins, which holds Global Administrator",
        },
      ]);
    });

    it("as a grant file for a break-glass account, which the loader accepts and the program refuses → PIM-036", () => {
      const [tenant, ...grants] = demoFiles();
      const grant =
        "principal: bg-alpha@contoso.onmicrosoft.com\nrole: Global Administrator\nkind: active\njustification: emergency\n";
      const r = loadStackFiles(
        "demo",
        [tenant!, ...grants, { path: "stacks/demo/grants/bg-alpha-ga.yaml", text: grant }],
        NOW,
      );
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(mandatory(r.model!)).toEqual([
        {
          ruleId: "PIM-036",
          object: "bg-alpha@contoso.onmicrosoft.com",
          message:
            "break-glass account bg-alpha@contoso.onmicrosoft.com is granted Global Administrator a second time (bg-alpha-ga), which a later run can remove",
        },
      ]);
    });

    it("as a break-glass account on a synchronized domain → PIM-007", () => {
      const model = loadEdited((t) =>
        replaceOnce(t, "  - upn: bg-bravo@contoso.onmicrosoft.com", "  - upn: bg-bravo@contoso.com"),
      );
      expect(mandatory(model)).toEqual([
        {
          ruleId: "PIM-007",
          object: "bg-bravo@contoso.com",
          message:
            "break-glass account bg-bravo@contoso.com is not on the tenant's *.onmicrosoft.com domain; a federated or synchronized account fails with the identity provider it depends on",
        },
      ]);
    });
  });
});
