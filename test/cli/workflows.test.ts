/**
 * The workflows in .github/workflows: valid against the GitHub workflow schema (a vendored subset, see
 * workflow-schema/README.md), least privilege, actions pinned by commit, and wired to the CLI exactly as the
 * README's "CI usage" says: every pim and npm command they run exists, takes the options used, and is the README's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../scripts/pim";

const ROOT = path.resolve(__dirname, "../..");
const DIR = path.join(ROOT, ".github/workflows");
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const schema = JSON.parse(
  fs.readFileSync(path.join(__dirname, "workflow-schema/github-workflow.subset.json"), "utf8"),
);
const validate = new Ajv({ allErrors: true }).compile(schema);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  environment?: string;
  steps: Step[];
}
const workflows = FILES.map((f) => ({
  file: f,
  doc: parse(fs.readFileSync(path.join(DIR, f), "utf8")) as {
    on: unknown;
    permissions: unknown;
    jobs: Record<string, Job>;
  },
}));
const steps = (w: (typeof workflows)[number]) => Object.values(w.doc.jobs).flatMap((j) => j.steps);

/** Every command line a workflow runs that calls pim, npm or pulumi, one per line, as written. */
const commandLines = (): string[] =>
  workflows
    .flatMap((w) => steps(w))
    .flatMap((s) => (s.run ?? "").split("\n"))
    .map((l) => l.trim())
    .filter((l) => /^(npm (run|test|ci)|npx pulumi)\b/.test(l));

describe("workflows", () => {
  it("are the four the README describes", () => {
    expect(FILES).toEqual(["apply.yml", "expiry.yml", "preview.yml", "pull-request.yml"]);
  });

  it.each(FILES)("%s validates against the GitHub workflow schema", (f) => {
    const w = workflows.find((x) => x.file === f)!;
    const ok = validate(w.doc);
    expect(validate.errors ?? [], f).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema refuses what GitHub refuses (a typo in a key, an unknown permission)", () => {
    expect(validate({ on: "push", jobs: { a: { "runs-on": "ubuntu-latest", steps: [{ run: "x" }] } } })).toBe(
      true,
    );
    expect(validate({ on: "push", jobs: { a: { "run-on": "ubuntu-latest", steps: [{ run: "x" }] } } })).toBe(
      false,
    );
    expect(
      validate({
        on: "push",
        permissions: { "id-tokens": "write" },
        jobs: { a: { "runs-on": "ubuntu-latest", steps: [{ run: "x" }] } },
      }),
    ).toBe(false);
    expect(
      validate({ on: "push", jobs: { a: { "runs-on": "ubuntu-latest", steps: [{ run: "x", uses: "y" }] } } }),
    ).toBe(false);
  });

  it("pin every action by commit and never keep the checkout's credentials", () => {
    for (const w of workflows) {
      for (const s of steps(w)) {
        if (!s.uses) continue;
        expect(s.uses, w.file).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        if (s.uses.startsWith("actions/checkout@"))
          expect(s.with?.["persist-credentials"], w.file).toBe(false);
      }
    }
  });

  it("grant least privilege: read-only by default, an identity token only to jobs in a protected environment", () => {
    for (const w of workflows) {
      expect(w.doc.permissions, w.file).toEqual({ contents: "read" });
      for (const [name, job] of Object.entries(w.doc.jobs)) {
        if (job.permissions?.["id-token"] === "write")
          expect(job.environment, `${w.file} ${name}`).toMatch(
            /^pim-(preview|apply)-\$\{\{ matrix\.stack \}\}$/,
          );
      }
    }
    const pr = fs.readFileSync(path.join(DIR, "pull-request.yml"), "utf8");
    expect(pr).not.toMatch(/secrets\.|id-token|pull_request_target/);
    expect(workflows.find((w) => w.file === "apply.yml")!.doc.jobs["apply"]!.environment).toBe(
      "pim-apply-${{ matrix.stack }}",
    );
  });

  it("run one job per tenant stack, with a concurrency group per stack for preview and apply", () => {
    for (const w of workflows) {
      const matrixJobs = Object.entries(w.doc.jobs).filter(([, j]) =>
        JSON.stringify(j).includes("matrix.stack"),
      );
      expect(matrixJobs.length, w.file).toBeGreaterThan(0);
    }
    for (const f of ["preview.yml", "apply.yml"]) {
      const text = fs.readFileSync(path.join(DIR, f), "utf8");
      expect(text, f).toContain("group: pim-stack-${{ matrix.stack }}");
    }
  });

  it("call only pim commands and options that exist, and npm scripts package.json has", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
    const lines = commandLines();
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const npm = /^npm run (?:-s )?([\w:-]+)/.exec(line);
      if (npm) expect(scripts, line).toContain(npm[1]);
      const pim = /^npm run -s pim -- (\w+)(.*)$/.exec(line);
      if (!pim) continue;
      const command = COMMANDS.find((c) => c.name === pim[1]);
      expect(command, line).toBeDefined();
      for (const flag of pim[2]!.match(/--[\w-]+/g) ?? [])
        expect(command!.help, `${line}: ${flag}`).toContain(flag);
    }
  });

  it("run exactly the commands the README's CI usage lists", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## CI usage"));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    const documented = block
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, "").trim())
      .filter((l) => /^(npm (run|test|ci)|npx pulumi)\b/.test(l));
    expect([...new Set(commandLines())].sort()).toEqual([...new Set(documented)].sort());
  });

  it("the comment helper looks for the marker pim writes", () => {
    const helper = fs.readFileSync(path.join(ROOT, ".github/scripts/upsert-comment.sh"), "utf8");
    expect(helper).toContain("<!-- ${marker} -->");
    const pr = fs.readFileSync(path.join(DIR, "pull-request.yml"), "utf8");
    expect(pr).toContain('upsert-comment.sh "$PR" "pim-plan:$STACK"');
    expect(fs.readFileSync(path.join(DIR, "preview.yml"), "utf8")).toContain(
      'upsert-comment.sh "$PR" "pim-review:$STACK"',
    );
  });
});
