/**
 * JSON Schema for editors, generated from the same zod schemas the loader validates with, so completion and the
 * loader never disagree. The YAML files point at them with `# yaml-language-server: $schema=...` comments.
 *
 * Draft-07: the YAML language server (VS Code's YAML extension, and every editor that embeds it) handles it best.
 * The input side of each schema is described (`io: "input"`): what a person writes, before defaults and transforms.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { grant } from "./schema/grant";
import { tenantFile } from "./schema/tenant";

/** Repository-relative path of each generated file → its schema. */
const SCHEMAS: Record<string, { schema: z.ZodType; title: string; description: string }> = {
  "schemas/tenant.schema.json": {
    schema: tenantFile,
    title: "PIM tenant declaration (stacks/<stack>/tenant.yaml)",
    description:
      "One tenant's Privileged Identity Management configuration: settings profiles, role settings, approver groups, PIM-for-Groups groups, break-glass accounts and safe-default rule configuration. Grants live one per file under grants/.",
  },
  "schemas/grant.schema.json": {
    schema: grant,
    title: "PIM grant (stacks/<stack>/grants/<name>.yaml)",
    description:
      "One eligible or time-bound active role assignment: one access request, one file, one reviewable pull request.",
  },
};

/** The JSON Schema documents, keyed by repository-relative path. Deterministic: same input, same bytes. */
export function generateJsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [file, { schema, title, description }] of Object.entries(SCHEMAS)) {
    const generated = z.toJSONSchema(schema, {
      target: "draft-07",
      io: "input",
      // Preprocessed dates come out as their string schema; nothing else is unrepresentable, but never throw here.
      unrepresentable: "any",
      // Inline, not $ref: draft-07 ignores keywords beside a $ref, and editors would lose the descriptions.
    }) as Record<string, unknown>;
    const { $schema, ...rest } = generated;
    out[file] = { $schema, title, description, ...rest };
  }
  return out;
}

function render(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Writes every schema file under `root`; returns the paths written. */
export function writeJsonSchemas(root: string): string[] {
  const written: string[] = [];
  for (const [file, doc] of Object.entries(generateJsonSchemas())) {
    const abs = path.join(root, file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, render(doc));
    written.push(file);
  }
  return written;
}

/** The schema files under `root` that are missing or differ from what the zod schemas generate. */
export function checkJsonSchemas(root: string): string[] {
  const stale: string[] = [];
  for (const [file, doc] of Object.entries(generateJsonSchemas())) {
    const abs = path.join(root, file);
    const current = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : null;
    if (current !== render(doc)) stale.push(file);
  }
  return stale;
}
