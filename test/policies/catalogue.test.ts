/** Every rule is complete, documented in policies/README.md, and its defaults and strict values are valid. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { allRules, metaRules } from "../../policies/rules";

const readme = fs.readFileSync(path.resolve(__dirname, "../../policies/README.md"), "utf8");
const catalogue = [...allRules, ...metaRules];

describe("the rule catalogue", () => {
  it("has unique ids in PIM-0xx form, in order", () => {
    const ids = catalogue.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^PIM-0\d\d$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it.each(catalogue.map((r) => [r.id, r] as const))("%s has a title, source, severity and docs", (_id, r) => {
    expect(r.title.length).toBeGreaterThan(10);
    expect(r.source).toMatch(/CISA SCuBA MS\.AAD\.7\.\dv1|Microsoft Learn|CIS M365|Maester|Project/);
    expect(["critical", "high", "medium", "low"]).toContain(r.severity);
    expect(r.docs.length).toBeGreaterThan(60);
  });

  it.each(allRules.map((r) => [r.id, r] as const))("%s has valid parameters in every profile", (_id, r) => {
    expect(() => r.params.parse({})).not.toThrow();
    for (const values of Object.values(r.profiles ?? {}))
      expect(() => r.params.parse({ ...values })).not.toThrow();
    expect(["resource", "stack"]).toContain(r.scope);
  });

  it.each(catalogue.map((r) => [r.id, r] as const))(
    "%s is documented in policies/README.md with its title, source and docs",
    (id, r) => {
      const section = readme.split(/\n### /).find((s) => s.startsWith(`${id} `));
      expect(section, `no "### ${id} ..." section`).toBeDefined();
      expect(section).toContain(r.title);
      expect(section).toContain(r.source);
      expect(section).toContain(r.docs);
      expect(section).toContain(`Severity: ${r.severity}`);
      expect(section).toContain("Example finding:");
    },
  );

  it.each(allRules.map((r) => [r.id, r] as const))(
    "%s documents every parameter with its default",
    (id, r) => {
      const section = readme.split(/\n### /).find((s) => s.startsWith(`${id} `))!;
      const defaults = r.params.parse({}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(defaults))
        expect(section).toContain(`\`${k}\` (default \`${JSON.stringify(v)}\``);
    },
  );
});
