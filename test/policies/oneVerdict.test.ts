/**
 * One verdict everywhere (issue 10 item 2, issue 9 item 3): for the demo and for variants of it with distinct
 * unsafe settings, `pim check` (evaluateSafeDefaults), the CrossGuard pack (its policies over the resources the real
 * Tenant component registers under `pulumi.runtime.setMocks`) and the program's refusal (`refuseUnsafe`) give the
 * same findings: the same rule, the same severity, the same mandatory or advisory verdict, finding by finding.
 *
 * The pack sees object ids, so its config mirrors what tenant.yaml says, as a deployment's policy-pack config would:
 * the break-glass, contractor and synchronised accounts' object ids, the service accounts and the authentication
 * contexts. The directory the Tenant is built with (`resolveFake`) gives each user the object id `oid(upn)`; the
 * mock engine gives each created group `oid-<resource name>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantModel } from "../../model/types";
import { createPolicies } from "../../policies/policies";
import { contractorMatcher } from "../../policies/rules/fromModel";
import { evaluateSafeDefaults } from "../../policies/rules";
import { resolveFake, oid } from "../components/fixtures";
import { installMocks, settle, TYPES, type Registered } from "../components/harness";
import { runDemoProgram, SUB, OWNER, type ProgramHarness } from "../program/runDemo";
import { loadEdited, NOW, replaceOnce, withSafeDefaults } from "./fixtures/demo";
import { resourceArgs, stackArgs, validateResource, validateStack, type FakeResource } from "./packHelpers";

type Verdict = string; // "PIM-026 high mandatory"

const { resourcePolicies, stackPolicies } = createPolicies({ now: () => NOW });
const AZURE_POLICY_NAMES = { [`azure:${SUB}:${OWNER}`]: "9a5c1d2e-0000-4000-8000-00000000a001" };
let run: ProgramHarness | undefined;
let program: ProgramHarness["program"];
let components: typeof import("../../components");

beforeAll(async () => {
  // The real program module (its `refuseUnsafe`), run once for the demo as `pulumi up` would run it.
  run = await runDemoProgram(NOW.toISOString());
  program = run.program;
  components = await import("../../components/index.js");
});
afterAll(async () => run?.t.stop());

const sorted = (xs: Verdict[]) => [...xs].sort();

function checkVerdicts(model: TenantModel): Verdict[] {
  return evaluateSafeDefaults(model, { now: NOW }).map(
    (f) => `${f.ruleId} ${f.severity} ${f.mandatory ? "mandatory" : "advisory"}`,
  );
}

/** The program's refusal: the mandatory findings it lists, or none when it lets the run go on. */
function programVerdicts(model: TenantModel): Verdict[] {
  try {
    program.refuseUnsafe(model, NOW);
    return [];
  } catch (e) {
    if (!pulumi.RunError.isInstance(e)) throw e;
    return [...(e as Error).message.matchAll(/ (PIM-\d{3}) \((critical|high)\) /g)].map(
      (m) => `${m[1]} ${m[2]} mandatory`,
    );
  }
}

/** What CrossGuard would see of the Tenant component's resources: inputs, and the group ids the engine returns. */
function asPolicyResources(registered: Registered[]): FakeResource[] {
  const byUrn = new Map(registered.map((r) => [r.urn, r]));
  return (
    registered
      // The BreakGlass component's record is what names the verified accounts and their Global Administrator.
      .filter((r) => r.custom || r.type === "pim:entra:BreakGlass")
      .map((r) => {
        const chain = (urn: string): string[] => {
          const p = byUrn.get(byUrn.get(urn)?.parent ?? "");
          return p ? [...chain(p.urn), p.type] : [];
        };
        const parents = chain(r.urn);
        return {
          type: r.type,
          name: r.name,
          // The mock engine gives a group the object id `oid-<name>`; stack policies see resource outputs.
          props: r.type === TYPES.group ? { ...r.inputs, objectId: `oid-${r.name}` } : r.inputs,
          ...(parents.length ? { parents, parentName: byUrn.get(r.parent)!.name } : {}),
        };
      })
  );
}

/** Policy-pack config mirroring tenant.yaml, in object ids. */
function packConfig(model: TenantModel): Record<string, unknown> {
  const upns = new Set<string>();
  for (const g of model.grants) if (g.principal.ref.includes("@")) upns.add(g.principal.ref);
  for (const g of model.pimGroups)
    for (const m of [...g.members.eligible, ...g.members.active, ...g.owners.eligible, ...g.owners.active])
      upns.add(m.principal);
  const matches = (patterns: string[]) => [...upns].filter(contractorMatcher(patterns)).map(oid);
  return {
    breakGlass: model.breakGlass.map((b) => oid(b.upn)),
    contractors: matches(model.contractors),
    synchronizedAccounts: matches(model.synchronizedAccounts ?? []),
    serviceAccounts: (model.safeDefaults.serviceAccounts ?? []).map((s) => ({
      principalId: oid(s.principal),
      roles: s.roles.map((r) => r.id),
      justification: s.justification,
    })),
    authenticationContexts: Object.fromEntries(
      (model.authenticationContexts ?? []).map((c) => [c.id, c.conditionalAccessPolicy]),
    ),
  };
}

async function packVerdicts(model: TenantModel): Promise<Verdict[]> {
  const h = installMocks({ project: "pim", stack: "demo" });
  const { directory, breakGlass } = resolveFake(model);
  new components.Tenant("tenant", { model, directory, breakGlass, azurePolicyNames: AZURE_POLICY_NAMES });
  await settle();
  const resources = asPolicyResources(h.resources);
  const config = packConfig(model);
  const out: Verdict[] = [];
  const collect = (level: string, messages: string[]) => {
    for (const m of messages) {
      const hit = /^\[(PIM-\d{3}) (critical|high|medium|low)\] /.exec(m);
      if (!hit) throw new Error(`not a rule finding: ${m}`);
      out.push(`${hit[1]} ${hit[2]} ${level}`);
    }
  };
  for (const p of resourcePolicies) {
    for (const r of resources) {
      const o = await validateResource(p, resourceArgs(r, config));
      collect(
        p.enforcementLevel!,
        o.violations.map((v) => v.message),
      );
    }
  }
  for (const p of stackPolicies) {
    const o = await validateStack(p, stackArgs(resources, config));
    collect(
      p.enforcementLevel!,
      o.violations.map((v) => v.message),
    );
  }
  return out;
}

const GA_ENTRY = "    - role: Global Administrator\n      profile: tier0\n";
const entry = (role: string, profile: string, extra: string) => (t: string) =>
  replaceOnce(
    t,
    `    - role: ${role}\n      profile: ${profile}\n`,
    `    - role: ${role}\n      profile: ${profile}\n${extra}`,
  );
const grant = (principal: string, role: string, kind: string, end: string | null) =>
  `principal: ${principal}\nrole: ${role}\nkind: ${kind}\n${end ? `end: ${end}\n` : ""}justification: variant\n`;

interface Variant {
  name: string;
  tenant?: (t: string) => string;
  grants?: Record<string, string>;
}

/** Distinct unsafe settings, one per variant. */
const VARIANTS: Variant[] = [
  { name: "the demo itself" },
  {
    name: "Global Administrator without approval (PIM-019 critical)",
    tenant: (t) =>
      replaceOnce(t, GA_ENTRY, `${GA_ENTRY}      activation: { approval: { required: false } }\n`),
  },
  {
    name: "Exchange Administrator without MFA (PIM-022 high: CISA role)",
    tenant: entry("Exchange Administrator", "tightened", "      activation: { requireMfa: false }\n"),
  },
  {
    name: "a 12-hour Tier-0 window (PIM-026 high)",
    tenant: entry("Privileged Role Administrator", "tier0", "      activation: { maximumDuration: PT12H }\n"),
  },
  {
    name: "a 6-hour Tier-0 window (PIM-026 medium)",
    tenant: entry("Security Administrator", "tightened", "      activation: { maximumDuration: PT6H }\n"),
  },
  {
    name: "a 2-day window (PIM-026 high: beyond what Entra accepts)",
    tenant: entry("Helpdesk Administrator", "tightened", "      activation: { maximumDuration: P2D }\n"),
  },
  {
    name: "a 1-hour window on Helpdesk (PIM-037 low)",
    tenant: entry("Helpdesk Administrator", "tightened", "      activation: { maximumDuration: PT1H }\n"),
  },
  {
    name: "admin alerts off on Helpdesk (PIM-028 high, PIM-030 medium)",
    tenant: entry(
      "Helpdesk Administrator",
      "tightened",
      "      notifications: { eligibleAssignment: { admin: { level: none } }, activation: { admin: { level: none } } }\n",
    ),
  },
  {
    name: "an approver who is eligible (PIM-038 high)",
    tenant: (t) =>
      replaceOnce(
        t,
        "      - dorothy.vaughan@contoso.com\n",
        "      - dorothy.vaughan@contoso.com\n      - ken.thompson@contoso.com\n",
      ),
  },
  {
    name: "too many Global Administrators (PIM-001, PIM-002)",
    grants: Object.fromEntries(
      ["margaret.hamilton", "katherine.johnson", "dorothy.vaughan", "alan.turing", "barbara.liskov"].map(
        (p) => [`${p}-ga`, grant(`${p}@contoso.com`, "Global Administrator", "eligible", "2027-03-31")],
      ),
    ),
  },
  {
    name: "a contractor's eligibility past 90 days (PIM-017 medium)",
    grants: {
      "c-sam-exchange": grant("c-sam.doe@contoso.com", "Exchange Administrator", "eligible", "2027-04-30"),
    },
  },
  {
    name: "a permanent active grant where the role allows it (PIM-004 high, PIM-018 medium)",
    tenant: entry(
      "Security Administrator",
      "tightened",
      "      activeAssignment: { allowPermanent: true }\n",
    ),
    grants: {
      "barbara-standing": grant("barbara.liskov@contoso.com", "Security Administrator", "active", null),
    },
  },
  {
    name: "one break-glass account (PIM-006)",
    tenant: (t) => replaceOnce(t, /  - upn: bg-bravo@contoso\.onmicrosoft\.com\n.*\n/, ""),
  },
  {
    name: "an authentication context nothing enforces (PIM-023 high)",
    tenant: entry(
      "Privileged Role Administrator",
      "tier0",
      "      activation: { requireMfa: false, authenticationContext: c1 }\n",
    ),
  },
  {
    name: "an authentication context backed by a named Conditional Access policy",
    tenant: (t) =>
      entry(
        "Privileged Role Administrator",
        "tier0",
        "      activation: { requireMfa: false, authenticationContext: c1 }\n",
      )(
        replaceOnce(
          t,
          "profiles:\n",
          "authenticationContexts:\n  - { id: c1, conditionalAccessPolicy: CA010 PIM activation }\nprofiles:\n",
        ),
      ),
  },
  {
    name: "a synchronised account in a CISA role (PIM-003 high)",
    tenant: (t) =>
      replaceOnce(t, "profiles:\n", 'synchronizedAccounts: ["grace.*@contoso.com"]\nprofiles:\n'),
  },
  {
    name: "a service account whose exclusion gives no reason (PIM-011 high)",
    tenant: (t) =>
      withSafeDefaults(
        "safeDefaults:\n  serviceAccounts:\n    - { principal: svc-mail@contoso.com, roles: [Exchange Administrator], justification: TODO }\n",
      )(
        entry("Exchange Administrator", "tightened", "      activeAssignment: { allowPermanent: true }\n")(t),
      ),
    grants: { "svc-mail-exchange": grant("svc-mail@contoso.com", "Exchange Administrator", "active", null) },
  },
  {
    name: "a PIM group's member policy without MFA (PIM-022 medium, through the stack)",
    tenant: (t) =>
      replaceOnce(
        t,
        "    - group: Tier-1 Helpdesk Operators\n      access: member\n      profile: tightened\n",
        "    - group: Tier-1 Helpdesk Operators\n      access: member\n      profile: tightened\n      activation: { requireMfa: false }\n",
      ),
  },
  {
    name: "a contractor's PIM group membership past 90 days (PIM-017 medium, through the stack)",
    tenant: (t) =>
      replaceOnce(
        t,
        "        - principal: grace.hopper@contoso.com\n          end: 2027-04-30\n",
        "        - principal: c-jordan.lee@contoso.com\n          end: 2027-04-30\n",
      ),
  },
];

/** Generated variants: seeded combinations of two or three of the unsafe settings above. */
function generated(count: number, seed: number): Variant[] {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const pool = VARIANTS.slice(1).filter((v) => !v.name.startsWith("an authentication context backed"));
  const out: Variant[] = [];
  while (out.length < count) {
    const picked = [
      ...new Set(
        Array.from({ length: 2 + Math.floor(next() * 2) }, () => pool[Math.floor(next() * pool.length)]!),
      ),
    ];
    // Two edits of the same entry cannot both apply (the second no longer finds the text): skip such pairs.
    const tenants = picked.map((v) => v.tenant).filter((f): f is (t: string) => string => !!f);
    const combined: Variant = {
      name: picked.map((v) => v.name.split(" (")[0]).join(" + "),
      tenant: (t) => tenants.reduce((acc, f) => f(acc), t),
      grants: Object.assign({}, ...picked.map((v) => v.grants ?? {})),
    };
    try {
      loadEdited(combined.tenant!, combined.grants);
      out.push(combined);
    } catch {
      continue;
    }
  }
  return out;
}

describe("one verdict: pim check, the pack over the Tenant component's resources, and the program", () => {
  it.each([...VARIANTS, ...generated(6, 42)].map((v) => [v.name, v] as const))("%s", async (_name, v) => {
    const model = loadEdited(v.tenant ?? ((t) => t), v.grants ?? {});
    const check = checkVerdicts(model);
    if (v.name !== "the demo itself" && !v.name.startsWith("an authentication context backed"))
      expect(check.length, "each variant is unsafe in some way").toBeGreaterThan(0);
    expect(sorted(await packVerdicts(model))).toEqual(sorted(check));
    expect(sorted(programVerdicts(model))).toEqual(sorted(check.filter((c) => c.endsWith(" mandatory"))));
  });

  it("the demo passes everywhere, and a variant's verdicts name the expected rules", async () => {
    expect(checkVerdicts(loadEdited((t) => t))).toEqual([]);
    const twelve = VARIANTS.find((v) => v.name.startsWith("a 12-hour"))!;
    expect(checkVerdicts(loadEdited(twelve.tenant!))).toEqual(["PIM-026 high mandatory"]);
    const six = VARIANTS.find((v) => v.name.startsWith("a 6-hour"))!;
    expect(checkVerdicts(loadEdited(six.tenant!))).toEqual(["PIM-026 medium advisory"]);
  });
});
