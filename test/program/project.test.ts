/** Pulumi.yaml: what the CLI needs to run the program, checked without the CLI. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));

describe("Pulumi.yaml", () => {
  it("runs stacks/index.ts with TypeScript through npm, with stack files in stacks/", () => {
    expect(project.name).toBe("pim");
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
    expect(project.main).toBe("stacks/index.ts");
    expect(fs.existsSync(path.join(root, project.main))).toBe(true);
    expect(project.stackConfigDir).toBe("stacks");
    expect(fs.existsSync(path.join(root, "stacks", "Pulumi.demo.yaml"))).toBe(true);
  });

  it("declares the project keys with descriptions, and a default for each (else every stack must set it)", () => {
    expect(Object.keys(project.config).sort()).toEqual(["declarations", "graphBaseUrl"]);
    for (const [key, schema] of Object.entries<Record<string, unknown>>(project.config)) {
      expect(schema["type"], key).toBe("string");
      expect(typeof schema["default"], key).toBe("string");
      expect(String(schema["description"]).length, key).toBeGreaterThan(40);
    }
    expect(project.config.graphBaseUrl.default).toBe("https://graph.microsoft.com");
  });
});
