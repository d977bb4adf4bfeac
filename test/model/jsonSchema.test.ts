/**
 * The committed JSON Schemas are what the zod schemas generate, the YAML files point at them, and the demo files
 * validate against them. The validator below is deliberately tiny: it knows exactly the keywords the generator
 * emits, and the test fails if a new one appears.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkJsonSchemas, generateJsonSchemas, writeJsonSchemas } from "../../model/jsonSchema";
import { REPO } from "./badCases";

type Schema = Record<string, any>;

const KNOWN = new Set([
  "$schema",
  "title",
  "description",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "enum",
  "const",
  "anyOf",
  "pattern",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Returns the problems as `path: what`, empty when the value is valid. */
function validate(schema: Schema, value: unknown, at = "$"): string[] {
  const errors: string[] = [];
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) errors.push(`${at}: schema keyword ${k} not understood`);
  if (schema.anyOf) {
    const branches = (schema.anyOf as Schema[]).map((s) => validate(s, value, at));
    if (!branches.some((b) => b.length === 0)) errors.push(`${at}: matches none of ${branches.length} forms`);
  }
  if (schema.type !== undefined) {
    const t = typeOf(value);
    const allowed: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.includes(t) || (t === "integer" && allowed.includes("number"));
    if (!ok) return [...errors, `${at}: expected ${allowed.join("|")}, got ${t}`];
  }
  if (schema.const !== undefined && value !== schema.const)
    errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    errors.push(`${at}: not one of ${schema.enum}`);
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: too short`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: too long`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: too many items`);
    if (schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, `${at}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) {
      if (!(r in obj)) errors.push(`${at}: missing ${r}`);
    }
    const props: Record<string, Schema> = schema.properties ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) errors.push(...validate(schema.propertyNames, k, `${at}.${k} (name)`));
      if (props[k]) errors.push(...validate(props[k], v, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unknown key ${k}`);
      else if (typeof schema.additionalProperties === "object") {
        errors.push(...validate(schema.additionalProperties, v, `${at}.${k}`));
      }
    }
  }
  return errors;
}

const committed = (file: string): Schema => JSON.parse(fs.readFileSync(path.join(REPO, file), "utf8"));
const yamlFile = (rel: string) => parse(fs.readFileSync(path.join(REPO, rel), "utf8"), { schema: "core" });
const demoGrants = () =>
  fs
    .readdirSync(path.join(REPO, "stacks/demo/grants"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `stacks/demo/grants/${f}`);

describe("generated JSON Schemas", () => {
  it("the committed schemas/*.json are up to date (run `npm run schemas` after changing model/schema)", () => {
    expect(checkJsonSchemas(REPO)).toEqual([]);
  });

  it("staleness is detected: a changed file and a missing file are both reported", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-schemas-"));
    try {
      expect(checkJsonSchemas(root)).toEqual(["schemas/tenant.schema.json", "schemas/grant.schema.json"]);
      expect(writeJsonSchemas(root)).toEqual(["schemas/tenant.schema.json", "schemas/grant.schema.json"]);
      expect(checkJsonSchemas(root)).toEqual([]);
      const grantFile = path.join(root, "schemas/grant.schema.json");
      fs.writeFileSync(grantFile, fs.readFileSync(grantFile, "utf8").replace("Ticket number", "Ticket id"));
      expect(checkJsonSchemas(root)).toEqual(["schemas/grant.schema.json"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("is deterministic and matches what is committed, byte for byte", () => {
    const a = JSON.stringify(generateJsonSchemas());
    const b = JSON.stringify(generateJsonSchemas());
    expect(a).toBe(b);
    expect(Object.keys(generateJsonSchemas())).toEqual([
      "schemas/tenant.schema.json",
      "schemas/grant.schema.json",
    ]);
  });

  it("draft-07, with titles, descriptions from .describe(), and no unknown keys anywhere", () => {
    const grant = committed("schemas/grant.schema.json");
    expect(grant.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(grant.title).toBe("PIM grant (stacks/<stack>/grants/<name>.yaml)");
    expect(grant.additionalProperties).toBe(false);
    expect(grant.required).toEqual(["principal", "role", "kind", "justification"]);
    expect(grant.properties.end.description).toBe(
      "Last day (YYYY-MM-DD, through the end of that day UTC) or an exact date-time with zone",
    );
    expect(grant.properties.kind).toEqual({
      type: "string",
      enum: ["eligible", "active"],
      description: "eligible: can activate on demand; active: holds the role now",
    });
    expect(grant.properties.ticket.additionalProperties).toBe(false);

    const tenant = committed("schemas/tenant.schema.json");
    expect(tenant.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(tenant.title).toBe("PIM tenant declaration (stacks/<stack>/tenant.yaml)");
    expect(tenant.properties.tenant.properties.id.description).toBe("Directory (tenant) id");
    const profile = tenant.properties.profiles.additionalProperties;
    expect(profile.properties.activation.properties.requireMfa.description).toBe(
      "Azure MFA on activation (not together with authenticationContext)",
    );
    // Every object in both schemas is closed: a typo is an error in the editor as in the loader.
    const open: string[] = [];
    const walk = (s: unknown, at: string): void => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}[${i}]`));
      if (!s || typeof s !== "object") return;
      const o = s as Schema;
      if (o.type === "object" && o.properties && o.additionalProperties !== false) open.push(at);
      for (const [k, v] of Object.entries(o)) walk(v, `${at}/${k}`);
    };
    walk(tenant, "tenant");
    walk(grant, "grant");
    expect(open).toEqual([]);
  });

  it("the demo YAML files point at the schemas with a path that resolves", () => {
    const files = ["stacks/demo/tenant.yaml", ...demoGrants()];
    for (const rel of files) {
      const first = fs.readFileSync(path.join(REPO, rel), "utf8").split("\n")[0]!;
      const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(m, rel).not.toBeNull();
      const target = path.resolve(path.dirname(path.join(REPO, rel)), m![1]!);
      expect(path.relative(REPO, target)).toBe(
        rel.endsWith("tenant.yaml") ? "schemas/tenant.schema.json" : "schemas/grant.schema.json",
      );
    }
  });

  it("the demo files validate against the committed schemas", () => {
    const tenant = committed("schemas/tenant.schema.json");
    const grant = committed("schemas/grant.schema.json");
    expect(validate(tenant, yamlFile("stacks/demo/tenant.yaml"))).toEqual([]);
    const grants = demoGrants();
    expect(grants).toHaveLength(10);
    for (const rel of grants) expect(validate(grant, yamlFile(rel)), rel).toEqual([]);
  });

  it("and the validator is not a rubber stamp: broken declarations fail it", () => {
    const grant = committed("schemas/grant.schema.json");
    const ok = yamlFile("stacks/demo/grants/c-jordan-lee-global-administrator.yaml");
    expect(validate(grant, { ...ok, justfication: "x" })).toEqual(["$: unknown key justfication"]);
    expect(validate(grant, { ...ok, kind: "elegible" })).toEqual(["$.kind: not one of eligible,active"]);
    expect(validate(grant, { ...ok, scope: "/tenants/x" })).toEqual(["$.scope: matches none of 5 forms"]);
    expect(validate(grant, { ...ok, scope: "/subscriptions/not-a-guid" })).toEqual([
      "$.scope: matches none of 5 forms",
    ]);
    expect(validate(grant, { ...ok, justification: "x".repeat(4001) })).toEqual([
      "$.justification: too long",
    ]);
    expect(validate(grant, { ...ok, ticket: { system: "ServiceNow" } })).toEqual([
      "$.ticket: missing number",
    ]);
    const tenant = committed("schemas/tenant.schema.json");
    const t = yamlFile("stacks/demo/tenant.yaml");
    expect(validate(tenant, { ...t, tenant: { ...t.tenant, id: "nope" } })).toEqual([
      `$.tenant.id: does not match ${tenant.properties.tenant.properties.id.pattern}`,
    ]);
    expect(
      validate(tenant, { ...t, profiles: { ...t.profiles, x: { activation: { requireMFA: true } } } }),
    ).toEqual(["$.profiles.x.activation: unknown key requireMFA"]);
  });
});
