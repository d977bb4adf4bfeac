/**
 * The demo passes the default profile; copies of it with each of the four classic mistakes fail with the right
 * rule. The permanent active Global Administrator is refused by the loader for ordinary accounts, so the rules
 * are shown catching it where it can still reach them.
 */
import { describe, expect, it } from "vitest";
import { loadStack, loadStackFiles } from "../../model";
import { evaluateSafeDefaults } from "../../policies/rules";
import { demoFiles, loadEdited, NOW, replaceOnce, ROOT } from "./fixtures/demo";

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
    expect(findings.filter((f) => f.ruleId === "PIM-030").map((f) => [f.object, f.mandatory])).toEqual([
      ["Conditional Access Administrator", false],
      ["Exchange Administrator", false],
      ["Privileged Role Administrator", false],
      ["Security Administrator", false],
      ["User Administrator", false],
    ]);
  });

  describe("a permanent active Global Administrator", () => {
    it("is refused by the loader as a grant for an ordinary account, even where the role's policy allows it", () => {
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
      // The demo's Global Administrator policy refuses permanent active assignments outright.
      expect(codes(load(tenant!.text))).toEqual([
        ["stacks/demo/grants/ken-standing.yaml", "permanent-not-allowed"],
      ]);
      // With a policy that allows them, the loader still refuses them for anyone but a break-glass account.
      const allowing = replaceOnce(
        tenant!.text,
        "    - role: Global Administrator\n      profile: tier0\n",
        "    - role: Global Administrator\n      profile: tier0\n      activeAssignment: { allowPermanent: true }\n",
      );
      const r = load(allowing);
      expect(r.model).toBeNull();
      expect(codes(r)).toEqual([["stacks/demo/grants/ken-standing.yaml", "permanent-active"]]);
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
      const model = loadEdited((t) =>
        replaceOnce(
          replaceOnce(t, "\nbreakGlass:\n", `${group}\nbreakGlass:\n`),
          "  azureRoles:\n",
          `${policy}  azureRoles:\n`,
        ),
      );
      expect(mandatory(model)).toEqual([
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
            "break-glass account bg-alpha@contoso.onmicrosoft.com is granted Global Administrator through a PIM schedule (bg-alpha-ga), which a later run can remove",
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
