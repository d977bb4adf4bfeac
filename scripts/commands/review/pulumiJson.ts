/**
 * The two Pulumi documents `pim review` reads, as Pulumi writes them (shapes from pulumi/pulumi; read defensively,
 * since the file is produced outside this tool):
 *
 * - `pulumi preview --json`: a PreviewDigest (`sdk/go/common/display/json.go`, emitted by
 *   `pkg/backend/display/json.go` ShowPreviewDigest): `{config, steps[], diagnostics[], duration, changeSummary}`,
 *   each step `{op, urn, provider, oldState, newState, diffReasons, replaceReasons, detailedDiff}` with states as
 *   apitype.ResourceV3 (`type`, `inputs`, `outputs`, `parent`, …). Secrets appear as the string "[secret]" (the
 *   digest masks them); values unknown until apply as the unknown sentinel. `same` steps appear only with
 *   `--show-sames`; a replacement is one `replace` step unless `--show-replacement-steps` adds
 *   `create-replacement` and `delete-replaced`. Dynamic providers never return a detailed diff
 *   (pulumi/pulumi#16175), so inputs are compared here, old against new.
 * - `pulumi preview --save-plan plan.json`: a DeploymentPlanV1 (`sdk/go/common/apitype/plan.go`, written by
 *   `pkg/cmd/pulumi/plan`): `{manifest, config, resourcePlans: {<urn>: {goal: {type, name, inputDiff: {adds,
 *   updates, deletes}, …}, steps: [op…], state}}}`.
 */
import { CliError } from "../../lib/errors";
import { EXIT } from "../../lib/io";

/** Pulumi's sentinel for a value not known until apply (sdk/go/common/resource/plugin: UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface ResourceState {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
  parent?: string;
}

export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: ResourceState;
  newState?: ResourceState;
  diffReasons?: string[];
}

export interface PlannedResource {
  urn: string;
  type: string;
  steps: string[];
  adds: Record<string, unknown>;
  updates: Record<string, unknown>;
  deletes: string[];
}

export type PulumiDocument =
  | { kind: "preview"; steps: PreviewStep[]; changeSummary: Record<string, number> }
  | { kind: "plan"; resources: PlannedResource[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function state(v: unknown, urn: string): ResourceState | undefined {
  if (!isObject(v)) return undefined;
  return {
    urn: typeof v["urn"] === "string" ? v["urn"] : urn,
    type: typeof v["type"] === "string" ? v["type"] : typeFromUrn(urn),
    inputs: isObject(v["inputs"]) ? v["inputs"] : {},
    ...(typeof v["parent"] === "string" ? { parent: v["parent"] } : {}),
  };
}

/** `urn:pulumi:<stack>::<project>::<parent types $…>$<type>::<name>` → its own type token. */
export function typeFromUrn(urn: string): string {
  const q = urn.split("::")[2] ?? "";
  return q.slice(q.lastIndexOf("$") + 1);
}

/** The type tokens of the URN's qualified type, outermost first (`pim:index:Tenant`, `pim:entra:BreakGlass`, …). */
export function typeChain(urn: string): string[] {
  return (urn.split("::")[2] ?? "").split("$");
}

export function nameFromUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

export function parsePulumiDocument(text: string, file: string): PulumiDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CliError(
      `${file} is not JSON: ${(e as Error).message}`,
      EXIT.invalid,
      "pass the output of pulumi preview --json, or a plan from --save-plan",
    );
  }
  if (isObject(doc) && isObject(doc["resourcePlans"])) {
    const resources: PlannedResource[] = [];
    for (const [urn, p] of Object.entries(doc["resourcePlans"])) {
      if (!isObject(p)) continue;
      const goal = isObject(p["goal"]) ? p["goal"] : {};
      const diff = isObject(goal["inputDiff"]) ? goal["inputDiff"] : {};
      resources.push({
        urn,
        type: typeof goal["type"] === "string" ? goal["type"] : typeFromUrn(urn),
        steps: Array.isArray(p["steps"]) ? p["steps"].filter((s): s is string => typeof s === "string") : [],
        adds: isObject(diff["adds"]) ? diff["adds"] : {},
        updates: isObject(diff["updates"]) ? diff["updates"] : {},
        deletes: Array.isArray(diff["deletes"])
          ? diff["deletes"].filter((s): s is string => typeof s === "string")
          : [],
      });
    }
    return {
      kind: "plan",
      resources: resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0)),
    };
  }
  if (isObject(doc) && (Array.isArray(doc["steps"]) || isObject(doc["changeSummary"]))) {
    const steps: PreviewStep[] = [];
    for (const s of Array.isArray(doc["steps"]) ? doc["steps"] : []) {
      if (!isObject(s) || typeof s["op"] !== "string" || typeof s["urn"] !== "string") continue;
      const urn = s["urn"];
      const oldState = state(s["oldState"], urn);
      const newState = state(s["newState"], urn);
      steps.push({
        op: s["op"],
        urn,
        ...(oldState ? { oldState } : {}),
        ...(newState ? { newState } : {}),
        ...(Array.isArray(s["diffReasons"])
          ? { diffReasons: s["diffReasons"].filter((x): x is string => typeof x === "string") }
          : {}),
      });
    }
    const summary: Record<string, number> = {};
    if (isObject(doc["changeSummary"]))
      for (const [k, v] of Object.entries(doc["changeSummary"])) if (typeof v === "number") summary[k] = v;
    return { kind: "preview", steps, changeSummary: summary };
  }
  throw new CliError(
    `${file} is neither a pulumi preview --json document (no "steps") nor a saved plan (no "resourcePlans")`,
    EXIT.invalid,
    "run pulumi preview --json > preview.json, or pulumi preview --save-plan plan.json",
  );
}

/** Replacement shows as one logical `replace` or as create-replacement + delete-replaced: the same operation. */
export function normalizeOp(op: string): string {
  return op === "create-replacement" || op === "delete-replaced" ? "replace" : op;
}
